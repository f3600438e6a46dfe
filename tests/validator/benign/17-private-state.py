# A risk manager keeping private state behind properties and setters.
class RiskManager:
    def __init__(self, limit):
        self._limit = limit
        self._exposure = 0.0
        self.__audit = []

    @property
    def limit(self):
        return self._limit

    @limit.setter
    def limit(self, value):
        if value <= 0:
            raise ValueError("limit must be positive")
        self._limit = value

    def allow(self, notional):
        ok = self._exposure + notional <= self._limit
        self.__audit.append((notional, ok))
        if ok:
            self._exposure += notional
        return ok

    def audit_size(self):
        return len(self.__audit)


if __name__ == "__main__":
    rm = RiskManager(1_000)
    print([rm.allow(x) for x in (300, 400, 500)], rm.audit_size())
    rm.limit = 2_000
    print(rm.allow(500), rm.limit)
