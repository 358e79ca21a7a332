"""Evaluation reporting: missed approval contracts by name, and figures over several partitions."""

from __future__ import annotations

import numpy as np
import pytest

from evals.cuad.corpus import CuadContract
from evals.cuad.evaluate import approval_misses, parse_args
from evals.cuad.metrics import category_scores
from evals.cuad.report import PartitionFigures, partition_figures
from extractors.classifier.categories import CATEGORY_KEYS

MFN = CATEGORY_KEYS.index("mfn")
ESCROW = CATEGORY_KEYS.index("source_code_escrow")
WARRANTY = CATEGORY_KEYS.index("warranty_duration")  # no approval in the default policy


def _contract(contract_id: str) -> CuadContract:
    return CuadContract(contract_id, "", {}, {}, "", "")


def _arrays(rows: int) -> tuple[np.ndarray, np.ndarray]:
    return (
        np.zeros((rows, len(CATEGORY_KEYS)), dtype=bool),
        np.zeros((rows, len(CATEGORY_KEYS)), dtype=bool),
    )


def test_missed_approval_contracts_are_named() -> None:
    contracts = [_contract(f"c{i}") for i in range(4)]
    predicted, truth = _arrays(4)
    truth[[0, 1, 2], MFN] = True
    predicted[[0, 3], MFN] = True  # c1 and c2 missed, c3 a false positive
    truth[2, WARRANTY] = True  # missed, but it asks nobody for approval

    misses = approval_misses(contracts, predicted, truth)

    assert misses["mfn"] == ["c1", "c2"]
    assert misses["source_code_escrow"] == []
    assert "warranty_duration" not in misses


def _partition(seed: int, mfn_found: int) -> PartitionFigures:
    predicted, truth = _arrays(10)
    truth[:, MFN] = True
    predicted[:mfn_found, MFN] = True
    truth[:2, ESCROW] = predicted[:2, ESCROW] = True
    return PartitionFigures(seed, category_scores(predicted, truth), {"mfn": []})


def test_several_partitions_report_the_mean_and_the_worst_recall() -> None:
    figures = partition_figures([_partition(13, 10), _partition(1, 8)])

    assert figures["seeds"] == [13, 1]
    # A recall target must hold in every partition: the worst one is reported.
    assert figures["approval_category_recall"]["mfn"] == 0.8
    assert figures["approval_category_recall"]["source_code_escrow"] == 1.0
    assert figures["per_category"]["mfn"]["recall"] == 0.9
    assert figures["partitions_meeting_recall_target"] == 1
    assert figures["macro_f1_min"] < figures["macro_f1"] < figures["macro_f1_max"]
    assert [entry["seed"] for entry in figures["per_seed"]] == [13, 1]


@pytest.mark.parametrize(
    "argv",
    [
        ["--seeds", "1,x"],
        ["--seeds", "1,1"],
        ["--seeds", ""],
        ["--seeds", "1,2", "--seed", "3"],
        ["--seeds", "1,2", "--shipped"],
    ],
)
def test_bad_seed_lists_are_refused(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        parse_args(argv)
    assert exit_info.value.code == 2
    assert "--seeds" in capsys.readouterr().err


def test_seed_list_is_read_in_order() -> None:
    assert parse_args(["--seeds", "13,1,2"]).seeds == [13, 1, 2]
