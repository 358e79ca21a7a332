"""The shared view: sentences, page furniture and enumerations."""

from __future__ import annotations

from extractors.patterns.core import Hit, TextView, enumeration

from .helpers import make_document, view


def _sentence_of(text: str, needle: str) -> str:
    text_view = view(text)
    start = text.index(needle)
    begin, end = text_view.sentence(start, start + len(needle))
    return text[begin:end]


def test_an_enumeration_needs_two_labels_in_sequence() -> None:
    assert enumeration("within thirty (30) days", 0, 23) == []
    assert enumeration("see (a) above and (c) below", 0, 27) == []
    text = "claims (a) that X infringes, (b) arising from Y, or (c) arising from Z"
    items = [text[start:end] for start, end in enumeration(text, 0, len(text))]
    assert items == ["that X infringes, ", "arising from Y, or ", "arising from Z"]


def test_a_wrapped_figure_after_its_number_word_does_not_start_a_sentence() -> None:
    text = "Provider shall destroy all copies within ninety\n(90) days after termination."
    assert _sentence_of(text, "destroy") == text


def test_a_page_break_inside_a_sentence_does_not_end_it() -> None:
    text = (
        "6.1 Processor shall contribute to audits, including inspections, conducted\n\n"
        "by the Controller, once a year.\n\nHeading\n7.1 Data is deleted."
    )
    assert _sentence_of(text, "audits") == text[: text.index("\n\nHeading")]
    assert _sentence_of(text, "deleted") == "7.1 Data is deleted."


def test_a_blank_line_still_ends_a_sentence_or_a_heading() -> None:
    assert _sentence_of("Fees\n\nThe fees are due net 30.", "due") == "The fees are due net 30."
    assert _sentence_of("The term ends.\n\nthe next clause", "next") == "the next clause"


def test_a_full_stop_before_a_tab_is_inside_a_table_row() -> None:
    text = "Header\tEntity\nImplementation package\tKepler B.V.\t1\tEUR 35,000\nNext row"
    assert _sentence_of(text, "Implementation") == (
        "Implementation package\tKepler B.V.\t1\tEUR 35,000"
    )


def test_page_furniture_is_dropped_from_a_span_across_a_page_break() -> None:
    header = "ACME CLOUD - MASTER AGREEMENT"
    text = f"{header}\nThe Services\nPage 1 of 2\n\n{header}\ninfringe a patent."
    text_view = TextView(make_document(text))
    assert text_view.without_furniture(len(header) + 1, len(text)) == (
        "The Services\n\ninfringe a patent."
    )


def _every_offset(text: str, keyword: str) -> list[int]:
    return [index for index in range(len(text)) if text.startswith(keyword, index)]


def test_keyword_positions_are_every_occurrence_however_they_are_looked_up() -> None:
    from extractors.patterns import core

    # "term" is common enough here that its longer keywords are scanned for directly; "aaaa"
    # occurs overlapping itself; "licen" is found among the occurrences of "lice".
    text = (
        "Term: one year. The term|renewal. term\tterm of the Licence; licensed licensee. aaaaaa "
        + "term " * (core._STEM_FILTER + 5)
    )
    document = make_document(text)
    keywords = ("term:", "term|", "term of", "licen", "lice", "aaaa", "aaaaa", "absent keyword")
    lower = TextView(document).lower
    expected = sorted(offset for keyword in keywords for offset in _every_offset(lower, keyword))
    assert TextView(document).positions(keywords) == expected
    few = TextView(make_document(text[:90]))
    assert few.positions(keywords) == sorted(
        offset for keyword in keywords for offset in _every_offset(few.lower, keyword)
    )


def test_a_hit_names_the_reader_that_made_it() -> None:
    from extractors.patterns import extract_hits
    from tests.extractors.patterns.helpers import make_document

    hits = extract_hits(make_document("The Service will be available 99.9% of the time."))
    [uptime] = [hit for hit in hits if hit.path == "service.uptime_percent"]
    assert uptime.reader == "service._uptime"
    # Made outside a view (and inside a comprehension), a hit is named after its function.
    made = [Hit("legal.non_solicit", True, 0, 1, 0.5) for _ in range(1)]
    assert made[0].reader == "test_core.test_a_hit_names_the_reader_that_made_it"
    # The reader is a label, not part of what the hit says.
    assert made[0] == Hit("legal.non_solicit", True, 0, 1, 0.5, reader="elsewhere")


def test_a_tab_separated_row_may_end_the_text() -> None:
    text = "Fees\nPlatform\tUSD 48,000"
    text_view = view(text)
    start, end = text_view.sentence(text.index("USD"), len(text))
    assert text[start:end] == "Platform\tUSD 48,000"


def test_a_labelled_field_line_starts_its_own_sentence() -> None:
    text = (
        "Ordering Document date: November 20, 2026\n"
        "Subscription term: 36 months, starting December 1, 2026\n"
        "Payment: notwithstanding Section 1.1 of the Terms, each invoice is payable\n"
        "within sixty (60) days after receipt."
    )
    assert _sentence_of(text, "sixty") == (
        "Payment: notwithstanding Section 1.1 of the Terms, each invoice is payable\n"
        "within sixty (60) days after receipt."
    )
    assert _sentence_of(text, "36 months") == (
        "Subscription term: 36 months, starting December 1, 2026"
    )


def test_a_wrapped_line_that_only_holds_a_colon_later_goes_on() -> None:
    text = "The Customer shall pay the fees set out in the\nOrder Form within thirty days: net 30."
    assert _sentence_of(text, "thirty") == text
