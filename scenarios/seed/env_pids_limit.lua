return require("seed_env").scenario("pids_limit")
