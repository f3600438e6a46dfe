return require("seed_env").scenario("memory_limit")
