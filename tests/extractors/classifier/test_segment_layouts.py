"""Classifier units are the same whether a contract arrives as PDF, DOCX or plain text.

Plain text sets a heading and each clause apart with blank lines; a PDF or DOCX puts them on
lines of their own with no blank line between, and a PDF wraps a list written inline so that
"(b)" can start a line. The clause model scores units and ranks them against each other, so a
heading glued to the sentence before it, or a sentence cut at a wrapped "(b)", gives a format
its own verdict.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from evals.saas.sources import OutputFormat
from extractors.classifier.segment import segment
from extractors.ingest import shutdown_pool
from tests.layouts import FORMATS, rendered

MSA = (
    "# Master Services Agreement\n"
    "## 1. Definitions\n"
    "1.1 In this Agreement the Orders, the Data Processing Agreement and this Agreement form a "
    "single contract, and in case of contradictions the Order prevails over this Agreement.\n"
    "## § 2 Availability and Support\n"
    "(1) The Provider guarantees an availability of the service of 99.5% on a monthly average, "
    "measured at the exit of the Provider's data centre to the internet.\n"
    "## 3. Scope of Services\n"
    "3.1 Integrations. The Provider will build and support production integrations with (a) "
    "the Customer's core banking platform for daily general ledger and transaction files, (b) "
    "Workday Financials for journal postings, and (c) the Federal Reserve FedLine file feeds, "
    "and will test each of them with the Customer.\n"
    "3.2 The Provider shall meet the service levels within any three (3) consecutive months of "
    "the term and shall report on them to the Customer every quarter without delay.\n"
)


@pytest.fixture(scope="module", autouse=True)
def _stop_parser_pool() -> Iterator[None]:
    yield
    shutdown_pool()


def units(output: OutputFormat) -> list[str]:
    """The classifier units of the MSA rendered as ``output``, whitespace folded."""
    text = rendered(MSA, output, name="msa").text
    return [" ".join(text[start:end].split()) for start, end in segment(text)]


@pytest.mark.parametrize("output", FORMATS, ids=lambda output: output.value)
def test_a_heading_heads_its_clause_and_ends_the_sentence_before_it(output: OutputFormat) -> None:
    pieces = units(output)
    contradictions = next(piece for piece in pieces if "in case of contradictions" in piece)
    assert contradictions.endswith("prevails over this Agreement.")
    availability = next(piece for piece in pieces if "guarantees an availability" in piece)
    assert availability.lower().startswith("§ 2 availability and support (1) the provider")


@pytest.mark.parametrize("output", FORMATS, ids=lambda output: output.value)
def test_a_wrapped_inline_list_stays_one_unit(output: OutputFormat) -> None:
    pieces = units(output)
    integrations = next(piece for piece in pieces if "production integrations" in piece)
    assert "(b) Workday Financials" in integrations
    assert integrations.endswith("will test each of them with the Customer.")
    levels = next(piece for piece in pieces if "service levels" in piece)
    assert "three (3) consecutive months" in levels


def test_the_three_formats_give_the_same_units() -> None:
    # Plain text underlines its title; the rule is no word.
    renderings = {
        output: [re.sub(r"\s*={3,}", "", piece).lower() for piece in units(output)]
        for output in FORMATS
    }
    assert renderings[OutputFormat.PDF] == renderings[OutputFormat.TXT]
    assert renderings[OutputFormat.DOCX] == renderings[OutputFormat.TXT]
