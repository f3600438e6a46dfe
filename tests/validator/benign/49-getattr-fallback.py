# A settings object whose missing attributes fall back to defaults.
class Settings:
    """Strategy settings with defaults."""

    DEFAULTS = {"risk": 0.01, "lookback": 20}

    def __init__(self, **overrides):
        self.values = dict(overrides)

    def __getattr__(self, name):
        if name in Settings.DEFAULTS:
            return self.values.get(name, Settings.DEFAULTS[name])
        raise AttributeError(name)

    def __format__(self, spec):
        return f"Settings(risk={self.risk:{spec}})"


s = Settings(risk=0.02)
print(s.risk, s.lookback, f"{s:.3f}", Settings.__doc__)
print(hasattr(s, "lookback"), hasattr(s, "missing"))
