return require("seed_env").scenario("seccomp")
