"""Business hours on a working calendar: when an approval asked for now is due.

Hours count only inside the opening hours of working days that are not holidays, in the
calendar's own time zone; the arithmetic itself is done in UTC, so a day on which the
clocks change still has exactly its opening hours.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from app.settings import WEEKDAYS, Settings

# A calendar open one hour a week still reaches any SLA the policy can state in this many
# days; beyond it the calendar is taken to be closed for good.
_MAX_DAYS = 366 * 20


def as_utc(moment: datetime) -> datetime:
    """``moment`` as an aware UTC datetime (SQLite hands back naive UTC ones)."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


@dataclass(frozen=True)
class WorkingCalendar:
    """Working days (0 = Monday), daily opening hours, a time zone and holidays."""

    days: frozenset[int]
    opens: time
    closes: time
    zone: ZoneInfo
    holidays: frozenset[date] = frozenset()

    @classmethod
    def from_settings(cls, settings: Settings) -> WorkingCalendar:
        """The calendar the deployment's settings describe."""
        return cls(
            days=frozenset(WEEKDAYS.index(day) for day in settings.working_days),
            opens=settings.working_hours_start,
            closes=settings.working_hours_end,
            zone=ZoneInfo(settings.working_timezone),
            holidays=frozenset(settings.holidays),
        )

    def __post_init__(self) -> None:
        if not self.days:
            raise ValueError("a working calendar needs at least one working day")
        if self.opens >= self.closes:
            raise ValueError("a working day must open before it closes")

    def is_working_day(self, day: date) -> bool:
        """Whether ``day`` (a local date) is a working day and not a holiday."""
        return day.weekday() in self.days and day not in self.holidays

    def window(self, day: date) -> tuple[datetime, datetime] | None:
        """The opening hours of local date ``day`` in UTC, or None when it is not worked."""
        if not self.is_working_day(day):
            return None
        opens = datetime.combine(day, self.opens, tzinfo=self.zone).astimezone(UTC)
        closes = datetime.combine(day, self.closes, tzinfo=self.zone).astimezone(UTC)
        return opens, closes

    def add_business_hours(self, start: datetime, hours: float) -> datetime:
        """The moment (UTC) when ``hours`` working hours have passed since ``start``."""
        if hours < 0:
            raise ValueError("business hours cannot be negative")
        remaining = timedelta(hours=hours)
        moment = as_utc(start)
        day = moment.astimezone(self.zone).date()
        for _ in range(_MAX_DAYS):
            window = self.window(day)
            if window is not None:
                opens, closes = window
                begin = max(moment, opens)
                if begin < closes:
                    if remaining <= closes - begin:
                        return begin + remaining
                    remaining -= closes - begin
            day += timedelta(days=1)
        raise ValueError("the working calendar has no working hours left")

    def business_hours_between(self, start: datetime, end: datetime) -> float:
        """Working hours from ``start`` to ``end`` (0 when ``end`` is not later)."""
        begin, finish = as_utc(start), as_utc(end)
        if finish <= begin:
            return 0.0
        total = timedelta()
        day = begin.astimezone(self.zone).date()
        last = finish.astimezone(self.zone).date()
        while day <= last:
            window = self.window(day)
            if window is not None:
                low, high = max(begin, window[0]), min(finish, window[1])
                if low < high:
                    total += high - low
            day += timedelta(days=1)
        return total.total_seconds() / 3600
