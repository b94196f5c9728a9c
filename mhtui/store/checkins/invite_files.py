"""The invitation written out as files: the emails and the calendar file.

Shared by `mhtui invite` and the app's invitation screen, so both write the same files
the same way (atomic.py: each file whole and 0600, folders 0700, and the set as one:
all of it or none).
"""

from __future__ import annotations

from pathlib import Path

from mhtui.atomic import write_set
from mhtui.core.slug import slug
from mhtui.paths import ensure_private_dir, exports_dir
from mhtui.store.checkins import invites


def write_files(invitation: invites.Invitation, folder: Path, *,
                exclusive: bool = False) -> list[Path]:
    """Every file whole and 0600, all of them or none (atomic.write_set); WriteFailed,
    one line, when they cannot be. ``exclusive``: never over a file already there."""
    # File names are unique per person (invites.build).
    return write_set([(folder / "checkins.ics", invitation.ics),
                      *((folder / letter.filename, letter.text)
                        for letter in invitation.letters)], exclusive=exclusive)


def default_folder(team_name: str) -> Path:
    """exports/invitations/<team> in the data folder, made (or tightened) 0700."""
    return ensure_private_dir(exports_dir() / "invitations" / slug(team_name),
                              tighten=True)
