# Technique: frame attribute hidden behind a generator expression built in
# a list; the frame's f_locals dict is writable in 3.13.
# expect: policy.attribute
gens = [(x for x in range(3))]
loc = gens[0].gi_frame.f_locals
