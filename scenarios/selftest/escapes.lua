-- Each attempt to leave the scenario environment must fail; the scenario
-- passes only when every one of them is refused.
local attempts = {
  io_global = function() return io.open("/etc/passwd") end,
  os_execute = function() return os.execute("true") end,
  os_exit = function() return os.exit(3) end,
  os_remove = function() return os.remove("/tmp/x") end,
  debug_global = function() return debug.getinfo(1) end,
  dofile = function() return dofile("/etc/passwd") end,
  loadfile = function() return loadfile("/etc/passwd") end,
  require_io = function() return require("io") end,
  require_runner = function() return require("sandprobe.runner") end,
  require_path_escape = function() return require("../../etc/passwd") end,
  package_global = function() return package.loaded end,
  collectgarbage = function() return collectgarbage("count") end,
  load_bytecode = function()
    local f = assert(load(string.dump(function() return 1 end), "x", "b"))
    return f()
  end,
  load_bytecode_default_mode = function()
    local f = assert(load(string.dump(function() return 1 end)))
    return f()
  end,
  setmetatable_env = function() return setmetatable(_G, nil) end,
  getmetatable_env = function()
    local mt = getmetatable(_G)
    if mt then mt.__index = function() return io end end
    return assert(mt, "no metatable reachable")
  end,
  rawset_env = function() return rawset(_G, "io", "x") end,
  rawget_env = function() return rawget(_G, "io") end,
  new_global = function() leaked_global = 1 end,
  undeclared_read = function() return undeclared_name end,
  string_metatable = function()
    local mt = getmetatable("")
    mt.__index.rep = nil
  end,
  modify_string_lib = function() string.rep = nil end,
  modify_engine_module = function() json.encode = nil end,
  load_with_global_env = function()
    local f = assert(load("return io", "x", "t"))
    return assert(f(), "io reachable through load")
  end,
}

return {
  id = "selftest.env.escapes",
  title = "The scenario environment refuses every known way out",
  tags = { "env", "security", "quick" },
  run = function(t)
    local names = {}
    for name in pairs(attempts) do names[#names + 1] = name end
    table.sort(names)
    for _, name in ipairs(names) do
      local ok, err = pcall(attempts[name])
      t:note(name, ok and "NOT REFUSED" or tostring(err))
      t:check(not ok, name .. " is refused")
    end
    t:check(string.rep ~= nil and ("ab"):rep(2) == "abab", "string library intact")
  end,
}
