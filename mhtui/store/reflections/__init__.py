"""Reflections' storage: drafts and submission, files, the anonymity rule, roll-up and trend."""
