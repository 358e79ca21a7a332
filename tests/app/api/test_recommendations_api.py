"""``POST /v1/recommendations``: deal facts in, the decision out, as a case would get it."""

from __future__ import annotations

import json
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.api.recommending import parse_recommendation_request
from app.api.schemas import RecommendationRequest
from app.deciding import decide_with_settings
from app.errors import InvalidRequestError
from app.settings import Settings
from extractors.facts import FactRecord
from rules import CaseContext, load_policy
from rules.sampling import REALISTIC, RandomChooser, sample_case


def present(value: Any) -> dict[str, Any]:
    """A fact as a CRM sends it: present, with its value."""
    return {"status": "present", "value": value, "source": "crm"}


# A small US customer on standard terms: nobody needs to approve anything.
PLAIN_US_DEAL = {
    "commercial": {
        "parties": present(
            [
                {"name": "Nimbus Cloud Inc.", "role": "provider", "country": "US"},
                {"name": "Harbor Foods Inc.", "role": "customer", "country": "US"},
            ]
        ),
        "annual_contract_value": present({"amount": 12000, "currency": "USD"}),
        "currencies": present(["USD"]),
        "payment_terms_days": present(30),
        "discount_percent": present(5),
    },
    "legal": {"governing_law": present("New York")},
    "tax": {"billing_countries": present(["US"])},
}

# Net 60 and Dutch law: finance and legal must approve.
UNUSUAL_DEAL = {
    "commercial": {
        "annual_contract_value": present({"amount": 80000, "currency": "EUR"}),
        "payment_terms_days": present(60),
    },
    "legal": {"governing_law": present("Netherlands")},
}


def test_plain_us_small_deal_needs_no_approval(client: TestClient) -> None:
    response = client.post("/v1/recommendations", json={"facts": PLAIN_US_DEAL})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["decision"]["approvals"] == []
    assert body["decision"]["path"] == "self_serve"
    assert body["summary"] == "Self-serve: no approval needed."


def test_facts_get_the_decision_a_case_would_get_with_its_reasons(
    client: TestClient, settings: Settings
) -> None:
    response = client.post(
        "/v1/recommendations",
        json={"facts": UNUSUAL_DEAL, "context": {"unreadable_documents": []}},
    )
    assert response.status_code == 200, response.text
    body = response.json()
    decision = body["decision"]
    roles = [approval["role"] for approval in decision["approvals"]]
    assert roles == ["legal", "finance"]
    assert body["summary"].startswith("Standard: legal and finance must approve — ")
    assert "(Netherlands)" in body["summary"]
    fired = {rule["id"]: rule for rule in decision["fired_rules"]}
    assert "finance.payment_terms" in fired
    assert fired["finance.payment_terms"]["description"]
    assert [f["value"] for f in fired["finance.payment_terms"]["facts"]] == [60]
    finance = decision["approvals"][1]
    assert finance["reasons"] and "finance.payment_terms" in finance["rules"]
    # Exactly what the service's own engine decides on the same facts.
    same = decide_with_settings(
        FactRecord.model_validate(UNUSUAL_DEAL),
        policy=load_policy(),
        context=CaseContext(),
        settings=settings,
    )
    assert decision == same.model_dump(mode="json")


def test_context_steers_the_decision(client: TestClient) -> None:
    response = client.post(
        "/v1/recommendations",
        json={"facts": PLAIN_US_DEAL, "context": {"unreadable_documents": ["scan.pdf"]}},
    )
    assert response.status_code == 200
    assert response.json()["decision"]["path"] == "needs_information"
    assert response.json()["summary"].startswith("Needs information: ")


def test_unknown_fields_are_refused_wherever_they_are(client: TestClient) -> None:
    misspelt = {
        "facts": {"commercial": {"payment_term_days": present(60)}},
    }
    nested = {"facts": {"legal": {"governing_law": {**present("Ohio"), "confidence_x": 1}}}}
    top = {"facts": PLAIN_US_DEAL, "priority": "high"}
    context = {"facts": PLAIN_US_DEAL, "context": {"unreadable": []}}
    for body, loc in (
        (misspelt, ["facts", "commercial", "payment_term_days"]),
        (nested, ["facts", "legal", "governing_law", "confidence_x"]),
        (top, ["priority"]),
        (context, ["context", "unreadable"]),
    ):
        response = client.post("/v1/recommendations", json=body)
        assert response.status_code == 422, body
        problem = response.json()
        assert problem["code"] == "invalid_request"
        assert response.headers["content-type"] == "application/problem+json"
        assert {"loc": loc, "msg": "Extra inputs are not permitted", "type": "extra_forbidden"} in (
            problem["errors"]
        )


def test_malformed_bodies_are_refused(client: TestClient) -> None:
    wrong_type = {"facts": {"commercial": {"payment_terms_days": present("sixty")}}}
    for content, content_type, status in (
        (b"", "application/json", 422),
        (b"{not json", "application/json", 422),
        (b"[]", "application/json", 422),
        (b'{"context": {}}', "application/json", 422),
        (b"facts=1", "application/x-www-form-urlencoded", 415),
    ):
        response = client.post(
            "/v1/recommendations", content=content, headers={"Content-Type": content_type}
        )
        assert response.status_code == status, content
    response = client.post("/v1/recommendations", json=wrong_type)
    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"][:3] == ["facts", "commercial", "payment_terms_days"]


def test_a_retried_recommendation_is_replayed(client: TestClient) -> None:
    headers = {"Idempotency-Key": "closed-won-42"}
    first = client.post("/v1/recommendations", json={"facts": PLAIN_US_DEAL}, headers=headers)
    # Key order and spacing do not make another request.
    again = client.post(
        "/v1/recommendations",
        content=b'{ "facts" : ' + first.request.content[len(b'{"facts":') :],
        headers={**headers, "Content-Type": "application/json"},
    )
    assert again.status_code == 200
    assert again.headers["idempotent-replayed"] == "true"
    assert again.json() == first.json()
    other = client.post("/v1/recommendations", json={"facts": UNUSUAL_DEAL}, headers=headers)
    assert other.status_code == 422
    assert other.json()["code"] == "idempotency_key_reused"


def test_the_request_is_read_as_the_model_reads_it() -> None:
    """One validation straight from the JSON, the same facts and context as the model's."""
    policy = load_policy()
    chooser = RandomChooser(11)
    for _ in range(40):
        facts, context = sample_case(chooser, policy, REALISTIC)
        body = json.dumps(
            {"facts": facts.model_dump(mode="json"), "context": context.model_dump(mode="json")}
        ).encode()
        read = parse_recommendation_request(body)
        expected = RecommendationRequest.model_validate_json(body)
        assert (read.facts, read.context) == (expected.facts, expected.context)
        assert read.facts == facts
    # The form only the model's own validator takes: the facts as a JSON string.
    quoted = json.dumps({"facts": json.dumps(PLAIN_US_DEAL)}).encode()
    assert parse_recommendation_request(quoted).facts == FactRecord.model_validate(PLAIN_US_DEAL)
    misspelt = json.dumps({"facts": {"tax": {"billing_country": present(["US"])}}}).encode()
    with pytest.raises(InvalidRequestError) as refused:
        parse_recommendation_request(misspelt)
    assert refused.value.extra["errors"] == [
        {
            "loc": ["facts", "tax", "billing_country"],
            "msg": "Extra inputs are not permitted",
            "type": "extra_forbidden",
        }
    ]
