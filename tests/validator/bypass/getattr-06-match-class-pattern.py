# Technique: structural pattern matching reads attributes by keyword
# name in class patterns: case object(gi_frame=f) is an attribute read with
# no '.' anywhere.
# expect: policy.match
def gen():
    yield 1

match gen():
    case object(gi_frame=frame):
        print(frame)
