-- Prints how many leftover containers of dead runs the sweep removed.
local docker = require("docker")
print("swept " .. assert(docker.sweep()))
