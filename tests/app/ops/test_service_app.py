"""The service's own app (``create_app``) carries the operations endpoints and telemetry."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from app.api.main import create_app
from app.jobs.inline import InlineJobQueue
from app.settings import Settings
from tests.app.api.conftest import auth_headers


def test_the_service_app_answers_probes_and_labels_its_routes(tmp_path: Path) -> None:
    settings = Settings(
        database_url=f"sqlite:///{tmp_path / 'service.db'}",
        data_dir=tmp_path / "data",
        rules_engine="reference",
    )
    with TestClient(create_app(settings, queue_factory=InlineJobQueue)) as client:
        assert client.get("/healthz").json() == {"status": "ok"}
        ready = client.get("/readyz")
        assert ready.status_code == 200, ready.text
        signed_in = auth_headers(settings, roles=("csm",))
        missing = client.get("/v1/cases/nope", headers={"X-Request-ID": "svc-1", **signed_in})
        assert missing.status_code == 404
        assert missing.headers["X-Request-ID"] == "svc-1"
        metrics = client.get("/metrics").text
    assert (
        'triage_http_requests_total{method="GET",route="/v1/cases/{case_id}",status="404"} 1.0'
        in metrics
    )
    assert 'triage_jobs{state="queued"} 0.0' in metrics
