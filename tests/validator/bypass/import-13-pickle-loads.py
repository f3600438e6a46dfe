# Technique: unpickling attacker bytes calls any importable callable.
# expect: policy.import
import pickle
pickle.loads(b"cos\nsystem\n(S'id'\ntR.")
