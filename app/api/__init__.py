"""SERVE: the HTTP API (FastAPI), versioned under ``/v1``; ``app.api.main.create_app`` builds it."""
