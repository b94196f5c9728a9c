"""mhtui: keyboard-first check-ins between school leadership and mental health staff."""

__version__ = "0.1.0"
