return require("seed_env").scenario("daemon")
