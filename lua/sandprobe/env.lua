-- The environment a scenario file runs in.
--
-- Scenarios are code from packs the user may not have written, so they get an
-- allow-list: the engine's modules, string/table/math/utf8, a safe part of os
-- (time, clock, date, difftime), text-only load, and a require limited to the
-- pack's own folder, the --pack-path folders and the scenario-safe part of the
-- shipped library. No io, os.execute, os.exit, debug, dofile/loadfile or
-- bytecode. Reading or writing an undeclared global is an error. Every table
-- handed out is a read-only view, so one scenario cannot change what the next
-- one (in the same worker state) sees. A pack trusted with --trust also gets
-- the real io and os.
local core = require("sandprobe.core")
local guard = require("sandprobe.guard")

local M = {}

-- Shipped modules a scenario may require: they hand out nothing that reaches
-- the host beyond what the scenario API already gives.
local SCENARIO_SAFE_MODULES = {
  "^sandprobe%.sandbox$", "^sandprobe%.pool$", "^sandprobe%.validator$", "^sandprobe%.doctor$",
  "^sandprobe%.strategies$", "^sandprobe%.profiles%.", "^sandprobe%.policy%.",
  "^sandprobe%.lib%.", "^sandprobe%.alerts%.default$",
}

-- C modules offered to scenarios as globals when the engine has them.
local ENGINE_MODULES = { "docker", "seccomp", "cgroup", "metrics", "json", "monitor", "diversity", "alerts" }

-- Library modules offered to scenarios as globals when present.
local LIBRARY_GLOBALS = { sandbox = "sandprobe.sandbox", validator = "sandprobe.validator" }

local read_only_cache = setmetatable({}, { __mode = "k" })

-- A read-only view of t (recursively for nested tables). Functions and
-- userdata pass through as they are.
function M.read_only(t)
  if type(t) ~= "table" then return t end
  local cached = read_only_cache[t]
  if cached then return cached end
  local view = setmetatable({}, {
    __index = function(_, k) return M.read_only(t[k]) end,
    __newindex = function(_, k) error(("attempt to modify read-only field '%s'"):format(tostring(k)), 2) end,
    __pairs = function()
      return function(_, k)
        local nk, nv = next(t, k)
        return nk, M.read_only(nv)
      end, nil, nil
    end,
    __len = function() return #t end,
    __metatable = false,
  })
  read_only_cache[t] = view
  return view
end

-- Loads a Lua file as text into environment e, naming the chunk by its last
-- two path parts ("seed/network.lua") so messages stay short and readable.
function M.load_file(path, e)
  local f, open_err = io.open(path, "rb")
  if not f then return nil, open_err end
  local text = f:read("a")
  f:close()
  local short = path:match("([^/]+/[^/]+)$") or path
  return load(text, "@" .. short, "t", e)
end

local function copy(t, keys)
  local c = {}
  for _, k in ipairs(keys) do c[k] = t[k] end
  return c
end

local function is_scenario_safe(name)
  for _, pattern in ipairs(SCENARIO_SAFE_MODULES) do
    if name:find(pattern) then return true end
  end
  return false
end

local function try_require(name)
  local ok, mod = pcall(require, name)
  if ok then return mod end
  return nil
end

-- require for scenarios: the pack's lib/ and top folder, then the --pack-path
-- roots (loaded into the scenario's own environment), then the scenario-safe
-- shipped library (loaded normally, handed out read-only).
local function make_require(env, search_dirs)
  local loaded = {}
  return function(name)
    if type(name) ~= "string" or not name:match("^[%w_%.%-]+$") then
      error(("bad module name '%s'"):format(tostring(name)), 2)
    end
    if loaded[name] ~= nil then return loaded[name] end
    local rel = name:gsub("%.", "/")
    for _, dir in ipairs(search_dirs) do
      for _, path in ipairs({ dir .. "/" .. rel .. ".lua", dir .. "/" .. rel .. "/init.lua" }) do
        if core.filetype(path) == "file" then
          local chunk, err = M.load_file(path, env)
          if not chunk then error(err, 2) end
          local value = chunk(name, path)
          if value == nil then value = true end
          loaded[name] = value
          return value
        end
      end
    end
    if is_scenario_safe(name) then
      loaded[name] = M.read_only(require(name))
      return loaded[name]
    end
    error(("module '%s' not found or not available to scenarios"):format(name), 2)
  end
end

local function make_load(env)
  return function(chunk, name, mode, chunk_env)
    if mode ~= nil and mode ~= "t" then
      error("load: only text chunks are allowed (mode 't')", 2)
    end
    if type(chunk) == "string" and chunk:byte(1) == 27 then
      return nil, "load: binary chunks are not allowed"
    end
    return load(chunk, name, "t", chunk_env or env)
  end
end

local function make_coroutine()
  local co = copy(coroutine, { "resume", "yield", "status", "isyieldable", "running", "close" })
  co.create = guard.coroutine_create
  co.wrap = function(fn)
    local thread = guard.coroutine_create(fn)
    return function(...)
      local results = table.pack(coroutine.resume(thread, ...))
      if not results[1] then error(results[2], 2) end
      return table.unpack(results, 2, results.n)
    end
  end
  return co
end

-- setmetatable/getmetatable that cannot reach the environment itself.
local function make_metatable_functions(env)
  local function guarded_set(t, mt)
    if t == env then error("cannot change the scenario environment's metatable", 2) end
    return setmetatable(t, mt)
  end
  local function guarded_raw(fn)
    return function(t, ...)
      if t == env then error("raw access to the scenario environment is not allowed", 2) end
      return fn(t, ...)
    end
  end
  return guarded_set, guarded_raw(rawget), guarded_raw(rawset)
end

local function base_globals(env, opts)
  local g = copy(_G, {
    "assert", "error", "ipairs", "next", "pairs", "pcall", "select", "tonumber",
    "tostring", "type", "xpcall", "rawequal", "rawlen", "getmetatable", "_VERSION",
  })
  g.setmetatable, g.rawget, g.rawset = make_metatable_functions(env)
  g.string = M.read_only(string)
  g.table = M.read_only(table)
  g.math = M.read_only(math)
  g.utf8 = M.read_only(utf8)
  g.os = M.read_only(copy(os, { "time", "clock", "date", "difftime" }))
  g.coroutine = M.read_only(make_coroutine())
  g.load = make_load(env)
  g.require = make_require(env, opts.search_dirs or {})
  g.print = opts.print or function() end
  for _, name in ipairs(ENGINE_MODULES) do
    local mod = try_require(name)
    if mod then g[name] = M.read_only(mod) end
  end
  if opts.trusted then
    g.io, g.os = io, os
  end
  return g
end

-- Builds a fresh environment. opts: search_dirs (list), print (function),
-- trusted (boolean), extra (table of additional globals).
function M.new(opts)
  opts = opts or {}
  local env = {}
  local globals = base_globals(env, opts)
  for k, v in pairs(opts.extra or {}) do globals[k] = v end
  globals._G = env
  setmetatable(env, {
    __index = function(_, k)
      local v = globals[k]
      if v == nil and LIBRARY_GLOBALS[k] then
        v = try_require(LIBRARY_GLOBALS[k])
        if v ~= nil then
          v = M.read_only(v)
          globals[k] = v
        end
      end
      if v == nil then error(("undeclared global '%s'"):format(tostring(k)), 2) end
      return v
    end,
    __newindex = function(_, k)
      error(("assignment to undeclared global '%s' (use local)"):format(tostring(k)), 2)
    end,
    __metatable = false,
  })
  return env
end

-- Locks the string metatable so getmetatable("") cannot reach the shared
-- string library and change it for every later scenario in this state.
function M.lock_string_metatable()
  local mt = getmetatable("")
  if mt and rawget(mt, "__metatable") == nil then mt.__metatable = false end
end

return M
