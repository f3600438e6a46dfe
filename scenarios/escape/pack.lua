-- The escape pack: every known way out of a container, asserted as a safe
-- precondition check against the sandbox under test (sandbox.run's
-- defaults), with references, a remediation and evidence. docs/escape-pack.md
-- lists each scenario, what it checks and why it is safe on a production host.
return {
  name = "escape",
  description = "Known container escapes and their preconditions, asserted against the default sandbox",
  version = "1",
}
