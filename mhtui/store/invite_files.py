"""The invitation written out as files: the emails and the calendar file.

Shared by `mhtui invite` and the app's invitation screen, so both write the same files
the same way (atomic.py: each file whole and 0600, folders 0700).
"""

from __future__ import annotations

from pathlib import Path

from mhtui.core.slug import slug
from mhtui.paths import ensure_private_dir, exports_dir, write_private
from mhtui.store import invites


def write_files(invitation: invites.Invitation, folder: Path) -> list[Path]:
    """Each file whole and 0600 (atomic.py); WriteFailed, one line, at the first failure."""
    written = [write_private(folder / "checkins.ics", invitation.ics)]
    for letter in invitation.letters:  # file names unique per person (invites.build)
        written.append(write_private(folder / letter.filename, letter.text))
    return written


def default_folder(team_name: str) -> Path:
    """exports/invitations/<team> in the data folder, made (or tightened) 0700."""
    return ensure_private_dir(exports_dir() / "invitations" / slug(team_name),
                              tighten=True)
