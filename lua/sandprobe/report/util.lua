-- Helpers shared by the report formats.
local json = require("json")

local M = {}

-- Evidence values as text: strings as they are, anything else as JSON.
function M.evidence_text(value)
  if type(value) == "string" then return value end
  local ok, text = pcall(json.encode, value)
  return ok and text or tostring(value)
end

-- Evidence keys sorted, so every report lists them in the same order.
function M.sorted_keys(t)
  local keys = {}
  for k in pairs(t or {}) do keys[#keys + 1] = k end
  table.sort(keys)
  return keys
end

-- Results grouped by pack, packs in order of first appearance.
function M.by_pack(results)
  local groups, index = {}, {}
  for _, r in ipairs(results) do
    local g = index[r.pack]
    if not g then
      g = { name = r.pack, results = {} }
      index[r.pack] = g
      groups[#groups + 1] = g
    end
    g.results[#g.results + 1] = r
  end
  return groups
end

function M.count(results, status)
  local n = 0
  for _, r in ipairs(results) do
    if r.status == status then n = n + 1 end
  end
  return n
end

function M.total_duration(results)
  local s = 0
  for _, r in ipairs(results) do s = s + (r.duration_s or 0) end
  return s
end

return M
