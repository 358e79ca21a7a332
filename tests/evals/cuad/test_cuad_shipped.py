"""The shipped clause model on real CUAD contracts, and the evaluation script end to end."""

from __future__ import annotations

import csv
import json
import shutil
import sys
from pathlib import Path

import numpy as np
import pytest

from evals.cuad import evaluate
from evals.cuad.corpus import load_documents, read_labels
from evals.cuad.metrics import category_scores, macro_f1
from evals.cuad.split import in_part
from extractors.classifier import ClauseClassifier
from extractors.classifier.categories import CATEGORIES

pytestmark = [pytest.mark.cuad, pytest.mark.slow]

SAMPLE = 16


def test_shipped_model_reads_cuad_contracts_sanely(cuad_dir: Path) -> None:
    development = set(in_part([c.contract_id for c in read_labels(cuad_dir)], "development"))
    contracts = [c for c in read_labels(cuad_dir) if c.contract_id in development][:SAMPLE]
    documents, report = load_documents(cuad_dir, [c.contract_id for c in contracts])
    assert not report.failures
    classifier = ClauseClassifier()
    predicted = np.zeros((len(contracts), len(CATEGORIES)), dtype=bool)
    truth = np.zeros_like(predicted)
    paths = [category.path for category in CATEGORIES]
    for row, contract in enumerate(contracts):
        document = documents[contract.contract_id]
        findings = classifier.extract(document, [])
        for finding in findings:
            predicted[row, paths.index(finding.path)] = True
            for evidence in finding.fact.evidence:
                assert document.text[evidence.start : evidence.end] == evidence.quote
        truth[row] = [contract.present[category.key] for category in CATEGORIES]
    scores = category_scores(predicted, truth)
    # These contracts were part of training: this guards against a broken artefact or
    # featuriser (which scores near zero), not a measure of quality.
    assert macro_f1(scores) >= 0.6
    assert (
        sum(score.recall for score in scores if score.support)
        / sum(1 for score in scores if score.support)
        >= 0.8
    )


def _subset(cuad_dir: Path, target: Path, count: int) -> None:
    csv.field_size_limit(sys.maxsize)
    with (cuad_dir / "master_clauses.csv").open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        rows = [row for _, row in zip(range(count), reader, strict=False)]
        fields = reader.fieldnames
    assert fields is not None
    (target / "pdf").mkdir(parents=True)
    with (target / "master_clauses.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields)
        writer.writeheader()
        writer.writerows(rows)
    for row in rows:
        shutil.copy(cuad_dir / "pdf" / f"{row['id']}.pdf", target / "pdf" / f"{row['id']}.pdf")


def test_evaluate_dataset_mode_ends_with_the_json_figures(
    cuad_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _subset(cuad_dir, tmp_path / "mini", 4)
    evaluate.main(["--dataset", str(tmp_path / "mini"), "--shipped"])
    last = capsys.readouterr().out.strip().splitlines()[-1]
    figures = json.loads(last)
    for key in (
        "macro_f1",
        "per_category",
        "approval_category_recall",
        "governing_law_accuracy",
        "agreement_date_accuracy",
    ):
        assert key in figures
    assert figures["mode"] == "dataset"
    assert figures["contracts"] == 4
    assert set(figures["per_category"]) == {category.key for category in CATEGORIES}
