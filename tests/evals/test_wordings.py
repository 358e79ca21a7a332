"""The readers report: what counts as a reader being right, on CUAD and on a SaaS bundle."""

from __future__ import annotations

from datetime import date

from evals.cuad.corpus import CuadContract
from evals.saas.labels import BundleLabel
from evals.wordings import Tally, cuad_verdict, rows, saas_verdict
from extractors.classifier.categories import CATEGORIES
from extractors.facts import FactStatus
from extractors.patterns.core import Hit


def contract(**present: bool) -> CuadContract:
    keys = {category.key: present.get(category.key, False) for category in CATEGORIES}
    return CuadContract(
        contract_id="c1",
        agreement_type="License",
        excerpts={key: [] for key in keys},
        present=keys,
        governing_law="Delaware",
        agreement_date="3/1/2019",
    )


def hit(path: str, value: object, status: FactStatus = FactStatus.PRESENT) -> Hit:
    return Hit(path, value, 0, 1, 0.8, status, reader="test")


def test_a_clause_hit_is_right_where_cuad_labels_the_clause() -> None:
    category = next(c for c in CATEGORIES if c.path == "legal.liquidated_damages")
    labelled = contract(**{category.key: True})
    assert cuad_verdict(hit(category.path, True), labelled) is True
    assert cuad_verdict(hit(category.path, True), contract()) is False
    # An exclusion is right where CUAD labels no such clause.
    assert cuad_verdict(hit(category.path, False, FactStatus.EXCLUDED), contract()) is True


def test_values_are_checked_against_cuads_answers_and_other_paths_are_not_scored() -> None:
    assert cuad_verdict(hit("legal.governing_law", "Delaware"), contract()) is True
    assert cuad_verdict(hit("legal.governing_law", "New York"), contract()) is False
    assert cuad_verdict(hit("commercial.agreement_date", date(2019, 3, 1)), contract()) is True
    assert cuad_verdict(hit("commercial.agreement_date", date(2019, 3, 2)), contract()) is False
    assert cuad_verdict(hit("service.uptime_percent", 99.9), contract()) is None


def label(**facts: object) -> BundleLabel:
    return BundleLabel.model_validate(
        {
            "bundle": "b1",
            "description": "test",
            "documents": [{"file": "order.txt", "kind": "order_form", "title": "Order"}],
            "facts": {path.replace("__", "."): {"value": v} for path, v in facts.items()},
        }
    )


def test_a_saas_hit_is_right_where_the_label_expects_its_value() -> None:
    expected = label(commercial__payment_terms_days=30, tax__billing_countries=["US", "GB"])
    assert saas_verdict(hit("commercial.payment_terms_days", 30), expected) is True
    assert saas_verdict(hit("commercial.payment_terms_days", 45), expected) is False
    # One item of a list fact is right where the label lists it.
    assert saas_verdict(hit("tax.billing_countries", "GB"), expected) is True
    assert saas_verdict(hit("tax.billing_countries", "DE"), expected) is False
    # A complete label that leaves a fact out expects it absent.
    assert saas_verdict(hit("service.uptime_percent", 99.9), expected) is False


def test_a_document_right_once_and_wrong_once_counts_as_wrong() -> None:
    tally = Tally()
    tally.add("a", True)
    tally.add("b", True)
    tally.add("b", False)
    tally.add("c", None)
    assert tally.figures() == {"fired": 3, "scored": 2, "right": 1, "precision": 0.5}
    [row] = rows({("p", "r"): tally}, {})
    assert row["cuad"]["right"] == 1 and row["saas"]["fired"] == 0
