return require("seed_env").scenario("hello")
