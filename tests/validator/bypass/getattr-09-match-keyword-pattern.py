# Technique: a class pattern's keyword reads that attribute of the subject.
# expect: policy.match
def g():
    yield 1
match g():
    case object(gi_frame=f):
        print(f)
