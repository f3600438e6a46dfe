# eval of a string the program wrote
# guard: compile
print(eval("6 * 7"))
