return require("seed_env").scenario("cgroup")
