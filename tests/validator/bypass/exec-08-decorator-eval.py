# Technique: decorators are calls: @eval applied to a function returning a
# string ... any callable as decorator executes at definition time.
# expect: policy.decorator
def source(_):
    return "print('pwned')"

@eval
@source
def payload():
    pass
