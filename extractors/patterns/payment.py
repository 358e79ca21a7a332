"""Commercial terms with a shape: payment days, billing frequency, discount, contract values,
minimum commitments and their amount, price-increase caps, plan tier and ordered products,
and a most-favoured-nation promise where it is made in so many words.
"""

from __future__ import annotations

import re

from extractors.facts import BillingFrequency
from extractors.patterns import contract_value, products
from extractors.patterns.confidence import (
    BARE_MENTION,
    BORROWED,
    CHECKED_CLAUSE,
    INFERRED,
    KEPT_BY_CONTEXT,
    LABELLED_FIELD,
    LOOSE_WORDING,
    PRECISE_WORDING,
)
from extractors.patterns.core import (
    WRAPPED_SPACE,
    Hit,
    TextView,
    squash,
    words,
)
from extractors.patterns.dates import DURATION, parse_duration
from extractors.patterns.money import find_amounts, view_amounts
from extractors.patterns.numbers import NUMBER, PERCENT, parse_int, parse_percent
from extractors.patterns.tables import split_cells
from extractors.patterns.vocabulary import (
    COMMITMENT_TO_SPEND,
    CUSTOM_PRICING,
    MINIMUM_COMMITMENT,
    MOST_FAVOURED_NATION,
    concept_paths,
    read_concept,
)

CHECKS = (
    contract_value.CHECKS
    | concept_paths(CUSTOM_PRICING, MINIMUM_COMMITMENT, MOST_FAVOURED_NATION)
    | frozenset(
        {
            "commercial.payment_terms_days",
            "commercial.billing_frequency",
            "commercial.discount_percent",
            "commercial.minimum_commitment_amount",
            "commercial.price_increase_cap_percent",
            "commercial.plan_tier",
            "commercial.products",
        }
    )
)

# "payable net\nthirty (30) days": the figure may be wrapped onto the next line.
_NET = words(
    rf"\bnet{WRAPPED_SPACE}-?[^\S\n]*(?P<n>{NUMBER})(?![\d%]|[.,]\d)(?:\s*(?:calendar )?days?)?"
)
_INVOICE_REF = (
    r"(?:the )?(?:date of (?:the |each |an? )?|receipt of (?:the |each |an? "
    r")?|(?:customer|client)[’']s "
    r"receipt of (?:the |each |an? )?|(?:the |each |an? )?)(?:invoice|receipt|billing)"
)
_PAY_WITHIN = words(
    rf"\b(?:payable|due|paid|pay|payment|remit(?:ted)?|settle(?:d)?)\b(?:[^.;]|\.{{3,}}){{0,80}}?"
    rf"\b(?:within|no later than|not later than|in) (?P<duration>{DURATION})"
    rf"(?: (?:of|after|from|following|upon)) {_INVOICE_REF}"
)
# "due thirty (30) days after the invoice date": the period counted from the invoice, with
# no "within" before it (a field "Invoices ...... due thirty (30) days after ...").
_DUE_AFTER_INVOICE = words(
    rf"\b(?:due|payable)(?: and payable)?(?: in full)? (?P<duration>{DURATION})"
    rf" (?:after|from|following) {_INVOICE_REF}"
)
# "Each invoice shall be paid within thirty (30) days of its receipt": the invoice named as the
# subject, the period counted from its own receipt or date.
_INVOICE_ITSELF = words(
    rf"\binvoices?\b[^.;]{{0,40}}?\b(?:paid|payable|due|settled)\b(?: in full)? within "
    rf"(?P<duration>{DURATION}) (?:of|after|from|following) (?:its|their) (?:receipt|date|issue)\b"
)
_INVOICE_DUE = words(
    rf"\binvoices?\b[^.;]{{0,60}}?\b(?:are|is|shall be|will be|become|becomes)? ?(?:due|payable)"
    rf"(?: and payable)?(?: in full)?(?: within)? (?P<duration>{DURATION})"
)
_FREQUENCY_WORDS: dict[str, BillingFrequency] = {
    "monthly": BillingFrequency.MONTHLY,
    "each month": BillingFrequency.MONTHLY,
    "each calendar month": BillingFrequency.MONTHLY,
    "per month": BillingFrequency.MONTHLY,
    "every month": BillingFrequency.MONTHLY,
    "quarterly": BillingFrequency.QUARTERLY,
    "each quarter": BillingFrequency.QUARTERLY,
    "each calendar quarter": BillingFrequency.QUARTERLY,
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
    rf"\b(?:billing(?: (?:frequency|cycle|period|schedule|terms?))?|invoic(?:e|ed|es|ing)|billed"
    rf"|bill)\b"
    rf"[^\S\n]*[:|\t]?[^.;\n]{{0,50}}?\b(?P<freq>{_FREQUENCY})"
)
# "at the start of each monthly billing period".
_BILLING_PERIOD = words(
    r"\b(?P<freq>monthly|quarterly|annual|yearly|semi-annual) (?:billing|subscription|invoicing) "
    r"(?:period|cycle)s?\b"
)
# "The full 24-month subscription total is invoiced on the subscription start date": the
# whole amount billed once, when the subscription starts.
_BILLED_AT_START = words(
    r"\b(?:full|entire|whole|total)\b[^.;\n]{0,60}?\b(?:is|are|will be|shall be) "
    r"(?:invoiced|billed|charged)(?: in full)?(?: in advance)? (?:on|at|upon) (?:the )?"
    r"(?:subscription |order |service )?(?:start|effective|commencement|signature|execution)\b"
)
# Milestones of services bought beside the subscription (an SOW's fixed fee "invoiced on the
# milestones below") say how those are billed, not how the subscription is.
_SERVICES_BILLING = re.compile(
    r"\b(?:services?|implementation|statement of work|SOW|onboarding|consulting)\b", re.IGNORECASE
)
_SUBSCRIPTION_WORD = re.compile(r"\bsubscription", re.IGNORECASE)
_BILLING_FIELD = words(
    rf"\bbilling (?:frequency|cycle)[^\S\n]*[:|\t][^\S\n]*(?P<freq>{_FREQUENCY})"
)
_DISCOUNT = words(
    rf"(?:\bdiscount(?:ed)?\b[^.;\n]{{0,50}}?(?P<p1>{PERCENT})|(?P<p2>{PERCENT}) "
    rf"(?:(?:\w+ ){{0,2}})?(?:discount|off (?:the )?(?:list|standard))\b)"
)
_DISCOUNT_FIELD = words(rf"\bdiscount[^\S\n]*[:|\t][^\S\n]*(?P<p>{PERCENT})")
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
# "no more than the lesser of the CPI increase and three percent (3%)": the percentage named.
_CAP_LESSER = words(
    r"\b(?:increase|raise|uplift|escalat(?:e|ion)|adjust(?:ment)?)\w*\b[^.;]{0,120}?"
    r"\b(?:lesser|lower|smaller) of\b(?P<body>[^.;]{0,260})"
)
# "an increase of more than ten percent would be required", "a discrepancy involving an
# adjustment of more than 5%": the size of an event a clause is conditioned on, no ceiling.
_CONDITION_SIZE = words(r"\bof (?:more than|in excess of|greater than|over)\b")
_PERCENT_RX = re.compile(PERCENT, re.IGNORECASE)
_PRICE_WORD = re.compile(r"\b(?:fees?|pric\w*|rates?|charges?)\b", re.IGNORECASE)
_CAP_FIELD = words(
    rf"\b(?:price|renewal|fee) (?:increase|uplift) cap[^\S\n]*[:|\t][^\S\n]*(?P<p>{PERCENT})"
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
# "Sable Plant Insights - Industrial": an edition after a dash, one or two capitalised words.
_EDITION_SUFFIX = re.compile(r"\s[-–]\s+(?P<tier>[A-Z][a-z]+(?:\s+(?:Plus|Pro|Premium|Max))?)$")
_TIER_HEADER = re.compile(r"^(?:subscription\s+|service\s+)?(?:plan|tier|edition)$", re.IGNORECASE)
_TABLE_WORD = re.compile(r"^(?:seats?|users?|staff|price|billing|quantity|qty|fees?|term)\b", re.I)


def _payment_days(view: TextView) -> list[Hit]:
    hits: list[Hit] = []
    for match in view.finditer(_NET, ("net",), before=2, after=50):
        days = parse_int(match.group("n"))
        if days and 0 < days <= 180:
            hits.append(
                view.hit(
                    "commercial.payment_terms_days",
                    days,
                    match.start(),
                    match.end(),
                    LABELLED_FIELD,
                )
            )
    for pattern, keys, confidence in (
        (_PAY_WITHIN, ("within", "no later than", "not later than"), PRECISE_WORDING),
        (_INVOICE_DUE, ("invoice",), LOOSE_WORDING),
        (_DUE_AFTER_INVOICE, ("due", "payable"), PRECISE_WORDING),
        (_INVOICE_ITSELF, ("invoice",), PRECISE_WORDING),
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
    for pattern, confidence in (
        (_BILLING_FIELD, LABELLED_FIELD),
        (_BILLING, LOOSE_WORDING),
        (_BILLING_PERIOD, KEPT_BY_CONTEXT),
    ):
        for match in view.finditer(pattern, ("bill", "invoic"), before=20, after=120):
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
            if frequency is None:
                continue
            start, end = view.sentence(match.start(), match.end())
            sentence = view.text[start:end]
            services_only = (
                frequency is BillingFrequency.MILESTONE
                and _SERVICES_BILLING.search(sentence)
                and not _SUBSCRIPTION_WORD.search(sentence)
            )
            hits.append(
                view.hit(
                    "commercial.billing_frequency",
                    frequency,
                    match.start(),
                    match.end(),
                    min(confidence, BARE_MENTION) if services_only else confidence,
                )
            )
    for match in view.finditer(
        _BILLED_AT_START, ("invoic", "bill", "charged"), before=90, after=90
    ):
        hits.append(
            view.hit(
                "commercial.billing_frequency",
                BillingFrequency.UPFRONT,
                match.start(),
                match.end(),
                PRECISE_WORDING,
            )
        )
    return hits


def _discount(view: TextView) -> list[Hit]:
    hits = read_concept(view, CUSTOM_PRICING)
    if not view.mentions("discount", "% off", "percent off"):
        return hits
    for pattern, confidence in ((_DISCOUNT_FIELD, PRECISE_WORDING), (_DISCOUNT, CHECKED_CLAUSE)):
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
                    view.hit(
                        "commercial.custom_pricing", True, match.start(), match.end(), BARE_MENTION
                    )
                )
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


def _minimum_amount(view: TextView) -> list[Hit]:
    hits: list[Hit] = []
    if not view_amounts(view):
        return hits
    for pattern, keys in ((_MINIMUM, ("minimum",)), (COMMITMENT_TO_SPEND.regex, ("commit",))):
        for match in view.finditer(pattern, keys, before=5, after=200):
            found = _amount_after(view, match.end(), 120, same_line=False)
            if found is None or "." in view.text[match.end() : found[0]].replace(".00", ""):
                continue
            hits.append(
                view.hit(
                    "commercial.minimum_commitment_amount",
                    found[2],
                    match.start(),
                    found[1],
                    LOOSE_WORDING,
                )
            )
    return hits


def _price_cap(view: TextView) -> list[Hit]:
    hits: list[Hit] = []
    if not view.mentions("increase", "uplift", "escalat", "adjust"):
        return hits
    for pattern, confidence in (
        (_CAP_FIELD, PRECISE_WORDING),
        (_CAP, CHECKED_CLAUSE),
        (_CAP_LESSER, CHECKED_CLAUSE),
    ):
        for match in view.finditer(
            pattern, ("increase", "uplift", "escalat", "adjust"), before=30, after=260
        ):
            start, end = view.sentence(match.start(), match.end())
            # The prices may be named in the sentence before: "Prices are fixed for the term.
            # Any increase after it shall not exceed 3.5%."
            if not _PRICE_WORD.search(view.text, max(0, start - 150), end):
                continue
            if _CONDITION_SIZE.search(match.group(0)):
                continue
            if "body" in match.groupdict():
                named = list(_PERCENT_RX.finditer(match.group("body")))
                if not named:
                    continue
                value = parse_percent(named[-1].group(0))
            else:
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
        cells = [cell.strip() for cell in split_cells(text[line_start:line_end])]
        column = next((i for i, cell in enumerate(cells) if _TIER_HEADER.match(cell)), None)
        if column is None or len(cells) < 2:
            continue
        row_start, row_end = view.line(line_end + 1)
        if set(text[row_start:row_end].strip()) <= set("|-: \t"):
            row_start, row_end = view.line(row_end + 1)
        row = split_cells(text[row_start:row_end])
        if column < len(row) and _TIER_WORD.search(row[column]):
            tier = _tier_of(row[column])
            hits.append(
                view.hit(
                    "commercial.plan_tier", tier, row_start, row_end, LOOSE_WORDING, exact=True
                )
            )
    return hits


def _plan(view: TextView) -> list[Hit]:
    hits: list[Hit] = _plan_column(view)
    # "Plan Business" on a line of its own: a field whose separator the PDF text lost.
    for match in view.finditer(_TIER_LINE, ("plan", "tier", "edition"), before=5, after=40):
        tier = match.group("tier")
        hits.append(
            view.hit(
                "commercial.plan_tier",
                tier,
                match.start(),
                match.end(),
                KEPT_BY_CONTEXT,
                exact=True,
            )
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
                    "commercial.plan_tier",
                    tier,
                    match.start("tier"),
                    match.end(),
                    CHECKED_CLAUSE,
                    exact=True,
                )
            )
    for match in view.finditer(_TIER_PROSE, ("plan", "edition", "tier"), before=60, after=10):
        hits.append(
            view.hit(
                "commercial.plan_tier", match.group("tier"), match.start(), match.end(), INFERRED
            )
        )
    return hits


def _tier_of_product(name: str) -> str | None:
    """The edition a product's name ends in: "Claims Analytics - Enterprise", "Juniper Starter"."""
    edition = _EDITION_SUFFIX.search(name)
    if edition is not None:
        return edition.group("tier")
    last = name.rsplit(maxsplit=1)[-1] if name.split() else ""
    return last if _TIER_WORD.fullmatch(last) else None


def _plan_from_products(view: TextView, product_hits: list[Hit]) -> list[Hit]:
    """Where no plan is named, the edition the first ordered product's name ends in."""
    for hit in product_hits:
        tier = _tier_of_product(hit.value.name)
        if tier is not None:
            return [Hit("commercial.plan_tier", tier, hit.start, hit.end, BORROWED)]
    return []


def extract(view: TextView) -> list[Hit]:
    """Payment, pricing, order and most-favoured-nation hits."""
    plan = _plan(view)
    ordered = products.extract(view)
    if not plan:
        plan = _plan_from_products(view, ordered)
    return (
        _payment_days(view)
        + _frequency(view)
        + _discount(view)
        + _minimum_amount(view)
        + read_concept(view, MINIMUM_COMMITMENT)
        + contract_value.extract(view)
        + _price_cap(view)
        + plan
        + ordered
        + read_concept(view, MOST_FAVOURED_NATION)
    )
