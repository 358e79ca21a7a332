"""Approvals people act on: one record per required role, with an SLA, reminders,
escalation, resets when the contract changes, and corrections of facts."""
