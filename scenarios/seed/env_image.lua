return require("seed_env").scenario("image")
