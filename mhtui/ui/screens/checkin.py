"""The check-in: the team's agenda and the check-ins held so far."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Footer, Header, Static

from mhtui.core.wording import clock_text, long_date
from mhtui.ui.screens.base import MHScreen


class CheckinScreen(MHScreen):
    TITLE_TEXT = "mhtui · check-in"
    HELP = (
        "A check-in is a one-hour meeting in three timeboxed items: review the actions "
        "from last time, discuss the barriers staff face, and set plans with an owner and "
        "a date for each. This screen shows the team's agenda and the check-ins held so "
        "far, with planned and actual minutes per item."
    )

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="checkin-body"):
            yield Static("", id="agenda", classes="card")
            yield Static("", id="history", classes="card")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one("#agenda", Static).border_title = "Agenda"
        self.query_one("#history", Static).border_title = "Check-ins held"

    def reload(self) -> None:
        from mhtui.store import meetings

        assert self.mh.team_id is not None
        items = meetings.template(self.mh.db, self.mh.team_id)
        total = sum(i.minutes for i in items)
        lines = []
        for number, item in enumerate(items, start=1):
            lines.append(f"[b]{number}. {item.title}[/b]  ({item.minutes} min)")
            lines.extend(f"   • {q}" for q in item.questions.splitlines() if q.strip())
        lines.append(f"Total {total} min")
        self.query_one("#agenda", Static).update("\n".join(lines))

        held = meetings.recent(self.mh.db, self.mh.team_id)
        out = []
        for summary in held:
            m = summary.meeting
            out.append(f"[b]{long_date(m.scheduled_at.astimezone().date())}[/b]  {m.state}")
            for held_item in summary.items:
                over = held_item.spent_seconds - held_item.planned_seconds
                flag = f"  +{clock_text(over)} over" if over > 0 else ""
                out.append(
                    f"   {held_item.title}: planned {clock_text(held_item.planned_seconds)}, "
                    f"actual {clock_text(held_item.spent_seconds)}{flag}"
                )
        self.query_one("#history", Static).update(
            "\n".join(out) or "No check-ins yet for this team."
        )
