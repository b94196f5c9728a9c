"""From the grid to a decision: coverage, candidate roles for a shifted task, ratios."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from mhtui.core.catalogue import TRAININGS, Capability

# Recommended students per staff member (ASCA, NASP 2020, SSWAA).
RECOMMENDED_RATIOS: dict[str, tuple[str, int]] = {
    "counselor": ("school counselors (ASCA)", 250),
    "psychologist": ("school psychologists (NASP)", 500),
    "social_worker": ("school social workers (SSWAA)", 250),
}


@dataclass(frozen=True)
class RoleInfo:
    id: int
    name: str
    constrained: bool
    audience: str


@dataclass(frozen=True)
class Coverage:
    now: int
    with_training: int
    only_constrained: bool  # every role that can do it now is capacity-constrained

    @property
    def gap(self) -> str:
        """The coverage gap, first thing in the cell: no role can do it now (✖), or only
        one role can (!); "" when two or more can."""
        return GAP_NONE if self.now == 0 else GAP_ONE if self.now == 1 else ""

    def text(self) -> str:
        """Short enough for the grid's coverage column (COVERAGE_WIDTH), gaps first."""
        flag = " ⚑" if self.only_constrained else ""
        if self.now == 0:
            return f"✖ nobody · {self.with_training} train"
        if self.now == 1:
            return f"! 1 only · {self.with_training} train{flag}"
        return f"{self.now} now · {self.with_training} train{flag}"

    def words(self) -> str:
        flag = " (⚑ only capacity-constrained roles)" if self.only_constrained else ""
        return f"{self.now} can do it now, {self.with_training} with training{flag}"


GAP_NONE = "✖ Gap: no role can do this task now."
GAP_ONE = "! Gap: only one role can do this task now."


def coverage(task_id: int, roles: Sequence[RoleInfo],
             cells: Mapping[tuple[int, int], str]) -> Coverage:
    able = [r for r in roles if cells.get((task_id, r.id)) == Capability.YES.value]
    trainable = [r for r in roles if cells.get((task_id, r.id)) == Capability.TRAINING.value]
    only = bool(able) and all(r.constrained for r in able)
    return Coverage(len(able), len(trainable), only)


@dataclass(frozen=True)
class Candidate:
    role: RoleInfo
    ready: bool  # Yes now; otherwise With training
    trainings: tuple[str, ...]


def trainings_for(audience: str) -> tuple[str, ...]:
    return tuple(name for who, name in TRAININGS if who.value == audience)


def candidates(task_id: int, roles: Sequence[RoleInfo],
               cells: Mapping[tuple[int, int], str]) -> list[Candidate]:
    """Who could take a shifted task: roles not short of capacity, ready ones first."""
    free = [r for r in roles if not r.constrained]
    ready = [Candidate(r, True, trainings_for(r.audience)) for r in free
             if cells.get((task_id, r.id)) == Capability.YES.value]
    later = [Candidate(r, False, trainings_for(r.audience)) for r in free
             if cells.get((task_id, r.id)) == Capability.TRAINING.value]
    return ready + later


@dataclass(frozen=True)
class Ratio:
    role: str
    students_per_staff: float
    recommended: int
    source: str

    @property
    def over(self) -> bool:
        return self.students_per_staff > self.recommended


def ratio(role: str, kind: str | None, fte: float | None, enrollment: int | None) -> Ratio | None:
    if not kind or kind not in RECOMMENDED_RATIOS or not fte or not enrollment:
        return None
    source, recommended = RECOMMENDED_RATIOS[kind]
    return Ratio(role, enrollment / fte, recommended, source)


CYCLE = (None, Capability.YES.value, Capability.TRAINING.value, Capability.NO.value)


def next_value(value: str | None) -> str | None:
    """Space cycles: not assessed → Yes → With training → No → not assessed."""
    return CYCLE[(CYCLE.index(value) + 1) % len(CYCLE)]


# "vice principal responsible", "(Dev Patel is responsible)", "responsible: Dev Patel",
# "responsible for training - the school mental health lead": the shift plan's answer to
# "who is responsible for hiring / for training".
_BEFORE = re.compile(r"([^.;,:()\n]+?)\s+(?:is\s+|are\s+)?responsible\b", re.IGNORECASE)
_AFTER = re.compile(r"\bresponsible(?:\s+for\s+[\w-]+)?\s*(?:[:–—-]|\bis\b)\s*"
                    r"([^.;,()\n]+)", re.IGNORECASE)
_NOT_A_NAME = re.compile(r"^(?:hiring|training|hire|train)\s+(?:required|needed)\s*",
                         re.IGNORECASE)


def responsible(answer: str) -> str:
    """Who the plan's answer makes responsible, or "" when it names no one plainly."""
    for pattern in (_AFTER, _BEFORE):
        found = pattern.search(answer)
        if found:
            who = _NOT_A_NAME.sub("", found.group(1)).strip(" -–—")
            who = re.sub(r"^(?:the|and|with|but)\s+", "", who, flags=re.IGNORECASE)
            if who and len(who) <= 60 and who.lower() not in ("who", "nobody", "no one"):
                return who
    return ""
