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

import bisect
import re
from dataclasses import dataclass, field, replace
from itertools import pairwise

from extractors.facts import Money
from extractors.patterns.confidence import (
    BARE_MENTION,
    CHECKED_CLAUSE,
    INFERRED,
    KEPT_BY_CONTEXT,
    LABELLED_FIELD,
    LOOSE_WORDING,
    PRECISE_WORDING,
)
from extractors.patterns.core import MAX_LINE, Hit, TextView, alternation, per_view, words
from extractors.patterns.dates import DURATION, parse_duration
from extractors.patterns.money import (
    LAKH_FIGURE,
    Amount,
    document_currencies,
    figure_value,
    find_amounts,
    iso_currency,
    view_amounts,
    view_amounts_in,
)
from extractors.patterns.tables import (
    Row,
    cells,
    header_currency,
    header_line,
    is_delimited,
    row_at,
    split_cells,
)
from extractors.patterns.term import term_hits

TCV_PATH = "commercial.total_contract_value"
ACV_PATH = "commercial.annual_contract_value"
BY_CURRENCY_PATH = "commercial.annual_fees_by_currency"
CHECKS = frozenset({TCV_PATH, ACV_PATH, BY_CURRENCY_PATH})

# The term a total covers, named with its label: "for the 36-month term", "over the term of
# three (3) years", ", 24 months, prepaid".
_TERM_OF = (
    r"(?: (?:for|over|during|of) (?:the )?(?:(?:initial|entire|whole|full) )?"
    rf"(?:(?P<lead_duration>{DURATION}) (?:[\w-]+ )?|(?:[\w-]+ ){{0,2}}?)(?:term|period)"
    rf"(?: of (?P<duration>{DURATION}))?"
    r"|,? (?P<span>\d{1,3}(?:-|\s+)?(?:months?|years?))(?:,? (?:prepaid|pre-paid|paid in advance"
    r"|payable in advance|in advance|upfront|up front))?)?"
)
_TCV = words(
    r"\b(?:total contract value|TCV|total (?:subscription |order |contract )?(?:value|price|amount)"
    r"|total (?:subscription |recurring |license |licence |service )?(?:fees|charges)"
    r"(?: payable| due)?|grand total|(?:subscription|order|contract) total)\b" + _TERM_OF
)
_ACV = words(
    r"\b(?:annual contract value|ACV|annual recurring revenue|ARR|annual total"
    r"|total (?:[\w-]+ ){0,3}?(?:per year|per annum|yearly|annually|a year)"
    r"|total annual (?:[\w-]+ ){0,2}?(?:fees?|charges?|subscription|amount|price|value|cost)s?"
    r"|annual (?:subscription |recurring |license |licence |net )?(?:fees?|charges?|price|amount)"
    r"(?: total)?"
    r"|(?:year (?:1|one)|first[- ]year|1st[- ]year)(?: subscription| annual)? "
    r"(?:fees?|charges?|price|total|amount)"
    r"|(?:fees?|charges?) (?:for|in) (?:the )?(?:first|1st) (?:contract |subscription )?year"
    # "Subtotal (recurring, annual)", "Total (per year)": a total its bracket says is yearly.
    r"|(?:sub-?)?total \((?:[\w-]+,? ){0,2}?(?:annual|yearly|per year|per annum)"
    r"(?:,? [\w-]+){0,2}(?=\))"
    # "The annual subscription of USD 66,000.00", "Your annual subscription is EUR 24 500".
    r"|annual subscription(?= (?:of|is|at|comes to|amounts to|costs?)\b|[^\S\n]*:))\b"
)
# The term a total covers, said after its amount: "USD 360,000 for the 36-month term",
# "over three (3) years", "for the Initial Term of 36 months".
_TERM_AFTER = words(
    r"[\s,]*(?:\([^)\n]{0,40}\)[\s,]*)?"
    r"(?:(?:exclusive|inclusive|excluding|including) of [\w ]{1,20}?,? )?"
    r"(?:for|over|during|covering|across) (?:the |a |an |its )?(?:(?:initial|entire|whole|full) )?"
    rf"(?:(?P<before>{DURATION})(?: [\w-]+)?(?: (?:term|period))?"
    rf"|(?:[\w-]+ ){{0,2}}?(?:term|period) of (?P<after>{DURATION}))"
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
# Dot leaders between a label and its figure ("Total (per year) ........ GBP 18,000.00").
_LEADERS = re.compile(r"\.{3,}|\u2026+")
_SENTENCE_END = re.compile(r"[.;](?=\s+[A-Z(]|\s*$)")
_WORD = re.compile(r"[A-Za-z]+")
# A sentence's end in a table row: a full stop after a word, not after an abbreviation's
# letters ("Ostara Pharma Nederland B.V. EUR 24,000").
_WORD_THEN_STOP = re.compile(r"(?:[a-z]{2}|\d)[.;](?=\s+[A-Z(]|\s*$)")
# A figure written as money but without a currency ("1,380,000", "95,850.00").
# Spaces group a figure's thousands only where a decimal comma says the style is that one
# ("1 380 000,00"): a PDF row's columns are single spaces too ("140 12 360.00").
_FIGURE = re.compile(
    rf"(?<![\w.,])(?P<f>{LAKH_FIGURE}|\d{{1,3}}(?:[ \u00a0\u202f]\d{{3}})+,\d{{2}}"
    r"|\d{1,3}(?:[,.'\u00a0\u202f]\d{3})+(?:[.,]\d{2})?|\d+[.,]\d{2})(?![\w%]|[.,]\d)"
)
_ISO_IN_BRACKETS = re.compile(r"\(([A-Z]{3})\)")

# A table column that holds a yearly amount: "Annual Fee", "Annual Net", "Total per year".
_ANNUAL_COLUMN = re.compile(
    r"\b(?:annual(?:ised|ized)?|yearly)\s*\([A-Z]{3}\)"
    r"|\b(?:annual(?:ised|ized)?|yearly)\s+(?:(?:list|net|recurring|subscription|licen[cs]e)\s+)?"
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
_TOTAL_ROW = re.compile(r"^[\s|*]*(?:grand\s+)?total\b", re.IGNORECASE)
_SUBTOTAL_ROW = re.compile(r"^[\s|*]*sub-?\s?total\b", re.IGNORECASE)
# A total named anywhere in a row's label: "Annual subscription total", "Monthly total /
# Total mensuel", "Total quarterly Charges"; a subtotal is a part of it.
_TOTAL_LABEL = re.compile(r"(?<![\w-])total(?![\w-])", re.IGNORECASE)
_SUBTOTAL_LABEL = re.compile(r"\bsub-?\s?total\b", re.IGNORECASE)
# A payment receipt's restatement of the lines it paid: "Charged today", "Amount paid".
_RECEIPT_RX = re.compile(
    r"\b(?:charged|paid|due|billed)\s+(?:today|now)\b"
    r"|\b(?:amount|total|sum)\s+(?:paid|charged|received|billed\s+today)\b"
    r"|\bpayment\s+(?:received|made|taken)\b",
    re.IGNORECASE,
)
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

# A price stated with a sales tax in it: "incl. GST", "(GST incl.)", "inclusive of VAT", "gross".
_TAX_NAME = r"(?:GST|VAT|HST|sales[^\S\n]+tax|tax(?:es)?)"
_TAX_INCLUDED = re.compile(
    rf"\b(?:incl(?:\.|uding\b|usive\b|uded\b)?|inc\.?)[^\S\n]*(?:of[^\S\n]+)?{_TAX_NAME}\b"
    rf"|\b{_TAX_NAME}[^\S\n]*[-(]?[^\S\n]*(?:incl(?:\.|uded\b|usive\b)?|inc\b\.?)"
    r"|\bgross\b",
    re.IGNORECASE,
)
# A document saying all its prices hold the tax: "All prices ... include GST".
_PRICES_INCLUDE = re.compile(
    r"\b(?:prices|fees|amounts|charges)\b[^.;\n]{0,60}?\b(?:includ(?:e|es|ing)|inclusive\s+of)"
    rf"\s+{_TAX_NAME}\b",
    re.IGNORECASE,
)
# The tax a tax-inclusive price holds: "The GST component of the total annual price is $6,000",
# "includes VAT of EUR 2,100".
_TAX_PART = re.compile(
    rf"\b{_TAX_NAME}\s+(?:component|amount|portion|element|part|included)\b"
    rf"|\binclud\w*\s+{_TAX_NAME}\s+of\b",
    re.IGNORECASE,
)
# An amount stated without the tax: "AUD 60,000 excl. GST", "USD 1,000 + VAT", "net of tax".
_WITHOUT_TAX = re.compile(
    r"[^\S\n]*\(?[^\S\n]*(?:excl(?:\.|uding\b|usive\s+of\b)?|ex\b\.?|before|net\s+of|plus\b|\+)"
    rf"[^\S\n]*{_TAX_NAME}\b",
    re.IGNORECASE,
)
# The highest sales tax rate a tax component can stand for (as a share of the net amount).
_MAX_TAX_SHARE = 0.3
# Money columns of a header whose cells a PDF or plain text does not tell apart.
_MONEY_COLUMN = re.compile(
    r"\b(?:fees?|amounts?|prices?|charges?|totals?|costs?|net|list)\b", re.IGNORECASE
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
    # Read in the currency its table's header names, the figure having none of its own.
    in_header_currency: bool = False


@dataclass(frozen=True)
class _Line:
    """A recurring line of an order table: its yearly amount (negative for a discount)."""

    amount: float
    currency: str
    start: int
    end: int


@per_view
def sole_currency(view: TextView) -> str | None:
    """The one currency the document states amounts in, if it uses only one."""
    currencies = {amount.money.currency for amount in view_amounts(view)}
    if not currencies:
        # No amount names its currency: the one the document says all its amounts are in.
        currencies = {currency for currency, _, _ in document_currencies(view)}
    return next(iter(currencies)) if len(currencies) == 1 else None


def _first_value(view: TextView, start: int, end: int, fallback: str | None) -> _Found | None:
    """The first amount in ``[start, end)``; a bare figure takes the ``fallback`` currency."""
    text = view.text
    money = next(view_amounts_in(view, start, end), None)
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
    gap = _LEADERS.sub(" ", gap)
    if _DIGIT.search(gap) or _SENTENCE_END.search(gap) or len(_WORD.findall(gap)) > 8:
        return False
    line_start = view.line(label.start())[0]
    starts_line = not view.text[line_start : label.start()].strip(" \t|*#")
    if "\n" in gap:
        if gap.count("\n") > 2:
            return False
        # A field whose value wrapped ("Annual fees:\nUSD 975,000"), or a total row whose
        # cells a PDF put on lines of their own; a table header is neither.
        before_break = gap[: gap.index("\n")].rstrip()
        total_row = view.lower.startswith(("total", "grand total"), label.start())
        if not (before_break.endswith(":") or (starts_line and total_row)):
            return False
    # A label opening its line starts a field or a row: a PDF keeps no cells, so the row
    # above ("Services ..., up to 40,000 members") would otherwise read as its sentence.
    sentence_start = line_start if starts_line else view.sentence(label.start(), label.end())[0]
    before = view.text[max(sentence_start, label.start() - 80) : label.start()]
    said = before + " " + label.group(0) + " " + gap
    # "The GST component of the total annual price is $6,000": the tax in it, not the value.
    return not (_NOT_A_VALUE.search(said) or _TAX_PART.search(said))


def _table_currency(view: TextView, label: re.Match[str]) -> str | None:
    """The currency the header of the table a label stands in gives its bare figures."""
    row = row_at(view, label.start())
    return header_currency(row.head) if row is not None and row.head else None


def _labelled(
    view: TextView, pattern: re.Pattern[str], keys: tuple[str, ...], path: str, fallback: str | None
) -> list[_Stated]:
    found: list[_Stated] = []
    used: set[int] = set()
    for label in view.finditer(pattern, keys, before=80, after=120):
        end = min(len(view.text), label.end() + 160)
        value = _first_value(view, label.end(), end, fallback)
        in_header_currency = False
        if value is None and fallback is None:
            value = _first_value(view, label.end(), end, _table_currency(view, label))
            in_header_currency = value is not None
        if value is None or not _gap_allows(view, label, view.text[label.end() : value.start]):
            continue
        if value.start in used:
            continue  # "Annual Contract Value (ACV): ...": one value, named twice
        used.add(value.start)
        months = None
        trailing = _TERM_AFTER.match(view.text, value.end, min(len(view.text), value.end + 120))
        named = label.groupdict()
        duration = (
            named.get("duration")
            or named.get("lead_duration")
            or named.get("span")
            or (trailing and (trailing.group("before") or trailing.group("after")))
        )
        if duration:
            parsed = parse_duration(duration)
            months = parsed.months() if parsed else None
        stated_value = "contract value" in label.group(0).lower()
        confidence = STATED_CONTRACT_VALUE if stated_value else STATED_ANNUAL
        end = trailing.end() if trailing else value.end
        hit = view.hit(path, value.money, label.start(), end, confidence)
        found.append(_Stated(hit, label.start(), label.end(), months, in_header_currency))
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
    cells = split_cells(header)
    indexes = [i for i, cell in enumerate(cells) if _ANNUAL_COLUMN.search(cell)]
    net = [i for i in indexes if not _TAX_INCLUDED.search(cells[i])]
    return (net or indexes)[-1] if indexes else None


def _header(view: TextView, start: int, end: int) -> tuple[str | None, int | None] | None:
    """The currency and annual column of a table header line, or None if it is not one."""
    line = view.text[start:end]
    columns = list(_ANNUAL_COLUMN.finditer(line))
    if not columns or len(line) > 200 or _PROSE.search(line) or _TOTAL_ROW.match(line):
        return None
    if next(find_amounts(line), None) is not None or _DIGIT.search(line):
        return None
    tabular = is_delimited(line)
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
        cells = split_cells(row)
        if column < len(cells) and cells[column].strip():
            offset = start + row.find(cells[column])
            found = _first_value(view, offset, offset + len(cells[column]), fallback)
            if found is not None and _UNIT_PRICE_TAIL.match(text[found.end : found.end + 20]):
                return None  # a unit price in the annual column: the fee lines multiply it out
            return found
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
    blank_after_row = False
    for line_start, line_end in view.lines_after(header_end + 1):
        line = text[line_start:line_end]
        stripped = line.strip()
        if not stripped:
            if pending_start is not None or blank_after_row:
                break
            # A table whose rows a blank line separates goes on while rows with cells follow.
            blank_after_row = bool(table.recurring)
            continue
        if blank_after_row and not is_delimited(line):
            break
        blank_after_row = False
        if set(stripped) <= set("|-:=+ \t"):
            continue
        tabular = is_delimited(line)
        if len(line) > MAX_LINE or (
            not tabular and (_WORD_THEN_STOP.search(stripped) or len(stripped) > 160)
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
        # A row labelled as the total of the lines above ("Annual subscription total") is
        # not one more line, wherever its label says so.
        label = text[row_start : found.start]
        if _SUBTOTAL_ROW.match(row_text) or _SUBTOTAL_LABEL.search(label):
            continue
        if _RECEIPT_RX.search(label):
            continue  # "Charged today": a payment of the lines above, not another line
        if _TOTAL_ROW.match(row_text) or _TOTAL_LABEL.search(label):
            if _ONE_TIME.search(row_text):
                continue
            table.total = view.hit(
                ACV_PATH, found.money, row_start, found.end, TOTAL_ROW, exact=True
            )
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


# A row that is one year of a multi-year subscription: "Year 2", "Contract Year 3 (2027-...)".
_YEAR_ROW = re.compile(
    r"[\s|]*(?:(?:contract|subscription|service)\s+)?(?:year|yr\.?)\s*(\d{1,2})\b", re.IGNORECASE
)


def _contract_years(view: TextView, rows: list[int]) -> bool:
    """Whether the rows at these offsets are the successive years of one subscription (a
    ramp: "Year 1", "Year 2", ...), each with its own fee."""
    if len(rows) < 2:
        return False
    numbers = []
    for position in rows:
        row_start, row_end = view.line(position)
        year = _YEAR_ROW.match(view.text, row_start, row_end)
        if year is None:
            return False
        numbers.append(int(year.group(1)))
    return numbers == list(range(numbers[0], numbers[0] + len(numbers)))


def _sum_of_lines(view: TextView, table: _Table) -> Hit | None:
    """The year's fees as the sum of a table's recurring lines (all in one currency), or
    their average where each line is one year of the subscription."""
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
    if _contract_years(view, [line.start for line in lines]):
        total = round(total / len(lines), 2)
        note = f"derived: average of {len(lines)} contract years ({parts})"
    elif len(lines) > 1:
        note = f"derived: sum of {len(lines)} annual subscription lines ({parts})"
    else:
        note = f"derived: annual fee of the only subscription line ({parts})"
    first, *rest = lines
    return Hit(
        ACV_PATH,
        Money(amount=total, currency=currency),
        first.start,
        first.end,
        DERIVED,
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
    over = f"/ {months // 12} years" if months % 12 == 0 else f"over {months} months"
    note = f"derived: total {_amount_text(money.currency, money.amount)} {over}"
    ordered = sorted(spans)
    return Hit(
        ACV_PATH,
        value,
        ordered[0][0],
        ordered[0][1],
        SPREAD_OVER_TERM,
        more=tuple(ordered[1:]),
        note=note,
    )


# ---- fee lines: amounts priced per year, month or unit, in tables and in prose ----------

# How sure a value is, by how it was read: what a document states beats what is worked out
# (rungs of the ladder in extractors.patterns.confidence).
STATED_CONTRACT_VALUE = LABELLED_FIELD
STATED_ANNUAL = PRECISE_WORDING
TOTAL_ROW = CHECKED_CLAUSE
PRICED_PER_YEAR = CHECKED_CLAUSE  # one fee line priced per year, read as it stands
DERIVATIONS_AGREE = LOOSE_WORDING
DERIVED = KEPT_BY_CONTEXT  # summed lines, a monthly price x 12, a unit price x quantity
SPREAD_OVER_TERM = INFERRED
NO_PERIOD_STATED = BARE_MENTION  # fee lines that name no period, read as the year's

# The periods a price is quoted for, and how many of each a year holds.
_PER_YEAR = {"month": 12, "quarter": 4, "year": 1}
# "per month", "/mo", "each year", "per annum": the noun after per, a, each or a slash.
_PERIOD_NOUNS = {
    "month": ("month", "mo", "calendar month", "mth"),
    "quarter": ("quarter", "qtr", "calendar quarter"),
    "year": ("year", "yr", "annum", "contract year", "subscription year", "calendar year"),
}
# "monthly", "annually": a word that says the period by itself.
_PERIOD_WORDS = {
    "month": ("monthly",),
    "quarter": ("quarterly",),
    "year": ("annually", "yearly", "annual", "p.a.", "per annum"),
}
# Units a price can be quoted per ("per user per month"): anything but a period; these are
# rates for work, not for a subscription.
# What makes an amount something other than the fees for the year: a floor or ceiling, a
# liability or insurance figure, a price for later years or for optional extras, taxes.
_NOT_THE_FEES = (
    "minimum",
    "at least",
    "not less than",
    "no less than",
    "exceed",
    "exceeds",
    "exceeding",
    "in excess",
    "maximum",
    "cap",
    "caps",
    "capped",
    "limit",
    "limits",
    "limitation",
    "liability",
    "liabilities",
    "increase",
    "increases",
    "increased",
    "insurance",
    "insured",
    "commit",
    "commits",
    "committed",
    "commitment",
    "credit",
    "credits",
    "threshold",
    "penalty",
    "penalties",
    "late",
    "interest",
    "overage",
    "overages",
    "renewal",
    "thereafter",
    "year 2",
    "year two",
    "second year",
    "year 3",
    "year three",
    "third year",
    "indemnity",
    "damages",
    "deposit",
    "expenses",
    "travel",
    "budget",
    "fees paid",
    "amounts paid",
)
# In running text, prices for what the customer may add later are not what it bought; in an
# order table the same words name lines it did buy ("Extra locations | 5 | USD 250.00").
_OPTIONAL_PRICES = ("additional", "extra", "optional", "excess", "further")
# Taxes on the fees, named before an amount ("Taxes (GST 5%): CAD 5.88 per month"); after
# one ("USD 1,500 per month plus taxes") they do not make it a tax.
_TAX_WORDS = ("tax", "taxes", "vat", "gst", "hst", "pst", "sales tax", "withholding")
# Fees that are charged once: never part of the year's recurring value.
_ONE_TIME_WORDS = (
    "one-time",
    "one time",
    "one-off",
    "one off",
    "once",
    "non-recurring",
    "nonrecurring",
    "set-up",
    "setup",
    "set up",
    "implementation",
    "onboarding",
    "on-boarding",
    "professional services",
    "consulting",
    "consultancy",
    "training",
    "migration",
    "installation",
    "deployment",
    "kick-off",
    "kickoff",
    "configuration",
    "milestone",
    "deliverable",
    "statement of work",
)
# Rows that add up or tax other rows: counting them too would count twice.
_TOTAL_WORDS = (
    "total",
    "grand total",
    "subtotal",
    "sub-total",
    "sum",
    "tax",
    "taxes",
    "vat",
    "gst",
    "hst",
    "sales tax",
    "amount due",
    "balance due",
    "invoice total",
)
_REDUCTION_WORDS = ("discount", "rebate", "reduction")
# Words that make a row a recurring fee when it names no period of its own.
_RECURRING_WORDS = (
    "subscription",
    "subscriptions",
    "licence",
    "licences",
    "license",
    "licenses",
    "platform",
    "saas",
    "plan",
    "seat",
    "seats",
    "user",
    "users",
    "support",
    "hosting",
    "maintenance",
    "recurring",
    "module",
    "modules",
    "edition",
    "add-on",
    "service tier",
)
# A sentence that prices something: it speaks of fees, prices or paying.
_FEE_WORDS = (
    "fee",
    "fees",
    "price",
    "prices",
    "priced",
    "pricing",
    "pay",
    "pays",
    "payable",
    "paid",
    "charge",
    "charges",
    "charged",
    "subscription",
    "cost",
    "costs",
    "invoice",
    "invoiced",
    "billed",
    "licence",
    "license",
)


def _cue(phrases: tuple[str, ...]) -> re.Pattern[str]:
    """A pattern for any of ``phrases`` as whole words, spaces matching any whitespace."""
    return re.compile(
        r"(?<![\w-])" + alternation(phrases).replace(r"\ ", r"\s+") + r"(?![\w-])", re.IGNORECASE
    )


_NOT_THE_FEES_RX = _cue(_NOT_THE_FEES)
_OPTIONAL_RX = _cue(_OPTIONAL_PRICES)
_TAX_RX = _cue(_TAX_WORDS)
_TOTAL_RX = _cue(_TOTAL_WORDS)
_ONE_TIME_RX = _cue(_ONE_TIME_WORDS)
_TOTAL_START = re.compile(r"^[\s|*#]*" + alternation(_TOTAL_WORDS) + r"(?![\w-])", re.IGNORECASE)
_REDUCTION_RX = _cue(_REDUCTION_WORDS)
_RECURRING_RX = _cue(_RECURRING_WORDS)
_FEE_RX = _cue(_FEE_WORDS)
_PERIOD_OF = {phrase: period for period, phrases in _PERIOD_NOUNS.items() for phrase in phrases}
_PERIOD_OF.update(
    {phrase: period for period, phrases in _PERIOD_WORDS.items() for phrase in phrases}
)
_PERIOD_RX = re.compile(
    r"(?:(?<![\w-])(?:per|a|an|each|every)\s+|/\s*)(?P<noun>"
    + alternation([p for ps in _PERIOD_NOUNS.values() for p in ps]).replace(r"\ ", r"\s+")
    + r")(?![\w-])|(?<![\w-])(?P<word>"
    + alternation([p for ps in _PERIOD_WORDS.values() for p in ps]).replace(r"\ ", r"\s+")
    + r")(?![\w-])",
    re.IGNORECASE,
)
# "per user", "/ seat", "each licence": a price per unit; the period may follow it.
_PER_UNIT = re.compile(
    r"^[^\S\n]*(?:per|/|each|an?)[^\S\n]*(?P<unit>(?:named[^\S\n]+)?[A-Za-z][\w-]*)", re.IGNORECASE
)
# The quantity a unit price is multiplied by: "120 users x", "| 100 users |", "40 seats".
_QUANTITY = re.compile(
    r"(?<![\w.,])(?P<q>\d{1,3}(?:,\d{3})+|\d+)(?:[^\S\n]+(?:named[^\S\n]+)?[A-Za-z][\w-]*)?"
    r"[\s|]*(?:[x\u00d7*@]|at)?[\s|]*$",
    re.IGNORECASE,
)
_COUNT = r"\d{1,3}(?:,\d{3})+|\d+"
# The count a line item opens with: "25 x", "25 ×", "Qty 25", "Quantity: 25", "25 seats of".
# The item's name between it and the unit price may hold figures of its own ("Office 365").
_ITEM_QUANTITY = re.compile(
    r"(?:^|(?<=[\s|:(]))[\s|*\u2022\u00b7-]*(?:"
    rf"(?:qty|quantity)\.?[^\S\n]*[:|\t]?[\s|]*(?P<count>{_COUNT})(?![\w.,])"
    rf"|(?P<times>{_COUNT})[^\S\n]*[x\u00d7*](?![\w])"
    rf"|(?P<of>{_COUNT})[^\S\n]+(?P<unit>[A-Za-z][\w-]*)[^\S\n]+of\b)",
    re.IGNORECASE,
)
# What a count of, not a quantity bought: "12 months of", "2 years of".
_SPAN_UNITS = frozenset({"day", "week", "hour", "month", "quarter", "year", "mo", "yr", "mth"})
# A price for each unit of a line's quantity: "@ USD 300", "at $60", "x USD 60", "each".
_EACH_MARK = re.compile(r"(?:@|\bat|(?<![\w])[x\u00d7*])[\s|]*$", re.IGNORECASE)
_NEGATIVE_LEAD = re.compile(r"[-\u2013\u2212(][^\S\n]*$")
_CLOSING_BRACKET = re.compile(r"[^\S\n]*(?:[A-Z]{3}[^\S\n]*)?\)")
# What follows an amount that still speaks of it.
_TAIL = 40
# How far before an amount its label or the clause about it is read.
_LEAD = 120
# Lines with at most this many line breaks between them belong to one list of fees.
_BLOCK_GAP = 3
# A wrapped table cell on a line of its own is at most this long.
_FRAGMENT_MAX = 60


@dataclass(frozen=True)
class _FeeLine:
    """One recurring fee: its value for a year, where it is said, and how it was read."""

    per_year: float
    currency: str
    spans: tuple[tuple[int, int], ...]
    how: str
    period_stated: bool = True
    derived: bool = False
    in_row: bool = True
    total: bool = False  # a row totalling the lines above it for the same period
    mixed: bool = False  # in a table whose rows are in several currencies


def _period(text: str) -> str | None:
    """The period the first period cue in ``text`` names ("per month" -> "month")."""
    match = _PERIOD_RX.search(text)
    if match is None:
        return None
    phrase = " ".join((match.group("noun") or match.group("word")).lower().split())
    return _PERIOD_OF.get(phrase)


def _figure_text(money: Money) -> str:
    amount = money.amount
    figure = f"{amount:,.0f}" if amount == int(amount) else f"{amount:,.2f}"
    return f"{money.currency} {figure}"


@dataclass(frozen=True)
class _Priced:
    """An amount with what its neighbourhood says of it."""

    amount: Amount
    period: str | None  # "month", "quarter", "year", or None
    unit: str | None  # the unit of a unit price ("user"), else None
    once: bool


def _read_amount(view: TextView, amount: Amount, stop: int) -> _Priced:
    """What the words right after ``amount`` (up to ``stop``) say it is a price for."""
    tail = view.text[amount.end : min(stop, amount.end + _TAIL)]
    unit = None
    per_unit = _PER_UNIT.match(tail)
    if per_unit is not None:
        word = per_unit.group("unit").lower().removeprefix("named").strip()
        if _PERIOD_OF.get(word) is None and word not in ("annum",):
            unit = word.rstrip("s") or word
            tail = tail[per_unit.end() :]
    period = _period(tail)
    return _Priced(amount, period, unit, bool(_ONE_TIME_RX.search(tail)))


def _quantity(text: str) -> int | None:
    match = _QUANTITY.search(text)
    if match is None:
        return None
    value = int(match.group("q").replace(",", ""))
    return value if value > 0 else None


def _item_quantity(text: str, *, anchored: bool = True) -> int | None:
    """The count a line item states before its item ("25 x Routing Planner seat @").

    In a row the count opens the row; in running text it is the last one before the price.
    """
    found = None
    for match in _ITEM_QUANTITY.finditer(text):
        if anchored and text[: match.start()].strip(" \t|"):
            break
        unit = (match.group("unit") or "").lower().rstrip("s")
        if unit in _SPAN_UNITS:
            continue
        found = match
        if anchored:
            break
    if found is None:
        return None
    figure = found.group("count") or found.group("times") or found.group("of")
    value = int(figure.replace(",", ""))
    return value if value > 0 else None


def _head_period(row: Row, view: TextView, amount: Amount) -> str | None:
    """The period the table's header gives the column an amount stands in."""
    header = header_line(row.head)
    if not header:
        return None
    found = {_period(match.group(0)) for match in _PERIOD_RX.finditer(header)} - {None}
    if len(found) == 1:
        return found.pop()
    if not found or not row.tabular:
        return None
    # Several periods: the one over the amount's cell, where cells can be told apart.
    header_cells = cells(header, 0, len(header))
    index = next(
        (i for i, (start, end) in enumerate(row.cells) if start <= amount.start < end), None
    )
    if index is None or index >= len(header_cells):
        return None
    start, end = header_cells[index]
    return _period(header[start:end])


def _negative_lead(text: str, lead_start: int, amount: Amount) -> bool:
    """Whether a minus sign or an accounting bracket before ``amount`` makes it negative.

    A bracket is the accounting minus only where it closes on the figure ("(USD 1,200.00)");
    one that goes on in words restates the fee ("USD 3,200 per month (USD 38,400 per year)").
    """
    lead = _NEGATIVE_LEAD.search(text[lead_start : amount.start])
    if lead is None:
        return False
    if not lead.group(0).startswith("("):
        return True
    return _CLOSING_BRACKET.match(text, amount.end) is not None


# A tax registration in an entity's row ("VAT GB 456 7890 12", "GST 201912345K", "ABN 33 617
# 204 981"): an identifier, which makes the row no tax or total row.
_TAX_ID = re.compile(
    r"\b(?:VAT|GST|HST|PST|QST|TVA|ABN|GSTIN|Tax\s+ID)\b"
    r"(?:[^\S\n]*(?:Reg(?:istration)?\.?[^\S\n]*)?(?:No\.?|Number|ID|#))?[^\S\n]*:?[^\S\n]*"
    r"(?:[A-Z]{2}[^\S\n]?)?\d[\dA-Z .-]{4,}[\dA-Z]",
    re.IGNORECASE,
)


def _blank(match: re.Match[str]) -> str:
    return " " * len(match.group())


def _row_line(view: TextView, row: Row, amounts: list[Amount]) -> _FeeLine | None:
    """The recurring fee a table row states, if it states one."""
    text = view.text
    stops = {amount.start: following.start for amount, following in pairwise(amounts)}
    amounts = _without_taxed_columns(row, amounts)
    last = amounts[-1]
    label = _TAX_ID.sub(_blank, text[row.start : amounts[0].start])
    context = (
        label
        + "\n"
        + "\n".join(line for line in row.head.split("\n") if not re.search(r"\d", line))
    )
    row_text = text[row.start : row.end]
    if _RECEIPT_RX.search(label):
        return None  # "Charged today | $900.00": a receipt restating the lines above
    if _TOTAL_START.match(row_text) or _TOTAL_RX.search(label):
        return _total_line(view, row, label, context, amounts)
    # "Year 2" names a later year's fee; a row of its own for each year is a ramp, which
    # ``_sum_fee_lines`` averages.
    year = _YEAR_ROW.match(label)
    if _NOT_THE_FEES_RX.search(label[year.end() :] if year else label):
        return None
    priced = [_read_amount(view, amount, stops.get(amount.start, row.end)) for amount in amounts]
    final = priced[-1]
    if final.once or _ONE_TIME_RX.search(label):
        return None
    if _ONE_TIME_RX.search(context) and not _RECURRING_RX.search(label):
        return None
    sign = (
        -1.0
        if _REDUCTION_RX.search(label) or _negative_lead(text, max(row.start, last.start - 3), last)
        else 1.0
    )
    money = last.money
    lead = text[amounts[-2].end if len(amounts) > 1 else row.start : last.start]
    counted = _item_quantity(label) if len(amounts) == 1 else None
    # "25 x Seat @ USD 60 per user per month", and "3 x Sandbox @ USD 100 per month": a price
    # for each of the line's count.
    each = counted is not None and final.period is not None and _EACH_MARK.search(lead)
    if final.unit is not None or each:
        quantity = counted or _quantity(lead)
        if quantity is None or final.period is None:
            return None
        return _unit_line(money, quantity, final, (row.start, row.end), sign)
    unit = _label_unit(label)
    if unit is not None:
        # A unit price is not the year's fees: only with its count does it give them.
        return _unit_price_by_label(view, row, label, final, unit)
    how_suffix = ""
    period = (
        final.period
        or _checked_against_unit_price(view, row, amounts, priced)
        or _head_period(row, view, last)
    )
    if period is None and (span := _SPAN_COLUMN.search(row.head)) is not None:
        return _span_line(row, money, sign, span.group("span"))
    if period is None:
        if not (_RECURRING_RX.search(context) or _FEE_RX.search(context)):
            return None
        per_year = sign * money.amount
        return _FeeLine(
            per_year,
            money.currency,
            ((row.start, row.end),),
            _figure_text(money) + how_suffix,
            period_stated=False,
            derived=True,
        )
    per_year = sign * money.amount * _PER_YEAR[period]
    how = _figure_text(money) + (
        f" per {period}" + (f" x {_PER_YEAR[period]}" if period != "year" else "")
    )
    return _FeeLine(
        per_year, money.currency, ((row.start, row.end),), how, derived=period != "year"
    )


# A money column heading that names the span its figures cover: "24-month total", "3-year fees".
_SPAN_COLUMN = re.compile(
    r"\b(?P<span>\d{1,3}[- ]?(?:months?|years?))[^\S\n]+(?:total|amount|fees?|price|cost|value)s?"
    r"\b",
    re.IGNORECASE,
)


def _span_line(row: Row, money: Money, sign: float, span: str) -> _FeeLine | None:
    """A row's figure in a column of totals over a span of the term, read per year."""
    duration = parse_duration(span)
    months = duration.months() if duration is not None else None
    if months is None or not 1 <= months <= 120:
        return None
    per_year = round(sign * money.amount * 12 / months, 2)
    how = f"{_figure_text(money)} per {months} months x 12 / {months}"
    return _FeeLine(per_year, money.currency, ((row.start, row.end),), how, derived=True)


def _taxed_columns(row: Row, count: int) -> list[bool] | None:
    """Whether each of the last ``count`` money columns of a row's header holds a sales tax."""
    header = header_line(row.head)
    if not header:
        return None
    if row.tabular:
        header_cells = [header[start:end] for start, end in cells(header, 0, len(header))]
        flags = [bool(_TAX_INCLUDED.search(cell)) for cell in header_cells]
        return flags[-count:] if len(flags) >= count else None
    starts = [match.start() for match in _MONEY_COLUMN.finditer(header)]
    if len(starts) < count:
        return None
    segments = [header[a:b] for a, b in zip(starts, [*starts[1:], len(header)], strict=True)]
    return [bool(_TAX_INCLUDED.search(segment)) for segment in segments[-count:]]


def _without_taxed_columns(row: Row, amounts: list[Amount]) -> list[Amount]:
    """A row's amounts less those under a column with the tax in it, when one without remains.

    "| Item | Annual fee (ex GST) | Annual fee (incl. GST) |": the value is the fee without tax.
    """
    if len(amounts) < 2:
        return amounts
    flags = _taxed_columns(row, len(amounts))
    if flags is None or all(flags) or not any(flags):
        return amounts
    return [amount for amount, taxed in zip(amounts, flags, strict=True) if not taxed]


def _total_line(
    view: TextView, row: Row, label: str, context: str, amounts: list[Amount]
) -> _FeeLine | None:
    """The row totalling the fee lines above it ("Total quarterly Charges 9,750.00"), if it is.

    Its period is the one its label, its amount or its column names; a subtotal, a tax row,
    a tax-inclusive total and a total of one-time fees are not the year's recurring fees.
    """
    if (
        not _TOTAL_LABEL.search(label)
        or _SUBTOTAL_LABEL.search(label)
        or _TAX_RX.search(label)
        or _NOT_THE_FEES_RX.search(label)
        or _ONE_TIME_RX.search(label)
        or (_ONE_TIME_RX.search(context) and not _RECURRING_RX.search(label))
    ):
        return None
    last = _without_taxed_columns(row, amounts)[-1]
    priced = _read_amount(view, last, row.end)
    if priced.once or priced.unit is not None:
        return None
    period = priced.period or _lead_period(label) or _head_period(row, view, last)
    money = last.money
    span = ((row.start, row.end),)
    if period is None:
        how = f"total {_figure_text(money)}"
        return _FeeLine(money.amount, money.currency, span, how, False, True, total=True)
    factor = _PER_YEAR[period]
    how = f"total {_figure_text(money)} per {period}" + (f" x {factor}" if factor != 1 else "")
    return _FeeLine(
        money.amount * factor, money.currency, span, how, derived=factor != 1, total=True
    )


# "Price per seat per month": a label that makes the amount after it a unit price.
_LABEL_UNIT = re.compile(
    r"\b(?:per|each)[^\S\n]+(?:named[^\S\n]+)?(?P<unit>[A-Za-z][\w-]*)", re.IGNORECASE
)
# How far from a unit price a row giving its count ("Seats ..... 40") is looked for.
_SIBLING_REACH = 400


def _label_unit(label: str) -> str | None:
    """The unit a row's label prices its amount per ("Price per seat per month" -> "seat")."""
    for match in _LABEL_UNIT.finditer(label):
        word = match.group("unit").lower()
        if _PERIOD_OF.get(word) is None and word != "annum":
            return word.rstrip("s") or word
    return None


def _unit_price_by_label(
    view: TextView, row: Row, label: str, final: _Priced, unit: str
) -> _FeeLine | None:
    """A unit price named by its row's label, times the count a row beside it gives.

    Order forms written as key and value ("Seats ....... 40" / "Price per seat per month
    ....... GBP 35.00") put the unit and the period in the label and the quantity on a row
    of its own.
    """
    period = final.period or _lead_period(label)
    if period is None:
        return None
    quantity = _sibling_quantity(view, row, unit)
    if quantity is None:
        return None
    priced = replace(final, unit=unit, period=period)
    return _unit_line(final.amount.money, quantity, priced, (row.start, row.end))


def _sibling_quantity(view: TextView, row: Row, unit: str) -> int | None:
    """The count the nearest row labelled with ``unit`` gives ("Number of seats: 40")."""
    start = max(0, row.start - _SIBLING_REACH)
    end = min(len(view.text), row.end + _SIBLING_REACH)
    pattern = re.compile(
        r"^[^\S\n]*(?:(?:number|no\.?)[^\S\n]+of[^\S\n]+)?(?:named[^\S\n]+)?"
        + re.escape(unit)
        + r"s?\b[^\n\d]{0,100}?(?P<q>\d{1,3}(?:,\d{3})+|\d+)[^\S\n]*$",
        re.IGNORECASE | re.MULTILINE,
    )
    found = [
        (abs(match.start() - row.start), int(match.group("q").replace(",", "")))
        for match in pattern.finditer(view.text, start, end)
        if not (row.start <= match.start() < row.end)
    ]
    found = [(distance, count) for distance, count in found if count > 0]
    return min(found)[1] if found else None


def _checked_against_unit_price(
    view: TextView, row: Row, amounts: list[Amount], priced: list[_Priced]
) -> str | None:
    """A row total's period, from the unit price x quantity beside it: 120 x 25 x 12 = 36,000.

    A unit price names its period itself ("USD 25 per user per month") or in its column's
    header ("Qty | Monthly | Extended").
    """
    text = view.text
    total = amounts[-1].money.amount
    for index, item in enumerate(priced[:-1]):
        period = item.period or _head_period(row, view, item.amount)
        if period is None:
            continue
        start = amounts[index - 1].end if index else row.start
        quantity = _quantity(text[start : item.amount.start]) or 1
        per_period = quantity * item.amount.money.amount
        if _close(total, per_period * _PER_YEAR[period]):
            return "year"
        if _close(total, per_period) or (
            item.unit is None and _close(total, item.amount.money.amount)
        ):
            return period
    return None


def _close(a: float, b: float) -> bool:
    return abs(a - b) <= 0.005 * max(abs(a), abs(b), 1.0)


def _unit_line(
    money: Money, quantity: int, priced: _Priced, span: tuple[int, int], sign: float = 1.0
) -> _FeeLine:
    assert priced.period is not None
    factor = _PER_YEAR[priced.period]
    per_unit = f" per {priced.unit}" if priced.unit is not None else ""
    how = f"{quantity} x {_figure_text(money)}{per_unit} per {priced.period}"
    if factor != 1:
        how += f" x {factor}"
    return _FeeLine(
        sign * quantity * money.amount * factor, money.currency, (span,), how, derived=True
    )


def _prose_lines(view: TextView, amounts: list[Amount]) -> list[_FeeLine]:
    """Recurring fees stated in running text: "USD 1,500 per month", "120 users x USD 25 ..."."""
    text = view.text
    lines: list[_FeeLine] = []
    for index, amount in enumerate(amounts):
        start, end = view.sentence(amount.start, amount.end)
        following = amounts[index + 1].start if index + 1 < len(amounts) else end
        priced = _read_amount(view, amount, min(end, following))
        previous_end = amounts[index - 1].end if index else start
        lead = text[max(start, previous_end, amount.start - _LEAD) : amount.start]
        clause = text[max(start, amount.start - _LEAD) : amount.start]
        if priced.period is None:
            priced = _Priced(amount, _lead_period(lead), None, priced.once)
        if priced.period is None or priced.once or _ONE_TIME_RX.search(lead):
            continue
        tail = text[amount.end : min(end, amount.end + _TAIL)]
        if (
            _NOT_THE_FEES_RX.search(clause + " " + tail)
            or _OPTIONAL_RX.search(clause)
            or _TAX_RX.search(lead)
            or not _FEE_RX.search(text[start:end])
        ):
            continue
        span = (start, end)
        counted = _item_quantity(lead, anchored=False)
        if priced.unit is not None:
            quantity = _quantity(lead) or counted
            if quantity is None:
                continue
            lines.append(replace(_unit_line(amount.money, quantity, priced, span), in_row=False))
            continue
        if counted is not None and _EACH_MARK.search(lead):
            lines.append(replace(_unit_line(amount.money, counted, priced, span), in_row=False))
            continue
        factor = _PER_YEAR[priced.period]
        how = f"{_figure_text(amount.money)} per {priced.period}" + (
            f" x {factor}" if factor != 1 else ""
        )
        lines.append(
            _FeeLine(
                amount.money.amount * factor,
                amount.money.currency,
                (span,),
                how,
                derived=factor != 1,
                in_row=False,
            )
        )
    return lines


def _lead_period(lead: str) -> str | None:
    """The period a label right before an amount names: "Monthly fee:", "fee per month of"."""
    cues = list(_PERIOD_RX.finditer(lead[-50:]))
    return _period(cues[-1].group(0)) if cues else None


def _header_figures(view: TextView) -> list[Amount]:
    """Bare figures in the rows of tables whose header names their currency.

    "Quarterly Charge (USD)" over "Driver App 240 drivers 1,200.00": the row's figure is
    USD 1,200.00 though the row names no currency.
    """
    text = view.text
    known = view_amounts(view)
    starts = [amount.start for amount in known]
    by_head: dict[str, str | None] = {}
    found: list[Amount] = []
    for match in _FIGURE.finditer(text):
        at = bisect.bisect_right(starts, match.start()) - 1
        if at >= 0 and known[at].end > match.start():
            continue  # the figure of an amount with its currency
        row = row_at(view, match.start())
        if row is None or not row.head:
            continue
        if row.head not in by_head:
            by_head[row.head] = header_currency(row.head)
        currency = by_head[row.head]
        value = figure_value(match.group("f"))
        if currency is None or value is None:
            continue
        money = Money(amount=float(value), currency=currency)
        found.append(Amount(money, match.start("f"), match.end("f")))
    return found


def _fee_lines(view: TextView, taken: list[tuple[int, int]]) -> list[_FeeLine]:
    """Every recurring fee line of the document, in text order, outside ``taken`` spans."""
    by_row: dict[int, tuple[Row, list[Amount]]] = {}
    prose: list[Amount] = []
    bare = _header_figures(view)
    for amount in sorted([*view_amounts(view), *bare], key=lambda amount: amount.start):
        if any(start <= amount.start < end for start, end in taken):
            continue
        row = row_at(view, amount.start)
        if row is None or "\n" in view.text[amount.start : amount.end]:
            prose.append(amount)
        else:
            by_row.setdefault(row.start, (row, []))[1].append(amount)
    # The currencies each table states its amounts in: a line of a table whose rows are in
    # several currencies is never the year's fees alone, even when its other rows are unread.
    currencies: dict[str, set[str]] = {}
    for row, amounts in by_row.values():
        currencies.setdefault(header_line(row.head), set()).update(
            amount.money.currency for amount in amounts
        )
    lines = [
        replace(line, mixed=len(currencies[header_line(row.head)]) > 1)
        for row, amounts in by_row.values()
        if (line := _row_line(view, row, amounts))
    ]
    lines += _prose_lines(view, prose)
    return sorted(lines, key=lambda line: line.spans[0])


def _blocks(lines: list[_FeeLine], text: str) -> list[list[_FeeLine]]:
    """Fee lines grouped into lists: lines a few line breaks apart belong together."""
    blocks: list[list[_FeeLine]] = []
    for line in lines:
        if blocks:
            previous = blocks[-1][-1]
            gap = text[previous.spans[-1][1] : line.spans[0][0]]
            same_kind = line.in_row == previous.in_row
            if same_kind and _joins(gap):
                if line.spans[0] == previous.spans[-1] and _close(line.per_year, previous.per_year):
                    continue  # "USD 1,500 per month (USD 18,000 per year)": one fee, said twice
                blocks[-1].append(line)
                continue
        blocks.append([line])
    return blocks


def _joins(gap: str) -> bool:
    """Whether two fee lines this far apart belong to one list.

    A PDF wraps a table's cells onto lines of their own ("Summit Ledger Close - Enterprise,"
    / "100 users" / "Ravenscroft Resorts Management"), so short fragments between two rows
    keep them together; a blank line or a line of running text parts them.
    """
    if len(gap) >= 400:
        return False
    if gap.count("\n") <= _BLOCK_GAP:
        return True
    between = gap.split("\n")[1:-1]
    return all(0 < len(line.strip()) <= _FRAGMENT_MAX for line in between) and not any(
        line.rstrip().endswith((".", ";", ":")) for line in between
    )


def _counted(block: list[_FeeLine], text: str) -> list[_FeeLine]:
    """The lines a list's value is read from: its lines, or the total row they fall short of.

    A total the lines add up to confirms them. One they do not add up to stands for lines
    that could not be read ("Route Optimisation module | per Customer account | 2,250.00"),
    unless rows left out of the sum (one-time fees, taxes) lie above it: then it counts them.
    """
    lines = [line for line in block if not line.total]
    totals = [line for line in block if line.total]
    if not totals or not lines:
        return lines  # a total with no fee line read above it totals nothing known
    total = totals[-1]
    if lines and _close(sum(line.per_year for line in lines), total.per_year):
        return lines
    above = text[block[0].spans[0][0] : total.spans[0][0]]
    if _ONE_TIME_RX.search(above) or _TAX_RX.search(above) or _NOT_THE_FEES_RX.search(above):
        return lines
    return [total]


def _year_total(block: list[_FeeLine], text: str) -> float:
    """The year's fees of a list of fee lines (see ``_counted``)."""
    return round(sum(line.per_year for line in _counted(block, text)), 2)


def _sum_fee_lines(view: TextView, lines: list[_FeeLine], totals: list[_Stated]) -> Hit | None:
    """The year's recurring fees: the sum of the longest (then first) list of fee lines."""
    candidates = [block for block in _blocks(lines, view.text) if _year_total(block, view.text) > 0]
    if not candidates:
        return None
    longest = max(candidates, key=lambda block: (len(block), -block[0].spans[0][0]))
    total = _year_total(longest, view.text)
    currency = longest[0].currency
    if len({line.currency for line in lines if line.in_row == longest[0].in_row}) > 1 or any(
        line.mixed for line in longest
    ):
        return None  # fees in several currencies are never added up, nor one of them picked
    block = _counted(longest, view.text)
    if all(line.in_row and not line.total for line in block) and _contract_years(
        view, [line.spans[0][0] for line in block]
    ):
        # A ramp: each row is one year of the same subscription, so a year's fees are their
        # average, not their sum (which is the whole term's).
        spans = sorted({span for line in block for span in line.spans})
        (start, end), *more = spans
        average = Money(amount=round(total / len(block), 2), currency=currency)
        parts = " + ".join(line.how for line in block)
        note = f"derived: average of {len(block)} contract years ({parts})"
        return Hit(ACV_PATH, average, start, end, DERIVED, more=tuple(more), note=note)
    stated = all(line.period_stated for line in block)
    if not stated and any(
        item.hit.value.currency == currency and _close(item.hit.value.amount, total)
        for item in totals
    ):
        return None  # the lines add up to the stated total for the term: spread that instead
    # Other lists that come to the same sum say it again ("USD 1,450 per month" under the table).
    agreeing = [
        _counted(other, view.text)
        for other in candidates
        if _close(_year_total(other, view.text), total)
    ]
    spans = sorted({span for other in agreeing for line in other for span in line.spans})
    (start, end), *more = spans
    value = Money(amount=total, currency=currency)
    if len(block) == 1 and not block[0].derived:
        return Hit(ACV_PATH, value, start, end, PRICED_PER_YEAR, more=tuple(more))
    if len(block) == 1 and block[0].total:
        note = f"derived: {block[0].how}"
        if not stated:
            note += " (no period stated: read as a year's)"
    elif len(block) == 1:
        note = f"derived: {block[0].how}"
        if not stated:
            note += " (the only fee line, no period stated: read as a year's)"
    else:
        parts = " + ".join(line.how for line in block)
        note = f"derived: sum of {len(block)} {'annual' if stated else 'fee'} lines ({parts})"
        if not stated:
            note += ", lines naming no period read as a year's"
    confidence = DERIVED if stated else NO_PERIOD_STATED
    return Hit(ACV_PATH, value, start, end, confidence, more=tuple(more), note=note)


def _fees_by_currency(view: TextView, tables: list[_Table], lines: list[_FeeLine]) -> Hit | None:
    """The year's fees in each currency, where a table's recurring lines are in several.

    Such fees are never added up here (the rate to add them at is the policy's), nor is one
    currency's share taken for the whole: each currency's sum is given, quoting every line.
    """
    parts: list[tuple[str, float, tuple[int, int]]] = [
        (line.currency, line.amount, (line.start, line.end))
        for table in tables
        if len({line.currency for line in table.recurring}) > 1
        for line in table.recurring
    ]
    if not parts:
        blocks = [block for block in _blocks(lines, view.text) if len(block) > 1]
        mixed = [
            _counted(block, view.text)
            for block in blocks
            if len({line.currency for line in block}) > 1 or any(line.mixed for line in block)
        ]
        if mixed:
            longest = max(mixed, key=len)
            parts = [(line.currency, line.per_year, line.spans[0]) for line in longest]
    sums: dict[str, float] = {}
    for currency, amount, _ in parts:
        sums[currency] = sums.get(currency, 0.0) + amount
    if len(sums) < 2 or any(total <= 0 for total in sums.values()):
        return None
    value = [Money(amount=round(total, 2), currency=currency) for currency, total in sums.items()]
    (start, end), *more = sorted({span for _, _, span in parts})
    note = "derived: the year's fees in each currency, not added up: " + "; ".join(
        _amount_text(money.currency, money.amount) for money in value
    )
    return Hit(BY_CURRENCY_PATH, value, start, end, DERIVED, more=tuple(more), note=note)


def extract(view: TextView) -> list[Hit]:
    """Total and annual contract value hits, stated or derived."""
    if (
        not view_amounts(view)
        and not view.mentions("annual", "per year", "total")
        and not _header_figures(view)
    ):
        return []
    fallback = sole_currency(view)
    tables = _tables(view)
    in_table = [(table.start, table.end) for table in tables]
    labelled_annual = [
        item
        for item in _labelled(view, _ACV, _ACV_KEYS, ACV_PATH, fallback)
        # The total row of a table already read gives that value once.
        if not item.in_header_currency
        or not any(table.total and table.start <= item.label_start < table.end for table in tables)
    ]
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
        sums = (_sum_of_lines(view, table) for table in tables)
        summed = next((hit for hit in sums if hit is not None), None)
        lines: list[_FeeLine] = []
        if summed is None:
            # From the label on: the hit's quote may take in the row above a wrapped label.
            stated_totals = [(item.label_start, item.hit.end) for item in totals]
            lines = _fee_lines(view, in_table + stated_totals)
            summed = _sum_fee_lines(view, lines, totals)
        derived = _derived(summed, _spread_over_term(view, totals))
        if derived is not None:
            annual.append(derived)
        elif (by_currency := _fees_by_currency(view, tables, lines)) is not None:
            return [*(item.hit for item in totals), by_currency]
    if annual and view.mentions("gst", "vat", "hst", "tax", "gross"):
        included = _PRICES_INCLUDE.search(view.text) is not None
        parts = list(_TAX_PART.finditer(view.text))
        annual = [_net_of_tax(view, hit, included, parts) for hit in annual]
    return [item.hit for item in totals] + annual


def _net_of_tax(view: TextView, hit: Hit, included: bool, parts: list[re.Match[str]]) -> Hit:
    """A value stated with a sales tax in it, less that tax where the document states it.

    The tax is in the value when its statement, the column it stands in or a statement that
    all prices include it says so; what is without it is an amount beside it stated without
    the tax ("AUD 66,000 incl. GST (AUD 60,000 excl. GST)"), or the value less the tax the
    document says it holds ("The GST component of the total annual price is $6,000.00").
    """
    text = view.text
    money: Money = hit.value
    row = row_at(view, hit.start)
    head = header_line(row.head) if row is not None else ""
    stated = text[hit.start : min(len(text), hit.end + 30)]
    if not (included or _TAX_INCLUDED.search(stated) or _TAX_INCLUDED.search(head)):
        return hit
    # The amount beside it: in its statement or right after ("... incl. GST (AUD 60,000 ...").
    end = min(len(text), hit.end + 60)
    paragraph_end = text.find("\n\n", hit.start, end)
    for amount in view_amounts_in(view, hit.start, end if paragraph_end < 0 else paragraph_end):
        if _WITHOUT_TAX.match(text, amount.end) and _plausible_tax(money, amount.money):
            note = f"stated without tax: {_figure_text(amount.money)}"
            return replace(hit, value=amount.money, note=note)
    for part in parts:
        part_start, part_end = view.sentence(part.start(), part.end())
        tax = next(view_amounts_in(view, part.end(), part_end), None)
        if tax is None or tax.money.currency != money.currency:
            continue
        net = Money(amount=round(money.amount - tax.money.amount, 2), currency=money.currency)
        if not _plausible_tax(money, net):
            continue
        note = f"derived: {_figure_text(money)} with tax less the tax of {_figure_text(tax.money)}"
        spans = sorted({*hit.spans, (part_start, part_end)})
        (first_start, first_end), *more = spans
        return Hit(ACV_PATH, net, first_start, first_end, DERIVED, more=tuple(more), note=note)
    return hit


def _plausible_tax(gross: Money, net: Money) -> bool:
    """Whether ``net`` can be ``gross`` without a sales tax: same currency, a tax share in range."""
    if gross.currency != net.currency or not 0 < net.amount < gross.amount:
        return False
    return (gross.amount - net.amount) / net.amount <= _MAX_TAX_SHARE


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
    return Hit(ACV_PATH, summed.value, start, end, DERIVATIONS_AGREE, more=tuple(more), note=note)
