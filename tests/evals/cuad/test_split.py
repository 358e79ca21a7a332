"""The sealed part of CUAD is read from the committed file, never re-chosen, never trained on."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from evals.cuad import split
from evals.cuad.corpus import load_documents
from evals.cuad.duplicates import near_duplicate_groups
from evals.cuad.split import (
    SEALED_FILE,
    choose_sealed,
    in_part,
    read_agreement_types,
    read_sealed,
    sealed_digest,
)
from extractors.classifier.model import ClauseModelData


def _types() -> dict[str, str]:
    types = {f"a{i:02d}": "alpha" for i in range(20)}
    types |= {f"b{i:02d}": "beta" for i in range(10)}
    types |= {f"c{i:02d}": "gamma" for i in range(3)}
    types |= {"d00": "delta"}
    return types


def test_the_procedure_keeps_groups_together_and_every_type_on_both_sides() -> None:
    types = _types()
    groups = {"a01": "a00", "a02": "a00", "a03": "a00", "b01": "b00", "c01": "c00"}
    sealed = set(choose_sealed(types, groups, share=0.3, seed=4))

    for members in (["a00", "a01", "a02", "a03"], ["b00", "b01"], ["c00", "c01"]):
        assert len({member in sealed for member in members}) == 1
    by_type = Counter(types[i] for i in sealed)
    sizes = Counter(types.values())
    for stratum, size in sizes.items():
        if size >= 3:
            assert 0 < by_type[stratum] < size
        assert by_type[stratum] <= round(0.3 * size + 0.01)
    assert choose_sealed(types, groups, share=0.3, seed=4) == sorted(sealed)
    assert choose_sealed(types, groups, share=0.3, seed=5) != sorted(sealed)


def test_parts_split_ids_by_the_file(tmp_path: Path) -> None:
    path = tmp_path / "sealed.txt"
    path.write_text("# chosen once\n\ncuad-0002\ncuad-0004\n", "utf-8")
    ids = ["cuad-0001", "cuad-0002", "cuad-0003", "cuad-0004"]

    assert read_sealed(path) == {"cuad-0002", "cuad-0004"}
    assert in_part(ids, "sealed", path) == ["cuad-0002", "cuad-0004"]
    assert in_part(ids, "development", path) == ["cuad-0001", "cuad-0003"]
    assert in_part(ids, "all", path) == ids


def test_the_committed_file_is_never_overwritten() -> None:
    before = SEALED_FILE.read_bytes()
    with pytest.raises(SystemExit, match="chosen once"):
        split.main(["--write"])
    assert SEALED_FILE.read_bytes() == before


def test_the_header_says_how_the_ids_were_chosen() -> None:
    header = [line for line in SEALED_FILE.read_text("utf-8").splitlines() if line[:1] == "#"]
    text = " ".join(header)
    assert f"seed {split.SEED}" in text
    assert f"share {split.SHARE:.2f}" in text
    assert "agreement_type" in text
    assert "near-duplicate" in text


def test_the_shipped_model_was_trained_without_the_sealed_contracts() -> None:
    training = ClauseModelData.load().metrics["training"]
    assert training["part"] == "development"
    assert training["sealed_left_out"]["sha256"] == sealed_digest()
    assert training["sealed_left_out"]["contracts"] == len(read_sealed())


@pytest.mark.cuad
def test_the_sealed_ids_exist_and_every_type_of_three_is_on_both_sides(cuad_dir: Path) -> None:
    types = read_agreement_types(cuad_dir)
    sealed = read_sealed()
    assert sealed <= set(types)
    assert 0.25 <= len(sealed) / len(types) <= 0.35
    sizes = Counter(types.values())
    sealed_by_type = Counter(types[i] for i in sealed)
    for stratum, size in sizes.items():
        if size >= 3:
            assert 0 < sealed_by_type[stratum] < size, stratum


@pytest.mark.cuad
@pytest.mark.slow
def test_no_near_duplicate_group_straddles_the_split(cuad_dir: Path) -> None:
    ids = sorted(read_agreement_types(cuad_dir))
    documents, report = load_documents(cuad_dir, ids)
    assert not report.failures
    groups = near_duplicate_groups({i: document.text for i, document in documents.items()})
    sealed = read_sealed()
    sides: dict[str, set[bool]] = {}
    for contract_id, group in groups.items():
        sides.setdefault(group, set()).add(contract_id in sealed)
    assert [group for group, side in sides.items() if len(side) > 1] == []
    assert any(len([i for i in groups if groups[i] == g]) > 1 for g in sides)
