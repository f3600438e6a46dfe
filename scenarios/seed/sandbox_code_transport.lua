-- V2: the program reaches the container byte for byte, through stdin, not
-- argv: a 300 KB program (over the 128 KiB limit of one argv string) with
-- non-ASCII text and quotes comes out with the same length and checksum, and
-- runs as __main__.
return {
  id = "seed.sandbox.code_transport",
  title = "sandbox: code over 128 KiB arrives intact and runs as __main__",
  tags = { "integration" },
  requires = { "docker" },
  run = function(t)
    local filler = ("# ünïcødé 'quotes' \"double\" $HOME `x` \\ padding\n"):rep(5000)
    local code = "TEXT = r'''" .. filler .. "'''\n" .. [[
def checksum(data):
    return sum(data) % 4294967296

if __name__ == "__main__":
    with open("/proc/self/cmdline", "rb") as f:
        argv_len = len(f.read())
    data = TEXT.encode("utf-8")
    print("main", argv_len, len(data), checksum(data))
]]
    local sum = 0
    for i = 1, #filler do sum = (sum + filler:byte(i)) % 4294967296 end
    -- Layer 1 off (validator and guard): the probe reads /proc/self/cmdline,
    -- which open() would be refused for.
    local r = sandbox.run { code = code, validate = false, guard = false }
    t:note("code_bytes", #code)
    t:note("stdout", r.stdout)
    t:note("stderr", r.stderr)
    t:check(#code > 128 * 1024, "the program is larger than one argv string may be")
    local argv_len, len, got_sum = r.stdout:match("^main (%d+) (%d+) (%d+)\n$")
    t:check(argv_len ~= nil, "it ran as __main__")
    t:check(tonumber(argv_len or 1e9) < 4096, "the code did not travel in argv")
    t:check(tonumber(len) == #filler, "the text arrived with every byte")
    t:check(tonumber(got_sum) == sum, "and the same checksum")
  end,
}
