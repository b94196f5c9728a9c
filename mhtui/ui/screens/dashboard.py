"""The home screen: where the team stands, and one key to each of the four parts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Grid
from textual.widgets import Footer, Header, Static

from mhtui.core.clock import local_today
from mhtui.core.statuses import Status
from mhtui.core.wording import days_away, due_phrase, long_date, plural
from mhtui.ui.screens.base import MHScreen
from mhtui.ui.widgets.text import literal, one_line, styled

if TYPE_CHECKING:  # read after the first frame (MHApp.read_figures imports it then)
    from mhtui.store.teams.dashboard import DashboardFigures

PRIVACY = "Holds no student records. Data stays on this laptop unless you export it."
# On a district server: who is signed in and what they reach, instead of "this laptop".
SERVER_PRIVACY = "Holds no student records. On the district's server: $who."
# A staff login is shown no row of the grid (the server's fence): said, not "none".
# Said, not hidden in a folder no one opens (the newest copy may be weeks old when the
# daily copy keeps failing, or the app has run for a week without a restart).
OLD_BACKUP = ("[b]! The newest backup is from $day ($ago): \"backup: now\" in the "
              "palette (ctrl+p) makes one.[/b]")
GRID_HIDDEN = ("Not shown to a staff login: the grid is kept by the school's "
               "facilitators.")


@dataclass(frozen=True)
class Figures:
    """What the dashboard shows: the figures, the day they were read for, and on a
    server the login's line the first time (else None)."""

    figures: DashboardFigures
    today: date
    who: str | None


class DashboardScreen(MHScreen):
    TITLE_TEXT = "mhtui · dashboard"
    HELP = (
        "Where the active team stands: the next check-in, the actions by status, the "
        "reflections in since the last check-in and the roles short of capacity. One key "
        "opens each part; the same moves are in the command palette (ctrl+p) as "
        "\"go: ...\". p opens the team's roster (people, roles, emails; the team's name). "
        "Switch teams with s; d shows every school side by side (the district's view: "
        "Enter there opens a school). While a check-in is in progress the first card says "
        "so and m goes back to it."
    )
    BINDINGS: ClassVar[list[BindingType]] = [
        # First, so it shows at 80 columns: only while a check-in is in progress.
        Binding("m", "resume", "Resume", id="dashboard.resume"),
        Binding("c", "go('checkin')", "Check-in", id="dashboard.go_checkin"),
        Binding("t", "go('tracker')", "Tracker", id="dashboard.go_tracker"),
        Binding("r", "go('reflection')", "Reflection", id="dashboard.go_reflection"),
        Binding("g", "go('grid')", "Grid", id="dashboard.go_grid"),
        Binding("p", "go('roster')", "Roster", id="dashboard.go_roster"),
        Binding("s", "switch_team", "Teams", id="dashboard.switch_team"),
        Binding("d", "go('district')", "District", id="dashboard.go_district"),
    ]
    open_meeting: int | None = None  # a check-in started and not ended
    old_backup_shown = False  # the app reads the figures again once today's copy is made

    def compose(self) -> ComposeResult:
        yield Header()
        with Grid(id="dashboard"):
            yield Static("Opening…", id="next-checkin", classes="card")
            yield Static("", id="actions", classes="card")
            yield Static("", id="reflections", classes="card")
            yield Static("", id="capacity", classes="card")
            yield Static("", id="attention", classes="card")
        yield Static(PRIVACY, id="privacy")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        titles = {
            "next-checkin": "Next check-in",
            "actions": "Actions",
            "reflections": "Reflections",
            "capacity": "Capacity-constrained roles",
            "attention": "Needs attention: open actions by due date",
        }
        for widget_id, title in titles.items():
            self.query_one(f"#{widget_id}", Static).border_title = title

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """The dashboard is home: Esc has nowhere to go, so it is not offered; m only
        while a check-in is in progress."""
        if action == "resume":
            return self.open_meeting is not None
        return action != "back"

    def action_resume(self) -> None:
        if self.open_meeting is not None:
            self.mh.orm_ready()
            self.mh.open_meeting(self.open_meeting)

    def action_go(self, where: str) -> None:
        self.mh.go(where)

    def action_switch_team(self) -> None:
        self.mh.orm_ready()  # the picker's module imports the ORM
        from mhtui.ui.screens.teams import TeamPicker

        self.app.push_screen(TeamPicker())

    resumed = False

    signed_in: str | None = None  # on a server, once read: "ann (facilitator: ...)"

    def read_title(self) -> str:
        return ""  # the figures carry the team's name: the ORM is not loaded for it

    def read(self) -> Figures:
        """The figures, with sqlite3 alone from a file (the ORM loads in the background
        meanwhile: the home screen does not wait for it); on a server, the login's line
        too, the first time."""
        today = local_today(self.mh.clock)
        fig = self.mh.read_figures(today)
        if self.mh.target.path is not None or self.signed_in is not None:
            return Figures(fig, today, None)
        from mhtui.store.database import access  # once: "signed in as ann (facilitator: ...)"

        return Figures(fig, today, access.whoami(self.mh.db) or "")

    def show(self, read: Figures) -> None:
        fig, today = read.figures, read.today
        if read.who is not None and self.signed_in is None:
            self.signed_in = read.who
            if read.who:
                self.query_one("#privacy", Static).update(styled(SERVER_PRIVACY, who=read.who))
        self.sub_title = fig.team_name
        self._draw(fig, today)
        self.call_after_refresh(self.mh.warm_up)  # once the figures are painted
        if not self.resumed:  # once per run: a check-in left running comes back
            self.resumed = True
            if fig.running_meeting_id is not None:
                self.call_after_refresh(self.mh.resume_meeting, fig.running_meeting_id)

    def _draw(self, fig: DashboardFigures, today: date) -> None:
        if self.open_meeting != fig.open_meeting_id:
            self.open_meeting = fig.open_meeting_id
            self.refresh_bindings()
        if fig.open_meeting_id is not None:
            nxt = styled("[b]▶ A check-in is in progress[/b]\nm resumes it")
        elif fig.next_checkin:
            nxt = styled("[b]$day[/b]\n$away", day=long_date(fig.next_checkin),
                         away=days_away(fig.next_checkin, today))
        else:
            nxt = styled("[b]Not scheduled yet[/b]")
        if fig.open_meeting_id is not None and fig.next_checkin:
            nxt += f"\nNext: {long_date(fig.next_checkin)}"
        if fig.last_checkin:
            last = fig.last_checkin.astimezone().date()
            nxt += f"\nLast held {last.day} {last:%b} ({days_away(last, today)})"
        else:
            nxt += "\nNo check-in held yet"
        nxt += f"\n{plural(fig.meetings, 'check-in')} on record"
        self.query_one("#next-checkin", Static).update(nxt)
        if self.mh.target.path is not None:  # a server's line says who is signed in
            said = literal(PRIVACY)
            if fig.old_backup is not None:
                said = styled(PRIVACY + "\n" + OLD_BACKUP, day=long_date(fig.old_backup),
                              ago=days_away(fig.old_backup, today))
            self.query_one("#privacy", Static).update(said)
        self.old_backup_shown = fig.old_backup is not None

        lines = [
            f"{status.symbol} {status.value:<27}{fig.by_status.get(status, 0):>5}"
            for status in Status
        ]
        overdue = (
            f"! {plural(fig.overdue, 'action')} overdue" if fig.overdue else "No overdue actions"
        )
        self.query_one("#actions", Static).update(
            styled("$counts\n[b]$overdue[/b]", counts="\n".join(lines), overdue=overdue))

        since = "since last check-in" if fig.last_checkin else "so far"
        self.query_one("#reflections", Static).update(styled(
            "[b]$count[/b] submitted $since\n$drafts not yet submitted",
            count=fig.reflections_since_last, since=since,
            drafts=plural(fig.drafts, "draft")))
        roles = "\n".join(f"▲ {name}" for name in fig.constrained_roles)
        if fig.grid_hidden:
            roles = GRID_HIDDEN
        self.query_one("#capacity", Static).update(
            literal(roles or "None marked yet (mark them on the grid with c)")
        )
        width = max(self.size.width - 44, 16)
        attention = [
            f"{due_phrase(a.due_on, today, is_open=True):<21} "
            f"{one_line(a.owner, 14) or '(no owner)':<15}{one_line(a.text, width)}"
            for a in fig.attention
        ]
        self.query_one("#attention", Static).update(
            literal("\n".join(attention) or "Nothing open with a due date.")
        )
