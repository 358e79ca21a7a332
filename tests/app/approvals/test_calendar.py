"""Business hours: weekends, holidays, opening hours, time zones and clock changes."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest
from pydantic import ValidationError

from app.approvals.calendar import WorkingCalendar
from app.settings import Settings

BERLIN = ZoneInfo("Europe/Berlin")


def calendar(**settings: object) -> WorkingCalendar:
    return WorkingCalendar.from_settings(Settings(_env_file=None, **settings))  # type: ignore[arg-type]


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


# 2026-12-07 is a Monday.
@pytest.mark.parametrize(
    ("start", "hours", "due"),
    [
        # Within the day.
        (utc(2026, 12, 7, 10), 4, utc(2026, 12, 7, 14)),
        # Exactly to closing time stays on the day.
        (utc(2026, 12, 7, 9), 8, utc(2026, 12, 7, 17)),
        # Across the evening: 7 h on Monday, 1 h on Tuesday.
        (utc(2026, 12, 7, 10), 8, utc(2026, 12, 8, 10)),
        # Asked before opening: the clock starts at 09:00.
        (utc(2026, 12, 7, 6, 30), 2, utc(2026, 12, 7, 11)),
        # Asked after closing: the clock starts the next morning.
        (utc(2026, 12, 7, 20), 3, utc(2026, 12, 8, 12)),
        # Friday afternoon over the weekend to Monday.
        (utc(2026, 12, 11, 15), 4, utc(2026, 12, 14, 11)),
        # Asked on a Saturday: Monday morning counts.
        (utc(2026, 12, 12, 11), 24, utc(2026, 12, 16, 17)),
        # Several days: 24 h from Monday 09:00 is Wednesday 17:00.
        (utc(2026, 12, 7, 9), 24, utc(2026, 12, 9, 17)),
        # Minutes count.
        (utc(2026, 12, 7, 16, 45), 0.5, utc(2026, 12, 8, 9, 15)),
    ],
)
def test_business_hours_skip_nights_and_weekends(
    start: datetime, hours: float, due: datetime
) -> None:
    assert calendar().add_business_hours(start, hours) == due


def test_holidays_are_not_worked() -> None:
    # Thursday 24 Dec, then Friday 25 Dec is a holiday, then the weekend.
    work = calendar(holidays="2026-12-25,2026-12-28")
    due = work.add_business_hours(utc(2026, 12, 24, 13), 8)
    assert due == utc(2026, 12, 29, 13)
    assert not work.is_working_day(date(2026, 12, 25))
    assert work.business_hours_between(utc(2026, 12, 24, 13), due) == 8


def test_hours_are_counted_in_the_calendar_time_zone() -> None:
    work = calendar(working_timezone="Europe/Berlin")
    # 08:30 UTC is 09:30 in Berlin (CET, +1): 4 h later is 13:30 Berlin, 12:30 UTC.
    assert work.add_business_hours(utc(2026, 12, 7, 8, 30), 4) == utc(2026, 12, 7, 12, 30)
    # 16:30 UTC is 17:30 in Berlin, closed: the clock starts Tuesday 09:00 Berlin (08:00 UTC).
    assert work.add_business_hours(utc(2026, 12, 7, 16, 30), 1) == utc(2026, 12, 8, 9)
    # A naive moment is read as UTC (SQLite returns them so).
    assert work.add_business_hours(datetime(2026, 12, 7, 8, 30), 4) == utc(2026, 12, 7, 12, 30)


def test_a_day_the_clocks_change_still_has_its_opening_hours() -> None:
    # Sunday 2027-03-28 Europe moves to summer time; the calendar works every day.
    work = calendar(working_timezone="Europe/Berlin", working_days="mon,tue,wed,thu,fri,sat,sun")
    start = datetime(2027, 3, 27, 16, tzinfo=BERLIN)  # Saturday 16:00 CET
    due = work.add_business_hours(start, 3)
    # 1 h on Saturday, then Sunday 09:00 CEST + 2 h = 11:00 CEST = 09:00 UTC.
    assert due == datetime(2027, 3, 28, 11, tzinfo=BERLIN)
    assert due == utc(2027, 3, 28, 9)
    assert work.business_hours_between(start, due) == 3


def test_custom_week_and_hours() -> None:
    work = calendar(
        working_days="sun,mon,tue,wed,thu",
        working_hours_start="08:00",
        working_hours_end="12:00",
        working_timezone="Asia/Dubai",
    )
    assert work.opens == time(8) and work.days == frozenset({6, 0, 1, 2, 3})
    # Thursday 2026-12-10 11:00 Dubai (07:00 UTC): 1 h Thursday, weekend Fri+Sat, 3 h Sunday.
    assert work.add_business_hours(utc(2026, 12, 10, 7), 4) == utc(2026, 12, 13, 7)


def test_business_hours_between() -> None:
    work = calendar()
    assert work.business_hours_between(utc(2026, 12, 7, 10), utc(2026, 12, 7, 14)) == 4
    # Friday 15:00 to Monday 11:00: 2 h + 2 h.
    assert work.business_hours_between(utc(2026, 12, 11, 15), utc(2026, 12, 14, 11)) == 4
    assert work.business_hours_between(utc(2026, 12, 14, 11), utc(2026, 12, 11, 15)) == 0
    assert work.business_hours_between(utc(2026, 12, 12, 0), utc(2026, 12, 13, 23)) == 0


@pytest.mark.parametrize(
    "settings",
    [
        {"working_days": "mon,funday"},
        {"working_days": ""},
        {"working_timezone": "Mars/Olympus"},
        {"working_hours_start": "18:00"},
        {"holidays": "2026-13-01"},
        {"escalation_contacts": {"csm": "x@example.com"}},
    ],
)
def test_a_calendar_that_cannot_work_is_refused(settings: dict[str, object]) -> None:
    with pytest.raises(ValidationError):
        Settings(_env_file=None, **settings)  # type: ignore[arg-type]


def test_negative_hours_are_refused() -> None:
    with pytest.raises(ValueError, match="negative"):
        calendar().add_business_hours(utc(2026, 12, 7, 10), -1)
