-- `sandprobe list [SELECTION...]`: the scenarios a selection picks.
local args = require("sandprobe.args")
local json = require("json")
local runner = require("sandprobe.runner")
local visible = require("sandprobe.report.util").visible

local M = {
  summary = "list scenarios: id, pack, tags and title",
  usage = "Usage: sandprobe list [SELECTION...] [options]\n\nSELECTION as for 'sandprobe run'.",
  options = {
    { name = "format", short = "f", arg = "FMT", choices = { "text", "json" }, default = "text", help = "output format" },
    { name = "pack-path", arg = "DIR", multi = true, help = "also load packs and modules from DIR" },
  },
}

function M.run(argv)
  local opts, words = args.parse(argv, M.options)
  local chosen = runner.plan(words, opts["pack-path"])
  if #chosen == 0 and #words > 0 then
    args.usage_error(("no scenario matches '%s'"):format(table.concat(words, " ")))
  end
  if opts.format == "json" then
    local list = json.array({})
    for i, e in ipairs(chosen) do
      list[i] = { id = e.id, pack = e.pack, title = e.title, tags = json.array(e.tags), file = e.file,
                  load_error = e.load_error }
    end
    io.stdout:write(json.encode(list, { pretty = true }), "\n")
    return 0
  end
  -- Pack-supplied text shown, never obeyed by the terminal (report/util.lua).
  local function shown(text) return (visible(text):gsub("[\n\t]", " ")) end
  for _, e in ipairs(chosen) do
    io.stdout:write(("%-40s %-10s %-30s %s\n"):format(shown(e.id), shown(e.pack), shown(table.concat(e.tags, ",")),
                                                     shown(e.title)))
  end
  return 0
end

return M
