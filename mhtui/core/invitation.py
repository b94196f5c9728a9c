"""The invitation to a team's check-ins: the email text and an RFC 5545 calendar file."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from mhtui.core.schedule import Schedule
from mhtui.core.wording import long_date

SUBJECT = "Regular check-ins to support our mental health staff"
DESCRIPTION = (
    "Two goals: discuss the barriers that keep staff from using their training with "
    "students; set plans for each, with an owner and a date."
)


def email(team: str, schedule: Schedule, start: time, minutes: int, place: str,
          next_date: datetime | None = None, name: str | None = None,
          address: str = "") -> str:
    when = next_date.date() if next_date else schedule.first
    where = f" in {place}" if place.strip() else ""
    greeting = f"Dear {name}," if name else "Dear colleagues,"
    return "\n".join([
        *([f"To: {name} <{address}>" if name else f"To: {address}"] if address else []),
        f"Subject: {SUBJECT}",
        "",
        greeting,
        "",
        "Our district has asked each school to make supporting the staff who give "
        "students mental health care a priority, so that more of your time goes to the "
        "work only you are trained and licensed to do.",
        "",
        f"To help with that, {team} will hold a short check-in {schedule.words()}, "
        f"about {minutes} minutes long. Each check-in has two goals:",
        "",
        "  1. to talk through the barriers that keep you from using your education and "
        "training with students, and",
        "  2. to agree on a plan for each barrier, with a person responsible and a date.",
        "",
        f"The next check-in is on {long_date(when)} at {start:%H:%M}{where}. A calendar "
        "file for the series is attached. Please reply with the times that suit you, so "
        "we can keep one recurring slot that works for everyone.",
        "",
        "Before each check-in you can fill in a short reflection on the support you need "
        "and what stands in your way; it can be anonymous.",
        "",
        "Thank you,",
        "",
    ])


_NOT_A_PLACE = frozenset({"UTC", "UCT", "GMT", "Zulu", "Universal", "Etc/UTC", "Etc/UCT",
                          "Etc/GMT", "Etc/Zulu", "Etc/Universal", "Etc/Greenwich"})


def local_zone() -> str | None:
    """The computer's time zone as an IANA name ("America/Chicago"), or None if unknown.

    Read from $TZ, /etc/timezone or the /etc/localtime link (Linux and macOS). UTC counts
    as unknown: a laptop set to UTC is a server's setting, not the school's, and a
    floating 15:00 is safer than telling every calendar it is 15:00 UTC.
    """
    import contextlib
    import os
    from pathlib import Path
    from zoneinfo import ZoneInfo

    def known(name: str) -> str | None:
        name = name.strip().lstrip(":")
        if not name or name.startswith("/") or ".." in name or name in _NOT_A_PLACE:
            return None
        try:
            ZoneInfo(name)
        except (ValueError, OSError):
            return None
        return name

    candidates = [os.environ.get("TZ", "")]
    with contextlib.suppress(OSError, UnicodeDecodeError):
        candidates.append(Path("/etc/timezone").read_text(encoding="utf-8"))
    try:
        link = str(Path("/etc/localtime").resolve())
        if "zoneinfo/" in link:
            candidates.append(link.split("zoneinfo/", 1)[1])
    except OSError:
        pass
    for candidate in candidates:
        if found := known(candidate):
            return found
    return None


def calendar(uid: str, team: str, schedule: Schedule, start: time, minutes: int, place: str,
             stamp: datetime, *, zone: str | None = None, sequence: int = 0) -> str:
    """One recurring event, written by the icalendar library (RFC 5545: escaping, folding,
    CRLF). With ``zone`` the start carries its TZID and the file its VTIMEZONE, so every
    calendar puts 15:00 at 15:00 where the school is, across daylight-saving changes;
    without one (a computer whose zone is unknown) the time is floating local time.
    ``uid`` stays the same for a team whatever its schedule, and ``sequence`` grows with
    each change, so a re-sent file updates the event instead of adding a second one."""
    from zoneinfo import ZoneInfo

    from icalendar import Calendar, Event, vRecur

    first = datetime.combine(schedule.first, start)
    if zone is not None:
        first = first.replace(tzinfo=ZoneInfo(zone))
    cal = Calendar()
    cal.add("prodid", "-//mhtui//school mental health check-ins//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", stamp.astimezone(UTC))
    event.add("sequence", sequence)
    event.add("dtstart", first)
    event.add("duration", timedelta(minutes=minutes))
    event.add("rrule", vRecur.from_ical(schedule.rrule()))
    event.add("summary", f"Check-in: {team} mental health staff")
    if place.strip():
        event.add("location", place)
    event.add("description", DESCRIPTION)
    cal.add_component(event)
    if zone is not None:
        # The zone's rules from a year before the series to twenty years on: enough
        # for any calendar to place every check-in, and a file a person can read.
        cal.add_missing_timezones(first_date=date(schedule.first.year - 1, 1, 1),
                                  last_date=date(schedule.first.year + 20, 1, 1))
    ics: bytes = cal.to_ical()
    return ics.decode("utf-8")
