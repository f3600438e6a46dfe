# Timing a computation with the time module (only stable results printed).
import time

start = time.perf_counter()
total = sum(i * i for i in range(10000))
elapsed = time.perf_counter() - start
print(total, elapsed >= 0)
epoch = time.gmtime(0)
print(epoch.tm_year, time.strftime("%Y-%m-%d", epoch))
t0 = time.monotonic()
time.sleep(0.01)
print(time.monotonic() - t0 >= 0.005)
print(time.strptime("2024-05-06", "%Y-%m-%d").tm_yday)
