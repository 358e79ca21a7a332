"""The embedded shape survives kill -9: ``triage serve`` dies mid-job, the next one decides once.

``triage serve`` on SQLite runs its jobs in its own process. The first server reads the
upload with a deliberately slow extractor and is killed with SIGKILL while the job runs;
a second server on the same database and data folder finds the job's lease run out, runs
it again, and the case is decided once: one case, one job (two attempts), the documents
stored once.
"""

from __future__ import annotations

import json
import os
import signal
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import Engine
from sqlmodel import col, func, select

from app.db import create_db_engine, migrate, session_scope
from app.models import Case, CaseDocument, Job, JobStatus
from tests.app.api.conftest import SAMPLE, bearer, issue_test_token, sample_files
from tests.support.processes import (
    Spawned,
    free_port,
    service_env,
    wait_until,
    wait_until_ready,
)
from tests.support.run_worker import SLOW_ENV, SLOW_ONCE_ENV

LEASE_S = 2
SETTLED = {"decided", "needs_information", "ready_for_provisioning", "returned", "failed"}


def job_row(engine: Engine, job_id: str) -> Job:
    with session_scope(engine) as session:
        job = session.exec(select(Job).where(col(Job.id) == job_id)).one()
        session.expunge(job)
        return job


def row_count(engine: Engine, model: type[Case] | type[CaseDocument] | type[Job]) -> int:
    with session_scope(engine) as session:
        return int(session.exec(select(func.count()).select_from(model)).one())


@pytest.mark.slow
def test_serve_killed_mid_job_decides_the_case_once_after_a_restart(tmp_path: Path) -> None:
    database_url = f"sqlite:///{tmp_path / 'triage.db'}"
    engine = create_db_engine(database_url)
    migrate(engine)
    headers = bearer(issue_test_token(engine))
    slept = tmp_path / "slept"  # made by the first extraction, which then sleeps
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = service_env(
        TRIAGE_DATABASE_URL=database_url,
        TRIAGE_DATA_DIR=str(tmp_path / "data"),
        TRIAGE_JOB_LEASE_S=str(LEASE_S),
        TRIAGE_OFFLINE_EXTRACTORS="patterns,classifier,slow",
        TRIAGE_LOG_FORMAT="text",
        **{SLOW_ENV: "60", SLOW_ONCE_ENV: str(slept)},
    )
    args = ["--port", str(port), "--shutdown-timeout", "5"]
    servers: list[Spawned] = []
    try:
        first = Spawned("tests.support.run_serve", args, env=env, log=tmp_path / "serve-1.log")
        servers.append(first)
        wait_until_ready(base, first)
        with httpx.Client(base_url=base, headers=headers, timeout=30) as http:
            response = http.post(
                "/v1/cases", files=sample_files(), data={"reference": "Kepler Maritime B.V."}
            )
            assert response.status_code == 202, response.text
            accepted = response.json()
        case_url, job_id = response.headers["location"], accepted["job_id"]

        # Kill it inside the extraction, with the job claimed by this very process.
        wait_until(slept.exists, what="the slow extraction to start", watch=[first])
        running = job_row(engine, job_id)
        assert running.status is JobStatus.RUNNING
        assert (running.lease_owner or "").split(":")[2] == str(first.pid)  # kind:host:pid:nonce
        os.kill(first.pid, signal.SIGKILL)
        assert first.process.wait(10) == -signal.SIGKILL
        left = job_row(engine, job_id)
        assert (left.status, left.attempts) == (JobStatus.RUNNING, 1)
        # The parser and rules-engine processes it started end with it: nothing is left over.
        wait_until(lambda: not first.group_alive(), what="the killed server's children to end")

        second = Spawned("tests.support.run_serve", args, env=env, log=tmp_path / "serve-2.log")
        servers.append(second)
        wait_until_ready(base, second)
        with httpx.Client(base_url=base, headers=headers, timeout=30) as http:
            view: dict[str, Any] = {}

            def settled() -> bool:
                view.update(http.get(case_url).json())
                return view["status"] in SETTLED

            wait_until(settled, what="the restarted server to decide the case", watch=[second])
            job = http.get(accepted["links"]["job"]).json()
            listed = http.get("/v1/cases").json()["items"]
            original = http.get(accepted["links"]["documents"][1]).content
        assert second.stop(timeout_s=15) == 0, second.output()[-4000:]
    finally:
        for server in servers:
            server.kill_group()

    # Through the API: one case, decided, with its two documents once each.
    assert [item["id"] for item in listed] == [accepted["case_id"]]
    assert (view["status"], view["path"]) == ("decided", "assisted")
    assert [a["role"] for a in view["approvals"]] == ["legal", "finance", "security", "tax"]
    assert [d["filename"] for d in view["documents"]] == ["msa.pdf", "order_form.docx"]
    assert view["job"]["id"] == job_id
    assert (job["status"], job["attempts"], job["error_code"]) == ("done", 2, None)
    assert original == (SAMPLE / "order_form.docx").read_bytes()

    # In the database: one case with one decision, two documents, one job run twice.
    assert row_count(engine, Case) == 1
    assert row_count(engine, CaseDocument) == 2
    assert row_count(engine, Job) == 1
    done = job_row(engine, job_id)
    assert (done.status, done.attempts, done.lease_owner) == (JobStatus.DONE, 2, None)
    with session_scope(engine) as session:
        case = session.exec(select(Case)).one()
        decision = json.loads(case.decision_json or "{}")
    assert decision["path"] == "assisted"
    engine.dispose()
