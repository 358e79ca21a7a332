"""Products and quantities from order tables, and what is added by name in running text.

A table is recognised by its header: a product column ("Item", "Service", "Plan") and a
quantity or price column. With cell separators (DOCX tabs, Markdown pipes) the cells say
which is which; in PDF text the cells are only spaces apart and a row may wrap over several
lines, so a row is read up to the line that ends with its amount, and split as
"name, quantity, unit, prices". Totals, taxes, discounts and one-time fees (implementation,
onboarding, training) are not products.
"""

from __future__ import annotations

import re

from extractors.facts import Product
from extractors.patterns.confidence import BARE_MENTION, INFERRED
from extractors.patterns.core import MAX_LINE, Hit, TextView, squash, words
from extractors.patterns.money import MONEY_RE, iso_currency
from extractors.patterns.tables import SENTENCE_IN_ROW, is_delimited, split_cells

_PRODUCT_WORD = re.compile(
    r"\b(?:products?|items?|services?|subscriptions?|descriptions?|sku|modules?|plans?|editions?"
    r"|offerings?)\b",
    re.IGNORECASE,
)
_QUANTITY_WORD = re.compile(
    r"\b(?:qty|quantity|quantities|units|seats|users|licen[cs]es|volume|accounts|agents|scope)\b",
    re.IGNORECASE,
)
_PRICE_WORD = re.compile(r"\b(?:prices?|fees?|amounts?|charges?|costs?)\b", re.IGNORECASE)
_QUANTITY_COLUMN = re.compile(
    r"qty|quantit|units|seats|users|licen|volume|accounts|agents", re.IGNORECASE
)
# Running text, not a table header.
_PROSE = re.compile(
    r"\b(?:is|are|was|will|shall|may|must|be|been|has|have|this|these)\b|[.;:](?:\s|$)",
    re.IGNORECASE,
)
_HEADER_KEYS = (
    "qty",
    "quantit",
    "units",
    "seats",
    "users",
    "licen",
    "volume",
    "account",
    "agents",
    "scope",
    "price",
    "fee",
    "amount",
    "charge",
    "cost",
)
_TOTAL = re.compile(r"^[\s|*]*(?:grand\s+|sub-?\s?)?totals?\b", re.IGNORECASE)
_NOT_A_PRODUCT = re.compile(
    r"\bone[- ]?(?:time|off)\b|\bset[- ]?up\b|\bimplementation\b|\bonboarding\b"
    r"|\bprofessional\s+services\b|\bconsult\w*|\btraining\b|\bmigration\b|\binstallation\b"
    r"|\bdiscount|\bcredit\b|\brebate\b|\b(?:sales|use|value[- ]added)\s+tax\b|^\W*(?:VAT|GST|HST"
    r"|PST|tax(?:es)?)\b|\bshipping\b|\bexpenses\b",
    re.IGNORECASE,
)
# A figure written as money, with or without its currency.
_FIGURE = re.compile(r"\d{1,3}(?:[,.'\u00a0\u202f]\d{3})+(?:[.,]\d{1,2})?|\d+[.,]\d{2}(?!\d)")
_DIGIT_NEXT = re.compile(r"[^\S\n]?\d")
_COUNTED = re.compile(r"[^\S\n]+([A-Za-z]{2,})")
_QUANTITY = re.compile(
    r"(?<![\w.,/$€£])(?P<qty>\d{1,3}(?:,\d{3})+|\d+)(?![\w.,%)]|[.,]\d)"
    r"(?:[^\S\n]+(?P<unit>[A-Za-z][A-Za-z-]*(?:[^\S\n]+(?!per\b)[A-Za-z][A-Za-z-]*){0,2}))?"
)
_CELL_QUANTITY = re.compile(
    r"^[^\S\n]*(?P<qty>\d{1,3}(?:,\d{3})+|\d+)(?:[^\S\n]+(?P<unit>[A-Za-z][A-Za-z -]{0,24}?))?"
    r"[^\S\n]*$"
)
# What a row may carry after its last amount ("(one-time)", "/ month"); a line that ends in
# "per" or "/" wrapped in the middle of a unit price and goes on below.
_ROW_TAIL = re.compile(r"^[\s|]*(?:\([^)\d]{0,20}\)|[A-Za-z/. ]{0,20})[\s|]*$")
_WRAPPED = re.compile(r"(?:\bper|/|\ban?|\bthe|\bof|\band|-)\s*$", re.IGNORECASE)
_NOT_A_UNIT = re.compile(
    r"^(?:of|to|and|the|per|in|for|at|on|x|flat|each|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct"
    r"|nov|dec)\w*)$",
    re.IGNORECASE,
)
_MAX_WRAP = 6
# "Customer adds 200 users of Vantage Payroll": a product ordered in running text.
_ADDED = words(
    r"\b(?:adds?|orders?|purchases?|subscribes? to|buys?)\s+(?P<qty>\d{1,3}(?:,\d{3})+|\d+)"
    r"(?: \(\d+\))? (?:additional |more )?(?P<unit>(?:named |concurrent |active )?"
    r"(?:users?|seats?|licen[cs]es?|agents?|accounts?|subscriptions?))"
    r" (?:of|for|to) (?:the )?(?P<name>[A-Z][\w&'’-]*(?:[^\S\n]+[A-Z0-9][\w&'’-]*){0,4})",
    flags=0,
)


def _is_header(line: str) -> bool:
    if len(line) > 200 or not _PRODUCT_WORD.search(line) or _PROSE.search(line):
        return False
    tabular = is_delimited(line)
    if not tabular and len(line.split()) < 3:
        return False  # "Subscription Fees": a heading over the table, not its header
    if not (_QUANTITY_WORD.search(line) or _PRICE_WORD.search(line)):
        return False
    # A header names its columns; it states no amounts.
    return MONEY_RE.search(line) is None and _FIGURE.search(line) is None


def _amount_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Money amounts and bare money figures in ``text[start:end]``, in order."""
    spans: list[tuple[int, int]] = []
    position = start
    while (match := MONEY_RE.search(text, position, end)) is not None:
        if match.group("code2") and _DIGIT_NEXT.match(text, match.end()):
            # "120 EUR 96.00": a quantity, then a price with its code in front.
            match = MONEY_RE.match(text, match.start("code2"), end) or match
        spans.append(match.span())
        position = max(match.end(), position + 1)
    for match in _FIGURE.finditer(text, start, end):
        if any(s <= match.start() < e for s, e in spans):
            continue
        # "1,800 clinician users": a count of something, not a price.
        counted = _COUNTED.match(text, match.end())
        if counted and iso_currency(counted.group(1)) is None and "." not in match.group(0)[-3:]:
            continue
        spans.append(match.span())
    return sorted(spans)


def _ends_a_row(text: str, start: int, end: int) -> bool:
    """Whether the line ``[start, end)`` ends with the row's amount (not a wrapped unit price)."""
    spans = _amount_spans(text, start, end)
    if not spans:
        return False
    tail = text[spans[-1][1] : end]
    return bool(_ROW_TAIL.match(tail)) and not _WRAPPED.search(tail)


def _text_product(row: str) -> Product | None:
    """ "Name 150 users USD 99,000 USD 89,100": a product from a row whose cells lost their tabs."""
    money = _amount_spans(row, 0, len(row))
    first_money = money[0][0] if money else len(row)
    quantity = None
    for candidate in _QUANTITY.finditer(row, 0, first_money):
        if candidate.start() > 0 and re.search(r"[A-Za-z]{3}", row[: candidate.start()]):
            quantity = candidate
            break
    unit: str | None = None
    if quantity is not None:
        name = row[: quantity.start()]
        unit_words: list[str] = []
        for word in (quantity.group("unit") or "").split():
            if _NOT_A_UNIT.match(word) or iso_currency(word) is not None:
                break
            unit_words.append(word)
        unit = " ".join(unit_words) or None
    else:
        name = row[:first_money]
    name = squash(name).strip(" -–:|,")
    if not re.search(r"[A-Za-z]{3}", name) or len(name) > 120:
        return None
    return Product(
        name=name,
        quantity=float(quantity.group("qty").replace(",", "")) if quantity else None,
        unit=unit,
    )


def _quantity_column(header: str) -> int | None:
    cells = split_cells(header)
    column = next((i for i, cell in enumerate(cells) if _QUANTITY_COLUMN.search(cell)), None)
    return column if column else None


def _cell_product(row: str, column: int | None) -> Product | None:
    """A product from a row with cell separators: its first cell, and the quantity column."""
    cells = [cell.strip() for cell in split_cells(row, trim_inside=True)]
    name = squash(cells[0]) if cells else ""
    if not name or not re.search(r"[A-Za-z]{3}", name):
        return None
    quantity = (
        _CELL_QUANTITY.match(cells[column]) if column is not None and column < len(cells) else None
    )
    if quantity is None and not _amount_spans(row, 0, len(row)):
        return None  # neither a quantity nor a price: not an order line
    return Product(
        name=name,
        quantity=float(quantity.group("qty").replace(",", "")) if quantity else None,
        unit=squash(quantity.group("unit") or "") or None if quantity else None,
    )


def _line_kind(line: str, tabular: bool, inside: bool) -> str:
    """ "row", "skip" (a blank or rule line) or "stop" (the table is over)."""
    stripped = line.strip()
    if not stripped:
        return "stop" if inside else "skip"
    if set(stripped) <= set("|-:=+ \t"):
        return "skip"
    if len(line) > MAX_LINE or (
        not tabular and (SENTENCE_IN_ROW.search(stripped) or len(stripped) > 160)
    ):
        return "stop"  # running text again
    return "row"


def _table(view: TextView, header_start: int, header_end: int) -> tuple[list[Hit], int]:
    """The products of the table under a header, and where the table ends."""
    text = view.text
    header = text[header_start:header_end]
    tabular = is_delimited(header)
    column = _quantity_column(header) if tabular else None
    hits: list[Hit] = []
    table_end = header_end
    block_start: int | None = None
    wrapped = 0
    for line_start, line_end in view.lines_after(header_end + 1):
        kind = _line_kind(text[line_start:line_end], tabular, bool(hits) or block_start is not None)
        if kind == "stop":
            break
        if kind == "skip":
            continue
        row_start = line_start if block_start is None else block_start
        if not tabular and not _ends_a_row(text, line_start, line_end):
            block_start = row_start
            wrapped += 1
            if wrapped > _MAX_WRAP:
                break
            continue
        block_start, wrapped = None, 0
        table_end = line_end
        row = squash(text[row_start:line_end])
        if _TOTAL.match(row):
            break
        if _NOT_A_PRODUCT.search(row):
            continue
        product = (
            _cell_product(text[line_start:line_end], column) if tabular else _text_product(row)
        )
        if product is not None:
            hits.append(
                view.hit("commercial.products", product, row_start, line_end, INFERRED, exact=True)
            )
    return hits, table_end


def _added(view: TextView) -> list[Hit]:
    hits: list[Hit] = []
    keys = ("add", "order", "purchase", "subscribe", "buy")
    for match in view.finditer(_ADDED, keys, before=10, after=160):
        name = match.group("name").strip(" -–")
        product = Product(
            name=name,
            quantity=float(match.group("qty").replace(",", "")),
            unit=squash(match.group("unit")),
        )
        hits.append(
            view.hit("commercial.products", product, match.start(), match.end(), BARE_MENTION)
        )
    return hits


def extract(view: TextView) -> list[Hit]:
    """Product hits from order tables and from products added in running text."""
    hits: list[Hit] = []
    consumed = -1
    for line_start, line_end in view.lines_with(_HEADER_KEYS):
        if line_start <= consumed:
            continue
        if not _is_header(view.text[line_start:line_end]):
            continue
        found, consumed = _table(view, line_start, line_end)
        hits.extend(found)
    return hits + _added(view)
