"""The SaaS set is well-formed: labels fit the schema, documents exist, ingest and are current,
quotes are in the text, and every schema field is covered."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
import yaml
from pydantic import TypeAdapter, ValidationError

from evals.saas.generate import DEFAULT_DATASET, bundle_dirs, render_bundle
from evals.saas.labels import (
    BundleLabel,
    ExpectedFact,
    ExpectedObligation,
    LabelStatus,
    load_label,
)
from evals.saas.sources import find_sources, parse_source
from extractors.document import Document, MediaType
from extractors.facts import fact_paths, fact_value_type
from extractors.ingest import ingest_bytes
from extractors.locate import locate_quote
from tests.evals.saas.conftest import ALL_BUNDLES, bundle_id

MINIMAL = {
    "bundle": "x",
    "description": "x",
    "documents": [{"file": "a.pdf", "kind": "msa", "title": "A"}],
}


def label_with(facts: dict[str, object], **extra: object) -> BundleLabel:
    return BundleLabel.model_validate({**MINIMAL, "facts": facts, **extra})


# ---- bad labels are refused ----------------------------------------------------------


@pytest.mark.parametrize(
    ("facts", "message"),
    [
        ({"commercial.payment_days": {"value": 30}}, "unknown schema path"),
        ({"commercial.payment_terms_days": {"value": "sixty"}}, "int"),
        ({"commercial.payment_terms_days": {"status": "present"}}, "needs a value"),
        ({"legal.audit_rights": {"status": "excluded", "value": True}}, "takes no value"),
        ({"legal.audit_rights": {"value": False}}, "status: excluded"),
        ({"legal.audit_rights": {"value": True, "status": "maybe"}}, "status"),
        ({"commercial.currencies": {"value": ["usd"]}}, "ISO 4217"),
        ({"tax.billing_countries": {"value": ["USA"]}}, "alpha-2"),
        ({"security.sso": {"value": ["SAML 2.0"]}}, "SAML or OIDC"),
        (
            {
                "commercial.parties": {
                    "value": [{"name": "A", "role": "customer", "country": "Germany"}]
                }
            },
            "alpha-2",
        ),
        ({"legal.venue": {"value": "Delaware", "from": "b.pdf"}}, "not in the bundle"),
        ({"legal.venue": {"value": "Delaware", "colour": "red"}}, "Extra inputs"),
    ],
)
def test_malformed_label_is_refused(facts: dict[str, object], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        label_with(facts)


def test_label_without_documents_is_refused() -> None:
    with pytest.raises(ValidationError):
        BundleLabel.model_validate({**MINIMAL, "documents": []})


def test_document_kinds_come_from_the_document_list() -> None:
    label = label_with({})
    assert label.expected()["commercial.document_kinds"].value == ["msa"]


# ---- every shipped label -------------------------------------------------------------


@pytest.mark.parametrize("bundle", ALL_BUNDLES, ids=bundle_id)
def test_label_values_have_the_schema_types(bundle: Path) -> None:
    raw = yaml.safe_load((bundle / "expected.yaml").read_text(encoding="utf-8"))
    assert raw["bundle"] == bundle.name
    known = set(fact_paths())
    for path, fact in raw.get("facts", {}).items():
        assert path in known, path
        if fact.get("status", "present") == "present":
            adapter: TypeAdapter[object] = TypeAdapter(fact_value_type(path))
            for value in [fact["value"], *fact.get("alternatives", [])]:
                assert adapter.validate_python(value) is not None, path
    load_label(bundle)


@pytest.mark.parametrize("bundle", ALL_BUNDLES, ids=bundle_id)
def test_every_document_has_a_source_and_is_up_to_date(bundle: Path) -> None:
    listed = {item.file for item in load_label(bundle).documents}
    rendered = render_bundle(bundle)
    assert set(rendered) == listed
    for name, data in rendered.items():
        assert (bundle / name).read_bytes() == data, f"{name} is stale: run evals.saas.generate"


@pytest.mark.parametrize("bundle", ALL_BUNDLES, ids=bundle_id)
def test_documents_ingest_and_quotes_occur_in_their_text(
    bundle: Path,
    labels: dict[Path, BundleLabel],
    ingested: dict[Path, dict[str, Document]],
) -> None:
    label = labels[bundle]
    documents = ingested[bundle]
    for item in label.documents:
        document = documents[item.file]
        assert document.text.strip(), item.file
        assert not document.problems, (item.file, document.problems)
    cited: list[tuple[str, ExpectedFact | ExpectedObligation]] = list(label.facts.items())
    cited += [(f"obligations[{index}]", item) for index, item in enumerate(label.obligations)]
    for path, fact in cited:
        searched = [fact.from_document] if fact.from_document else list(documents)
        for quote in fact.quotes:
            found = any(locate_quote(documents[name].text, quote) for name in searched if name)
            assert found, f"{path}: {quote!r} not in {searched}"


@pytest.mark.parametrize("bundle", ALL_BUNDLES, ids=bundle_id)
def test_rendering_again_gives_the_same_ingested_text(
    bundle: Path, ingested: dict[Path, dict[str, Document]]
) -> None:
    first, second = render_bundle(bundle), render_bundle(bundle)
    assert first == second
    for name, data in second.items():
        again = ingest_bytes(data, filename=name)
        assert again.text == ingested[bundle][name].text
        assert again.page_count == ingested[bundle][name].page_count


# ---- the set as a whole --------------------------------------------------------------


def present_counts(bundles: list[Path]) -> Counter[str]:
    counts: Counter[str] = Counter()
    for bundle in bundles:
        label = load_label(bundle)
        for path, fact in label.expected().items():
            if fact.status is LabelStatus.PRESENT:
                counts[path] += 1
        if label.obligations:
            counts["obligations"] += 1
    return counts


def test_every_schema_field_has_a_value_in_at_least_two_bundles() -> None:
    counts = present_counts(bundle_dirs(DEFAULT_DATASET))
    thin = {path: counts[path] for path in [*fact_paths(), "obligations"] if counts[path] < 2}
    assert not thin, thin


def test_set_has_exclusions_overrides_and_every_format(
    ingested: dict[Path, dict[str, Document]],
) -> None:
    bundles = bundle_dirs(DEFAULT_DATASET)
    labels = [load_label(bundle) for bundle in bundles]
    documents = [
        ingested[bundle][item.file]
        for bundle, label in zip(bundles, labels, strict=True)
        for item in label.documents
    ]
    assert len(documents) >= 30
    assert {document.media_type for document in documents} == set(MediaType)
    assert max(document.page_count for document in documents) >= 8
    excluded = [
        path
        for label in labels
        for path, fact in label.facts.items()
        if fact.status is LabelStatus.EXCLUDED
    ]
    assert len(set(excluded)) >= 15
    overridden = [fact for label in labels for fact in label.facts.values() if fact.overrides]
    assert len(overridden) >= 3
    assert sum(len(label.documents) > 1 for label in labels) >= 10


def test_sources_are_only_in_bundle_source_folders() -> None:
    for bundle in ALL_BUNDLES:
        for path in find_sources(bundle):
            source = parse_source(path)
            assert (bundle / source.output_name).is_file()
