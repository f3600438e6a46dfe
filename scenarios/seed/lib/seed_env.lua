-- The seed's V1 (environment) scenarios: one per `sandprobe doctor` check,
-- reusing require("sandprobe.doctor") so the scenario and the command can
-- never disagree. Each scenario file is one line:
--   return require("seed_env").scenario("daemon")
local doctor = require("sandprobe.doctor")

local M = {}

local NEEDS_NO_DAEMON = { daemon = true }

function M.scenario(check_id)
  local known = false
  for _, id in ipairs(doctor.ids) do known = known or id == check_id end
  assert(known, "no doctor check named " .. check_id)
  return {
    id = "seed.env." .. check_id,
    title = "Environment: " .. (check_id:gsub("_", " ")),
    tags = { "env", "doctor" },
    -- The daemon check must be able to report an unreachable daemon itself.
    requires = not NEEDS_NO_DAEMON[check_id] and { "docker" } or nil,
    remediation = "Run `sandprobe doctor` for the full report and what to do.",
    run = function(t)
      local r = doctor.check(check_id)
      t:note("check", r.name)
      t:note("detail", r.detail)
      if r.remedy then t:note("remedy", r.remedy) end
      t:check(r.ok, r.name .. ": " .. tostring(r.detail))
    end,
  }
end

return M
