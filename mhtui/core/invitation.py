"""The invitation to a team's check-ins: the email text and an RFC 5545 calendar file."""

from __future__ import annotations

from datetime import UTC, datetime, time

from mhtui.core.schedule import Schedule
from mhtui.core.wording import long_date

SUBJECT = "Regular check-ins to support our mental health staff"
DESCRIPTION = (
    "Two goals: discuss the barriers that keep staff from using their training with "
    "students; set plans for each, with an owner and a date."
)


def email(team: str, schedule: Schedule, start: time, minutes: int, place: str,
          next_date: datetime | None = None, name: str | None = None) -> str:
    when = next_date.date() if next_date else schedule.first
    where = f" in {place}" if place.strip() else ""
    greeting = f"Dear {name}," if name else "Dear colleagues,"
    return "\n".join([
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


def _escape(text: str) -> str:
    return (text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\r\n", "\\n").replace("\n", "\\n"))


def _fold(line: str) -> str:
    """Lines longer than 75 octets continue on the next line after a space (RFC 5545)."""
    out: list[str] = []
    current = b""
    for char in line:
        encoded = char.encode("utf-8")
        if len(current) + len(encoded) > (75 if not out else 74):
            out.append(current.decode("utf-8"))
            current = b""
        current += encoded
    out.append(current.decode("utf-8"))
    return "\r\n ".join(out)


def calendar(uid: str, team: str, schedule: Schedule, start: time, minutes: int, place: str,
             stamp: datetime) -> str:
    """One recurring event; local ("floating") times, so 15:00 stays 15:00 across DST."""
    first = datetime.combine(schedule.first, start)
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//mhtui//school mental health check-ins//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "BEGIN:VEVENT",
        f"UID:{uid}",
        f"DTSTAMP:{stamp.astimezone(UTC):%Y%m%dT%H%M%SZ}",
        f"DTSTART:{first:%Y%m%dT%H%M%S}",
        f"DURATION:PT{minutes}M",
        f"RRULE:{schedule.rrule()}",
        f"SUMMARY:{_escape(f'Check-in: {team} mental health staff')}",
        *([f"LOCATION:{_escape(place)}"] if place.strip() else []),
        f"DESCRIPTION:{_escape(DESCRIPTION)}",
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    return "\r\n".join(_fold(line) for line in lines) + "\r\n"
