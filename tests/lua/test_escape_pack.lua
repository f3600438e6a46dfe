-- The escape pack's metadata (no daemon): at least 50 scenarios, each with
-- an id, title, tags, references and a remediation, and each listed in
-- docs/escape-pack.md.
local T = require("sandprobe.testing")
local packs = require("sandprobe.packs")

local SOURCE = (os.getenv("SANDPROBE_TESTS") or "tests") .. "/.."

local function escape_pack()
  for _, pack in ipairs(assert(packs.discover())) do
    if pack.name == "escape" then return pack end
  end
end

T.test("every escape scenario loads with references, tags and a remediation", function()
  local pack = assert(escape_pack(), "the escape pack is found")
  local files = packs.scenario_files(pack)
  T.ok(#files >= 50, #files .. " scenarios")
  for _, file in ipairs(files) do
    local s, err = packs.load_scenario(pack, file)
    T.ok(s ~= nil, file .. ": " .. tostring(err))
    if s then
      T.ok(s.id:match("^escape%.") ~= nil, s.id)
      T.ok(type(s.references) == "table" and #s.references > 0, s.id .. ": references")
      T.ok(type(s.tags) == "table" and #s.tags > 0, s.id .. ": tags")
      T.ok(type(s.remediation) == "string" and #s.remediation > 10, s.id .. ": remediation")
      T.eq(s.requires[1], "docker", s.id .. ": requires docker")
    end
  end
end)

T.test("docs/escape-pack.md lists every scenario", function()
  local f = assert(io.open(SOURCE .. "/docs/escape-pack.md"))
  local doc = f:read("a")
  f:close()
  local pack = assert(escape_pack())
  for _, file in ipairs(packs.scenario_files(pack)) do
    local s = packs.load_scenario(pack, file)
    if s then T.ok(doc:find("`" .. s.id .. "`", 1, true) ~= nil, s.id .. " is in docs/escape-pack.md") end
  end
end)

T.test("the scenario constructor refuses a scenario without references or remediation", function()
  local pack = assert(escape_pack())
  local env = require("sandprobe.env")
  local e = env.new { search_dirs = packs.search_dirs(pack) }
  local chunk = assert(load([[
local escape = require("escape")
return function(s) return escape.scenario(s) end
]], "=t", "t", e))
  local make = chunk()
  T.raises(function() make { id = "escape.x.y", title = "t", tags = { "a" }, remediation = "r", run = function() end } end,
    "'references' must be a non-empty list")
  T.raises(function() make { id = "escape.x.y", title = "t", tags = { "a" }, references = { "T1611" }, run = function() end } end,
    "'remediation' is required")
end)
