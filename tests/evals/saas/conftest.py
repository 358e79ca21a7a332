"""The SaaS set's bundles, labels and ingested documents, read once per test session."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from evals.saas.generate import DEFAULT_DATASET, SEALED_DATASET, bundle_dirs
from evals.saas.labels import BundleLabel, load_label
from extractors.document import Document
from extractors.ingest import ingest_path, shutdown_pool

REPO_ROOT = Path(__file__).resolve().parents[3]
SAMPLES = REPO_ROOT / "app" / "samples"
# The development and sealed evaluation sets, and the demo bundle in the same format.
DATASETS = (DEFAULT_DATASET, SEALED_DATASET, SAMPLES)
ALL_BUNDLES = [bundle for dataset in DATASETS for bundle in bundle_dirs(dataset)]


def bundle_id(bundle: Path) -> str:
    """Readable test id: dataset folder and bundle name."""
    return f"{bundle.parent.name}/{bundle.name}"


@pytest.fixture(scope="session", autouse=True)
def _stop_parser_pool() -> Iterator[None]:
    yield
    shutdown_pool()


@pytest.fixture(scope="session")
def labels() -> dict[Path, BundleLabel]:
    """Every bundle's validated label, by bundle directory."""
    return {bundle: load_label(bundle) for bundle in ALL_BUNDLES}


@pytest.fixture(scope="session")
def ingested(labels: dict[Path, BundleLabel]) -> dict[Path, dict[str, Document]]:
    """Every listed document ingested by the product's own loader, by bundle and file name."""
    return {
        bundle: {item.file: ingest_path(bundle / item.file) for item in label.documents}
        for bundle, label in labels.items()
    }
