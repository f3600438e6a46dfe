-- This file is malformed on purpose: the runner must report it as an error
-- with file:line and go on with the other scenarios.
return {
  id = "selftest.status.error_syntax",
  title = "broken"
  tags = { "status" },
}
