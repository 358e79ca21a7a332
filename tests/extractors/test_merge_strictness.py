"""Across the documents of a case the stricter reading stands, unless one document overrides."""

from __future__ import annotations

import pytest

from extractors import precedence
from extractors.document import Document
from extractors.extract import extract_bundle
from extractors.facts import DocumentKind, Finding, PartyRole
from extractors.precedence import PrecedenceClauses, read_precedence
from extractors.strictness import STRICTNESS, stricter_value
from tests.extractors.fakes import ScriptedExtractor, found
from tests.extractors.test_chunking import make_document


def _named(filename: str, text: str) -> Document:
    return make_document([text]).model_copy(update={"filename": filename})


MSA_NET_90 = _named(
    "msa.pdf",
    "MASTER SERVICES AGREEMENT. Invoices are payable net 90. Governed by the laws of England.",
)
MSA_NET_60 = _named("msa.pdf", "MASTER SERVICES AGREEMENT. Invoices are payable net 60.")
MSA_ORDER_FORM_MAY_VARY = _named(
    "msa.pdf",
    "MASTER SERVICES AGREEMENT. Unless the Order Form states otherwise, invoices are payable "
    "net 60.",
)
SOW_NET_30 = _named(
    "sow.pdf", "STATEMENT OF WORK. Invoices are payable net 30. Governed by the laws of Germany."
)
ORDER_PREVAILS_NET_30 = _named(
    "order_form.pdf",
    "ORDER FORM. This Order Form prevails over the Agreement. Invoices are payable net 30.",
)
ORDER_NET_30 = _named("order_form.pdf", "ORDER FORM. Invoices are payable net 30.")
AMENDMENT_NET_30 = _named("amendment.pdf", "AMENDMENT NO. 1. Invoices are payable net 30.")

_KINDS = {
    MSA_NET_90.document_id: (DocumentKind.MSA, "MASTER SERVICES AGREEMENT"),
    MSA_NET_60.document_id: (DocumentKind.MSA, "MASTER SERVICES AGREEMENT"),
    MSA_ORDER_FORM_MAY_VARY.document_id: (DocumentKind.MSA, "MASTER SERVICES AGREEMENT"),
    SOW_NET_30.document_id: (DocumentKind.SOW, "STATEMENT OF WORK"),
    ORDER_PREVAILS_NET_30.document_id: (DocumentKind.ORDER_FORM, "ORDER FORM"),
    ORDER_NET_30.document_id: (DocumentKind.ORDER_FORM, "ORDER FORM"),
    AMENDMENT_NET_30.document_id: (DocumentKind.AMENDMENT, "AMENDMENT NO. 1"),
}


def _script(document: Document) -> list[Finding]:
    kind, title = _KINDS[document.document_id]
    days = int(document.text.split("payable net ")[1][:2])
    findings = [
        found(document, "commercial.document_kinds", [kind], title),
        found(document, "commercial.payment_terms_days", days, f"payable net {days}"),
    ]
    for law in ("England", "Germany"):
        if law in document.text:
            findings.append(found(document, "legal.governing_law", law, f"laws of {law}"))
    return findings


def _payment_terms(*documents: Document) -> list[tuple[int | None, str | None, int]]:
    """The merged payment terms of the case in every order of its documents."""
    results = []
    for bundle in (list(documents), list(reversed(documents))):
        record = extract_bundle(bundle, extractors=[ScriptedExtractor(_script)])
        fact = record.commercial.payment_terms_days
        results.append((fact.value, fact.note, len(fact.evidence)))
    assert results[0] == results[1], "the merge depends on the order of the documents"
    return results


def test_adding_a_sow_with_shorter_terms_keeps_the_msas_net_90() -> None:
    [(value, note, evidence), _] = _payment_terms(MSA_NET_90, SOW_NET_30)
    assert value == 90
    assert note is not None
    assert note == "stricter of net 90 (msa.pdf) and net 30 (sow.pdf); no precedence clause"
    assert evidence == 2  # both readings stay quoted


def test_the_stricter_reading_is_quoted_first() -> None:
    record = extract_bundle([SOW_NET_30, MSA_NET_90], extractors=[ScriptedExtractor(_script)])
    fact = record.commercial.payment_terms_days
    assert fact.evidence[0].document_id == MSA_NET_90.document_id
    assert {e.document_id for e in fact.evidence} == {
        MSA_NET_90.document_id,
        SOW_NET_30.document_id,
    }


def test_an_order_form_that_says_it_prevails_overrides_the_msa() -> None:
    [(value, note, evidence), _] = _payment_terms(MSA_NET_60, ORDER_PREVAILS_NET_30)
    assert value == 30
    assert note is not None and "overrides" in note and "This Order Form prevails" in note
    assert evidence == 2


def test_an_order_form_without_a_precedence_clause_does_not_override() -> None:
    [(value, _, _), _] = _payment_terms(MSA_NET_60, ORDER_NET_30)
    assert value == 60


def test_an_msa_that_lets_the_order_form_vary_it_is_overridden() -> None:
    [(value, note, _), _] = _payment_terms(MSA_ORDER_FORM_MAY_VARY, ORDER_NET_30)
    assert value == 30
    assert note is not None and "Unless the Order Form states otherwise" in note


def test_an_amendment_overrides() -> None:
    [(value, note, evidence), _] = _payment_terms(MSA_NET_90, AMENDMENT_NET_30)
    assert value == 30
    assert note is not None and "is an amendment" in note
    assert evidence == 2


def test_without_a_direction_the_document_precedence_stands_and_says_so() -> None:
    record = extract_bundle([MSA_NET_90, SOW_NET_30], extractors=[ScriptedExtractor(_script)])
    law = record.legal.governing_law
    assert law.value == "Germany"  # the SOW ranks above the MSA
    assert law.note is not None
    assert "document precedence" in law.note and "England" in law.note


def test_lower_is_stricter_for_the_providers_commitments() -> None:
    assert STRICTNESS["security.breach_notification_hours"].stricter == "lower"
    assert stricter_value("security.breach_notification_hours", [72, 24]) == 24
    assert stricter_value("service.uptime_percent", [99.5, 99.9]) == 99.9


def test_amounts_in_different_currencies_have_no_stricter_reading() -> None:
    from extractors.facts import Money

    values = [Money(amount=10, currency="USD"), Money(amount=20, currency="EUR")]
    assert stricter_value("commercial.annual_contract_value", values) is None


def test_precedence_clauses_are_read_and_denials_are_not() -> None:
    assert read_precedence("Notwithstanding Section 5.2 of the Agreement, net 60.").claims
    assert read_precedence("The terms of this Order Form shall govern.").claims
    assert read_precedence("Nothing in this Order Form supersedes the Agreement.").claims == ()
    assert read_precedence("This Order Form is governed by the laws of Ohio.").claims == ()
    master = read_precedence(
        "The Security Addendum prevails over this Agreement, which prevails over any Order Form."
    )
    assert master.grant_to(DocumentKind.SECURITY_ADDENDUM) is not None
    assert master.grant_to(DocumentKind.ORDER_FORM) is None


def test_a_clause_that_varies_one_section_overrides_only_that_section() -> None:
    msa = _named("msa.pdf", "MASTER SERVICES AGREEMENT. Net 60. Uptime 99.9%.")
    order = _named(
        "order_form.pdf",
        "ORDER FORM. Notwithstanding Section 5.2 of the Agreement, invoices are payable "
        "net 30.\n\nThe Services will be available 99.5% of each month.",
    )

    def script(document: Document) -> list[Finding]:
        is_msa = document is msa
        kind = DocumentKind.MSA if is_msa else DocumentKind.ORDER_FORM
        return [
            found(
                document, "commercial.document_kinds", [kind], "AGREEMENT" if is_msa else "ORDER"
            ),
            found(
                document,
                "commercial.payment_terms_days",
                60 if is_msa else 30,
                "Net 60" if is_msa else "payable net 30",
            ),
            found(
                document,
                "service.uptime_percent",
                99.9 if is_msa else 99.5,
                "99.9%" if is_msa else "99.5%",
            ),
        ]

    record = extract_bundle([msa, order], extractors=[ScriptedExtractor(script)])
    assert record.commercial.payment_terms_days.value == 30
    assert record.service.uptime_percent.value == 99.9
    note = record.service.uptime_percent.note
    assert note == "stricter of 99.9% (msa.pdf) and 99.5% (order_form.pdf); no precedence clause"


MSA_CUSTOMER_MAY_TERMINATE = _named(
    "msa.pdf",
    "MASTER SUBSCRIPTION AGREEMENT\n\n3.2 Customer may terminate this Agreement for convenience "
    "on ninety (90) days' written notice.",
)
AMENDMENT_DELETES_IT = _named(
    "amendment.txt",
    "AMENDMENT NO. 1 TO THE MASTER SUBSCRIPTION AGREEMENT\n\nSection 3.2 of the Agreement is "
    "deleted. Customer may not terminate the Agreement for convenience.",
)
ORDER_DENIES_IT = _named(
    "order_form.pdf",
    "ORDER FORM\n\nCustomer may not terminate the Agreement for convenience.",
)


def _convenience(*documents: Document) -> tuple[str, list[PartyRole] | None]:
    results = []
    for bundle in (list(documents), list(reversed(documents))):
        record = extract_bundle(bundle)
        clause, by = (
            record.legal.termination_for_convenience,
            (record.legal.termination_for_convenience_by),
        )
        results.append((clause.status.value, by.value if by.is_present else None))
    assert results[0] == results[1], "the merge depends on the order of the documents"
    return results[0]


def test_an_amendment_that_deletes_a_clause_excludes_it() -> None:
    assert _convenience(MSA_CUSTOMER_MAY_TERMINATE, AMENDMENT_DELETES_IT) == ("excluded", None)


def test_a_document_that_does_not_override_leaves_the_clause_present() -> None:
    status, by = _convenience(MSA_CUSTOMER_MAY_TERMINATE, ORDER_DENIES_IT)
    assert status == "present" and by == ["customer"]


def test_precedence_clauses_are_read_only_from_documents_that_disagree(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    read: list[str] = []

    def reading(text: str) -> PrecedenceClauses:
        read.append(text)
        return read_precedence(text)

    monkeypatch.setattr(precedence, "read_precedence", reading)

    alone = extract_bundle([ORDER_PREVAILS_NET_30], extractors=[ScriptedExtractor(_script)])
    assert alone.commercial.payment_terms_days.value == 30
    assert read == []

    both = extract_bundle(
        [MSA_NET_60, ORDER_PREVAILS_NET_30], extractors=[ScriptedExtractor(_script)]
    )
    assert both.commercial.payment_terms_days.value == 30
    assert ORDER_PREVAILS_NET_30.text in read
