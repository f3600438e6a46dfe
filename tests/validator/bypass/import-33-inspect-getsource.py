# Technique (red team): inspect.getsource of the generator
# expect: policy.import
import dataclasses, inspect
print(inspect.getsource(dataclasses))
