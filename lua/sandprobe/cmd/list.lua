-- `sandprobe list [SELECTION...]`: the scenarios a selection picks.
local args = require("sandprobe.args")
local json = require("json")
local reports = require("sandprobe.reports")
local runner = require("sandprobe.runner")
local visible = require("sandprobe.report.util").visible

-- Its choices are the registered list formats (below).
local FORMAT_OPTION = { name = "format", short = "f", arg = "FMT", default = "text", help = "output format" }

local M = {
  summary = "list scenarios: id, pack, tags and title",
  usage = "Usage: sandprobe list [SELECTION...] [options]\n\nSELECTION as for 'sandprobe run'.",
  options = {
    FORMAT_OPTION,
    { name = "pack-path", arg = "DIR", multi = true, help = "also load packs and modules from DIR" },
  },
}

-- doc: the chosen scenario entries (runner.plan)
local function write_text(chosen, out)
  -- Pack-supplied text shown, never obeyed by the terminal (report/util.lua).
  local function shown(text) return (visible(text):gsub("[\n\t]", " ")) end
  for _, e in ipairs(chosen) do
    out:write(("%-40s %-10s %-30s %s\n"):format(shown(e.id), shown(e.pack), shown(table.concat(e.tags, ",")),
                                               shown(e.title)))
  end
end

local function write_json(chosen, out)
  local list = json.array({})
  for i, e in ipairs(chosen) do
    list[i] = { id = e.id, pack = e.pack, title = e.title, tags = json.array(e.tags), file = e.file,
                load_error = e.load_error }
  end
  out:write(json.encode(list, { pretty = true }), "\n")
end

FORMAT_OPTION.choices = reports.register_all("list", { { "text", write_text }, { "json", write_json } })

function M.run(argv)
  local opts, words = args.parse(argv, M.options)
  local chosen = runner.plan(words, opts["pack-path"])
  if #chosen == 0 and #words > 0 then
    args.usage_error(("no scenario matches '%s'"):format(table.concat(words, " ")))
  end
  reports.write("list", opts.format, chosen, io.stdout)
  return 0
end

return M
