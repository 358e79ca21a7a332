"""Cross-validation folds are split by contract."""

from __future__ import annotations

import numpy as np
import pytest

from evals.cuad.crossval import contract_folds


def test_too_few_contracts_are_refused() -> None:
    with pytest.raises(ValueError, match="cannot make 5 folds"):
        contract_folds(["a", "b", "c"], 5, seed=1)


@pytest.mark.parametrize("seed", [0, 1, 13])
def test_no_contract_is_in_train_and_test(seed: int) -> None:
    # The same contract may appear more than once (e.g. two renderings): it must stay together.
    ids = [f"cuad-{i:04d}" for i in range(40)] + ["cuad-0003", "cuad-0017", "cuad-0017"]
    folds = contract_folds(ids, 5, seed=seed)
    assert len(folds) == 5
    seen_in_test: list[int] = []
    for train, test in folds:
        train_ids = {ids[i] for i in train}
        test_ids = {ids[i] for i in test}
        assert not train_ids & test_ids
        assert len(train) + len(test) == len(ids)
        seen_in_test.extend(test.tolist())
    assert sorted(seen_in_test) == list(range(len(ids)))


def test_folds_are_reproducible() -> None:
    ids = [str(i) for i in range(23)]
    first = contract_folds(ids, 5, seed=7)
    second = contract_folds(ids, 5, seed=7)
    for (a_train, a_test), (b_train, b_test) in zip(first, second, strict=True):
        np.testing.assert_array_equal(a_train, b_train)
        np.testing.assert_array_equal(a_test, b_test)
