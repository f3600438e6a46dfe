local T = require("sandprobe.testing")
local selection = require("sandprobe.selection")
local args = require("sandprobe.args")

local entries = {
  { id = "seed.network.isolation", pack = "seed", tags = { "layer2", "critical" }, default_pack = true },
  { id = "seed.fs.readonly", pack = "seed", tags = { "layer3", "critical", "slow" }, default_pack = true },
  { id = "seed.memory.oom", pack = "seed", tags = { "layer5", "slow" }, default_pack = true },
  { id = "selftest.status.pass", pack = "selftest", tags = { "quick" }, default_pack = false },
}

local function ids(words)
  local out = {}
  for _, e in ipairs(selection.select(entries, words)) do out[#out + 1] = e.id end
  return table.concat(out, " ")
end

T.test("a pack name selects its scenarios", function()
  T.eq(ids({ "seed" }), "seed.network.isolation seed.fs.readonly seed.memory.oom")
end)

T.test("an id selects one scenario", function()
  T.eq(ids({ "seed.memory.oom" }), "seed.memory.oom")
end)

T.test("a glob matches ids", function()
  T.eq(ids({ "seed.network.*" }), "seed.network.isolation")
  T.eq(ids({ "*.status.?ass" }), "selftest.status.pass")
end)

T.test("glob special characters of Lua patterns are literal", function()
  T.eq(ids({ "seed%.network.*" }), "")
end)

T.test("tags select", function()
  T.eq(ids({ "critical" }), "seed.network.isolation seed.fs.readonly")
end)

T.test("and / or / not / parentheses", function()
  T.eq(ids({ "seed and not slow" }), "seed.network.isolation")
  T.eq(ids({ "(layer2 or layer5) and seed" }), "seed.network.isolation seed.memory.oom")
  T.eq(ids({ "not seed" }), "selftest.status.pass")
  T.eq(ids({ "layer2,layer3" }), "seed.network.isolation seed.fs.readonly")
end)

T.test("several words are joined with or, each kept whole", function()
  T.eq(ids({ "seed and not slow", "quick" }), "seed.network.isolation selftest.status.pass")
end)

T.test("no words selects packs not marked default = false", function()
  T.eq(ids({}), "seed.network.isolation seed.fs.readonly seed.memory.oom")
end)

T.test("malformed expressions are usage errors", function()
  for _, bad in ipairs({ "seed and", "(seed", "seed)", "and seed", "seed or or x", "not", "" }) do
    local ok, err = pcall(selection.compile, bad)
    T.ok(not ok, "should reject: " .. bad)
    T.ok(args.is_usage_error(err), "usage error for: " .. bad)
  end
end)

T.test("globs are fnmatch(3) globs: bracket expressions too", function()
  T.eq(ids({ "seed.[fm]*" }), "seed.fs.readonly seed.memory.oom")
  T.eq(ids({ "seed.[!fm]*" }), "seed.network.isolation")
end)

T.test("several words are each an expression, joined with or", function()
  T.eq(ids({ "layer2", "selftest" }), "seed.network.isolation selftest.status.pass")
end)

T.test("errors quote the user's own text and hint at quoting", function()
  T.raises(function() selection.select(entries, { "not" }) end,
           "bad selection 'not': unexpected end; 'not' joins selections: quote the whole expression")
  T.raises(function() selection.select(entries, { "seed", "and", "slow" }) end, "bad selection 'and'")
  local ok, err = pcall(selection.select, entries, { "seed and (" })
  T.eq(ok, false)
  T.ok(require("sandprobe.config_error").is(err), "a configuration error")
  T.contains(err.message, "bad selection 'seed and ('")
  T.ok(not err.message:find(") or (", 1, true), "no internal rewrite in the message")
end)
