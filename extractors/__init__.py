"""Ingest and extract: from uploaded bytes to grounded onboarding facts."""
