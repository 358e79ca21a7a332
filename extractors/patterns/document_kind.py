"""What kind of document this is (MSA, order form, SOW, DPA, security addendum, amendment).

The title near the top decides the first kind; headings of attached exhibits ("EXHIBIT B -
DATA PROCESSING ADDENDUM") add further kinds after it.
"""

from __future__ import annotations

import re

from extractors.facts import DocumentKind
from extractors.patterns.confidence import BARE_MENTION, KEPT_BY_CONTEXT, PRECISE_WORDING, STAND_IN
from extractors.patterns.core import Hit, TextView, per_view

CHECKS = frozenset({"commercial.document_kinds"})

_TITLE_ZONE = 900
_KINDS: tuple[tuple[DocumentKind, re.Pattern[str]], ...] = tuple(
    (kind, re.compile(pattern, re.IGNORECASE))
    for kind, pattern in (
        (
            DocumentKind.AMENDMENT,
            r"\b(?:(?:first|second|third|fourth|fifth|\d+(?:st|nd|rd|th))\s+)"
            r"?amendment\b(?:\s+(?:no\.?|number)\s*\d+)?"
            r"|\bchange\s+order\b",
        ),
        (
            DocumentKind.DPA,
            r"\bdata\s+(?:processing|protection)\s+(?:agreement|addendum|terms|exhibit|schedule)\b|"
            r"\bDPA\b",
        ),
        (
            DocumentKind.SECURITY_ADDENDUM,
            r"\b(?:information\s+)?security(?:\s+and\s+\w+)?\s+(?:addendum|exhibit|schedule"
            r"|requirements|terms|annex)\b",
        ),
        (
            DocumentKind.SOW,
            r"\bstatement\s+of\s+work\b|\bSOW\b|\bwork\s+order\b|\bproject\s+order\b",
        ),
        (
            DocumentKind.ORDER_FORM,
            r"\border\s+form\b|\bordering\s+document\b|\bservice\s+order\b|\bsales\s+order\b"
            r"|\bsubscription\s+order\b|\bquote\b|\bquotation\b|\border\s+schedule\b"
            r"|\border\s+(?:confirmation|summary|acknowledg(?:e)?ment)\b|\brenewal\s+order\b"
            # A title that is an order and its number: "ORDER NL-2024-0317", "Order #JB-1".
            r"|^\W*(?:[\w&.,'’-]+\s+){0,5}?order\s+(?:no\.?\s*|number\s*|#\s*)?[A-Z0-9-]*\d[\w/-]*\s*$",
        ),
        (
            DocumentKind.MSA,
            r"\bmaster\s+(?:subscription|services?|software|license|licence|saas|cloud|purchase|"
            r"customer)?\s*"
            r"(?:agreement|terms)\b|\bterms\s+of\s+service\b"
            r"|\bsubscription\s+(?:services\s+|and\s+\w+\s+)?agreement\b"
            r"|\bframework\s+agreement\b"
            r"|\bsoftware[\s-]+as[\s-]+a[\s-]+service\s+agreement\b|\bsaas\s+agreement\b"
            r"|\b(?:cloud|customer|enterprise)\s+(?:services\s+)?agreement\b|\bMSA\b",
        ),
    )
)
_AGREEMENT = re.compile(r"\b(?:agreement|contract|addendum|terms)\b", re.IGNORECASE)
# A heading line: short, and either upper case, a Markdown heading or an exhibit label.
_HEADING = re.compile(
    r"^[^\S\n]*(?:#{1,3}[^\S\n]+.{3,90}|(?:exhibit|schedule|annex|appendix|attachment|addendum)"
    r"\b.{0,90}"
    r"|[A-Z0-9][A-Z0-9 ,.&()'/-]{6,90})[^\S\n]*$",
    re.MULTILINE | re.IGNORECASE,
)


def _title_kind(line: str) -> DocumentKind | None:
    for kind, pattern in _KINDS:
        if pattern.search(line):
            return kind
    return None


@per_view
def _title(view: TextView) -> tuple[DocumentKind, int, int, float] | None:
    """The kind the title names, with its span and how sure the reading is."""
    text = view.text
    title_end = min(len(text), _TITLE_ZONE)
    # The title: the first heading-like line that names a kind, else the first that names
    # an agreement of some other kind.
    title: tuple[DocumentKind, int, int, float] | None = None
    for match in _HEADING.finditer(text, 0, title_end):
        kind = _title_kind(match.group(0))
        if kind is not None:
            title = (kind, match.start(), match.end(), PRECISE_WORDING)
            break
        if title is None and _AGREEMENT.search(match.group(0)):
            title = (DocumentKind.OTHER, match.start(), match.end(), STAND_IN)
            break
    if title is None:
        first_sentence = view.sentence(0, 1)
        kind = _title_kind(text[first_sentence[0] : min(first_sentence[1], 400)])
        if kind is not None:
            title = (kind, first_sentence[0], min(first_sentence[1], 400), BARE_MENTION)
    return title


def title_kind(view: TextView) -> DocumentKind | None:
    """The kind of document the title names (an amendment, an order form, ...), if any."""
    title = _title(view)
    return title[0] if title is not None else None


# "SECOND AMENDMENT TO SERVICES AGREEMENT ...", "Exhibit 10.1 SUPPLY AGREEMENT AMENDMENT NO. 1":
# the word among the first few of the text, where a title is, not "any amendment thereto".
_OPENS_AS_AMENDMENT = re.compile(
    r"^\W*(?:[\w.'’&-]+\s+){0,4}?(?:(?:first|second|third|fourth|fifth|\d+(?:st|nd|rd|th))\s+)?"
    r"amendment\b(?!\s+(?:thereto|hereto|of\s+this|to\s+this))",
    re.IGNORECASE,
)


def is_amendment(view: TextView) -> bool:
    """Whether the document is an amendment: its heading, or its opening words, say so."""
    title = _title(view)
    if title is None or title[0] is not DocumentKind.AMENDMENT:
        return False
    return title[3] >= PRECISE_WORDING or _OPENS_AS_AMENDMENT.match(view.text[:200]) is not None


def extract(view: TextView) -> list[Hit]:
    """Document kind hits: the title's kind first, then attached exhibits' kinds."""
    text = view.text
    hits: list[Hit] = []
    title_end = min(len(text), _TITLE_ZONE)
    title = _title(view)
    if title is not None:
        kind, start, end, confidence = title
        hits.append(view.hit("commercial.document_kinds", kind, start, end, confidence, exact=True))
    for match in _HEADING.finditer(text, title_end):
        line = match.group(0)
        if not re.match(
            r"\s*(?:#|exhibit|schedule|annex|appendix|attachment|addendum)", line, re.IGNORECASE
        ):
            continue
        attached = _title_kind(line)
        if attached in {
            DocumentKind.DPA,
            DocumentKind.SECURITY_ADDENDUM,
            DocumentKind.SOW,
            DocumentKind.ORDER_FORM,
        }:
            hits.append(
                view.hit(
                    "commercial.document_kinds",
                    attached,
                    match.start(),
                    match.end(),
                    KEPT_BY_CONTEXT,
                    exact=True,
                )
            )
    return hits
