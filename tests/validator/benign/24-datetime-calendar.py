# Business-day schedules with datetime and timedelta.
from datetime import date, datetime, timedelta, timezone


def business_days(start, count):
    day = start
    while count:
        if day.weekday() < 5:
            yield day
            count -= 1
        day += timedelta(days=1)


start = date(2024, 3, 28)
days = list(business_days(start, 6))
print([d.isoformat() for d in days])
stamp = datetime(2024, 3, 29, 15, 30, tzinfo=timezone.utc)
print(stamp.strftime("%Y-%m-%d %H:%M %Z"), (stamp + timedelta(hours=20)).isoformat())
parsed = datetime.strptime("2024-04-01 09:30", "%Y-%m-%d %H:%M")
print(parsed.weekday(), (parsed - datetime(2024, 1, 1)).days)
