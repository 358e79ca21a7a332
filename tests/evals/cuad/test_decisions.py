"""Approvals decided on CUAD's gold labels against those decided on what the triage extracted."""

from __future__ import annotations

import dataclasses
import random
import re
from collections.abc import Sequence
from typing import ClassVar

import pytest

from evals.cuad.corpus import CuadContract
from evals.cuad.decision_metrics import (
    GOVERNING_LAW,
    CuadDecisions,
    counted_rules,
    gold_governing_law,
    gold_record,
    labelled_paths,
    restrict,
)
from evals.cuad.evaluate import ExtractionRun, evaluation_settings
from extractors.base import Extractor
from extractors.document import Chunk, Document
from extractors.facts import Evidence, Fact, FactRecord, FactStatus, Finding, Source, get_fact
from rules import Policy, load_policy
from tests.evals.cuad.synthetic import synthetic_contract


@pytest.fixture(scope="module")
def policy() -> Policy:
    return load_policy()


class WordingReader(Extractor):
    """Reads most-favoured nation only where it says "most favored", liquidated damages at
    every audit (a false reading), and Texas law everywhere."""

    name: ClassVar[str] = "wording-reader"
    version: ClassVar[str] = "1"
    checks: ClassVar[frozenset[str]] = frozenset(
        {
            "commercial.most_favoured_nation",
            "legal.liquidated_damages",
            "legal.unlimited_indemnity",
            GOVERNING_LAW,
        }
    )
    READS: ClassVar[dict[str, tuple[str, object]]] = {
        "most favored": ("commercial.most_favoured_nation", True),
        "audit": ("legal.liquidated_damages", True),
        "counterparts": ("legal.unlimited_indemnity", True),
        "Notices": (GOVERNING_LAW, "Texas"),
    }

    def extract(self, document: Document, chunks: Sequence[Chunk]) -> list[Finding]:
        findings = []
        for wording, (path, value) in self.READS.items():
            match = re.search(wording, document.text)
            if match:
                evidence = Evidence(
                    start=match.start(), end=match.end(), page=1, quote=match.group()
                )
                fact = Fact[object](
                    status=FactStatus.PRESENT,
                    value=value,
                    evidence=[evidence],
                    source=Source.PATTERN,
                    confidence=0.9,
                )
                findings.append(Finding(path=path, fact=fact))
        return findings


def _contract(**changes: object) -> CuadContract:
    contract, _ = synthetic_contract(0, random.Random(1))
    return dataclasses.replace(contract, **changes)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        ("New York", "New York"),
        ("England; Wales", "England and Wales"),
        ("England", "England and Wales"),
        ("Ontario, Canada", "Ontario"),
        ("New York; Massachussets", "New York"),
        ("THE STATE IN WHICH THE FRANCHISED RESTAURANT IS LOCATED", None),
        ("[]", None),
        ("", None),
    ],
)
def test_cuad_governing_law_is_spelled_as_the_policy_spells_it(
    answer: str, expected: str | None
) -> None:
    assert gold_governing_law(answer) == expected


def test_governing_law_is_labelled_only_where_the_answer_is_blank_or_names_a_place() -> None:
    assert GOVERNING_LAW in labelled_paths(_contract(governing_law=""))
    assert GOVERNING_LAW in labelled_paths(_contract(governing_law="Delaware"))
    assert GOVERNING_LAW not in labelled_paths(_contract(governing_law="[* * *]"))


def test_only_approval_rules_cuad_labels_can_fire_are_counted(policy: Policy) -> None:
    counted = counted_rules(policy)
    # Each turns on a CUAD category once its other facts are not_checked.
    for rule in (
        "legal.uncapped_liability",
        "legal.termination_for_convenience",
        "legal.governing_law",
        "finance.minimum_commitment",
        "finance.price_cap",
    ):
        assert rule in counted
    assert counted["legal.most_favoured_nation"] == "legal"
    assert counted["finance.revenue_sharing"] == "finance"
    # The contract value and security audits are not CUAD labels.
    assert "executive.large_non_standard_deal" not in counted
    assert "security.audit_rights" not in counted
    assert not any(rule.startswith("information.") for rule in counted)


def test_the_gold_record_fires_what_the_lawyers_labelled(policy: Policy) -> None:
    present = dict.fromkeys(_contract().present, False) | {"mfn": True}
    decisions = CuadDecisions(policy, evaluation_settings())
    contract = _contract(present=present, governing_law="Texas")
    decisions.add(contract, FactRecord())

    assert decisions.expected[contract.contract_id] == {
        "legal.most_favoured_nation",
        "legal.governing_law",
    }
    assert decisions.predicted[contract.contract_id] == frozenset()
    record = gold_record(_contract(present=present | {"mfn": False}, governing_law="California"))
    assert get_fact(record, GOVERNING_LAW).value == "California"
    assert get_fact(record, "commercial.most_favoured_nation").status is FactStatus.NOT_FOUND


def test_facts_cuad_does_not_label_are_not_checked_on_both_sides() -> None:
    indemnity = Fact[bool](status=FactStatus.PRESENT, value=True, source=Source.PATTERN)
    mfn = Fact[bool](status=FactStatus.PRESENT, value=True, source=Source.PATTERN)
    record = FactRecord()
    record = record.model_copy(
        update={
            "legal": record.legal.model_copy(update={"unlimited_indemnity": indemnity}),
            "commercial": record.commercial.model_copy(update={"most_favoured_nation": mfn}),
        }
    )
    kept = restrict(record, labelled_paths(_contract(governing_law="[]")))

    assert get_fact(kept, "legal.unlimited_indemnity").status is FactStatus.NOT_CHECKED
    assert get_fact(kept, "commercial.most_favoured_nation").value is True
    assert get_fact(kept, GOVERNING_LAW).status is FactStatus.NOT_CHECKED


def _synthetic_run(policy: Policy, count: int) -> ExtractionRun:
    rng = random.Random(3)
    pairs = [synthetic_contract(index, rng) for index in range(count)]
    contracts = [dataclasses.replace(c, governing_law="New York") for c, _ in pairs]
    documents = {c.contract_id: d for c, d in pairs}
    run = ExtractionRun(contracts, documents, lambda: None, policy=policy)
    run.run([WordingReader()], range(count))
    return run


def test_extraction_errors_show_as_missed_and_false_approvals(policy: Policy) -> None:
    run = _synthetic_run(policy, 24)
    texts = {c.contract_id: run.documents[c.contract_id].text for c in run.contracts}
    with_mfn = {c.contract_id for c in run.contracts if c.present["mfn"]}
    read_mfn = {c for c in with_mfn if "most favored" in texts[c]}
    audited = {c for c in texts if "audit" in texts[c]}
    texan = {c for c in texts if "Notices" in texts[c]}
    assert read_mfn and with_mfn - read_mfn and audited and texan  # the corpus exercises each

    figures = run.decisions.figures(name_contracts=True)
    rules = figures["rules"]
    assert rules["legal.most_favoured_nation"]["expected"] == len(with_mfn)
    assert rules["legal.most_favoured_nation"]["missed"] == sorted(with_mfn - read_mfn)
    assert rules["legal.liquidated_damages"]["false"] == sorted(audited)
    assert rules["legal.governing_law"]["false_firings"] == len(texan)
    # The unlimited indemnity read in every contract is no CUAD label: it fires nothing.
    assert rules["legal.uncapped_liability"]["fired"] == 0

    legal = figures["roles"]["legal"]
    asked = read_mfn | audited | texan
    assert legal["expected"] == len(with_mfn)
    assert legal["predicted"] == len(asked)
    # A role is asked or not, whichever of its rules asks: a false reading of one clause
    # can stand in for a missed one.
    assert legal["recall"] == round(len(with_mfn & asked) / len(with_mfn), 4)
    assert legal["precision"] == round(len(with_mfn & asked) / len(asked), 4)
    assert legal["missed"] == sorted(with_mfn - asked)
    assert figures["roles"]["finance"]["expected"] == 0


def test_sealed_figures_count_contracts_without_naming_them(policy: Policy) -> None:
    run = _synthetic_run(policy, 12)
    figures = run.figures(name_contracts=False)

    assert "missed" not in figures["decisions"]["roles"]["legal"]
    assert "missed" not in figures["decisions"]["rules"]["legal.most_favoured_nation"]
    assert all(isinstance(n, int) for n in figures["approval_misses"].values())
    assert figures["contracts"] == 12
    named = run.figures(name_contracts=True)
    assert named["decisions"]["roles"] == {
        role: {**row, "missed": named["decisions"]["roles"][role]["missed"]}
        for role, row in figures["decisions"]["roles"].items()
    }
