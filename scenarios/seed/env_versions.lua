return require("seed_env").scenario("versions")
