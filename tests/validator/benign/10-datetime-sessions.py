# Trading-session bookkeeping with datetime.
import datetime
from datetime import timedelta


def sessions(start, days):
    day = start
    while days > 0:
        if day.weekday() < 5:
            yield datetime.datetime.combine(day, datetime.time(9, 30)), datetime.datetime.combine(day, datetime.time(16, 0))
            days -= 1
        day += timedelta(days=1)


if __name__ == "__main__":
    for open_at, close_at in sessions(datetime.date(2024, 3, 1), 5):
        length = close_at - open_at
        print(open_at.isoformat(), "->", close_at.strftime("%H:%M"), length.total_seconds() / 3600)
