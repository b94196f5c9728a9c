"""The tables and columns of the newest schema, and its objects' fingerprint.

Made by `python3 -m mhtui.store.database.schema_files` from the migration ladder: do not edit.
Opening a file that is already current checks it against this, instead of running every
migration in an in-memory database first (about 10-20 ms before the first frame):
DIGEST is migrate.digest() of every table, index, trigger and view the ladder makes.
"""

from __future__ import annotations

VERSION = 15
DIGEST = "84dabe6e757ae61fbb3ae28b80f6026c"

SHAPE: dict[str, frozenset[str]] = {
    "action": frozenset([
        "created_on", "deleted_at", "due_on", "id", "meeting_id", "owner", "search",
        "shift_plan_id", "status", "team_id", "text", "updated_at", "version"
    ]),
    "action_count": frozenset([
        "due", "n", "status", "team_id"
    ]),
    "actionevent": frozenset([
        "action_id", "at", "field", "id", "kind", "meeting_id", "new_value", "old_value"
    ]),
    "agendatemplateitem": frozenset([
        "id", "kind", "minutes", "position", "questions", "team_id", "title", "version"
    ]),
    "allocationrow": frozenset([
        "actions", "current", "id", "ideal", "position", "reflection_id", "task_type"
    ]),
    "capability": frozenset([
        "id", "role_id", "task_id", "value", "version"
    ]),
    "meeting": frozenset([
        "bell", "current_position", "ended_at", "id", "planned_minutes", "running_since",
        "scheduled_at", "seen_at", "started_at", "state", "team_id", "version"
    ]),
    "meetingattendee": frozenset([
        "id", "meeting_id", "name", "present", "role_name"
    ]),
    "meetingitem": frozenset([
        "id", "kind", "meeting_id", "notes", "planned_seconds", "position", "questions",
        "spent_by_clock", "spent_seconds", "title", "version"
    ]),
    "reflection": frozenset([
        "author_name", "barriers", "id", "reflected_on", "revision", "role_kind", "role_name",
        "state", "submitted_at", "support_needed", "team_id", "uid", "updated_at", "version"
    ]),
    "reflectionevent": frozenset([
        "at", "id", "kind", "reflection_id"
    ]),
    "reflectionlink": frozenset([
        "action_id", "field", "id", "reflection_id"
    ]),
    "role": frozenset([
        "audience", "capacity_constrained", "fte", "id", "name", "position", "ratio_kind",
        "team_id", "version"
    ]),
    "setting": frozenset([
        "key", "value"
    ]),
    "shiftplan": frozenset([
        "communication", "id", "other_steps", "roles", "staffing", "state", "task_id",
        "training", "updated_at", "version", "when"
    ]),
    "staff": frozenset([
        "active", "email", "id", "name", "role_name", "team_id", "version"
    ]),
    "task": frozenset([
        "category_id", "id", "name", "position", "priority", "to_shift", "version"
    ]),
    "taskcategory": frozenset([
        "id", "name", "position", "team_id", "version"
    ]),
    "team": frozenset([
        "bell", "cadence", "cadence_weeks", "calendar_uid", "created_at", "enrollment", "id",
        "meeting_minutes", "name", "next_checkin_on", "place", "start_time", "version",
        "warn_minutes", "weekday"
    ]),
    "training": frozenset([
        "audience", "id", "name"
    ]),
}
