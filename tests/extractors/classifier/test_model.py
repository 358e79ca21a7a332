"""The shipped clause model: refuses bad artefacts, loads, and reads clear clauses right."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from extractors.classifier.categories import APPROVAL_KEYS, CATEGORY_KEYS
from extractors.classifier.model import (
    ARRAYS_FILE,
    META_FILE,
    MODEL_DIR,
    ClauseModel,
    ClauseModelData,
    ModelFormatError,
)

MFN_CLAUSE = (
    "Most Favored Customer. If during the term of this Agreement Supplier sells the Products "
    "to any other customer at prices lower than those charged to Customer, Supplier shall "
    "promptly reduce the prices charged to Customer so that they are no less favorable than "
    "the prices offered to such other customer."
)
BOILERPLATE = (
    "This Agreement may be executed in one or more counterparts, each of which shall be "
    "deemed an original and all of which together shall constitute one and the same "
    "instrument. The headings in this Agreement are for convenience of reference only."
)


def _copy_artefact(target: Path) -> Path:
    shutil.copy(MODEL_DIR / ARRAYS_FILE, target / ARRAYS_FILE)
    shutil.copy(MODEL_DIR / META_FILE, target / META_FILE)
    return target


def test_missing_artefact_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ModelFormatError, match="cannot read"):
        ClauseModelData.load(tmp_path)


def test_unknown_format_is_refused(tmp_path: Path) -> None:
    _copy_artefact(tmp_path)
    meta = json.loads((tmp_path / META_FILE).read_text())
    meta["format"] = "something-else/9"
    (tmp_path / META_FILE).write_text(json.dumps(meta))
    with pytest.raises(ModelFormatError, match="unknown clause model format"):
        ClauseModelData.load(tmp_path)


def test_pickled_arrays_are_refused(tmp_path: Path) -> None:
    _copy_artefact(tmp_path)
    with np.load(tmp_path / ARRAYS_FILE) as stored:
        arrays = {name: stored[name] for name in stored.files}
    arrays["thresholds"] = np.array([{"not": "an array"}], dtype=object)
    np.savez(tmp_path / ARRAYS_FILE, **arrays)
    with pytest.raises(ModelFormatError):
        ClauseModelData.load(tmp_path)


def test_inconsistent_shapes_are_refused(tmp_path: Path) -> None:
    _copy_artefact(tmp_path)
    meta = json.loads((tmp_path / META_FILE).read_text())
    meta["vocabulary"] = meta["vocabulary"][:-1]
    (tmp_path / META_FILE).write_text(json.dumps(meta))
    with pytest.raises(ModelFormatError, match="shape"):
        ClauseModelData.load(tmp_path)


def test_unknown_cue_is_refused(tmp_path: Path) -> None:
    _copy_artefact(tmp_path)
    meta = json.loads((tmp_path / META_FILE).read_text())
    meta["cue_names"][0] = "no_such_cue"
    (tmp_path / META_FILE).write_text(json.dumps(meta))
    with pytest.raises(ModelFormatError, match="cues"):
        ClauseModelData.load(tmp_path)


@pytest.mark.parametrize("contexts", [["paragraph"], ["previous", "previous"]])
def test_unknown_or_repeated_context_is_refused(tmp_path: Path, contexts: list[str]) -> None:
    _copy_artefact(tmp_path)
    meta = json.loads((tmp_path / META_FILE).read_text())
    meta["contexts"] = contexts
    (tmp_path / META_FILE).write_text(json.dumps(meta))
    with pytest.raises(ModelFormatError, match="contexts"):
        ClauseModelData.load(tmp_path)


def test_context_weights_missing_from_the_arrays_are_refused(tmp_path: Path) -> None:
    # An artefact that names a context must hold a block of weights for it.
    _copy_artefact(tmp_path)
    meta = json.loads((tmp_path / META_FILE).read_text())
    named = meta.get("contexts", [])
    meta["contexts"] = [*named, next(c for c in ("previous", "next") if c not in named)]
    (tmp_path / META_FILE).write_text(json.dumps(meta))
    with pytest.raises(ModelFormatError, match="shape"):
        ClauseModelData.load(tmp_path)


@pytest.fixture(scope="module")
def shipped() -> ClauseModel:
    return ClauseModel.load()


def test_shipped_artefact_covers_every_category(shipped: ClauseModel) -> None:
    assert shipped.data.categories == CATEGORY_KEYS
    assert shipped.data.version.startswith("3+")
    assert "cross_validation" in shipped.data.metrics or "training" in shipped.data.metrics
    assert np.all((shipped.data.thresholds > 0) & (shipped.data.thresholds <= 1))


def test_empty_text_is_absent_everywhere(shipped: ClauseModel) -> None:
    verdicts = shipped.classify("")
    assert [v.key for v in verdicts] == list(CATEGORY_KEYS)
    assert not any(v.present for v in verdicts)
    assert all(v.evidence == [] for v in verdicts)


def test_clear_mfn_clause_is_flagged(shipped: ClauseModel) -> None:
    text = f"{BOILERPLATE}\n\n{MFN_CLAUSE}\n\nNotices shall be given in writing."
    verdicts = {v.key: v for v in shipped.classify(text)}
    mfn = verdicts["mfn"]
    assert mfn.present
    start, end, _ = mfn.evidence[0]
    assert text[start:end] in MFN_CLAUSE


def test_boilerplate_paragraph_is_not_flagged(shipped: ClauseModel) -> None:
    verdicts = {v.key: v for v in shipped.classify(BOILERPLATE)}
    flagged = sorted(key for key, v in verdicts.items() if v.present)
    assert "mfn" not in flagged
    assert not set(flagged) & APPROVAL_KEYS, flagged
    assert verdicts["mfn"].probability < shipped.data.thresholds[CATEGORY_KEYS.index("mfn")]
