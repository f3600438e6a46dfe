# A UTF-8 byte order mark at the start.
symbols = ["€-bond", "£-gilt"]
print(len(symbols), symbols[0].upper())
