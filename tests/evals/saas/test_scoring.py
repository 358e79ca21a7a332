"""Precision/recall counting and the scorer's output, on hand-made fact records."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from evals.saas import score
from evals.saas.generate import DEFAULT_DATASET
from evals.saas.labels import BundleLabel, FactsScope, LabelStatus, load_label
from evals.saas.scoring import (
    Prediction,
    check_evidence,
    count_field,
    read_prediction,
    score_record,
    scored_paths,
    total,
)
from extractors.document import Document, MediaType, Page
from extractors.evidence import make_evidence
from extractors.facts import (
    Evidence,
    Fact,
    FactRecord,
    FactStatus,
    Obligation,
    PartyRole,
    Source,
    fact_paths,
)
from tests.evals.saas.conftest import ALL_BUNDLES, bundle_id

SIMPLE = DEFAULT_DATASET / "04-kestrel-bluebird"


def record_from_label(label: BundleLabel) -> FactRecord:
    """The record a perfect extractor would produce for ``label``."""
    record = FactRecord()
    for path, expected in label.expected().items():
        section, name = path.split(".", 1)
        if expected.status is LabelStatus.EXCLUDED:
            fact: Fact[Any] = Fact(status=FactStatus.EXCLUDED, source=Source.PATTERN)
        else:
            fact = Fact(status=FactStatus.PRESENT, value=expected.value, source=Source.PATTERN)
        setattr(getattr(record, section), name, fact)
    record.obligations = [
        Fact(status=FactStatus.PRESENT, value=item.as_obligation(), source=Source.PATTERN)
        for item in label.obligations
    ]
    return record


def with_fact(record: FactRecord, path: str, fact: Fact[Any]) -> FactRecord:
    section, name = path.split(".", 1)
    setattr(getattr(record, section), name, fact)
    return record


def present(value: Any) -> Fact[Any]:
    return Fact(status=FactStatus.PRESENT, value=value, source=Source.PATTERN)


def text_document(text: str) -> Document:
    return Document(
        text=text,
        pages=[Page(number=1, start=0, end=len(text))],
        sha256="a" * 64,
        media_type=MediaType.TEXT,
        loader="test",
        loader_version="0",
    )


# ---- bad and unusual predictions first ---------------------------------------------


def test_ungrounded_and_not_found_facts_assert_nothing() -> None:
    path = "commercial.payment_terms_days"
    ungrounded: Fact[int] = Fact(status=FactStatus.PRESENT, value=60, grounded=False)
    assert read_prediction(path, ungrounded).status is None
    assert read_prediction(path, Fact(status=FactStatus.NOT_FOUND)).status is None
    assert read_prediction(path, Fact()).status is None


def test_malformed_predicted_value_is_a_miss_not_a_crash() -> None:
    label = load_label(SIMPLE)
    record = with_fact(record_from_label(label), "commercial.term_months", present("a month"))
    counts = score_record(label, record)["commercial.term_months"]
    assert (counts.tp, counts.fp, counts.fn) == (0, 1, 1)


def test_yes_no_fact_present_but_false_reads_as_excluded() -> None:
    prediction = read_prediction("legal.audit_rights", present(False))
    assert prediction.status is LabelStatus.EXCLUDED
    assert read_prediction("legal.audit_rights", present(None)) == Prediction(
        LabelStatus.PRESENT, True
    )


def test_wrong_value_counts_as_false_positive_and_false_negative() -> None:
    label = load_label(DEFAULT_DATASET / "01-brightline-harborview")
    record = with_fact(record_from_label(label), "commercial.payment_terms_days", present(30))
    counts = score_record(label, record)["commercial.payment_terms_days"]
    assert (counts.tp, counts.fp, counts.fn) == (0, 1, 1)
    assert counts.precision == 0.0 and counts.recall == 0.0


def test_prediction_on_an_unlabelled_path_is_a_false_positive() -> None:
    label = load_label(SIMPLE)
    assert "legal.audit_rights" not in label.facts
    record = with_fact(record_from_label(label), "legal.audit_rights", present(True))
    counts = score_record(label, record)["legal.audit_rights"]
    assert (counts.tp, counts.fp, counts.fn) == (0, 1, 0)
    excluded: Fact[bool] = Fact(status=FactStatus.EXCLUDED, source=Source.PATTERN)
    record = with_fact(record_from_label(label), "legal.audit_rights", excluded)
    assert score_record(label, record)["legal.audit_rights"].fp == 1


def test_excluded_label_against_present_and_excluded_predictions() -> None:
    label = load_label(DEFAULT_DATASET / "10-pinecrest-oakmont")
    path = "legal.audit_rights"
    assert label.facts[path].status is LabelStatus.EXCLUDED
    record = record_from_label(label)
    assert score_record(label, record)[path].tp == 1
    wrong = score_record(label, with_fact(record, path, present(True)))[path]
    assert (wrong.tp, wrong.fp, wrong.fn) == (0, 1, 1)
    missed = score_record(label, with_fact(record, path, Fact(status=FactStatus.NOT_FOUND)))[path]
    assert (missed.tp, missed.fp, missed.fn) == (0, 0, 1)


def test_lists_are_counted_per_element() -> None:
    label = load_label(DEFAULT_DATASET / "06-quarry-thistle")
    path = "tax.billing_countries"
    counts = count_field(path, label.facts[path], Prediction(LabelStatus.PRESENT, ["GB", "FR"]))
    assert (counts.tp, counts.fp, counts.fn) == (1, 1, 1)


def test_alternatives_are_accepted() -> None:
    label = load_label(DEFAULT_DATASET / "02-nordlicht-veridia")
    path = "commercial.non_renewal_notice_days"
    assert count_field(path, label.facts[path], Prediction(LabelStatus.PRESENT, 92)).tp == 1
    assert count_field(path, label.facts[path], Prediction(LabelStatus.PRESENT, 60)).tp == 0


def test_obligations_are_scored_as_a_list() -> None:
    label = load_label(SIMPLE)
    record = record_from_label(label)
    record.obligations = [
        present(Obligation(party=PartyRole.CUSTOMER, action="pay invoices", recurring=True))
    ]
    counts = score_record(label, record)["obligations"]
    assert (counts.tp, counts.fp, counts.fn) == (0, 1, 0)


@pytest.mark.parametrize("bundle", ALL_BUNDLES, ids=bundle_id)
def test_a_perfect_record_scores_full_marks(bundle: Path) -> None:
    label = load_label(bundle)
    scores = score_record(label, record_from_label(label))
    if label.facts_scope is FactsScope.PARTIAL:
        labelled = set(label.expected()) | ({"obligations"} if label.obligations else set())
        assert set(scores) == labelled
    else:
        assert set(scores) == set(scored_paths())
    for path, counts in scores.items():
        assert counts.fp == 0 and counts.fn == 0, path
        assert counts.labelled == counts.predicted
    assert sum(counts.tp for counts in scores.values()) >= len(label.expected())


def test_a_partial_label_scores_only_what_it_labels() -> None:
    label = load_label(DEFAULT_DATASET / "09-ledgerly-firstcascade")
    partial = label.model_copy(
        update={
            "facts_scope": FactsScope.PARTIAL,
            "facts": {"legal.governing_law": label.facts["legal.governing_law"]},
            "obligations": [],
        }
    )
    full = record_from_label(label)
    scores = score_record(partial, full)
    assert set(scores) == {"legal.governing_law", "commercial.document_kinds"}
    assert scores["legal.governing_law"].tp == 1
    assert all(counts.fp == 0 for counts in scores.values())


def test_an_empty_record_finds_nothing_and_claims_nothing() -> None:
    label = load_label(DEFAULT_DATASET / "09-ledgerly-firstcascade")
    totals = total([score_record(label, FactRecord())])
    assert all(counts.tp == 0 and counts.fp == 0 for counts in totals.values())
    assert sum(counts.fn for counts in totals.values()) > 80


# ---- evidence ------------------------------------------------------------------------


def test_evidence_must_quote_its_document_exactly() -> None:
    document = text_document("Invoices are payable within sixty (60) days.")
    good = make_evidence(document, 13, 44)
    shifted = Evidence(document_id=document.document_id, start=14, end=45, page=1, quote=good.quote)
    elsewhere = Evidence(document_id="unknown", start=13, end=44, page=1, quote=good.quote)
    record = FactRecord()
    record.commercial.payment_terms_days = Fact(
        status=FactStatus.PRESENT, value=60, evidence=[good, shifted, elsewhere]
    )
    check = check_evidence(record, [document])
    assert (check.total, check.valid) == (3, 1)


# ---- the command ---------------------------------------------------------------------


def test_command_prints_a_table_and_ends_with_one_json_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    dataset = tmp_path / "set"
    shutil.copytree(SIMPLE, dataset / SIMPLE.name)
    label = load_label(SIMPLE)

    def perfect(documents: list[Document], names: object) -> FactRecord:
        record = record_from_label(label)
        quote = "renews automatically every month"
        start = documents[0].text.index(quote)
        evidence = [make_evidence(documents[0], start, start + len(quote))]
        record.commercial.auto_renewal = Fact(
            status=FactStatus.PRESENT, value=True, evidence=evidence
        )
        return record

    monkeypatch.setattr(score, "extract", perfect)
    assert score.main(["--dataset", str(dataset)]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert "commercial.payment_terms_days" in "\n".join(lines[:-1])
    figures = json.loads(lines[-1])
    assert figures["bundles"] == 1 and figures["documents"] == 1
    assert figures["micro_precision"] == 1.0 and figures["micro_recall"] == 1.0
    assert figures["evidence_quotes"] == 1 and figures["evidence_valid_share"] == 1.0
    assert set(figures["fields"]) == {*fact_paths(), "obligations"}
    assert figures["extractors"] == ["patterns", "classifier"]


def test_command_reports_a_failing_extraction_and_exits_non_zero(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    dataset = tmp_path / "set"
    shutil.copytree(SIMPLE, dataset / SIMPLE.name)

    def broken(documents: list[Document], names: object) -> FactRecord:
        raise RuntimeError("model file missing")

    monkeypatch.setattr(score, "extract", broken)
    assert score.main(["--dataset", str(dataset)]) == 1
    out = capsys.readouterr().out
    assert "model file missing" in out
    figures = json.loads(out.strip().splitlines()[-1])
    assert figures["errors"] == 1 and figures["micro_recall"] == 0.0


def test_command_refuses_a_folder_without_bundles(tmp_path: Path) -> None:
    assert score.main(["--dataset", str(tmp_path)]) == 2
