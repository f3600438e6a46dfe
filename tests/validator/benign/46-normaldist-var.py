# Value at risk with statistics.NormalDist.
from statistics import NormalDist, correlation, linear_regression

daily = NormalDist(mu=0.0005, sigma=0.015)
var95 = -daily.inv_cdf(0.05)
print(f"VaR95 {var95:.4f}", round(daily.cdf(0), 4))
x = [1, 2, 3, 4, 5]
y = [2.1, 3.9, 6.2, 8.1, 9.8]
fit = linear_regression(x, y)
print(round(fit.slope, 3), round(fit.intercept, 3), round(correlation(x, y), 4))
