# Technique: Trojan Source: a right-to-left override in a comment or string
# makes code display differently from how it is read.
# expect: byte.invisible
access = "user"
if access != "user‮ ⁦# admin⁩ ⁦":
    print("admin")
