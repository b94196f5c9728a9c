"""Default content a new team starts with: agenda, roles, tasks, trainings.

The lists are facts from the district toolkit; the guiding questions are our own words.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


@dataclass(frozen=True)
class AgendaItemSpec:
    title: str
    minutes: int
    questions: tuple[str, ...]
    kind: str = "other"  # review, barriers, plans or other


DEFAULT_MEETING_MINUTES = 60

DEFAULT_AGENDA: tuple[AgendaItemSpec, ...] = (
    AgendaItemSpec(
        "Review actions from the last check-in",
        15,
        (
            "Which actions moved forward since we last met, and which did not?",
            "What is behind schedule, and what would it take to catch up?",
            "Is anything blocked by a decision only someone in this room can make?",
        ),
        "review",
    ),
    AgendaItemSpec(
        "Discuss barriers to using staff training",
        30,
        (
            "What would help you serve students better this term?",
            "Where does your time go to work below your training or license?",
            "What gets in the way: space, schedules, duties, paperwork, something else?",
            "Time for anyone who has not yet filled in a reflection to do it now.",
        ),
        "barriers",
    ),
    AgendaItemSpec(
        "Set plans for each barrier",
        15,
        (
            "What can realistically be done about each barrier we named?",
            "Who will own each action?",
            "By what date will it be done, and when do we check on it?",
        ),
        "plans",
    ),
)


class Capability(StrEnum):
    YES = "yes"
    NO = "no"
    TRAINING = "training"

    @property
    def label(self) -> str:
        return {"yes": "Yes", "no": "No", "training": "With training"}[self.value]

    @property
    def symbol(self) -> str:
        return {"yes": "✓", "no": "✗", "training": "◐"}[self.value]


NOT_ASSESSED_SYMBOL = "·"


class Audience(StrEnum):
    """Who a training is written for; each role maps to one audience."""

    TEACHERS = "teachers"
    HEALTH = "district health staff"
    GENERAL = "general staff"
    STUDENTS = "students"


@dataclass(frozen=True)
class RoleSpec:
    name: str
    audience: Audience


DEFAULT_ROLES: tuple[RoleSpec, ...] = (
    RoleSpec("Licensed clinical provider (e.g. LCSW)", Audience.HEALTH),
    RoleSpec("Other counselor or social worker", Audience.HEALTH),
    RoleSpec("School counselor", Audience.HEALTH),
    RoleSpec("Family engagement specialist", Audience.GENERAL),
    RoleSpec("Administrator", Audience.GENERAL),
    RoleSpec("Para-professional", Audience.GENERAL),
    RoleSpec("Teacher", Audience.TEACHERS),
)

TASK_CATALOGUE: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Assessment", ("Screening", "Psychological assessment", "Threat assessment")),
    (
        "Scheduled student mental health support",
        (
            "Scheduled Tier 3 support provision",
            "Scheduled Tier 2 support provision",
            "Scheduled Tier 1 support provision",
        ),
    ),
    (
        "Non-scheduled student mental health support",
        (
            "Non-scheduled non-acute support (e.g. a 20-minute conversation with a "
            "student who drops in)",
            "Crisis intervention",
        ),
    ),
    (
        "Other student and family care provision tasks",
        (
            "Connecting students or families to external or internal resources",
            "Referral, identification and/or provision of services for special "
            "populations (e.g. foster care)",
            "Proactive family engagement (family events, individual outreach)",
            "Procurement and provision of physical goods to students and families "
            "(food, school supplies, clothing)",
        ),
    ),
    (
        "Teacher and school staff support and training",
        (
            "Formal training of teachers and staff",
            "Coaching and support of teachers and staff (e.g. attending PLCs)",
        ),
    ),
    (
        "Counseling-related administrative activities",
        (
            "Program management",
            "Community partnership engagement",
            "Counseling-related administrative duties",
        ),
    ),
    (
        "Non-counseling duties",
        ("Non-counseling duties (master scheduling, data entry, other school initiatives)",),
    ),
)

ALLOCATION_TASK_TYPES: tuple[str, ...] = (
    "Assessment",
    "Scheduled student mental health support",
    "Non-scheduled student mental health support",
    "Other student and family care provision tasks",
    "Teacher and school staff support and training",
    "Counseling-related administrative activities",
    "Non-counseling duties",
    "Other",
)

TRAININGS: tuple[tuple[Audience, str], ...] = (
    (Audience.TEACHERS, "Youth Mental Health First Aid"),
    (Audience.TEACHERS, "NCTSN Core Curriculum on Childhood Trauma"),
    (Audience.TEACHERS, "Classroom WISE Mental Health Literacy Training"),
    (Audience.TEACHERS, "School Mental Health Teachers Training Guide"),
    (Audience.TEACHERS, "Applied Suicide Intervention Skills Training (ASIST)"),
    (Audience.HEALTH, "Mental Health Training Intervention for Health Providers in Schools"),
    (Audience.HEALTH, "Mental Health and Trauma Training for School Nurses"),
    (Audience.HEALTH, "Nursing and Mental Health in Video"),
    (Audience.HEALTH, "Mental Health in Schools: New Roles for School Nurses"),
    (Audience.GENERAL, "Youth Mental Health First Aid"),
    (Audience.GENERAL, "NCTSN Core Curriculum on Childhood Trauma"),
    (Audience.GENERAL, "Edge Foundation In-School Coaching Training"),
    (Audience.GENERAL, "Applied Suicide Intervention Skills Training (ASIST)"),
    (Audience.GENERAL, "UMatter for Schools Suicide Prevention Training"),
    (Audience.STUDENTS, "Peer Group Connection"),
    (Audience.STUDENTS, "Active Minds Peer-Powered Mental Health Curriculum for High Schools"),
    (Audience.STUDENTS, "Sources of Strength"),
)

SHIFT_PLAN_QUESTIONS: tuple[tuple[str, str], ...] = (
    ("task", "Which task is shifting?"),
    ("roles", "Which role or roles will take it on?"),
    ("when", "When does responsibility shift?"),
    ("communication", "How will affected staff (and parents, where relevant) be told?"),
    ("staffing", "Existing staff or new hires? Who is responsible for hiring?"),
    ("training", "Already qualified, or is training needed? Who arranges the training?"),
    ("other_steps", "What other steps or resources are needed?"),
)

BARGAINING_REMINDER = (
    "Shifting duties between roles may be governed by collective bargaining and other "
    "agreements in your district. Check before you commit to a plan."
)
