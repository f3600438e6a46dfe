return require("seed_env").scenario("swap_limit")
