# The main guard written the other way round.
def run():
    return sum(range(10))


if '__main__' == __name__:
    print(run())
