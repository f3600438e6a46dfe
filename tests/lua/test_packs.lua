-- Packs (lua/sandprobe/packs.lua): discovery, scenario metadata, and the
-- one-line errors for packs and scenario files that are not right.
local T = require("sandprobe.testing")
local core = require("sandprobe.core")
local packs = require("sandprobe.packs")

local function write(path, text)
  local f = assert(io.open(path, "w"))
  f:write(text)
  f:close()
end

local function by_name(list)
  local out = {}
  for _, p in ipairs(list) do out[p.name] = p end
  return out
end

T.test("the shipped packs are found, selftest left out of default runs", function()
  local found = by_name(assert(packs.discover()))
  T.ok(found.seed and found.seed.default, "seed runs by default")
  T.ok(found.selftest and found.selftest.default == false, "selftest does not")
  T.eq(found.seed.dir, core.data_dir .. "/scenarios/seed")
end)

T.test("a scenario that does not load is still listed, with its error", function()
  local selftest = by_name(assert(packs.discover())).selftest
  local entries = assert(packs.catalogue({ selftest }))
  local by_id = {}
  for _, e in ipairs(entries) do by_id[e.id] = e end
  local broken = T.ok(by_id["selftest.error_syntax"], "listed under an id made from the file name")
  T.eq(broken.title, "(does not load)")
  T.contains(broken.load_error, "error_syntax.lua")
end)

T.test("load_scenario names what is wrong with a scenario table", function()
  local dir = T.tempdir()
  local pack = { name = "tmp", dir = dir }
  local cases = {
    { "return 5", "must return a table" },
    { "return { id = 'x', title = 't', run = function() end }", "'id' must be a dotted name" },
    { "return { id = 'tmp.a.b', run = function() end }", "'title' must be a string" },
    { "return { id = 'tmp.a.b', title = 't' }", "'run' must be a function" },
    { "return { id = 'tmp.a.b', title = 't', run = function() end, timeout = -1 }",
      "'timeout' must be a positive number" },
    { "return {", "expected" }, -- a syntax error, with file and line
  }
  for i, c in ipairs(cases) do
    local file = ("%s/case%d.lua"):format(dir, i)
    write(file, c[1])
    local s, err = packs.load_scenario(pack, file)
    T.eq(s, nil, c[1])
    T.contains(err, c[2], c[1])
    os.remove(file)
  end
  os.remove(dir)
end)

T.test("two scenarios with one id are refused, naming both files", function()
  local dir = T.tempdir()
  local body = "return { id = 'dup.same.id', title = 't', run = function() end }"
  write(dir .. "/a.lua", body)
  write(dir .. "/b.lua", body)
  local entries, err = packs.catalogue({ { name = "dup", dir = dir } })
  T.eq(entries, nil)
  T.contains(err, "scenario id 'dup.same.id' is used by both")
  T.contains(err, "a.lua")
  T.contains(err, "b.lua")
  os.remove(dir .. "/a.lua")
  os.remove(dir .. "/b.lua")
  os.remove(dir)
end)

T.test("a --pack-path that is not a folder is refused", function()
  local ok, err = packs.add_root("/nonexistent/sandprobe-packs")
  T.eq(ok, nil)
  T.contains(err, "is not a readable folder")
end)
