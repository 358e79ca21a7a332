"""What the service does shows in its metrics: refusals by code, jobs and decisions by path."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from tests.app.api.conftest import text_file


def _value(metrics: str, name: str, **labels: str) -> float:
    wanted = ",".join(f'{key}="{value}"' for key, value in sorted(labels.items()))
    for line in metrics.splitlines():
        match = re.fullmatch(rf"{name}\{{(.*)\}} (\S+)", line)
        if match and ",".join(sorted(match.group(1).split(","))) == wanted:
            return float(match.group(2))
    return 0.0


def test_refusals_jobs_and_decisions_are_counted(client: TestClient) -> None:
    before = client.get("/metrics").text
    refused = client.post("/v1/cases", files=[text_file(b"", "empty.txt")])
    assert refused.status_code == 422
    accepted = client.post("/v1/cases", files=[text_file()])
    assert accepted.status_code == 202
    path = client.get(f"/v1/cases/{accepted.json()['case_id']}").json()["path"]
    after = client.get("/metrics").text

    def grew(name: str, **labels: str) -> float:
        return _value(after, name, **labels) - _value(before, name, **labels)

    assert grew("triage_upload_refusals_total", code="empty_file") == 1
    assert grew("triage_jobs_processed_total", outcome="done") == 1
    assert grew("triage_decisions_total", path=path) == 1
