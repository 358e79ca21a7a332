"""Total and annual contract value: as stated, as an order table totals it, or derived.

The annual value is what routing needs most, and order forms often leave it unstated while
giving everything that determines it. So, in order of preference:

1. a labelled value: "Annual Contract Value", "annual subscription fees", "Year 1 fees",
   "Total recurring fees per year";
2. the total row of an order table with an annual column;
3. derived: the sum of the recurring lines of such a table (one-time fees such as
   implementation or professional services left out; lines in several currencies are never
   added up), or the total contract value spread over the term it covers
   (ACV = TCV x 12 / months); when both can be computed and agree, both are quoted.

A derived value quotes every statement it was computed from and says how in its note.
The total contract value is only ever read as stated, never multiplied out of an annual one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from extractors.facts import Money
from extractors.patterns.core import MAX_LINE, Hit, TextView, words
from extractors.patterns.dates import DURATION, parse_duration
from extractors.patterns.money import figure_value, find_amounts, iso_currency, view_amounts
from extractors.patterns.term import term_hits

TCV_PATH = "commercial.total_contract_value"
ACV_PATH = "commercial.annual_contract_value"
CHECKS = frozenset({TCV_PATH, ACV_PATH})

_TERM_OF = (
    r"(?: (?:for|over|during|of) (?:the )?(?:[\w-]+ ){0,2}?(?:term|period)"
    rf"(?: of (?P<duration>{DURATION}))?)?"
)
_TCV = words(
    r"\b(?:total contract value|TCV|total (?:subscription |order |contract )?(?:value|price|amount)"
    r"|total (?:subscription |recurring |license |licence |service )?(?:fees|charges)"
    r"(?: payable| due)?|grand total)\b" + _TERM_OF
)
_ACV = words(
    r"\b(?:annual contract value|ACV|annual recurring revenue|ARR|annual total"
    r"|total (?:[\w-]+ ){0,3}?(?:per year|per annum|yearly|annually|a year)"
    r"|total annual (?:[\w-]+ ){0,2}?(?:fees?|charges?|subscription|amount|price|value|cost)s?"
    r"|annual (?:subscription |recurring |license |licence |net )?(?:fees?|charges?|price|amount)"
    r"(?: total)?"
    r"|(?:year (?:1|one)|first[- ]year|1st[- ]year)(?: subscription| annual)? "
    r"(?:fees?|charges?|price|total|amount)"
    r"|(?:fees?|charges?) (?:for|in) (?:the )?(?:first|1st) (?:contract |subscription )?year)\b"
)
_TCV_KEYS = ("total", "tcv")
_ACV_KEYS = ("annual", "acv", "arr", "per year", "per annum", "yearly", "year", "total")
# Words near a figure that make it a floor, a ceiling or a commitment rather than the value.
_NOT_A_VALUE = re.compile(
    r"\b(?:minimum|at\s+least|not\s+less\s+than|no\s+less\s+than|exceed\w*|in\s+excess|up\s+to"
    r"|maximum|cap(?:ped|s)?|limit\w*|liabilit\w*|increase\w*|insurance|commit\w*|credit\w*"
    r"|threshold|penalt\w*)\b",
    re.IGNORECASE,
)
_DIGIT = re.compile(r"\d")
_SENTENCE_END = re.compile(r"[.;](?=\s+[A-Z(]|\s*$)")
_WORD = re.compile(r"[A-Za-z]+")
# A figure written as money but without a currency ("1,380,000", "95,850.00").
_FIGURE = re.compile(
    r"(?<![\w.,])(?P<f>\d{1,3}(?:[,.'\u00a0\u202f]\d{3})+(?:[.,]\d{2})?|\d+[.,]\d{2})(?![\w%]|[.,]\d)"
)
_ISO_IN_BRACKETS = re.compile(r"\(([A-Z]{3})\)")

# A table column that holds a yearly amount: "Annual Fee", "Annual Net", "Total per year".
_ANNUAL_COLUMN = re.compile(
    r"\b(?:annual(?:ised|ized)?|yearly)\s+(?:(?:list|net|recurring|subscription|licen[cs]e)\s+)?"
    r"(?:fees?|amounts?|prices?|charges?|totals?|costs?|list|net|value)\b"
    r"|\b(?:fees?|amounts?|prices?|charges?|totals?|costs?)\b[^|\t\n]{0,20}?"
    r"(?:\bper\s+(?:year|annum)\b|\((?:annual|yearly|per\s+year)\))",
    re.IGNORECASE,
)
_HEADER_KEYS = ("annual", "yearly", "per year", "per annum")
_AMOUNT_COLUMN = re.compile(r"\b(?:fees?|amounts?|prices?|charges?|totals?|costs?)\b", re.I)
# Running text, not a table header.
_PROSE = re.compile(
    r"\b(?:is|are|was|will|shall|may|must|be|been|has|have)\b|[.;](?:\s|$)", re.IGNORECASE
)
_CELL_SPLIT = re.compile(r"[^\S\n]*(?:\||\t)[^\S\n]*")
_TOTAL_ROW = re.compile(r"^[\s|*]*(?:grand\s+)?total\b", re.IGNORECASE)
_SUBTOTAL_ROW = re.compile(r"^[\s|*]*sub-?\s?total\b", re.IGNORECASE)
_ONE_TIME = re.compile(
    r"\bone[- ]?(?:time|off)\b|\bset[- ]?up\b|\bimplementation\b|\bonboarding\b|\bprofessional\s+"
    r"services\b|\bconsult\w*|\btraining\b|\bmigration\b|\binstallation\b|\bnon-?recurring\b"
    r"|\bdeployment\b|\bkick-?off\b",
    re.IGNORECASE,
)
_REDUCTION = re.compile(r"\b(?:discount|credit|rebate|reduction)\b", re.IGNORECASE)
_MINUS = ("-", "–", "−", "(")
# Text a row may carry after its last amount: "(one-time)", "excl. VAT".
_ROW_TAIL = re.compile(r"^[\s|]*(?:\([^)\d]{0,20}\)|[A-Za-z. ]{0,15})?[\s|]*$")
_UNIT_PRICE_TAIL = re.compile(r"^\s*(?:per\b|/)", re.IGNORECASE)
_INCLUDES_ONE_TIME = re.compile(
    r"\b(?:includ\w*|plus|and)\b[^.;]{0,40}?\b(?:one[- ]time|implementation|set[- ]?up|onboarding"
    r"|professional\s+services)",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class _Found:
    """A located amount: its value and span."""

    money: Money
    start: int
    end: int


@dataclass(frozen=True)
class _Stated:
    """A labelled value: the hit, where its label is, and the term it says it covers."""

    hit: Hit
    label_start: int
    label_end: int
    months: int | None = None


@dataclass(frozen=True)
class _Line:
    """A recurring line of an order table: its yearly amount (negative for a discount)."""

    amount: float
    currency: str
    start: int
    end: int


def sole_currency(view: TextView) -> str | None:
    """The one currency the document states amounts in, if it uses only one."""
    currencies = {amount.money.currency for amount in view_amounts(view)}
    return next(iter(currencies)) if len(currencies) == 1 else None


def _first_value(view: TextView, start: int, end: int, fallback: str | None) -> _Found | None:
    """The first amount in ``[start, end)``; a bare figure takes the ``fallback`` currency."""
    text = view.text
    money = next(find_amounts(text, start, end), None)
    figure = _FIGURE.search(text, start, end)
    if money is not None and (figure is None or money.start <= figure.start()):
        return _Found(money.money, money.start, money.end)
    if figure is None or fallback is None:
        return None
    value = figure_value(figure.group("f"))
    if value is None:
        return None
    return _Found(Money(amount=float(value), currency=fallback), figure.start(), figure.end())


def _gap_allows(view: TextView, label: re.Match[str], gap: str) -> bool:
    """Whether the text between a label and a figure keeps the figure the label's value."""
    if _DIGIT.search(gap) or _SENTENCE_END.search(gap) or len(_WORD.findall(gap)) > 8:
        return False
    if "\n" in gap:
        if gap.count("\n") > 2:
            return False
        # A field whose value wrapped ("Annual fees:\nUSD 975,000"), or a total row whose
        # cells a PDF put on lines of their own; a table header is neither.
        before_break = gap[: gap.index("\n")].rstrip()
        line_start = view.line(label.start())[0]
        starts_line = not view.text[line_start : label.start()].strip(" \t|*#")
        total_row = view.lower.startswith(("total", "grand total"), label.start())
        if not (before_break.endswith(":") or (starts_line and total_row)):
            return False
    sentence_start = view.sentence(label.start(), label.end())[0]
    before = view.text[max(sentence_start, label.start() - 80) : label.start()]
    return not _NOT_A_VALUE.search(before + " " + label.group(0) + " " + gap)


def _labelled(
    view: TextView, pattern: re.Pattern[str], keys: tuple[str, ...], path: str, fallback: str | None
) -> list[_Stated]:
    found: list[_Stated] = []
    used: set[int] = set()
    for label in view.finditer(pattern, keys, before=80, after=120):
        value = _first_value(view, label.end(), min(len(view.text), label.end() + 160), fallback)
        if value is None or not _gap_allows(view, label, view.text[label.end() : value.start]):
            continue
        if value.start in used:
            continue  # "Annual Contract Value (ACV): ...": one value, named twice
        used.add(value.start)
        months = None
        duration = label.groupdict().get("duration")
        if duration:
            parsed = parse_duration(duration)
            months = parsed.months() if parsed else None
        confidence = 0.9 if "contract value" in label.group(0).lower() else 0.85
        hit = view.hit(path, value.money, label.start(), value.end, confidence)
        found.append(_Stated(hit, label.start(), label.end(), months))
    return found


@dataclass
class _Table:
    """What an order table with an annual column says about the year's fees."""

    start: int
    end: int
    total: Hit | None = None
    recurring: list[_Line] = field(default_factory=list)


def _annual_column(header: str) -> int | None:
    """Index of the last annual column of a table header with cell separators."""
    cells = _CELL_SPLIT.split(header.strip().strip("|"))
    indexes = [i for i, cell in enumerate(cells) if _ANNUAL_COLUMN.search(cell)]
    return indexes[-1] if indexes else None


def _header(view: TextView, start: int, end: int) -> tuple[str | None, int | None] | None:
    """The currency and annual column of a table header line, or None if it is not one."""
    line = view.text[start:end]
    columns = list(_ANNUAL_COLUMN.finditer(line))
    if not columns or len(line) > 200 or _PROSE.search(line) or _TOTAL_ROW.match(line):
        return None
    if next(find_amounts(line), None) is not None or _DIGIT.search(line):
        return None
    tabular = "|" in line or "\t" in line
    if not tabular and _AMOUNT_COLUMN.search(line, columns[-1].end()):
        # Another money column after the annual one, and no cells to tell them apart.
        return None
    code = _ISO_IN_BRACKETS.search(line)
    currency = iso_currency(code.group(1)) if code else None
    return currency, (_annual_column(line) if tabular else None)


def _row_value(
    view: TextView, start: int, end: int, column: int | None, fallback: str | None
) -> _Found | None:
    """The yearly amount of a table row: its annual cell, or the amount that ends the row."""
    text = view.text
    row = text[start:end]
    if column is not None:
        cells = _CELL_SPLIT.split(row.strip().strip("|"))
        if column < len(cells) and cells[column].strip():
            offset = start + row.find(cells[column])
            return _first_value(view, offset, offset + len(cells[column]), fallback)
    values: list[_Found] = []
    position = start
    while (found := _first_value(view, position, end, fallback)) is not None:
        values.append(found)
        position = found.end
    if not values:
        return None
    last = values[-1]
    tail = text[last.end : end]
    if _UNIT_PRICE_TAIL.match(tail) or not _ROW_TAIL.match(tail):
        return None
    return last


def _is_negative(view: TextView, row_text: str, found: _Found) -> bool:
    lead = view.text[max(0, found.start - 3) : found.start].strip()
    return lead.endswith(_MINUS) or bool(_REDUCTION.search(row_text))


def _read_table(
    view: TextView, header_end: int, currency: str | None, column: int | None
) -> _Table:
    text = view.text
    fallback = currency or sole_currency(view)
    table = _Table(start=header_end, end=header_end)
    pending_start: int | None = None
    for line_start, line_end in view.lines_after(header_end + 1):
        line = text[line_start:line_end]
        stripped = line.strip()
        if not stripped:
            if table.recurring or pending_start is not None:
                break
            continue
        if set(stripped) <= set("|-:=+ \t"):
            continue
        tabular = "|" in line or "\t" in line
        if len(line) > MAX_LINE or (
            not tabular and (_SENTENCE_END.search(stripped) or len(stripped) > 160)
        ):
            break  # running text again: the table is over
        row_start = line_start if pending_start is None else pending_start
        found = _row_value(view, line_start, line_end, column, fallback)
        if found is None:
            pending_start = row_start
            continue
        pending_start = None
        table.end = line_end
        row_text = text[row_start:line_end]
        if _SUBTOTAL_ROW.match(row_text):
            continue
        if _TOTAL_ROW.match(row_text):
            if _ONE_TIME.search(row_text):
                continue
            table.total = view.hit(ACV_PATH, found.money, row_start, found.end, 0.8, exact=True)
            break
        if _ONE_TIME.search(row_text):
            continue
        sign = -1.0 if _is_negative(view, row_text, found) else 1.0
        table.recurring.append(
            _Line(sign * found.money.amount, found.money.currency, row_start, line_end)
        )
    return table


def _tables(view: TextView) -> list[_Table]:
    tables: list[_Table] = []
    last_end = -1
    for line_start, line_end in view.lines_with(_HEADER_KEYS):
        if line_start <= last_end:
            continue
        header = _header(view, line_start, line_end)
        if header is None:
            continue
        currency, column = header
        table = _read_table(view, line_end, currency, column)
        table.start = line_start
        last_end = table.end
        tables.append(table)
    return tables


def _amount_text(currency: str, amount: float) -> str:
    figure = f"{amount:,.0f}" if amount == int(amount) else f"{amount:,.2f}"
    return f"{currency} {figure}"


def _sum_of_lines(table: _Table) -> Hit | None:
    """The year's fees as the sum of a table's recurring lines (all in one currency)."""
    lines = table.recurring
    currencies = {line.currency for line in lines}
    if not lines or len(currencies) != 1:
        return None
    total = round(sum(line.amount for line in lines), 2)
    if total <= 0:
        return None
    currency = currencies.pop()
    parts = _amount_text(currency, lines[0].amount) + "".join(
        f" {'-' if line.amount < 0 else '+'} {abs(line.amount):,.2f}".replace(".00", "")
        for line in lines[1:]
    )
    note = (
        f"derived: sum of {len(lines)} annual subscription lines ({parts})"
        if len(lines) > 1
        else f"derived: annual fee of the only subscription line ({parts})"
    )
    first, *rest = lines
    return Hit(
        ACV_PATH,
        Money(amount=total, currency=currency),
        first.start,
        first.end,
        0.7,
        more=tuple((line.start, line.end) for line in rest),
        note=note,
    )


def _term_months(view: TextView) -> Hit | None:
    """The strongest statement of the term's length in months."""
    hits = [hit for hit in term_hits(view) if hit.path == "commercial.term_months"]
    if not hits:
        return None
    by_value: dict[int, list[Hit]] = {}
    for hit in hits:
        by_value.setdefault(hit.value, []).append(hit)
    best = max(
        by_value.values(),
        key=lambda group: (max(h.confidence for h in group), len(group), -group[0].start),
    )
    return max(best, key=lambda hit: hit.confidence)


def _spread_over_term(view: TextView, stated: list[_Stated]) -> Hit | None:
    """ACV = TCV x 12 / months, from the total contract value and the term it covers."""
    if not stated:
        return None
    total = max(stated, key=lambda item: (item.hit.confidence, -item.hit.start))
    sentence = view.text[slice(*view.sentence(total.hit.start, total.hit.end))]
    if _INCLUDES_ONE_TIME.search(sentence):
        return None
    months = total.months
    spans = [(total.hit.start, total.hit.end)]
    if months is None:
        term = _term_months(view)
        if term is None:
            return None
        months = term.value
        if (term.start, term.end) != spans[0]:
            spans.append((term.start, term.end))
    if not isinstance(months, int) or not 12 <= months <= 120:
        return None
    money: Money = total.hit.value
    value = Money(amount=round(money.amount * 12 / months, 2), currency=money.currency)
    note = f"derived: TCV {_amount_text(money.currency, money.amount)} over {months} months"
    ordered = sorted(spans)
    return Hit(
        ACV_PATH, value, ordered[0][0], ordered[0][1], 0.65, more=tuple(ordered[1:]), note=note
    )


def extract(view: TextView) -> list[Hit]:
    """Total and annual contract value hits, stated or derived."""
    if not view_amounts(view) and not view.mentions("annual", "per year", "total"):
        return []
    fallback = sole_currency(view)
    tables = _tables(view)
    in_table = [(table.start, table.end) for table in tables]
    labelled_annual = _labelled(view, _ACV, _ACV_KEYS, ACV_PATH, fallback)
    # The total row of an annual table, or a label read as an annual value, is not also a
    # total for the whole term.
    taken = in_table + [(item.label_start, item.label_end) for item in labelled_annual]
    totals = [
        item
        for item in _labelled(view, _TCV, _TCV_KEYS, TCV_PATH, fallback)
        if not any(start <= item.label_start < end for start, end in taken)
    ]
    annual = [item.hit for item in labelled_annual]
    annual += [table.total for table in tables if table.total is not None]
    if not annual:
        derived = _derived(
            next((hit for table in tables if (hit := _sum_of_lines(table)) is not None), None),
            _spread_over_term(view, totals),
        )
        if derived is not None:
            annual.append(derived)
    return [item.hit for item in totals] + annual


def _derived(summed: Hit | None, spread: Hit | None) -> Hit | None:
    """The line items' sum, else the total over the term; both quoted when they agree."""
    if summed is None or spread is None:
        return summed or spread
    if summed.value.currency != spread.value.currency or (
        abs(summed.value.amount - spread.value.amount) > 0.005 * spread.value.amount
    ):
        return summed
    spans = sorted({*summed.spans, *spread.spans})
    (start, end), *more = spans
    note = f"{summed.note}; agrees with the {(spread.note or '').removeprefix('derived: ')}"
    return Hit(ACV_PATH, summed.value, start, end, 0.75, more=tuple(more), note=note)
