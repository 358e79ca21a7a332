"""Governing law and agreement date of the pattern extractor on CUAD (``score_values``).

How answers are read and compared is ``evals.cuad.answers``' (tested beside it); these tests
hold the script to that definition and to its output contract.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from evals.cuad.corpus import read_labels, text_document
from evals.cuad.score_values import main, score_values
from evals.cuad.split import read_sealed
from extractors.classifier.categories import CATEGORIES
from extractors.patterns import PatternExtractor

from .helpers import make_document


def _write_dataset(folder: Path, rows: list[dict[str, str]]) -> None:
    columns = ["id", "agreement_type"]
    for category in CATEGORIES:
        columns += [category.cuad_name, f"{category.cuad_name}-Answer"]
    columns += ["Governing Law-Answer", "Agreement Date-Answer"]
    with (folder / "master_clauses.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(dict.fromkeys(columns)), restval="")
        writer.writeheader()
        for row in rows:
            writer.writerow(row)


def test_a_folder_without_labels_is_refused(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        score_values(tmp_path, {})


def test_scores_against_the_answers(tmp_path: Path) -> None:
    texts = {
        "c-1": (
            "This Agreement is made as of June 21, 1999. It is governed by the laws of the "
            "State of New York."
        ),
        "c-2": "This Agreement is dated March 3, 2001. It is governed by the laws of Delaware.",
        "c-3": "This Agreement is entered into this ___ day of ______, 2004. The laws of England "
        "shall govern this Agreement.",
    }
    _write_dataset(
        tmp_path,
        [
            {"id": "c-1", "Governing Law-Answer": "New York", "Agreement Date-Answer": "6/21/1999"},
            {"id": "c-2", "Governing Law-Answer": "Texas", "Agreement Date-Answer": "3/4/2001"},
            {"id": "c-3", "Governing Law-Answer": "", "Agreement Date-Answer": "[]/[]/2004"},
        ],
    )
    documents = {key: make_document(text) for key, text in texts.items()}
    figures = score_values(tmp_path, documents)
    assert figures["governing_law_scored"] == 2
    assert figures["governing_law_accuracy"] == 0.5
    assert figures["governing_law_extra"] == 1
    assert figures["agreement_date_scored"] == 2
    assert figures["agreement_date_accuracy"] == 0.5
    assert figures["agreement_date_partial"] == 1
    # The inclusive figure counts the partial answer too, whichever way it went.
    assert figures["agreement_date_inclusive_scored"] == 3
    agreeing = figures["agreement_date_partial_agreeing"]
    assert figures["agreement_date_inclusive_accuracy"] == round((1 + agreeing) / 3, 4)
    assert figures["documents"] == 3


def test_command_line_ends_with_one_json_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = "This Agreement is made as of June 21, 1999 and governed by the laws of Ohio."
    (tmp_path / "txt").mkdir()
    (tmp_path / "txt" / "c-1.txt").write_text(text, encoding="utf-8")
    _write_dataset(
        tmp_path,
        [{"id": "c-1", "Governing Law-Answer": "Ohio", "Agreement Date-Answer": "6/21/1999"}],
    )
    assert main(["--dataset", str(tmp_path), "--txt"]) == 0
    last = capsys.readouterr().out.strip().splitlines()[-1]
    assert last.startswith("{") and '"governing_law_accuracy": 1.0' in last
    assert '"agreement_date_accuracy": 1.0' in last


@pytest.mark.cuad
@pytest.mark.slow
def test_cuad_values_and_evidence_on_real_contracts(cuad_dir: Path) -> None:
    sealed = read_sealed()  # nothing is checked, so nothing is fixed, on sealed contracts
    contracts = [c for c in read_labels(cuad_dir) if c.contract_id not in sealed][:40]
    documents = {
        contract.contract_id: text_document(cuad_dir / "txt" / f"{contract.contract_id}.txt")
        for contract in contracts
    }
    figures = score_values(cuad_dir, documents)
    # Development figures on CUAD's own text are higher; a drop below these means a regression.
    assert figures["governing_law_accuracy"] >= 0.9
    assert figures["agreement_date_accuracy"] >= 0.8
    extractor = PatternExtractor()
    for document in documents.values():
        for finding in extractor.extract(document, []):
            for evidence in finding.fact.evidence:
                assert document.text[evidence.start : evidence.end] == evidence.quote
