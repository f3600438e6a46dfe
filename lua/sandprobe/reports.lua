-- Output formats register themselves, as commands do (cli.lua finds every
-- cmd/<name>.lua); goss's RegisterOutputer is the model.
--
--   * Scenario runs: every lua/sandprobe/report/<name>.lua whose module has
--     render(run, opts) -> text is the format <name>. A new format is one new
--     file there; `sandprobe run --format` offers it with no other change.
--   * A command with a document of its own (a validation, doctor's checks,
--     the scenario list, bench figures) registers one writer per format for
--     its kind: reports.register(kind, name, writer).
--
-- Every command takes its --format choices from reports.names(kind) and its
-- writer from reports.write(kind, name, doc, out, opts). A writer is
-- writer(doc, out, opts): it writes to out (anything with :write, such as
-- io.stdout or reports.buffer()).
local core = require("sandprobe.core")

local M = {}

local kinds = {} -- kind -> { names = {...}, writers = { [name] = writer } }

local function kind_of(kind)
  local k = kinds[kind]
  if not k then
    k = { names = {}, writers = {} }
    kinds[kind] = k
  end
  return k
end

function M.register(kind, name, writer)
  assert(type(name) == "string" and name:match("^[%w_%-]+$"), "a format name is a plain word")
  assert(type(writer) == "function", "a writer is a function")
  local k = kind_of(kind)
  if not k.writers[name] then k.names[#k.names + 1] = name end
  k.writers[name] = writer
end

-- Registers a command's writers for its kind, in the order given
-- ({ {name, writer}, ... }), and returns their names for its --format choices.
function M.register_all(kind, writers)
  for _, w in ipairs(writers) do M.register(kind, w[1], w[2]) end
  return M.names(kind)
end

-- The run formats: report/*.lua with a render function, "text" (the default)
-- first, the others by name.
local function discover_run_formats()
  local found = {}
  for _, file in ipairs(core.listdir(core.data_dir .. "/lua/sandprobe/report") or {}) do
    local name = file:match("^([%w_%-]+)%.lua$")
    if name then
      local mod = require("sandprobe.report." .. name)
      if type(mod) == "table" and type(mod.render) == "function" then found[#found + 1] = name end
    end
  end
  table.sort(found, function(a, b)
    if (a == "text") ~= (b == "text") then return a == "text" end
    return a < b
  end)
  for _, name in ipairs(found) do
    local mod = require("sandprobe.report." .. name)
    M.register("run", name, function(run, out, opts) out:write(mod.render(run, opts)) end)
  end
end

-- The format names of a kind, in the order they are offered.
function M.names(kind)
  if kind == "run" and not kinds.run then discover_run_formats() end
  local out = {}
  for i, name in ipairs(kind_of(kind).names) do out[i] = name end
  return out
end

-- Writes doc in the format `name` of `kind` to out.
function M.write(kind, name, doc, out, opts)
  if kind == "run" and not kinds.run then discover_run_formats() end
  local writer = kind_of(kind).writers[name]
  if not writer then error(("no %s format '%s'"):format(kind, tostring(name)), 2) end
  return writer(doc, out, opts or {})
end

-- A place to write to that keeps the text: buffer:write(...), buffer:text().
function M.buffer()
  local parts = {}
  return {
    write = function(self, ...)
      for i = 1, select("#", ...) do parts[#parts + 1] = tostring((select(i, ...))) end
      return self
    end,
    text = function() return table.concat(parts) end,
  }
end

return M
