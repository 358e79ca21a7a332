"""Commercial terms with a shape: payment days, billing frequency, discount, contract values,
minimum commitment amount, price-increase caps, plan tier and ordered products.
"""

from __future__ import annotations

import re

from extractors.facts import BillingFrequency, Product
from extractors.patterns.core import MAX_LINE, MAX_ROWS, Hit, TextView, squash, words
from extractors.patterns.dates import DATE_RE, DURATION, parse_duration
from extractors.patterns.money import find_amounts, iso_currency, view_amounts
from extractors.patterns.numbers import NUMBER, PERCENT, parse_int, parse_percent

CHECKS = frozenset(
    {
        "commercial.payment_terms_days",
        "commercial.billing_frequency",
        "commercial.discount_percent",
        "commercial.custom_pricing",
        "commercial.minimum_commitment_amount",
        "commercial.price_increase_cap_percent",
        "commercial.total_contract_value",
        "commercial.annual_contract_value",
        "commercial.plan_tier",
        "commercial.products",
    }
)

_NET = words(rf"\bnet[^\S\n]*-?[^\S\n]*(?P<n>{NUMBER})(?![\d%]|[.,]\d)(?:\s*(?:calendar )?days?)?")
_INVOICE_REF = (
    r"(?:the )?(?:date of (?:the |each |an? )?|receipt of (?:the |each |an? "
    r")?|(?:customer|client)[’']s "
    r"receipt of (?:the |each |an? )?|(?:the |each |an? )?)(?:invoice|receipt|billing)"
)
_PAY_WITHIN = words(
    rf"\b(?:payable|due|paid|pay|payment|remit(?:ted)?|settle(?:d)?)\b[^.;]{{0,80}}?"
    rf"\b(?:within|no later than|not later than|in) (?P<duration>{DURATION})"
    rf"(?: (?:of|after|from|following|upon)) {_INVOICE_REF}"
)
_INVOICE_DUE = words(
    rf"\binvoices?\b[^.;]{{0,60}}?\b(?:are|is|shall be|will be|become|becomes)? ?(?:due|payable)"
    rf"(?: and payable)?(?: in full)?(?: within)? (?P<duration>{DURATION})"
)
_FREQUENCY_WORDS: dict[str, BillingFrequency] = {
    "monthly": BillingFrequency.MONTHLY,
    "each month": BillingFrequency.MONTHLY,
    "per month": BillingFrequency.MONTHLY,
    "every month": BillingFrequency.MONTHLY,
    "quarterly": BillingFrequency.QUARTERLY,
    "each quarter": BillingFrequency.QUARTERLY,
    "every three months": BillingFrequency.QUARTERLY,
    "semi-annually": BillingFrequency.SEMI_ANNUAL,
    "semi-annual": BillingFrequency.SEMI_ANNUAL,
    "semiannually": BillingFrequency.SEMI_ANNUAL,
    "half-yearly": BillingFrequency.SEMI_ANNUAL,
    "bi-annually": BillingFrequency.SEMI_ANNUAL,
    "every six months": BillingFrequency.SEMI_ANNUAL,
    "annually": BillingFrequency.ANNUAL,
    "annual": BillingFrequency.ANNUAL,
    "yearly": BillingFrequency.ANNUAL,
    "each year": BillingFrequency.ANNUAL,
    "per year": BillingFrequency.ANNUAL,
    "every twelve months": BillingFrequency.ANNUAL,
    "upfront": BillingFrequency.UPFRONT,
    "up-front": BillingFrequency.UPFRONT,
    "up front": BillingFrequency.UPFRONT,
    "in full in advance": BillingFrequency.UPFRONT,
    "in a single payment": BillingFrequency.UPFRONT,
    "one-time": BillingFrequency.UPFRONT,
    "milestone": BillingFrequency.MILESTONE,
    "milestones": BillingFrequency.MILESTONE,
    "usage": BillingFrequency.USAGE,
    "consumption": BillingFrequency.USAGE,
    "in arrears based on": BillingFrequency.USAGE,
}
_FREQUENCY = (
    "(?:"
    + "|".join(
        re.escape(word).replace(r"\ ", r"\s+").replace(r"\-", "[- ]?")
        for word in sorted(_FREQUENCY_WORDS, key=len, reverse=True)
    )
    + r")\b"
)
_BILLING = words(
    rf"\b(?:billing (?:frequency|cycle|period|schedule|terms?)|invoic(?:e|ed|es|ing)|billed|bill)\b"
    rf"[^\S\n]*[:|\t]?[^.;\n]{{0,50}}?\b(?P<freq>{_FREQUENCY})"
)
_BILLING_FIELD = words(
    rf"\bbilling (?:frequency|cycle)[^\S\n]*[:|\t][^\S\n]*(?P<freq>{_FREQUENCY})"
)
_DISCOUNT = words(
    rf"(?:\bdiscount(?:ed)?\b[^.;\n]{{0,50}}?(?P<p1>{PERCENT})|(?P<p2>{PERCENT}) "
    rf"(?:(?:\w+ ){{0,2}})?(?:discount|off (?:the )?(?:list|standard))\b)"
)
_DISCOUNT_FIELD = words(rf"\bdiscount[^\S\n]*[:|\t][^\S\n]*(?P<p>{PERCENT})")
_CUSTOM = words(
    r"\b(?:custom|special|non-standard|negotiated|promotional|preferential) "
    r"(?:pricing|price|rates?|fees?)\b"
)
_MINIMUM = words(
    r"\bminimum (?:annual |aggregate |monthly |quarterly |purchase |spend(?:ing)? |revenue |order "
    r"|contract |usage )*"
    r"(?:commitment|purchase|spend|fees?|order|amount|billing|payment|volume)s?\b"
)
_CAP = words(
    rf"\b(?:increase|raise|uplift|escalat(?:e|ion)|adjust(?:ment)?)\w*\b[^.;]{{0,120}}?"
    rf"\b(?:more than|exceed(?:ing)?|in excess of|greater than|up to|no more than|not more "
    rf"than|maximum of|"
    rf"capped at|limited to|cap of|at most|lesser of)[^.;%]{{0,30}}?(?P<p>{PERCENT})"
)
_CAP_FIELD = words(
    rf"\b(?:price|renewal|fee) (?:increase|uplift) cap[^\S\n]*[:|\t][^\S\n]*(?P<p>{PERCENT})"
)
_TCV = words(
    r"\b(?:total contract value|TCV|total (?:subscription |order |contract )?(?:value|price|amount)"
    r"|total fees(?: payable| due)?(?: for the (?:subscription |initial )?term)?|grand total)\b"
)
_ACV = words(
    r"\b(?:annual contract value|ACV|annual recurring revenue|ARR|annual total"
    r"|total (?:[\w-]+ ){0,3}?(?:per year|per annum|yearly|annually)"
    r"|total annual (?:[\w-]+ ){0,2}?(?:fees?|charges?|subscription|amount|price|value)"
    r"|annual (?:subscription |recurring |license |licence )?(?:fees?|charges?)(?: total)?)\b"
)
_TIERS = (
    "Enterprise Plus|Enterprise|Professional|Business|Premium|Standard|Starter|Basic|Essentials|"
    "Growth|Team|Teams|Pro|Plus|Ultimate|Advanced|Scale|Elite|Platinum|Gold|Silver|Bronze"
)
_TIER_FIELD = re.compile(
    r"(?:^|\n|\|)[^\S\n]*(?i:(?:subscription |service |pricing )?(?:plan|tier|edition|package)"
    r"(?: name| level)?)[^\S\n]*[:|\t][^\S\n]*(?P<tier>[A-Z][^\n|;\t]{0,60})",
)
_TIER_PROSE = re.compile(rf"\b(?P<tier>{_TIERS})\s+(?:plan|edition|tier|subscription plan)\b")
_TIER_LINE = re.compile(
    rf"(?m)^[^\S\n]*(?i:plan|tier|edition)[^\S\n\t]+(?P<tier>{_TIERS})[^\S\n]*$"
)
_TIER_WORD = re.compile(rf"\b(?:{_TIERS})\b")
_TIER_HEADER = re.compile(r"^(?:subscription\s+|service\s+)?(?:plan|tier|edition)$", re.IGNORECASE)
_QUANTITY = re.compile(
    r"^[^\S\n]*(?P<qty>\d{1,3}(?:,\d{3})+|\d+)(?:[^\S\n]+(?P<unit>[A-Za-z][A-Za-z "
    r"-]{0,24}?))?[^\S\n]*$"
)
_PRODUCT_HEADER = re.compile(
    r"\b(?:product|item|service|subscription|description|sku|module)s?\b.*\b(?:qty|quantity|units|"
    r"seats|"
    r"users|licen[cs]es|volume)\b",
    re.IGNORECASE,
)
_TABLE_WORD = re.compile(r"^(?:seats?|users?|staff|price|billing|quantity|qty|fees?|term)\b", re.I)
_CUSTOM_KEYS = ("custom", "special", "non-standard", "negotiated", "promotional", "preferential")
_QUANTITY_KEYS = ("qty", "quantity", "units", "seats", "users", "licen", "volume")
# "Advanced Analytics add-on 1 7,500.00 6,750.00", "150 users 99,000.00": a name (or none,
# when it wrapped onto the lines above), a quantity, then the money columns.
_TEXT_ROW = re.compile(
    r"^\s*(?P<name>[A-Za-z][^\n]*?)??\s*(?P<qty>\d{1,3}(?:,\d{3})+|\d+)"
    r"(?:\s+(?P<unit>[A-Za-z][A-Za-z-]{1,20}))?\s+(?:[A-Z]{3}\s?|[$€£]\s?)?\d[\d,]*(?:\.\d{2})?\b"
)
_NOT_A_UNIT = re.compile(r"^(?:of|to|and|the|per|in|for|at|on)$", re.IGNORECASE)
_CELL_SPLIT = re.compile(r"[^\S\n]*(?:\||\t)[^\S\n]*")
_TOTAL_ROW = re.compile(r"^\s*(?:sub-?)?totals?\b|^\s*-+\s*$", re.IGNORECASE)


def _payment_days(view: TextView) -> list[Hit]:
    hits: list[Hit] = []
    for match in view.finditer(_NET, ("net",), before=2, after=50):
        days = parse_int(match.group("n"))
        if days and 0 < days <= 180:
            hits.append(
                view.hit("commercial.payment_terms_days", days, match.start(), match.end(), 0.9)
            )
    for pattern, keys, confidence in (
        (_PAY_WITHIN, ("within", "no later than", "not later than"), 0.85),
        (_INVOICE_DUE, ("invoice",), 0.75),
    ):
        for match in view.finditer(pattern, keys, before=140, after=160):
            duration = parse_duration(match.group("duration"))
            if (
                duration
                and duration.unit in {"day", "week", "month"}
                and 0 < duration.days() <= 180
            ):
                hits.append(
                    view.hit(
                        "commercial.payment_terms_days",
                        duration.days(),
                        match.start(),
                        match.end(),
                        confidence,
                    )
                )
    return hits


def _frequency(view: TextView) -> list[Hit]:
    hits: list[Hit] = []
    for pattern, confidence in ((_BILLING_FIELD, 0.9), (_BILLING, 0.75)):
        for match in view.finditer(pattern, ("bill", "invoic"), before=5, after=120):
            word = " ".join(match.group("freq").lower().replace("-", " ").split())
            frequency = next(
                (
                    value
                    for key, value in _FREQUENCY_WORDS.items()
                    if " ".join(key.replace("-", " ").split()) == word
                    or key.replace("-", "") == word.replace(" ", "")
                ),
                None,
            )
            if frequency is not None:
                hits.append(
                    view.hit(
                        "commercial.billing_frequency",
                        frequency,
                        match.start(),
                        match.end(),
                        confidence,
                    )
                )
    return hits


def _discount(view: TextView) -> list[Hit]:
    hits: list[Hit] = []
    if not view.mentions("discount", "% off", "percent off"):
        return hits
    for pattern, confidence in ((_DISCOUNT_FIELD, 0.85), (_DISCOUNT, 0.8)):
        for match in view.finditer(pattern, ("discount", " off"), before=70, after=90):
            text = next(group for group in match.groups() if group)
            value = parse_percent(text)
            if value is not None and 0 < value < 100:
                hits.append(
                    view.hit(
                        "commercial.discount_percent", value, match.start(), match.end(), confidence
                    )
                )
                hits.append(
                    view.hit("commercial.custom_pricing", True, match.start(), match.end(), 0.6)
                )
    for match in view.finditer(_CUSTOM, _CUSTOM_KEYS, before=5, after=40):
        hits.append(view.hit("commercial.custom_pricing", True, match.start(), match.end(), 0.75))
    return hits


def _amount_after(
    view: TextView, start: int, limit: int, *, same_line: bool
) -> tuple[int, int, object] | None:
    end = min(len(view.text), start + limit)
    if same_line:
        newline = view.text.find("\n", start, end)
        end = newline if newline >= 0 else end
    for amount in find_amounts(view.text, start, end):
        return amount.start, amount.end, amount.money
    return None


def _values(view: TextView) -> list[Hit]:
    hits: list[Hit] = []
    if not view_amounts(view):
        return hits
    for pattern, keys, path in (
        (_TCV, ("total", "tcv"), "commercial.total_contract_value"),
        (
            _ACV,
            ("annual", "acv", "arr", "per year", "per annum", "yearly"),
            "commercial.annual_contract_value",
        ),
    ):
        for match in view.finditer(pattern, keys, before=60, after=90):
            found = _amount_after(view, match.end(), 120, same_line=True)
            if found is None:
                continue
            _, amount_end, money = found
            hits.append(view.hit(path, money, match.start(), amount_end, 0.8))
    for match in view.finditer(_MINIMUM, ("minimum",), before=5, after=90):
        found = _amount_after(view, match.end(), 120, same_line=False)
        if found is None or "." in view.text[match.end() : found[0]].replace(".00", ""):
            continue
        hits.append(
            view.hit(
                "commercial.minimum_commitment_amount", found[2], match.start(), found[1], 0.75
            )
        )
    return hits


def _price_cap(view: TextView) -> list[Hit]:
    hits: list[Hit] = []
    if not view.mentions("increase", "uplift", "escalat", "adjust"):
        return hits
    for pattern, confidence in ((_CAP_FIELD, 0.85), (_CAP, 0.8)):
        for match in view.finditer(
            pattern, ("increase", "uplift", "escalat", "adjust"), before=30, after=260
        ):
            sentence = view.text[slice(*view.sentence(match.start(), match.end()))]
            if not re.search(r"\b(?:fees?|pric\w*|rates?|charges?)\b", sentence, re.IGNORECASE):
                continue
            value = parse_percent(match.group("p"))
            if value is not None and 0 < value <= 50:
                hits.append(
                    view.hit(
                        "commercial.price_increase_cap_percent",
                        value,
                        match.start(),
                        match.end(),
                        confidence,
                    )
                )
    return hits


def _tier_of(value: str) -> str:
    """The tier a plan name ends in ("Commerce Suite - Professional" -> "Professional")."""
    words_found = _TIER_WORD.findall(value)
    if words_found:
        return str(words_found[-1])
    # No known tier word: the plan's own name, up to its first three words.
    return " ".join(value.split()[:3]).strip(" .,(")


def _plan_column(view: TextView) -> list[Hit]:
    """A "Plan" column of a table: the tier in its first data row."""
    hits: list[Hit] = []
    text = view.text
    for line_start, line_end in view.lines_with(("plan", "tier", "edition")):
        line = text[line_start:line_end].strip().strip("|")
        cells = [cell.strip() for cell in _CELL_SPLIT.split(line)]
        column = next((i for i, cell in enumerate(cells) if _TIER_HEADER.match(cell)), None)
        if column is None or len(cells) < 2:
            continue
        row_start, row_end = view.line(line_end + 1)
        if set(text[row_start:row_end].strip()) <= set("|-: \t"):
            row_start, row_end = view.line(row_end + 1)
        row = _CELL_SPLIT.split(text[row_start:row_end].strip().strip("|"))
        if column < len(row) and _TIER_WORD.search(row[column]):
            tier = _tier_of(row[column])
            hits.append(
                view.hit("commercial.plan_tier", tier, row_start, row_end, 0.75, exact=True)
            )
    return hits


def _plan(view: TextView) -> list[Hit]:
    hits: list[Hit] = _plan_column(view)
    # "Plan Business" on a line of its own: a field whose separator the PDF text lost.
    for match in view.finditer(_TIER_LINE, ("plan", "tier", "edition"), before=5, after=40):
        tier = match.group("tier")
        hits.append(
            view.hit("commercial.plan_tier", tier, match.start(), match.end(), 0.7, exact=True)
        )
    for match in view.finditer(
        _TIER_FIELD, ("plan", "tier", "edition", "package"), before=40, after=60
    ):
        tier = _tier_of(squash(match.group("tier")).strip(" |"))
        if (
            tier
            and tier.lower() not in {"the", "a", "an", "see", "as"}
            and not _TABLE_WORD.match(tier)
        ):
            hits.append(
                view.hit(
                    "commercial.plan_tier", tier, match.start("tier"), match.end(), 0.8, exact=True
                )
            )
    for match in view.finditer(_TIER_PROSE, ("plan", "edition", "tier"), before=60, after=10):
        hits.append(
            view.hit("commercial.plan_tier", match.group("tier"), match.start(), match.end(), 0.65)
        )
    return hits


def _quantity_column(header: str) -> int | None:
    """The index of the quantity column of a table header, if it has one after the name."""
    cells = [cell.lower() for cell in _CELL_SPLIT.split(header.strip(" |"))]
    column = next(
        (
            i
            for i, cell in enumerate(cells)
            if re.search(r"qty|quantity|units|seats|users|licen", cell)
        ),
        None,
    )
    return column if column else None


def _cell_product(row: str, column: int) -> Product | None:
    """A product from a row of a table with cell separators (``|`` or tab)."""
    cells = _CELL_SPLIT.split(row.strip().strip("|").strip())
    if column >= len(cells) or _TOTAL_ROW.search(cells[0]):
        return None
    quantity = _QUANTITY.match(cells[column])
    name = squash(cells[0])
    if not quantity or not name:
        return None
    return Product(
        name=name,
        quantity=float(quantity.group("qty").replace(",", "")),
        unit=squash(quantity.group("unit") or "") or None,
    )


def _text_product(row: str, pending: str) -> Product | None:
    """A product from a PDF table row, where cells are only spaces apart ("Name 150 users 9.00")."""
    match = _TEXT_ROW.match(row)
    if match is None:
        return None
    name = squash(f"{pending} {match.group('name') or ''}")
    unit = squash(match.group("unit") or "") or None
    if not name or _TOTAL_ROW.search(name) or not re.search(r"[A-Za-z]{3}", name):
        return None
    if unit is not None and (_NOT_A_UNIT.match(unit) or DATE_RE.match(f"{unit} 1, 2000")):
        return None
    if unit is not None and iso_currency(unit) is not None:
        unit = None
    return Product(name=name, quantity=float(match.group("qty").replace(",", "")), unit=unit)


def _products(view: TextView) -> list[Hit]:
    """Rows of an order table whose header names a product and a quantity column."""
    hits: list[Hit] = []
    text = view.text
    consumed = -1
    for header in view.finditer(_PRODUCT_HEADER, _QUANTITY_KEYS, before=200, after=10):
        line_start, line_end = view.line(header.start())
        if line_start <= consumed or line_end - line_start > MAX_LINE:
            continue
        header_text = text[line_start:line_end]
        tabular = "|" in header_text or "\t" in header_text
        column = _quantity_column(header_text) if tabular else None
        if tabular and column is None:
            continue
        position = line_end + 1
        pending = ""
        for _ in range(MAX_ROWS):
            if position >= len(text):
                break
            row_start, row_end = view.line(position)
            row = text[row_start:row_end]
            position = row_end + 1
            consumed = row_end
            if not row.strip() or (tabular and len(_CELL_SPLIT.split(row.strip(" |"))) < 2):
                break
            if set(row.strip()) <= set("|-: \t"):
                continue
            if not tabular and (len(row) > 140 or row.rstrip().endswith((".", ":"))):
                break  # running text again: the table is over
            if column is not None:
                product = _cell_product(row, column)
            else:
                product = _text_product(row, pending)
                # A name wrapped over several lines comes before the line with the figures.
                pending = "" if product or _TOTAL_ROW.search(row) else f"{pending} {row}"[-120:]
                if _TOTAL_ROW.search(row):
                    break
            if product is not None:
                hits.append(
                    view.hit("commercial.products", product, row_start, row_end, 0.65, exact=True)
                )
    return hits


def extract(view: TextView) -> list[Hit]:
    """Payment, pricing and order hits."""
    return (
        _payment_days(view)
        + _frequency(view)
        + _discount(view)
        + _values(view)
        + _price_cap(view)
        + _plan(view)
        + _products(view)
    )
