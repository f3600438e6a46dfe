-- Finding packs and reading scenario metadata.
--
-- A pack is a folder holding pack.lua (name, description, version, defaults,
-- and optionally `default = false` to leave it out of runs that name no
-- selection) and one scenario file per *.lua beside it; modules shared by its
-- scenarios go in its lib/ folder. Packs are searched in the shipped
-- scenarios/ folder, then in every SANDPROBE_PATH entry and --pack-path folder
-- (each either a pack itself or a folder of packs).
local core = require("sandprobe.core")
local env = require("sandprobe.env")
local guard = require("sandprobe.guard")

local M = {}

local ID_PATTERN = "^[%w_%-]+%.[%w_%-%.]*[%w_%-]$"

-- A scenario file's top level only builds a table; this bounds one that loops.
local LOAD_TIMEOUT_S = 10

-- The folders searched for packs and Lua modules, in order.
function M.roots()
  local roots = { core.data_dir .. "/scenarios" }
  for dir in (os.getenv("SANDPROBE_PATH") or ""):gmatch("[^:]+") do roots[#roots + 1] = dir end
  for dir in (core.setting("pack.path") or ""):gmatch("[^\n]+") do roots[#roots + 1] = dir end
  return roots
end

-- Adds a --pack-path folder for this process (worker states read it too).
function M.add_root(dir)
  if core.filetype(dir) ~= "directory" then
    return nil, ("pack path '%s' is not a readable folder"):format(dir)
  end
  local current = core.setting("pack.path")
  core.setting("pack.path", current and (current .. "\n" .. dir) or dir)
  return true
end

-- Folders outside the shipped tree whose modules scenarios may require.
function M.module_roots()
  local roots = M.roots()
  table.remove(roots, 1)
  return roots
end

local function load_sandboxed(path, search_dirs, trusted)
  local e = env.new({ search_dirs = search_dirs, trusted = trusted })
  local chunk, err = env.load_file(path, e)
  if not chunk then return nil, err end
  -- Under the same deadline as a scenario file: a pack.lua that loops must
  -- not hang pack discovery.
  local ok, value = guard.call(LOAD_TIMEOUT_S, chunk)
  if not ok then return nil, tostring(value) end
  return value
end

local function read_pack(dir)
  local value, err = load_sandboxed(dir .. "/pack.lua", {}, false)
  if value == nil then return nil, err end
  if type(value) ~= "table" then return nil, dir .. "/pack.lua: must return a table" end
  if type(value.name) ~= "string" or not value.name:match("^[%w_%-]+$") then
    return nil, dir .. "/pack.lua: 'name' must be a word (letters, digits, _ or -)"
  end
  if value.defaults ~= nil and type(value.defaults) ~= "table" then
    return nil, dir .. "/pack.lua: 'defaults' must be a table"
  end
  return {
    name = value.name,
    description = value.description or "",
    version = tostring(value.version or "0"),
    defaults = value.defaults or {},
    default = value.default ~= false,
    dir = dir,
  }
end

local function pack_dirs_under(root)
  if core.filetype(root .. "/pack.lua") == "file" then return { root } end
  local dirs = {}
  for _, name in ipairs(core.listdir(root) or {}) do
    local dir = root .. "/" .. name
    if core.filetype(dir .. "/pack.lua") == "file" then dirs[#dirs + 1] = dir end
  end
  return dirs
end

-- Every pack found, in search order. Returns packs, or nil and a message
-- (a pack that cannot be read, or two packs with one name).
function M.discover()
  local packs, by_name = {}, {}
  for _, root in ipairs(M.roots()) do
    if core.filetype(root) ~= "directory" then
      return nil, ("pack path '%s' is not a readable folder"):format(root)
    end
    for _, dir in ipairs(pack_dirs_under(root)) do
      local pack, err = read_pack(dir)
      if not pack then return nil, "cannot read pack: " .. err end
      if by_name[pack.name] then
        return nil, ("two packs named '%s': %s and %s"):format(pack.name, by_name[pack.name].dir, dir)
      end
      by_name[pack.name] = pack
      packs[#packs + 1] = pack
    end
  end
  return packs
end

-- Scenario files of a pack: its *.lua files other than pack.lua, sorted.
function M.scenario_files(pack)
  local files = {}
  for _, name in ipairs(core.listdir(pack.dir) or {}) do
    if name:match("%.lua$") and name ~= "pack.lua" then files[#files + 1] = pack.dir .. "/" .. name end
  end
  return files
end

-- Where a scenario of this pack may require modules from.
function M.search_dirs(pack)
  local dirs = { pack.dir .. "/lib", pack.dir }
  for _, root in ipairs(M.module_roots()) do dirs[#dirs + 1] = root end
  return dirs
end

local function validate_scenario(s, file)
  if type(s) ~= "table" then return "must return a table" end
  if type(s.id) ~= "string" or not s.id:match(ID_PATTERN) then
    return "'id' must be a dotted name such as pack.area.name"
  end
  if type(s.title) ~= "string" then return "'title' must be a string" end
  if s.tags ~= nil and type(s.tags) ~= "table" then return "'tags' must be a list" end
  if type(s.run) ~= "function" then return "'run' must be a function" end
  if s.timeout ~= nil and (type(s.timeout) ~= "number" or s.timeout <= 0) then
    return "'timeout' must be a positive number of seconds"
  end
  if s.requires ~= nil and type(s.requires) ~= "table" then return "'requires' must be a list" end
  return nil, file
end

-- Loads a scenario file in a fresh environment. Returns the scenario table,
-- or nil and "file:line: message" (a syntax error, an error at load time,
-- or a malformed table).
function M.load_scenario(pack, file, extra_globals, trusted)
  local e = env.new({ search_dirs = M.search_dirs(pack), trusted = trusted, extra = extra_globals })
  local chunk, err = env.load_file(file, e)
  if not chunk then return nil, err, e end
  local ok, value = guard.call(LOAD_TIMEOUT_S, chunk)
  if not ok then return nil, tostring(value), e end
  local problem = validate_scenario(value, file)
  if problem then return nil, file .. ": " .. problem, e end
  return value, nil, e
end

-- Metadata of every scenario of the given packs, for selection and listing.
-- A file that does not load still appears (status error at run time), with
-- an id made from its pack and file name.
function M.catalogue(packs)
  local entries, seen = {}, {}
  for _, pack in ipairs(packs) do
    for _, file in ipairs(M.scenario_files(pack)) do
      local s, err = M.load_scenario(pack, file)
      local entry = {
        pack = pack.name, file = file,
        id = s and s.id or (pack.name .. "." .. file:match("([^/]+)%.lua$")),
        title = s and s.title or "(does not load)",
        tags = s and s.tags and table.move(s.tags, 1, #s.tags, 1, {}) or {},
        timeout = s and s.timeout, remediation = s and s.remediation,
        requires = s and s.requires and table.move(s.requires, 1, #s.requires, 1, {}) or {},
        load_error = err,
        default_pack = pack.default,
      }
      if seen[entry.id] then
        return nil, ("scenario id '%s' is used by both %s and %s"):format(entry.id, seen[entry.id], file)
      end
      seen[entry.id] = file
      entries[#entries + 1] = entry
    end
  end
  return entries
end

return M
