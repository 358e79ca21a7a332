"""Persist and serve: settings, pipeline, jobs, HTTP API, web UI and the CLI."""
