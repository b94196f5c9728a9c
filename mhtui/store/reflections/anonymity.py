"""The one anonymity rule, applied where reflections are read, so no screen or export can
forget it. Every read model a reflection reaches (the list, the detail view, the roll-up,
the trend, the district, the reflections export) asks this module what to show.

A group is the set of reflections one figure or heading speaks for: a period between
check-ins (the roll-up, the trend, the list), a school over the district's period, a
role reporting a barrier.

1. Roles. An anonymous reflection's role is never shown as typed ("School Counselor" and
   "school counselor" would tell two writers apart): only as its kind (school counselor,
   school psychologist, school social worker, other), and only where at least MIN_GROUP
   anonymous reflections of its group share that kind; otherwise ROLE_NOT_SHOWN. Named
   reflections do not count towards the three: their writers are known, so two named
   counselors and one anonymous one would point at the team's third counselor.
2. Times. An anonymous reflection shows its day only: no submission time, no role and no
   time table in the detail view or an export (its own figures are a group of one).
3. Figures. A group's mean (the roll-up's averages, the trend's periods, a school's
   shares, a role's points over the ideal) is made by ``mean``:
   - a group holding an anonymous reflection shows no figure under MIN_GROUP reflections
     (NOT_SHOWN);
   - named reflections' own tables are shown one by one (the export), so a mean holding
     one or two anonymous values would give them back by subtraction (n x mean minus the
     named figures). Anonymous values therefore count in a mean only when at least
     MIN_GROUP of them are in it; otherwise the mean is of the named values alone and says
     LEFT_OUT. Subtracting then yields the sum of three or more anonymous values, never
     one person's.
   - two figures over nested groups would differ by the anonymous values between them
     (all time holding 4, a period 3: the difference is the 4th). So anonymous values
     count only in the figures of a period between check-ins, which never overlap: the
     trend's periods and the roll-up since the last check-in (``pool=True``). A window
     that cuts across them (the roll-up's last 90 days and all time, the district's
     days) shows the named values alone (LEFT_OUT), which the export gives anyway.
   The count shown beside a mean is the number of values in it, so it never hints at a
   value left out.

What this does not close: the open period (since the last check-in) read before and
after an anonymous reflection comes in differs by it, as any live total does, and the
count of reflections says one came in; among three anonymous writers two who compare
notes learn the third's figures (as with any group of three); and the count of
anonymous reflections, beside a roster and the named ones' names, says who did not sign.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from mhtui.core.allocation import ROLE_KINDS, role_key

MIN_GROUP = 3
ROLE_NOT_SHOWN = "role not shown"
NOT_SHOWN = "fewer than 3: not shown"
LEFT_OUT = "anonymous tables left out"  # see rule 3 for when

# Words in a role as typed that give its kind when none was chosen on the form.
_KIND_WORDS = (("counsel", ROLE_KINDS[0]), ("psycholog", ROLE_KINDS[1]),
               ("social", ROLE_KINDS[2]))


def kind(role_kind: str, role_name: str) -> str:
    """The kind of role: the one chosen on the form, else read from the role's words."""
    if role_kind in ROLE_KINDS:
        return role_kind
    typed = role_key(role_name)
    return next((k for word, k in _KIND_WORDS if word in typed), ROLE_KINDS[3])


@dataclass(frozen=True)
class Member:
    """One reflection of a group, as the rule needs it."""

    anonymous: bool
    role_name: str
    role_kind: str


def roles(members: Sequence[Member]) -> list[str]:
    """Each member's role as it may be shown: a named one's as typed (spaces evened), an
    anonymous one's kind where MIN_GROUP anonymous members share it, else ROLE_NOT_SHOWN."""
    kinds = [kind(m.role_kind, m.role_name) for m in members]
    shared = Counter(k for m, k in zip(members, kinds, strict=True) if m.anonymous)
    return [(k if shared[k] >= MIN_GROUP else ROLE_NOT_SHOWN) if m.anonymous
            else " ".join(m.role_name.split()) or "no role given"
            for m, k in zip(members, kinds, strict=True)]


@dataclass(frozen=True)
class Figure:
    """A group's mean as it may be shown: ``value`` None with ``note`` NOT_SHOWN when
    hidden, None with no note when no value was given at all."""

    value: float | None
    count: int  # the values in the mean
    note: str = ""


def mean(named: tuple[float, int], anonymous: tuple[float, int], reflections: int,
         anonymous_reflections: int, pool: bool = True) -> Figure:
    """A group's mean from its named and its anonymous values, each as (sum, count), by
    rule 3. ``reflections`` and ``anonymous_reflections`` count the group's reflections
    (a reflection without a value still makes the group larger); ``pool`` is False for a
    window across periods, whose anonymous values never count."""
    if anonymous_reflections and reflections < MIN_GROUP:
        return Figure(None, 0, NOT_SHOWN)
    (named_sum, named_n), (anon_sum, anon_n) = named, anonymous
    if 0 < anon_n < MIN_GROUP or (anon_n and not pool):
        return Figure(named_sum / named_n if named_n else None, named_n, LEFT_OUT)
    n = named_n + anon_n
    return Figure((named_sum + anon_sum) / n if n else None, n)


def mean_of(values: Sequence[tuple[bool, float]], reflections: int,
            anonymous_reflections: int, pool: bool = True) -> Figure:
    """``mean`` from (anonymous, value) pairs."""
    named = [v for a, v in values if not a]
    anon = [v for a, v in values if a]
    return mean((sum(named), len(named)), (sum(anon), len(anon)), reflections,
                anonymous_reflections, pool)


def worst(notes: Sequence[str]) -> str:
    """One note for figures shown together: NOT_SHOWN over LEFT_OUT over none."""
    return next((n for n in (NOT_SHOWN, LEFT_OUT) if n in notes), "")
