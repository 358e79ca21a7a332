"""Corrections through the HTTP API, on SQLite and PostgreSQL: checked against the fact schema,
re-deciding the case at once, resetting what rested on the old value, kept over later
re-triage, and never dropping a document-backed approval without its role's confirmation."""

from __future__ import annotations

import json
from typing import Any

from tests.app.approvals.conftest import (
    KICKOFF_NOTE,
    ORDER_FORM,
    PLAIN_ORDER,
    SECURITY_ADDENDUM,
    Api,
)


def _case(api: Api) -> str:
    accepted = api.upload(
        "csm", ("order_form.txt", ORDER_FORM), ("security.txt", SECURITY_ADDENDUM)
    )
    return str(accepted["case_id"])


def _fact(view: dict[str, Any], path: str) -> dict[str, Any]:
    group = path.split(".", 1)[0]
    return next(f for f in view["facts"][group] if f["path"] == path)


def test_a_correction_re_decides_at_once_and_resets_what_rested_on_the_fact(api: Api) -> None:
    case_id = _case(api)
    assert api.decide("finance", case_id, "finance", "grant").status_code == 200

    response = api.correct(
        "csm",
        case_id,
        path="commercial.payment_terms_days",
        value=90,
        reason="The signed order form says net 90.",
        quote="payable within sixty (60) days",
    )
    assert response.status_code == 201, response.text
    body = response.json()
    correction = body["correction"]
    assert correction["old"]["value"] == 60 and correction["old"]["source"] == "pattern"
    assert correction["new"]["value"] == 90 and correction["new"]["source"] == "person"
    assert correction["new"]["evidence"][0]["quote"] == "payable within sixty (60) days"
    assert correction["corrector"] == "csm@example.com"
    assert correction["decision_before"]["approvals"] == ["finance", "security"]
    assert correction["decision_after"]["approvals"] == ["finance", "security"]
    approvals = {a["role"]: a for a in body["approvals"]}
    assert approvals["finance"]["state"] == "reset"
    assert approvals["finance"]["reset_cause"] == (
        "fact changed: commercial.payment_terms_days 60 → 90"
    )
    assert approvals["security"]["state"] == "pending"

    view = api.case(case_id)
    fact = _fact(view, "commercial.payment_terms_days")
    assert fact["value"] == 90 and fact["source"] == "person"
    assert view["corrections"][0]["old"] == "60" and view["corrections"][0]["new"] == "90"
    assert view["corrections"][0]["corrected_by"] == "csm@example.com"

    kinds = api.audit_kinds(case_id)
    assert kinds[kinds.index("fact.corrected") :] == [
        "fact.corrected",
        "case.decided",
        "approval.reset",
    ]
    corrected = json.loads(api.audit(case_id)[kinds.index("fact.corrected")].data_json)
    assert (corrected["old"], corrected["new"]) == (60, 90)
    assert corrected["decision_before"]["path"] == "standard"
    decided = json.loads(api.audit(case_id)[-2].data_json)
    assert decided["cause"] == "correction"
    assert decided["correction_id"] == correction["id"]
    assert api.outbox_types(case_id)[-2:] == [("case.triaged", None), ("approval.reset", "finance")]

    listed = api.client.get(f"/v1/cases/{case_id}/corrections", headers=api.as_("legal"))
    assert [c["id"] for c in listed.json()["items"]] == [correction["id"]]


def test_a_correction_is_checked_against_the_fact_schema(api: Api) -> None:
    case_id = _case(api)
    cases: list[tuple[dict[str, Any], str]] = [
        ({"path": "commercial.payment_days", "value": 30}, "unknown_fact_path"),
        ({"path": "commercial.payment_terms_days", "value": "thirty"}, "invalid_fact_value"),
        ({"path": "commercial.payment_terms_days", "value": 30.5}, "invalid_fact_value"),
        ({"path": "legal.uncapped_liability", "value": "yes"}, "invalid_fact_value"),
        (
            {"path": "commercial.annual_contract_value", "value": {"amount": 1, "currency": "usd"}},
            "invalid_fact_value",
        ),
        (
            {"path": "commercial.payment_terms_days", "value": 30, "quote": "net thirty days"},
            "quote_not_found",
        ),
        ({"path": "commercial.payment_terms_days", "value": 30, "reason": ""}, "invalid_request"),
    ]
    for body, code in cases:
        response = api.correct("csm", case_id, **{"reason": "Checked.", **body})
        assert response.status_code == 422, (body, response.text)
        assert response.json()["code"] == code, (body, response.json())
    assert (
        api.client.get(f"/v1/cases/{case_id}/corrections", headers=api.as_("csm")).json()["items"]
        == []
    )
    assert "fact.corrected" not in api.audit_kinds(case_id)
    missing = api.correct("csm", "nosuchcase", path="legal.venue", value="x", reason="r")
    assert missing.status_code == 404


def test_a_correction_cannot_drop_a_document_backed_approval_unless_its_role_confirms(
    api: Api,
) -> None:
    case_id = _case(api)
    response = api.correct(
        "csm",
        case_id,
        path="commercial.payment_terms_days",
        value=30,
        reason="Sales agreed net 30 by e-mail.",
    )
    assert response.status_code == 201, response.text
    body = response.json()
    # The corrected facts no longer ask for finance ...
    assert body["correction"]["decision_after"]["approvals"] == ["security"]
    # ... but the order form's own words do: finance stays, unchanged, awaiting confirmation.
    approvals = {a["role"]: a for a in body["approvals"]}
    assert approvals["finance"]["state"] == "pending"
    assert approvals["finance"]["removal_pending_confirmation"] is True
    assert approvals["security"]["removal_pending_confirmation"] is False
    view = api.case(case_id)
    shown = {a["role"]: a for a in view["approvals"]}
    assert shown["finance"]["removal_pending_confirmation"] is True
    assert shown["finance"]["evidence"], "the clause that asks for finance is still shown"
    assert "finance" in view["waiting_for"]

    # Security granting is not enough: finance is still required.
    assert api.decide("security", case_id, "security", "grant").json()["case_status"] == "decided"
    # A document added later re-triages with the correction: finance still waits.
    assert api.add("csm", case_id, ("kickoff.txt", KICKOFF_NOTE)).status_code == 202
    assert api.record(case_id, "finance").state == "pending"
    assert api.approvals(case_id)["finance"]["removal_pending_confirmation"] is True
    assert api.decide("security", case_id, "security", "grant").status_code == 200

    # Only finance can confirm, with a reason; security has nothing to confirm.
    assert api.decide("security", case_id, "security", "confirm_removal", "x").status_code == 409
    assert api.decide("legal", case_id, "finance", "confirm_removal", "x").status_code == 403
    assert api.decide("finance", case_id, "finance", "confirm_removal").status_code == 422
    confirmed = api.decide(
        "finance", case_id, "finance", "confirm_removal", "Net 30 confirmed with the customer."
    )
    assert confirmed.status_code == 200, confirmed.text
    assert confirmed.json()["approval"]["state"] == "expired"
    assert confirmed.json()["case_status"] == "ready_for_provisioning"
    # Confirmed once: a further document does not bring finance back on the same facts.
    assert api.add("csm", case_id, ("note.txt", b"NOTE\n\nAnother note.\n")).status_code == 202
    assert api.record(case_id, "finance").state == "expired"
    kinds = api.audit_kinds(case_id)
    assert "approval.removal_confirmed" in kinds
    removal = [
        json.loads(e.data_json)
        for e in api.outbox(case_id)
        if e.type == "approval.decided" and json.loads(e.data_json)["role"] == "finance"
    ]
    assert removal[-1]["decision"] == "confirm_removal"


def test_a_person_backed_approval_expires_when_no_longer_required(api: Api) -> None:
    case_id = str(api.upload("csm", ("order_form.txt", PLAIN_ORDER))["case_id"])
    assert api.case(case_id)["status"] == "ready_for_provisioning"

    added = api.correct(
        "finance", case_id, path="legal.governing_law", value="Texas", reason="Amended by email."
    )
    assert added.status_code == 201, added.text
    assert added.json()["case_status"] == "decided"
    legal = api.approvals(case_id)["legal"]
    assert legal["state"] == "pending" and legal["basis"] == {"legal.governing_law": "Texas"}

    # Corrections hold over a re-triage after a document is added.
    assert api.add("csm", case_id, ("kickoff.txt", KICKOFF_NOTE)).status_code == 202
    view = api.case(case_id)
    assert _fact(view, "legal.governing_law")["value"] == "Texas"
    assert [a["role"] for a in view["approvals"]] == ["legal"]

    back = api.correct(
        "csm", case_id, path="legal.governing_law", value="New York", reason="Typo; it is NY."
    )
    assert back.status_code == 201, back.text
    assert back.json()["case_status"] == "ready_for_provisioning"
    assert api.record(case_id, "legal").state == "expired"
    kinds = api.audit_kinds(case_id)
    assert kinds[-4:] == [
        "fact.corrected",
        "case.decided",
        "approval.expired",
        "case.ready_for_provisioning",
    ]
    ready = [t for t, _ in api.outbox_types(case_id) if t == "case.ready_for_provisioning"]
    assert len(ready) == 2, "ready at upload, and again once legal was no longer needed"
