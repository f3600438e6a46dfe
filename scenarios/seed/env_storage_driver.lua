return require("seed_env").scenario("storage_driver")
