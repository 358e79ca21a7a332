"""Money amounts with their ISO 4217 currency: "$1,000", "USD 1,250,000.00", "€50.000", "£2.5m".

The regex here only finds where an amount is; ``price_parser`` reads the number (it knows
"1.234,56" from "1,234.56"), and pycountry validates currency codes.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from functools import cache

import pycountry
from price_parser import Price

from extractors.facts import FactStatus, Money
from extractors.patterns.confidence import LABELLED_FIELD
from extractors.patterns.core import Hit, TextView, alternation, per_view
from extractors.patterns.numbers import WORD_AMOUNT, words_to_amount

# Symbols and prefixes that name one currency unambiguously in contracts.
_SYMBOLS = {
    "US$": "USD",
    "U.S.$": "USD",
    "USD$": "USD",
    "$": "USD",
    "€": "EUR",
    "£": "GBP",
    "¥": "JPY",
    "₹": "INR",
    "CA$": "CAD",
    "C$": "CAD",
    "A$": "AUD",
    "AU$": "AUD",
    "NZ$": "NZD",
    "S$": "SGD",
    "HK$": "HKD",
    "R$": "BRL",
    "Fr.": "CHF",
    "kr": "SEK",
}
# Currency words written out after the number ("100,000 euros", "5 million U.S. dollars").
_WORDS = {
    "us dollars": "USD",
    "u.s. dollars": "USD",
    "united states dollars": "USD",
    "dollars": "USD",
    "euros": "EUR",
    "euro": "EUR",
    "pounds sterling": "GBP",
    "pounds": "GBP",
    "canadian dollars": "CAD",
    "australian dollars": "AUD",
    "new zealand dollars": "NZD",
    "singapore dollars": "SGD",
    "hong kong dollars": "HKD",
    "swiss francs": "CHF",
    "japanese yen": "JPY",
    "yen": "JPY",
    "rupees": "INR",
    "indian rupees": "INR",
    "south african rand": "ZAR",
    "brazilian reais": "BRL",
    "reais": "BRL",
}
# The ISO codes commonly used in contracts; any other valid ISO code is also accepted
# when written before an amount.
_COMMON_CODES = (
    "USD",
    "EUR",
    "GBP",
    "CAD",
    "AUD",
    "NZD",
    "CHF",
    "JPY",
    "CNY",
    "RMB",
    "INR",
    "SGD",
    "HKD",
    "SEK",
    "NOK",
    "DKK",
    "PLN",
    "BRL",
    "MXN",
    "ZAR",
    "ILS",
    "AED",
    "KRW",
)
_SCALE = {"thousand": 1_000, "k": 1_000, "million": 1_000_000, "m": 1_000_000, "mm": 1_000_000}
_SCALE_WORDS = {**_SCALE, "billion": 1_000_000_000, "bn": 1_000_000_000}

# Indian grouping: lakhs and crores in pairs of digits above the thousands ("38,40,000").
LAKH_FIGURE = r"\d{1,2}(?:,\d{2})+,\d{3}(?:\.\d{1,2})?"
# A figure with thousands separators in any of the usual styles, or a plain figure.
_FIGURE = LAKH_FIGURE + r"|\d{1,3}(?:[,.' \u00a0\u202f]\d{3})+(?:[.,]\d{1,2})?|\d+(?:[.,]\d{1,2})?"
_SYMBOL = alternation(list(_SYMBOLS))
_CODE = r"\b[A-Z]{3}\b"
_WORD = alternation(list(_WORDS))
_SCALE_RX = r"(?:[^\S\n]?(?:thousand|million|billion|mm|bn)\b|(?:k|m)\b)"

# A code at the end of a wrapped PDF line may stand before a figure on the next one
# ("fees: EUR\n648,000.00"); only a figure written as money (separators) is read that way.
_WRAP = r"[^\S\n]*\n[^\S\n]*(?=\d{1,3}(?:[,.'\u00a0\u202f]\d{3})+)"

MONEY_RE = re.compile(
    rf"(?:(?P<code_before>{_CODE})(?:{_WRAP}|[^\S\n]?(?P<sym_after_code>\$|€|£)?[^\S\n]?)"
    rf"|(?P<symbol>{_SYMBOL})[^\S\n]?)"
    rf"(?P<figure>{_FIGURE})(?P<scale>{_SCALE_RX})?"
    # A code after the figure is its own unless a figure follows it ("EUR 12,100.00\tEUR 10").
    rf"(?:[^\S\n]?(?P<code_after>{_CODE})(?![^\S\n]?[\d$€£]))?"
    rf"|(?P<figure2>{_FIGURE})(?P<scale2>{_SCALE_RX})?[^\S\n]?"
    # A code followed by a figure is that figure's ("120 EUR 96.00", "1\tUSD 8,000.00").
    rf"(?:(?P<code2>{_CODE})(?![^\S\n]?[\d$€£])|(?P<word2>(?i:{_WORD}))\b|(?P<symbol2>€|£))"
)


# An amount written out in words: "forty-eight thousand US dollars".
_WORDED_RE = re.compile(rf"(?P<words>{WORD_AMOUNT})[\s-]+(?P<word>{_WORD})\b", re.IGNORECASE)
# Words that lead into an amount's figure in brackets, and belong to it: "forty-eight thousand
# US dollars (USD 48,000)", "United States Dollars\n(US$900,000.00)" wrapped on a PDF line.
_WORDS_LEAD = re.compile(
    rf"(?:(?:{WORD_AMOUNT})[\s-]+)?\b{_WORD}[^\S\n]*\n?[^\S\n]*\([^\S\n]*$", re.IGNORECASE
)
_CLOSE = re.compile(r"[^\S\n]*\)")
_LEAD_REACH = 160


@dataclass(frozen=True)
class Amount:
    """A located money amount."""

    money: Money
    start: int
    end: int


@cache
def iso_currency(code: str) -> str | None:
    """``code`` if it is an ISO 4217 currency (RMB is read as CNY), else ``None``."""
    code = code.upper()
    if code == "RMB":
        return "CNY"
    if code in _COMMON_CODES:
        return code
    return code if pycountry.currencies.get(alpha_3=code) is not None else None


def figure_value(figure: str) -> Decimal | None:
    """The number a figure written as money states ("1.234,56" -> 1234.56)."""
    # price_parser settles "50.000" (thousands) vs "50.00" (decimals) the way people read them.
    return Price.fromstring(figure.replace("\u00a0", " ").replace("\u202f", " ")).amount


def _money_from(match: re.Match[str]) -> Money | None:
    groups = match.groupdict()
    figure = groups["figure"] or groups["figure2"]
    scale = (groups["scale"] or groups["scale2"] or "").strip().lower()
    currency: str | None = None
    if groups["code_before"]:
        currency = iso_currency(groups["code_before"])
    elif groups["symbol"]:
        currency = _SYMBOLS[groups["symbol"]]
        if groups["code_after"]:
            currency = iso_currency(groups["code_after"]) or currency
    elif groups["code2"]:
        currency = iso_currency(groups["code2"])
    elif groups["word2"]:
        currency = _WORDS[" ".join(groups["word2"].lower().split())]
    elif groups["symbol2"]:
        currency = _SYMBOLS[groups["symbol2"]]
    if currency is None or figure is None:
        return None
    value = figure_value(figure)
    if value is None:
        return None
    amount = float(value) * _SCALE_WORDS.get(scale, 1)
    return Money(amount=amount, currency=currency)


def _with_words(text: str, amount: Amount, floor: int) -> Amount:
    """``amount`` widened over the words that state it before its bracketed figure."""
    lead = _WORDS_LEAD.search(text, max(floor, amount.start - _LEAD_REACH), amount.start)
    if lead is None:
        return amount
    close = _CLOSE.match(text, amount.end)
    end = close.end() if close else amount.end
    return Amount(amount.money, lead.start(), end)


def _amounts(
    text: str,
    figures: Iterable[re.Match[str]],
    worded: Iterable[re.Match[str]],
    floor: int,
) -> list[Amount]:
    """Amounts in figures (with any words stating them), then those only written in words."""
    found: list[Amount] = []
    for match in figures:
        money = _money_from(match)
        if money is not None:
            found.append(_with_words(text, Amount(money, match.start(), match.end()), floor))
    for match in worded:
        if any(match.start() < other.end and other.start < match.end() for other in found):
            continue  # the figure in brackets that follows the words states the amount
        value = words_to_amount(match.group("words"))
        currency = _currency_word(match.group("word"))
        if value and currency is not None:
            money = Money(amount=float(value), currency=currency)
            found.append(Amount(money, match.start(), match.end()))
    return sorted(found, key=lambda amount: amount.start)


def find_amounts(text: str, start: int = 0, end: int | None = None) -> Iterator[Amount]:
    """Every money amount with a known currency in ``text[start:end]``, in figures or words."""
    stop = len(text) if end is None else end
    figures = MONEY_RE.finditer(text, start, stop)
    worded = _WORDED_RE.finditer(text, start, stop) if _has_currency_word(text, start, stop) else ()
    yield from _amounts(text, figures, worded, start)


# A currency a table's header names: "(USD)", "Amount (GBP)", "Fee EUR", "€", "($)",
# "in Australian dollars". A code standing alone must be a common one ("ALL", "TOP" are too).
_NAMED = re.compile(
    rf"\((?P<bracketed>{_CODE}|{_SYMBOL})\)"
    rf"|(?<![\w$€£])(?P<code>{alternation(list(_COMMON_CODES))})(?![\w$€£])"
    r"|(?P<symbol>[€£])"
    rf"|\bin\s+(?P<word>(?i:{_WORD}))\b"
)


def named_currency(text: str) -> str | None:
    """The one currency ``text`` (a table's header) names without an amount, if it names one."""
    found: set[str] = set()
    for match in _NAMED.finditer(text):
        bracketed = match.group("bracketed")
        if bracketed:
            currency = _SYMBOLS.get(bracketed) or iso_currency(bracketed)
        elif match.group("code"):
            currency = iso_currency(match.group("code"))
        elif match.group("symbol"):
            currency = _SYMBOLS[match.group("symbol")]
        else:
            currency = _currency_word(match.group("word"))
        if currency is not None:
            found.add(currency)
    return found.pop() if len(found) == 1 else None


# Where an amount can be: next to a symbol, a code or a currency word.
MONEY_KEYS = (
    *(symbol.lower() for symbol in _SYMBOLS if symbol != "kr"),
    *(code.lower() for code in _COMMON_CODES),
    "dollar",
    "euro",
    "pound",
    "yen",
    "franc",
    "rupee",
    "rand",
    "reais",
    "krona",
    "krone",
)


_WORD_KEYS = ("dollar", "euro", "pound", "franc", "yen", "rupee", "rand", "reais")


def _has_currency_word(text: str, start: int, end: int) -> bool:
    piece = text[start:end].lower()
    return any(key in piece for key in _WORD_KEYS)


@per_view
@per_view
def view_amounts(view: TextView) -> list[Amount]:
    """Every money amount of the document, found once per document.

    A bare "$" is in the dollars the document says all its amounts are in (``dollar_currency``).
    """
    amounts = _amounts(
        view.text,
        view.finditer(MONEY_RE, MONEY_KEYS, before=30, after=40),
        view.finditer(_WORDED_RE, _WORD_KEYS, before=_LEAD_REACH, after=40),
        0,
    )
    dollars = dollar_currency(view)
    if dollars is not None:
        amounts = [_in_dollars(view.text, amount, dollars) for amount in amounts]
    return amounts


def view_amounts_in(view: TextView, start: int, end: int) -> Iterator[Amount]:
    """``find_amounts`` in ``view.text[start:end]``, a bare "$" read as in ``view_amounts``."""
    dollars = dollar_currency(view)
    for amount in find_amounts(view.text, start, end):
        yield amount if dollars is None else _in_dollars(view.text, amount, dollars)


# A currency named, then coded in brackets: "Indian Rupees (INR)", "Kenyan shillings (KES)".
_NAMED_CODE = r"(?:[A-Za-z.]+[^\S\n]+){1,3}\((?P<named_code>(?-i:[A-Z]{3}))\)"
# A statement of the currency all of a document's amounts are in: "All prices are in Australian
# dollars", "all amounts in this Order Form are stated in NZD", "Currency: CAD".
_DOCUMENT_CURRENCY = re.compile(
    r"\b(?:amounts|prices|fees|charges|figures|sums|rates)\b[^.;\n]{0,40}?"
    r"\b(?:are|is|shall\s+be|will\s+be)\s+"
    r"(?:(?:stated|expressed|quoted|denominated|shown|given|set\s+out)\s+)?in\s+"
    rf"(?:(?P<code>(?-i:{_CODE}))|(?P<word>{_WORD})\b|{_NAMED_CODE})"
    rf"|^[^\S\n]*(?:\*\*)?currency(?:\*\*)?[^\S\n]*:(?:\*\*)?[^\S\n]*"
    rf"(?:(?P<field_code>(?-i:{_CODE}))|(?P<field_word>{_WORD}))\b",
    re.IGNORECASE | re.MULTILINE,
)
# The currencies a bare "$" can stand for.
_DOLLARS = frozenset({"USD", "AUD", "CAD", "NZD", "SGD", "HKD"})


def _stated_currency(match: re.Match[str]) -> str | None:
    code = match.group("code") or match.group("field_code") or match.group("named_code")
    if code:
        return iso_currency(code)
    return _currency_word(match.group("word") or match.group("field_word"))


def document_currencies(view: TextView) -> list[tuple[str, int, int]]:
    """The currencies the document says all its amounts are in, with where it says so."""
    found: list[tuple[str, int, int]] = []
    if view.mentions(" in ", "currency"):
        for match in view.finditer(_DOCUMENT_CURRENCY, _DOCUMENT_KEYS, before=60, after=60):
            currency = _stated_currency(match)
            if currency is not None:
                found.append((currency, match.start(), match.end()))
    return found


_DOCUMENT_KEYS = ("amounts", "prices", "fees", "charges", "figures", "sums", "rates", "currency")


def dollar_currency(view: TextView) -> str | None:
    """The dollars a bare "$" stands for when the document says which: "in Australian dollars"."""
    stated = {currency for currency, _, _ in document_currencies(view)}
    if len(stated) != 1:
        return None
    currency = stated.pop()
    return currency if currency in _DOLLARS else None


def _in_dollars(text: str, amount: Amount, dollars: str) -> Amount:
    """``amount`` in ``dollars`` if it is written with a bare "$" and no code."""
    written = text[amount.start : amount.end]
    bare = written.startswith("$") and not re.search(r"[A-Z]{3}", written)
    if not bare or amount.money.currency == dollars:
        return amount
    return Amount(Money(amount=amount.money.amount, currency=dollars), amount.start, amount.end)


CHECKS = frozenset({"commercial.currencies"})

# Sentences whose amounts say nothing about what the customer is billed in: insurance
# minimums, liability caps, indemnity and damages thresholds. A EUR deal with a cap in US
# dollars is billed in one currency.
_INCIDENTAL = re.compile(
    r"\b(?:insurance|insured|insurer|liabilit(?:y|ies)|indemnif\w*|indemnit\w*|damages)\b",
    re.IGNORECASE,
)
# A billing currency stated without an amount: "is invoiced in USD", "payable in euros".
_STATED = re.compile(
    r"\b(?:invoiced|billed|payable|paid|denominated|charged|priced|quoted|settled|"
    rf"invoices\s+(?:are|will\s+be)\s+issued)\s+in\s+(?:(?P<code>{_CODE})"
    rf"|(?P<word>{_WORD})\b|{_NAMED_CODE})",
    re.IGNORECASE,
)


# A money column or summary heading that names the currency of the figures under it:
# "Amount (INR)", "24-month total (USD)", "Price per seat per month (USD)".
_HEADING = re.compile(
    r"\b(?:amounts?|fees?|prices?|totals?|sub-?totals?|charges?|costs?|rates?|values?)\b"
    r"[^|\t\n()]{0,40}?\((?P<code>(?-i:[A-Z]{3}))\)",
    re.IGNORECASE,
)
_HEADING_KEYS = ("amount", "fee", "price", "total", "charge", "cost", "rate", "value")

_STATED_KEYS = (
    "invoice",
    "billed",
    "payable",
    "paid",
    "denominated",
    "charged",
    "priced",
    "quoted",
    "settled",
)


def _currency_word(word: str) -> str | None:
    return _WORDS.get(" ".join(word.lower().split()))


def extract(view: TextView) -> list[Hit]:
    """The currencies the customer is billed in.

    Amounts outside insurance and liability clauses, and currencies stated for invoicing.
    An MSA whose only figures are insurance minimums names no billing currency: the order
    form beside it does, and the bundle's currencies are the union of its documents'.
    """
    found: list[tuple[str, int, int]] = []
    for amount in view_amounts(view):
        start, end = view.sentence(amount.start, amount.end)
        if not _INCIDENTAL.search(view.text, start, end):
            found.append((amount.money.currency, amount.start, amount.end))
    found += document_currencies(view)
    for match in view.finditer(_STATED, _STATED_KEYS):
        code = match.group("code") or match.group("named_code")
        currency = iso_currency(code) if code else _currency_word(match.group("word"))
        if currency is not None:
            found.append((currency, match.start(), match.end()))
    # A currency named only in a column or summary heading, where no amount or sentence names it.
    named = {currency for currency, _, _ in found}
    for match in view.finditer(_HEADING, _HEADING_KEYS, before=10, after=60):
        currency = iso_currency(match.group("code"))
        line_start, line_end = view.line(match.start())
        if (
            currency is not None
            and currency not in named
            and not _INCIDENTAL.search(view.text, line_start, line_end)
        ):
            found.append((currency, match.start(), match.end()))
    return [
        view.hit(
            "commercial.currencies", currency, start, end, LABELLED_FIELD, status=FactStatus.PRESENT
        )
        for currency, start, end in found
    ]
