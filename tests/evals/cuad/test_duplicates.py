"""Near-duplicate contracts are found and kept on one side of every split."""

from __future__ import annotations

import random

import pytest

from evals.cuad.crossval import contract_folds
from evals.cuad.duplicates import near_duplicate_groups

_WORDS = [
    "licensee",
    "licensor",
    "shall",
    "may",
    "product",
    "territory",
    "royalty",
    "term",
    "agreement",
    "party",
    "notice",
    "payment",
    "fee",
    "quarter",
    "year",
    "audit",
    "record",
    "exclusive",
    "market",
    "sell",
    "deliver",
    "warranty",
    "claim",
]


def _prose(seed: int, length: int = 1500) -> str:
    rng = random.Random(seed)
    return " ".join(rng.choice(_WORDS) for _ in range(length)) + "."


def test_copies_and_restatements_share_a_group_unrelated_contracts_do_not() -> None:
    base = _prose(1)
    texts = {
        "c1": base,
        "c2": base.upper().replace(" ", "  "),  # the same filing, other layout
        "c3": _prose(2) + " " + base + " " + _prose(3),  # restated inside a longer exhibit
        "c4": _prose(4),
        "c5": _prose(5)[:4000] + " " + base[:2000],  # shares a little wording, not most
    }
    groups = near_duplicate_groups(texts)
    assert groups["c1"] == groups["c2"] == groups["c3"] == "c1"
    assert groups["c4"] == "c4"
    assert groups["c5"] == "c5"


def test_groups_are_closed_under_sharing() -> None:
    # a shares with b and b with c, though a and c share little: one group.
    a, b_tail, c_tail = _prose(10, 800), _prose(11, 800), _prose(12, 800)
    texts = {"a": a, "b": a + " " + b_tail, "c": b_tail + " " + c_tail + " " + _prose(13, 40)}
    groups = near_duplicate_groups(texts, containment=0.45)
    assert groups["a"] == groups["b"] == groups["c"] == "a"


@pytest.mark.parametrize("seed", [0, 4, 13])
def test_a_group_never_straddles_train_and_test(seed: int) -> None:
    ids = [f"cuad-{i:04d}" for i in range(30)]
    groups = {"cuad-0003": "cuad-0003", "cuad-0011": "cuad-0003", "cuad-0029": "cuad-0003"}
    for train, test in contract_folds(ids, 5, seed=seed, groups=groups):
        test_ids = {ids[i] for i in test}
        train_ids = {ids[i] for i in train}
        members = set(groups)
        assert members <= test_ids or members <= train_ids
