# open of a file the program names, with the refusal caught
# guard: open
try:
    print(open('/etc/passwd').read()[:20])
except BaseException as e:
    print("caught", e)
print("continued")
