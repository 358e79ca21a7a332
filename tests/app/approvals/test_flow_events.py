"""The case flow's audit and outbox: a failed job audited with its case, two approvers racing for
the last approvals releasing the case exactly once, and a retried decision replayed."""

from __future__ import annotations

import json
import threading
from typing import Any

import pytest

from app import pipeline
from app.models import CaseStatus
from tests.app.approvals.conftest import ORDER_FORM, SECURITY_ADDENDUM, Api


@pytest.mark.parametrize("settings", [{"job_max_attempts": 1}], indirect=True)
def test_a_job_that_fails_for_good_is_audited_with_its_case(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    case_id = str(api.upload("csm", ("order_form.txt", ORDER_FORM))["case_id"])

    # The re-triage after a document is added breaks, on its only attempt.
    def broken(*_: Any, **__: Any) -> Any:
        raise RuntimeError("the extractor broke")

    monkeypatch.setattr(pipeline, "triage_documents", broken)
    added = api.add("csm", case_id, ("security.txt", SECURITY_ADDENDUM))
    assert added.status_code == 202, added.text
    assert api.case(case_id)["status"] == CaseStatus.FAILED.value
    failed = api.audit(case_id)[-1]
    assert failed.kind == "job.failed"
    data = json.loads(failed.data_json)
    assert data["job_id"] == added.json()["job_id"]
    assert data["message"] == "the extractor broke" and data["attempts"] == 1
    assert api.audit_kinds(case_id)[-2:] == ["case.documents_added", "job.failed"]


def test_two_approvers_granting_the_last_approvals_at_once_release_the_case_once(
    api: Api,
) -> None:
    accepted = api.upload(
        "csm", ("order_form.txt", ORDER_FORM), ("security.txt", SECURITY_ADDENDUM)
    )
    case_id = str(accepted["case_id"])
    barrier = threading.Barrier(2)
    answers: dict[str, int] = {}

    def grant(role: str) -> None:
        barrier.wait()
        answers[role] = api.decide(role, case_id, role, "grant").status_code

    threads = [threading.Thread(target=grant, args=(role,)) for role in ("finance", "security")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert answers == {"finance": 200, "security": 200}
    assert api.case(case_id)["status"] == "ready_for_provisioning"
    ready = [t for t, _ in api.outbox_types(case_id) if t == "case.ready_for_provisioning"]
    assert ready == ["case.ready_for_provisioning"]
    assert api.audit_kinds(case_id)[-1] == "case.ready_for_provisioning"


def test_a_retried_decision_with_its_idempotency_key_is_replayed(api: Api) -> None:
    accepted = api.upload("csm", ("order_form.txt", ORDER_FORM))
    case_id = str(accepted["case_id"])
    url = f"/v1/cases/{case_id}/approvals/finance"
    headers = {**api.as_("finance"), "Idempotency-Key": "grant-1"}
    first = api.client.post(url, json={"decision": "grant", "comment": "ok"}, headers=headers)
    again = api.client.post(url, json={"decision": "grant", "comment": "ok"}, headers=headers)
    assert first.status_code == again.status_code == 200
    assert again.json() == first.json()
    assert again.headers.get("Idempotent-Replayed") == "true"
    assert api.audit_kinds(case_id).count("approval.granted") == 1
    # Without the key, the second attempt is told the approval is no longer open.
    plain = api.client.post(url, json={"decision": "grant"}, headers=api.as_("finance"))
    assert plain.status_code == 409 and plain.json()["code"] == "approval_not_open"
