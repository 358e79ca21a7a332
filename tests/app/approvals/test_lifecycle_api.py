"""The approval lifecycle through the HTTP API, on SQLite and PostgreSQL: asked with due times
when a case is decided, granted by each role until the case is ready for provisioning,
rejected back to its owner; separation of duties; and what the audit trail and outbox say."""

from __future__ import annotations

import json

from tests.app.approvals.conftest import (
    KICKOFF_NOTE,
    ORDER_FORM,
    PLAIN_ORDER,
    SECURITY_ADDENDUM,
    Api,
    moment,
)


def _decided_case(api: Api) -> str:
    accepted = api.upload(
        "csm", ("order_form.txt", ORDER_FORM), ("security.txt", SECURITY_ADDENDUM)
    )
    return str(accepted["case_id"])


def test_a_decided_case_asks_each_role_with_a_due_time_in_business_hours(api: Api) -> None:
    case_id = _decided_case(api)
    approvals = api.approvals(case_id)
    assert set(approvals) == {"finance", "security"}
    for role, hours in (("finance", 16), ("security", 24)):
        item = approvals[role]
        assert item["state"] == "pending"
        requested = moment(item["requested_at"])
        assert moment(item["due_at"]) == api.calendar.add_business_hours(requested, hours)
        assert item["reasons"] and item["rules"]
        assert item["removal_pending_confirmation"] is False
    assert approvals["finance"]["basis"] == {"commercial.payment_terms_days": 60}
    view = api.case(case_id)
    assert view["status"] == "decided"
    assert view["waiting_for"] == ["finance", "security"]
    shown = {a["role"]: a for a in view["approvals"]}
    assert shown["finance"]["state"] == "pending"
    assert shown["finance"]["due_at"] == approvals["finance"]["due_at"]


def test_granting_every_approval_makes_the_case_ready_for_provisioning(api: Api) -> None:
    case_id = _decided_case(api)
    first = api.decide("finance", case_id, "finance", "grant", "Net 60 is fine for them.")
    assert first.status_code == 200, first.text
    assert first.json()["case_status"] == "decided"
    granted = first.json()["approval"]
    assert granted["state"] == "granted"
    assert granted["approver"] == "finance@example.com"
    assert granted["comment"] == "Net 60 is fine for them."
    assert api.case(case_id)["waiting_for"] == ["security"]

    last = api.decide("security", case_id, "security", "grant")
    assert last.status_code == 200, last.text
    assert last.json()["case_status"] == "ready_for_provisioning"
    assert api.case(case_id)["status"] == "ready_for_provisioning"

    again = api.decide("finance", case_id, "finance", "grant")
    assert again.status_code == 409
    assert again.json()["code"] == "approval_not_open"

    assert api.audit_kinds(case_id) == [
        "case.received",
        "case.decided",
        "approval.requested",
        "approval.requested",
        "approval.granted",
        "approval.granted",
        "case.ready_for_provisioning",
    ]
    assert api.outbox_types(case_id) == [
        ("case.triaged", None),
        ("approval.requested", "finance"),
        ("approval.requested", "security"),
        ("approval.decided", "finance"),
        ("approval.decided", "security"),
        ("case.ready_for_provisioning", None),
    ]
    audit = api.audit(case_id)
    received = json.loads(audit[0].data_json)
    assert [d["filename"] for d in received["documents"]] == ["order_form.txt", "security.txt"]
    assert audit[0].actor == api.user_id("csm")
    decided = json.loads(audit[1].data_json)
    assert decided["path"] == "standard"
    assert decided["ruleset_version"]
    assert [a["role"] for a in decided["approvals"]] == ["finance", "security"]
    assert audit[4].actor == api.user_id("finance")
    triaged = json.loads(api.outbox(case_id)[0].data_json)
    assert triaged["path"] == "standard" and triaged["case_id"] == case_id


def test_a_rejection_returns_the_case_with_its_reason(api: Api) -> None:
    case_id = _decided_case(api)
    silent = api.decide("finance", case_id, "finance", "reject")
    assert silent.status_code == 422
    assert silent.json()["code"] == "comment_required"
    assert api.record(case_id, "finance").state == "pending"

    rejected = api.decide("finance", case_id, "finance", "reject", "Net 60 needs a deposit.")
    assert rejected.status_code == 200, rejected.text
    assert rejected.json()["case_status"] == "returned"
    view = api.case(case_id)
    assert view["status"] == "returned"
    assert view["returned_reason"] == "finance rejected it: Net 60 needs a deposit."
    # The other approver may still decide; the case stays returned.
    assert api.decide("security", case_id, "security", "grant").json()["case_status"] == "returned"
    assert api.audit_kinds(case_id)[-3:] == [
        "approval.rejected",
        "case.returned",
        "approval.granted",
    ]
    decided = [json.loads(e.data_json) for e in api.outbox(case_id) if e.type == "approval.decided"]
    assert decided[0]["decision"] == "reject"
    assert decided[0]["comment"] == "Net 60 needs a deposit."


def test_only_the_role_and_never_the_uploader_decides(api: Api) -> None:
    own = str(api.upload("csmfinance", ("order_form.txt", ORDER_FORM))["case_id"])
    refused = api.decide("csmfinance", own, "finance", "grant")
    assert refused.status_code == 403
    assert "uploaded this case" in refused.json()["detail"]
    assert api.record(own, "finance").state == "pending"

    wrong_role = api.decide("legal", own, "finance", "grant")
    assert wrong_role.status_code == 403
    admin = api.decide("admin", own, "finance", "grant")
    assert admin.status_code == 403
    csm = api.decide("csm", own, "finance", "grant")
    assert csm.status_code == 403

    # A role the case's decision never asked for.
    missing = api.decide("tax", own, "tax", "grant")
    assert missing.status_code == 404
    assert missing.json()["code"] == "approval_not_found"

    granted = api.decide("finance", own, "finance", "grant")
    assert granted.status_code == 200
    assert granted.json()["case_status"] == "ready_for_provisioning"
    # The uploader's other hat never counted: the decider is the other finance user.
    assert api.record(own, "finance").decided_by == api.user_id("finance")


def test_a_case_that_needs_no_approval_is_ready_when_decided(api: Api) -> None:
    case_id = str(api.upload("csm", ("order_form.txt", PLAIN_ORDER))["case_id"])
    view = api.case(case_id)
    assert view["status"] == "ready_for_provisioning"
    assert view["approvals"] == [] and view["waiting_for"] == []
    assert api.audit_kinds(case_id) == [
        "case.received",
        "case.decided",
        "case.ready_for_provisioning",
    ]
    assert [t for t, _ in api.outbox_types(case_id)] == [
        "case.triaged",
        "case.ready_for_provisioning",
    ]


def test_adding_a_document_resets_granted_approvals_and_keeps_pending_ones(api: Api) -> None:
    case_id = _decided_case(api)
    assert api.decide("finance", case_id, "finance", "grant").status_code == 200
    security_due = api.record(case_id, "security").due_at

    added = api.add("csm", case_id, ("kickoff.txt", KICKOFF_NOTE))
    assert added.status_code == 202, added.text

    finance = api.approvals(case_id)["finance"]
    assert finance["state"] == "reset"
    assert finance["reset_cause"] == "document added: kickoff.txt"
    assert finance["approver"] is None
    assert moment(finance["due_at"]) == api.calendar.add_business_hours(
        moment(finance["requested_at"]), 16
    )
    security = api.record(case_id, "security")
    assert security.state == "pending" and security.due_at == security_due
    assert api.case(case_id)["status"] == "decided"
    kinds = api.audit_kinds(case_id)
    assert kinds[kinds.index("case.documents_added") :] == [
        "case.documents_added",
        "approval.reset",
        "case.decided",
    ]
    assert api.outbox_types(case_id)[-2:] == [("approval.reset", "finance"), ("case.triaged", None)]

    # Asked again: granting it (and security) releases the case once more.
    assert api.decide("finance", case_id, "finance", "grant").status_code == 200
    ready = api.decide("security", case_id, "security", "grant")
    assert ready.json()["case_status"] == "ready_for_provisioning"
