"""The quote locator finds quotes through typographic noise and returns exact raw spans."""

from __future__ import annotations

import ast
import csv
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from extractors.locate import QuoteLocator, fold, locate_quote


@pytest.mark.parametrize(
    ("text", "quote", "expected"),
    [
        ("The Customer\u2019s liability", "Customer's liability", "Customer\u2019s liability"),
        ("shall  be\n\nuncapped", "shall be uncapped", "shall  be\n\nuncapped"),
        ("a \u201cService\u201d means", 'a "Service" means', "a \u201cService\u201d means"),
        ("2019\u20132021 term", "2019-2021 term", "2019\u20132021 term"),
        ("non\u00a0exclusive", "non exclusive", "non\u00a0exclusive"),
        ("indemni\u00adfication", "indemnification", "indemni\u00adfication"),
        ("the \ufb01nal ruling", "the final ruling", "the \ufb01nal ruling"),
        ("CONFIDENTIAL INFORMATION", "Confidential Information", "CONFIDENTIAL INFORMATION"),
        ("word\ufffeing", "wording", "word\ufffeing"),
    ],
)
def test_locates_through_noise(text: str, quote: str, expected: str) -> None:
    span = locate_quote(f"prefix. {text}. suffix", quote)
    assert span is not None
    full = f"prefix. {text}. suffix"
    assert full[span[0] : span[1]] == expected


def test_missing_quote_is_none() -> None:
    assert locate_quote("The provider shall deliver.", "the customer shall pay") is None
    assert locate_quote("anything", "   ") is None


def test_find_from_offset_and_find_all() -> None:
    text = "Fees are due. Later: fees   are due."
    locator = QuoteLocator(text)
    first = locator.find("fees are due")
    assert first == (0, 12)
    second = locator.find("fees are due", start=1)
    assert second is not None and text[second[0] : second[1]] == "fees   are due"
    assert locator.find_all("fees are due") == [first, second]


def test_elided_quote_is_found_in_parts() -> None:
    text = "1. Neither party may assign this Agreement. 2. Fees. 3. Except to an Affiliate."
    locator = QuoteLocator(text)
    spans = locator.find_elided("Neither party may assign<omitted>Except to an Affiliate")
    assert spans is not None
    assert [text[a:b] for a, b in spans] == ["Neither party may assign", "Except to an Affiliate"]
    assert locator.find_elided("Except to an Affiliate<omitted>Neither party") is None


@settings(max_examples=300, deadline=None)
@given(
    text=st.text(min_size=1, max_size=300),
    bounds=st.tuples(st.integers(0, 300), st.integers(0, 300)),
)
def test_any_slice_is_found_and_maps_back(text: str, bounds: tuple[int, int]) -> None:
    start, end = sorted(bound % (len(text) + 1) for bound in bounds)
    quote = text[start:end]
    if not fold(quote):
        return
    span = QuoteLocator(text).find(quote)
    assert span is not None
    # The located raw text folds to exactly the quote's folded form.
    assert fold(text[span[0] : span[1]]) == fold(quote)


@pytest.mark.cuad
@pytest.mark.slow
def test_cuad_labelled_excerpts_are_found_in_cuad_text(cuad_dir: Path) -> None:
    found = total = 0
    with (cuad_dir / "master_clauses.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))[:40]
    for row in rows:
        text = (cuad_dir / "txt" / f"{row['id']}.txt").read_text(encoding="utf-8")
        locator = QuoteLocator(text)
        for column, cell in row.items():
            if not cell or not cell.startswith("[") or column.endswith("-Answer"):
                continue
            for excerpt in ast.literal_eval(cell):
                total += 1
                found += locator.find_elided(excerpt) is not None
    assert total > 500
    assert found / total >= 0.98
