# Technique: __reduce__ tells pickle what to call on load; an object that
# reaches any pickling host code becomes os.system on the other side.
# expect: policy.dunder
class Payload:
    def __reduce__(self):
        return (print, ("pwned",))
