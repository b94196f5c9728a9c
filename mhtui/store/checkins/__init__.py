"""Check-ins' storage: meetings from the agenda, their clock, minutes and invitations."""
