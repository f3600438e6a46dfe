-- Sandbox targets: the sandbox under test as data (docs/targets.md).
--
-- A target names everything that defines a sandbox (image, runtime, network,
-- read-only root, tmpfs, limits, capabilities, security options, seccomp
-- profile, user, IPC mode, log driver, environment, Python command, Docker
-- endpoint). It comes from one of three places:
--
--   target.load(path)            a Lua file returning a table, run with no
--                                globals under a time limit; or a file holding
--                                the `docker run ...` command line a team uses
--   target.from_command_line(s)  that command line itself
--   target.from_container(name)  the image and HostConfig of an existing container
--
-- A key a target leaves out means what `docker run` does without that flag
-- (the built-in hardened sandbox, lua/sandprobe/targets/default.lua, names
-- every one). Bad input raises a usage error naming the source, the key and
-- the problem, before any container exists.
local core = require("sandprobe.core")

local M = {}

M.DEFAULT_FILE = "lua/sandprobe/targets/default.lua"

-- The settings key through which every Lua state (workers, pools, bench
-- tasks) sees the active target, as JSON of its sandbox options.
M.SETTING = "sandbox.target"

-- How long a target file may take to build its table.
local LOAD_TIMEOUT_S = 1

-- One line whatever the input held: control characters are shown escaped.
local function config_error(source, key, problem)
  local where = key and ("%s: %s: "):format(source, key) or (source .. ": ")
  local line = (where .. problem):gsub("%c", function(c) return ("\\%03d"):format(c:byte()) end)
  require("sandprobe.args").usage_error(line)
end

-- ---- the keys and their types ---------------------------------------------------

local function is_list_of_strings(v)
  if type(v) ~= "table" then return false end
  local n = 0
  for k, item in pairs(v) do
    if math.type(k) ~= "integer" or type(item) ~= "string" then return false end
    n = n + 1
  end
  return n == #v
end

local function is_string_map(v)
  if type(v) ~= "table" then return false end
  for k, item in pairs(v) do
    if type(k) ~= "string" or type(item) ~= "string" then return false end
  end
  return true
end

local function is_size(v)
  if math.type(v) == "integer" then return v >= -1 end
  return type(v) == "string" and v:lower():match("^%d+%.?%d*[bkmg]?b?$") ~= nil
end

local NAME = "^[%w][%w_.%-]*$"

local TYPES = {
  string = { "a string", function(v) return type(v) == "string" end },
  nonempty = { "a non-empty string", function(v) return type(v) == "string" and v ~= "" end },
  boolean = { "true or false", function(v) return type(v) == "boolean" end },
  list = { "a list of strings", is_list_of_strings },
  map = { "a table of string = string", is_string_map },
  size = { "bytes or a size such as 512m", is_size },
  count = { "an integer", function(v) return math.type(v) == "integer" end },
  cpus = { "a number of CPUs (>= 0)", function(v) return type(v) == "number" and v >= 0 end },
  runtime = { "a runtime name or a list of them",
              function(v) return (type(v) == "string" and v:match(NAME) ~= nil) or (is_list_of_strings(v) and #v > 0) end },
  python = { "a non-empty list of strings (the interpreter command)",
             function(v) return is_list_of_strings(v) and #v > 0 end },
}

M.KEYS = {
  name = "string", description = "string", image = "nonempty", runtime = "runtime",
  network = "nonempty", read_only = "boolean", tmpfs = "list", memory = "size", memory_swap = "size",
  pids_limit = "count", cpus = "cpus", cap_drop = "list", cap_add = "list", security_opt = "list",
  seccomp = "nonempty", user = "string", ipc = "nonempty", log_driver = "nonempty", env = "map", ulimits = "list",
  masked_paths = "list",
  python = "python", endpoint = "nonempty",
}

local function sorted_keys(t)
  local keys = {}
  for k in pairs(t) do keys[#keys + 1] = tostring(k) end
  table.sort(keys)
  return keys
end

local function dirname(path)
  return path:match("^(.*)/[^/]*$") or "."
end

local function absolute(path, base_dir)
  if path:sub(1, 1) == "/" then return path end
  return base_dir .. "/" .. path
end

-- A seccomp choice must name a built-in profile or a file that parses.
local BUILTIN_PROFILES = { hardened = true, default = true, unconfined = true }

local function check_seccomp(t, source, base_dir)
  local choice = t.seccomp
  for _, entry in ipairs(t.security_opt or {}) do
    local value = entry:match("^seccomp[=:](.*)$")
    if value then
      if choice and choice ~= value then
        config_error(source, "security_opt", "names a seccomp profile and so does 'seccomp'; keep one")
      end
      choice = value
    end
  end
  if choice == nil or BUILTIN_PROFILES[choice] or choice:match("^%s*{") then
    if choice and choice:match("^%s*{") then
      local profile, err = require("seccomp").parse(choice)
      if not profile then config_error(source, "seccomp", "profile does not parse: " .. tostring(err)) end
      profile:close()
    end
    return choice
  end
  local path = absolute(choice, base_dir)
  local profile, err = require("seccomp").load(path)
  if not profile then config_error(source, "seccomp", ("profile %s does not parse: %s"):format(path, err)) end
  profile:close()
  return path
end

-- Checks every key and returns a canonical copy (runtime as a list, the
-- seccomp choice out of security_opt, a profile path made absolute).
-- base_dir: where relative profile paths are found.
function M.check(t, source, base_dir)
  if type(t) ~= "table" then config_error(source, nil, "a target must be a table") end
  for _, k in ipairs(sorted_keys(t)) do
    local kind = M.KEYS[k]
    if not kind then config_error(source, k, "unknown key (known: " .. table.concat(sorted_keys(M.KEYS), ", ") .. ")") end
    local want, ok = TYPES[kind][1], TYPES[kind][2]
    if not ok(t[k]) then config_error(source, k, ("must be %s, not %s"):format(want, type(t[k]))) end
  end
  if t.image == nil then config_error(source, "image", "missing (every target names its image)") end
  local c = {}
  for k, v in pairs(t) do c[k] = v end
  c.runtime = type(t.runtime) == "string" and { t.runtime } or t.runtime
  for _, name in ipairs(c.runtime or {}) do
    if not name:match(NAME) then config_error(source, "runtime", ("'%s' is not a runtime name"):format(name)) end
  end
  local rest = {}
  for _, entry in ipairs(t.security_opt or {}) do
    if not entry:match("^seccomp[=:]") then rest[#rest + 1] = entry end
  end
  c.seccomp = check_seccomp(t, source, base_dir or ".")
  c.security_opt = rest
  c.source = source
  return c
end

-- ---- Lua target files -------------------------------------------------------------

local function read_file(path)
  local f, err = io.open(path, "rb")
  if not f then return nil, err end
  local text = f:read("a")
  f:close()
  if text == nil then return nil, "cannot read (a directory?)" end
  return text
end

-- Runs the file's chunk with no globals at all under a time limit: a target
-- file only builds a table.
local function eval_lua(text, path)
  local chunk, err = load(text, "@" .. path, "t", {})
  if not chunk then config_error(path, nil, err) end
  local ok, value = require("sandprobe.guard").call(LOAD_TIMEOUT_S, chunk)
  if not ok then config_error(path, nil, "did not build a table: " .. tostring(value)) end
  if type(value) ~= "table" then config_error(path, nil, "must return a table, not " .. type(value)) end
  return value
end

-- The words of a shell command line: quotes, backslash escapes, and
-- backslash-newline continuations as sh reads them; '#' comments on their
-- own lines. No expansion of any kind: a target is data.
function M.split_words(text, source)
  local words, word, i, quote = {}, nil, 1, nil
  local function push() if word then words[#words + 1] = word; word = nil end end
  while i <= #text do
    local ch = text:sub(i, i)
    if quote == "'" then
      if ch == "'" then quote = nil else word = word .. ch end
    elseif quote == '"' then
      if ch == '"' then quote = nil
      elseif ch == "\\" and text:sub(i + 1, i + 1):match('["\\$`]') then word = word .. text:sub(i + 1, i + 1); i = i + 1
      else word = word .. ch end
    elseif ch == "\\" then
      local nxt = text:sub(i + 1, i + 1)
      if nxt ~= "\n" then word = (word or "") .. nxt end
      i = i + 1
    elseif ch == "'" or ch == '"' then
      quote, word = ch, word or ""
    elseif ch:match("%s") then
      push()
    elseif ch == "#" and word == nil then
      local stop = text:find("\n", i, true) or #text
      i = stop
    elseif ch:match("[;&|<>`$()]") then
      config_error(source, nil, ("'%s' is shell syntax; a target is one plain `docker run` command line"):format(ch))
    else
      word = (word or "") .. ch
    end
    i = i + 1
  end
  if quote then config_error(source, nil, "unterminated " .. quote .. " quote") end
  push()
  return words
end

-- `docker run` flags a target understands: target key, and how the value is kept.
local RUN_FLAGS = {
  ["--runtime"] = { "runtime", "list" }, ["--network"] = { "network" }, ["--net"] = { "network" },
  ["--read-only"] = { "read_only", "flag" }, ["--tmpfs"] = { "tmpfs", "list" },
  ["--memory"] = { "memory" }, ["-m"] = { "memory" }, ["--memory-swap"] = { "memory_swap" },
  ["--pids-limit"] = { "pids_limit", "integer" }, ["--cpus"] = { "cpus", "number" },
  ["--cap-drop"] = { "cap_drop", "list" }, ["--cap-add"] = { "cap_add", "list" },
  ["--security-opt"] = { "security_opt", "list" }, ["--user"] = { "user" }, ["-u"] = { "user" },
  ["--ipc"] = { "ipc" }, ["--log-driver"] = { "log_driver" }, ["--ulimit"] = { "ulimits", "list" }, ["--env"] = { "env", "env" }, ["-e"] = { "env", "env" },
}
-- Flags that do not change the sandbox a program meets; accepted and ignored.
local IGNORED_FLAGS = { ["--rm"] = false, ["-i"] = false, ["--interactive"] = false, ["-t"] = false,
                        ["--tty"] = false, ["-it"] = false, ["-d"] = false, ["--detach"] = false,
                        ["--init"] = false, ["--name"] = true, ["--label"] = true, ["-l"] = true }

local function store_flag(t, flag, value, source)
  local key, how = RUN_FLAGS[flag][1], RUN_FLAGS[flag][2]
  if how == "flag" then
    if value ~= nil and value ~= "true" and value ~= "false" then config_error(source, flag, "takes no value") end
    t[key] = value ~= "false"
  elseif how == "list" then
    t[key] = t[key] or {}
    if key == "runtime" then
      -- A target's list of runtimes, written `--runtime runc,runsc`.
      for name in value:gmatch("[^,]+") do t[key][#t[key] + 1] = name end
    else
      t[key][#t[key] + 1] = value
    end
  elseif how == "env" then
    local k, v = value:match("^([^=]+)=(.*)$")
    if not k then config_error(source, flag, ("needs K=V, not '%s'"):format(value)) end
    t.env = t.env or {}
    t.env[k] = v
  elseif how == "integer" or how == "number" then
    local n = tonumber(value)
    if n == nil or (how == "integer" and math.type(n) ~= "integer") then
      config_error(source, flag, ("needs %s, not '%s'"):format(how == "integer" and "an integer" or "a number", value))
    end
    t[key] = n
  else
    t[key] = value
  end
end

-- A target from the words of `[docker [-H HOST]] run [FLAGS] IMAGE [PYTHON...]`.
local function from_words(words, source)
  local i, t = 1, {}
  if words[i] == "docker" then
    i = i + 1
    while words[i] == "-H" or words[i] == "--host" or (words[i] or ""):match("^%-%-host=") do
      t.endpoint = words[i]:match("^%-%-host=(.*)$") or words[i + 1]
      i = i + (words[i]:find("=", 1, true) and 1 or 2)
    end
    if words[i] == "container" then i = i + 1 end
  end
  if words[i] ~= "run" then config_error(source, nil, "a command-line target starts with `docker run`") end
  i = i + 1
  while words[i] and words[i]:sub(1, 1) == "-" do
    local flag, inline = words[i]:match("^(%-%-?[%w%-]+)=(.*)$")
    flag = flag or words[i]
    if RUN_FLAGS[flag] then
      local value = inline
      if value == nil and RUN_FLAGS[flag][2] ~= "flag" then
        i = i + 1
        value = words[i]
        if value == nil then config_error(source, flag, "needs a value") end
      end
      store_flag(t, flag, value, source)
    elseif IGNORED_FLAGS[flag] ~= nil then
      if IGNORED_FLAGS[flag] and inline == nil then i = i + 1 end
    else
      config_error(source, flag, "a docker run flag a target does not understand")
    end
    i = i + 1
  end
  t.image = words[i]
  if t.image == nil then config_error(source, "image", "missing (the word after the flags)") end
  if words[i + 1] then t.python = table.move(words, i + 1, #words, 1, {}) end
  return t
end

function M.from_command_line(text, source)
  source = source or "--target"
  local t = M.check(from_words(M.split_words(text, source), source), source, ".")
  t.name = t.name or "docker run"
  return t
end

-- A target file: Lua, or a `docker run` command line (its first word is
-- `docker`, comments aside).
function M.load(path)
  local text, err = read_file(path)
  if not text then config_error(path, nil, "cannot read: " .. tostring(err)) end
  local first_code = text:gsub("^%s*#[^\n]*", ""):gsub("^%s+", "")
  local raw
  if first_code:match("^docker%s") then
    raw = from_words(M.split_words(text, path), path)
  else
    raw = eval_lua(text, path)
  end
  local t = M.check(raw, path, dirname(path))
  t.name = t.name or path:match("([^/]*)$"):gsub("%.[^.]*$", "")
  return t
end

-- The built-in hardened sandbox. A shipped module, so it is required like
-- one (no guard: sandbox.run may ask for it inside a guarded scenario).
function M.default()
  return M.check(require("sandprobe.targets.default"), M.DEFAULT_FILE, core.data_dir)
end

-- ---- from an existing container --------------------------------------------------

local function bytes_or_nil(n)
  if type(n) ~= "number" or n == 0 then return nil end
  return math.tointeger(n) or n
end

local function tmpfs_list(map)
  local list = {}
  for _, path in ipairs(sorted_keys(map or {})) do
    local options = map[path]
    list[#list + 1] = options ~= "" and (path .. ":" .. options) or path
  end
  return list
end

local function env_map(list)
  local env = {}
  for _, kv in ipairs(list or {}) do
    local k, v = kv:match("^([^=]+)=(.*)$")
    if k then env[k] = v end
  end
  return env
end

-- HostConfig.Ulimits ({Name, Soft, Hard}) as docker's --ulimit NAME=SOFT:HARD.
local function ulimit_list(list)
  local out = {}
  for _, u in ipairs(type(list) == "table" and list or {}) do
    if type(u) == "table" and u.Name then
      out[#out + 1] = ("%s=%s:%s"):format(u.Name, math.tointeger(u.Soft) or u.Soft, math.tointeger(u.Hard) or u.Hard)
    end
  end
  return out
end

local function cpus_of(hc)
  if (hc.NanoCpus or 0) > 0 then return hc.NanoCpus / 1e9 end
  if (hc.CpuQuota or 0) > 0 and (hc.CpuPeriod or 0) > 0 then return hc.CpuQuota / hc.CpuPeriod end
  return nil
end

local function non_empty(v)
  if v == nil or v == "" then return nil end
  return v
end

-- The sandbox an existing container (running or stopped) was started in:
-- its image and the parts of its HostConfig a target names. The profile the
-- docker CLI inlined into SecurityOpt is kept as JSON text.
function M.from_container(name)
  local source = "--target-like " .. name
  local docker = require("docker")
  local info, err = docker.call("GET", "/containers/" .. name .. "/json")
  if not info then config_error(source, nil, tostring(err)) end
  local config, hc = info.Config or {}, info.HostConfig or {}
  local cap_drop, cap_add, security_opt = hc.CapDrop, hc.CapAdd, hc.SecurityOpt
  local t = {
    name = (info.Name or name):gsub("^/", ""),
    description = "the sandbox of container " .. name,
    image = config.Image,
    runtime = non_empty(hc.Runtime),
    network = non_empty(hc.NetworkMode),
    read_only = hc.ReadonlyRootfs and true or false,
    tmpfs = tmpfs_list(hc.Tmpfs),
    memory = bytes_or_nil(hc.Memory),
    memory_swap = bytes_or_nil(hc.MemorySwap),
    pids_limit = (hc.PidsLimit or 0) > 0 and math.tointeger(hc.PidsLimit) or nil,
    cpus = cpus_of(hc),
    cap_drop = type(cap_drop) == "table" and cap_drop or {},
    cap_add = type(cap_add) == "table" and cap_add or {},
    security_opt = type(security_opt) == "table" and security_opt or {},
    user = config.User or "",
    ipc = non_empty(hc.IpcMode),
    log_driver = non_empty(hc.LogConfig and hc.LogConfig.Type),
    ulimits = ulimit_list(hc.Ulimits),
    env = env_map(config.Env),
  }
  return M.check(t, source, ".")
end

-- ---- what the sandbox and the runner make of a target --------------------------

-- sandbox.run options from a checked target: what a key leaves out is
-- Docker's default (the daemon's network, a writable root, no limits, the
-- image's user, the daemon's seccomp profile).
function M.sandbox_options(t, runtime)
  local memory = t.memory and tostring(t.memory)
  return {
    image = t.image,
    runtime = runtime,
    network = t.network or "default",
    read_only = t.read_only or false,
    tmpfs = t.tmpfs or {},
    memory = memory,
    memory_swap = t.memory_swap and tostring(t.memory_swap) or nil,
    pids_limit = t.pids_limit or 0,
    cpus = t.cpus or 0,
    cap_drop = t.cap_drop or {},
    cap_add = t.cap_add or {},
    security_opt = t.security_opt or {},
    seccomp = t.seccomp or "default",
    user = t.user or "",
    ipc = t.ipc,
    log_driver = t.log_driver,
    ulimits = t.ulimits or {},
    masked_paths = t.masked_paths,    -- nil: Docker's default masked paths
    env = t.env or {},
    python = t.python or { "python3" },
  }
end

-- The runtimes a run goes through: --runtime a,b over the target's list; an
-- empty list means one pass on the daemon's default runtime.
function M.runtimes(t, cli_value)
  if cli_value and cli_value ~= "" then
    local list = {}
    for name in cli_value:gmatch("[^,]+") do
      if not name:match(NAME) then config_error("--runtime", nil, ("'%s' is not a runtime name"):format(name)) end
      list[#list + 1] = name
    end
    return list
  end
  return t.runtime or {}
end

-- Every named runtime must be one the daemon offers (asked once, /info);
-- the daemon's default runtime is the name of an unnamed one. An unreachable
-- daemon is not judged here: the run reports it where it fails.
function M.check_runtimes(list, source)
  local info = require("docker").info()
  if not info then
    if #list == 0 then return { "default" }, true end
    return list
  end
  local offered = info.Runtimes
  if type(offered) == "table" and next(offered) then
    for _, name in ipairs(list) do
      if offered[name] == nil then
        config_error(source, source ~= "--runtime" and "runtime" or nil, ("'%s' is not offered by the daemon (it offers: %s)")
          :format(name, table.concat(sorted_keys(offered), ", ")))
      end
    end
  end
  if #list == 0 then return { info.DefaultRuntime or "default" }, true end
  return list
end

-- Makes t (with one runtime) the target of every sandbox.run in this
-- process, in every Lua state, from now on.
function M.activate(t, runtime)
  core.setting(M.SETTING, require("json").encode(M.sandbox_options(t, runtime)))
end

-- The endpoint a target names applies unless --host was given.
function M.apply_endpoint(t, host_given)
  if t.endpoint and not host_given then core.setting("docker.host", t.endpoint) end
end

return M
