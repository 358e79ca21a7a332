"""Tax and entities: billing countries, affiliates covered, VAT/GST numbers, withholding,
tax exemption and purchase-order requirements. Contracting entities come from ``parties``.
"""

from __future__ import annotations

import re

from extractors.facts import DocumentKind, PartyRole
from extractors.patterns.confidence import (
    BORROWED,
    CHECKED_CLAUSE,
    INFERRED,
    KEPT_BY_CONTEXT,
    LOOSE_WORDING,
    PRECISE_WORDING,
)
from extractors.patterns.core import Hit, TextView, words
from extractors.patterns.document_kind import title_kind
from extractors.patterns.parties import (
    added_customers,
    country_near,
    known_parties,
    table_entities,
)
from extractors.patterns.places import find_places, lookup
from extractors.patterns.tables import head_above, is_delimited, row_at, split_cells
from extractors.patterns.vocabulary import PO_REQUIRED, TAX_TERMS, concept_paths, read_concept

CHECKS = concept_paths(PO_REQUIRED, *TAX_TERMS) | frozenset(
    {
        "tax.billing_countries",
        "tax.vat_numbers",
    }
)

_BILLING_LABEL = words(
    r"\b(?:bill(?:ing)? to|billing (?:address|country|entity|location|contact address)|invoice "
    r"(?:to|address)"
    # "Remit to" is where the provider is paid, never where the customer is billed.
    r"|sold to|invoicing address|address for invoices"
    r"|invoices? (?:shall|will|must|are to) be (?:addressed|sent|issued) to)\b[^\S\n]*[:|\t]?"
)
_VAT = re.compile(
    # Canada's GST/HST and Quebec's QST (TPS/TVQ) numbers too: "GST/HST registration number:
    # 812345678 RT0001", "QST registration number: 1234567890 TQ0001".
    r"\b(?P<label>(?:GST/HST|TPS/TVH|TPS/TVQ|GST/QST)(?![\w/])|VAT|GST|HST|QST|TVQ|TPS|ABN|UID"
    r"|USt-?IdNr\.?|TVA|IVA|BTW|NIF|CIF)"
    # The label's words may wrap onto the next line of a PDF ("registration\nnumber:").
    r"(?i:\s+(?:registration|reg\.?|identification|id))?(?i:\s+(?:number|no\.?|#|id|nr\.?))?"
    r"[^\S\n]*[:#.]?"
    # The number may have wrapped onto the next line of a PDF ("VAT\nDE145678912").
    r"(?:[^\S\n]*|[^\S\n]*\n[^\S\n]*(?=[A-Z]{1,2}\d|[A-Z]{2}[^\S\n]?\d|\d))"
    # Digit groups ("GB 204 5567 81", "81234 5678 RT0001", "IE\n3345678RH", "M2-0123456-7"),
    # not the currency after them.
    r"(?P<value>(?:[A-Z]{2}\s?|[A-Z]\d-)?\d[\dA-Z]*(?:[ .-](?:\d[\dA-Z]*|[A-Z]{1,3}\d+)){0,5})",
)
# Norway's VAT number is the organisation number followed by "MVA": "998 877 665 MVA".
_MVA = re.compile(r"\b(?P<value>\d{3}[ ]?\d{3}[ ]?\d{3}[ ]?MVA)\b")
# India's GSTIN: state code, the holder's PAN, entity number, "Z", check character
# ("29AAHCK4821Q1Z7"). Its shape is its label.
_GSTIN = r"\d{2}[A-Z]{5}\d{4}[A-Z][1-9A-Z]Z[0-9A-Z]"
_GSTIN_RX = re.compile(rf"\b(?P<value>{_GSTIN})\b")
# A VAT number as an entity table's VAT column holds it, with no label beside it: a European
# country prefix, then digit groups ("FR 47 512 345 678", "BE 0712.345.678", "ES B12345678").
_PREFIXED_VAT = re.compile(
    r"(?<![\w.])(?P<value>(?:AT|BE|BG|CH|CY|CZ|DE|DK|EE|EL|ES|FI|FR|GB|HR|HU|IE|IT|LT|LU|LV|MT"
    r"|NL|NO|PL|PT|RO|SE|SI|SK|XI)[^\S\n]?(?:CHE-?|U|[A-Z0-9]{1,2}[^\S\n]?)?\d[\d. -]{5,16}\d"
    # A check suffix ("NL 8523 14567 B01", "IE 1234567 WA"), not the next cell's currency.
    rf"(?:[^\S\n]?[A-Z]\d{{2}}|[A-Z]{{1,2}})?|{_GSTIN})(?![\w.-])"
)
# A column heading naming VAT, GST or tax registrations.
_VAT_COLUMN = re.compile(
    r"\b(?:VAT|GST(?:IN)?|HST|TVA|BTW|IVA|MwSt|USt-?Id(?:Nr)?|UID|tax\s+(?:id|identification"
    r"|registration)(?:\s+(?:number|no\.?))?)\b",
    re.IGNORECASE,
)
_VAT_COLUMN_KEYS = ("vat", "gst", "hst", "tva", "btw", "iva", "mwst", "ust", "uid", "tax ")
_SENTENCE = re.compile(r"[a-z]{2}[.;:]\s*$|[a-z]{2}[.;]\s+[A-Z]")
# How far below its heading a VAT column's numbers are read.
_COLUMN_REACH = 1500
_VAT_KEYS = (
    "vat",
    "gst",
    "hst",
    "qst",
    "tvq",
    "tps",
    "abn",
    "uid",
    "ust-id",
    "ustid",
    "ust id",
    "tva",
    "iva ",
    "btw",
    "nif",
    "cif",
)


def _billing_countries(view: TextView) -> list[Hit]:
    hits: list[Hit] = []
    text = view.text
    for match in view.finditer(_BILLING_LABEL, ("bill", "invoic", "sold to"), before=5, after=60):
        _line_start, line_end = view.line(match.end())
        # The address may run onto the next two lines.
        end = line_end
        for _ in range(2):
            if end + 1 < len(text):
                end = view.line(end + 1)[1]
        end = min(end, match.end() + 240)
        place = next(iter(find_places(text, match.end(), end)), None)
        if place is not None:
            hits.append(
                view.hit(
                    "tax.billing_countries",
                    place[0].country,
                    match.start(),
                    place[2],
                    LOOSE_WORDING,
                    exact=True,
                )
            )
            continue
        # No place by name: a postcode ("Edinburgh EH2 4DR") or a legal form may still say.
        country = country_near(text, match.end(), end)
        if country is not None:
            hits.append(
                view.hit("tax.billing_countries", country, match.start(), end, INFERRED, exact=True)
            )
    return hits


# Documents that bill nothing themselves: a customer's country there is not where it is billed.
_NOT_BILLED = frozenset(
    {
        DocumentKind.DPA,
        DocumentKind.SECURITY_ADDENDUM,
        DocumentKind.AMENDMENT,
        DocumentKind.OTHER,
    }
)


def _country_columns(view: TextView) -> list[Hit]:
    """Countries in the "Country" column of a table of billing entities."""
    hits: list[Hit] = []
    text = view.text
    for line_start, line_end in view.lines_with(("country",)):
        header = text[line_start:line_end]
        if not is_delimited(header):
            continue
        cells = [cell.strip().lower() for cell in split_cells(header)]
        column = next((i for i, cell in enumerate(cells) if "country" in cell), None)
        if column is None or not re.search(r"entit|bill|invoice|legal", header, re.IGNORECASE):
            continue
        for row_start, row_end in view.lines_after(line_end + 1):
            row = text[row_start:row_end]
            if not is_delimited(row):
                break
            row_cells = split_cells(row)
            if column < len(row_cells):
                place = lookup(row_cells[column].strip())
                if place is not None:
                    hits.append(
                        view.hit(
                            "tax.billing_countries",
                            place.country,
                            row_start,
                            row_end,
                            CHECKED_CLAUSE,
                            exact=True,
                        )
                    )
    return hits


def _customer_countries(view: TextView) -> list[Hit]:
    """Where no bill-to is stated, the customer entity is billed: its country."""
    hits: list[Hit] = []
    for party in known_parties(view):
        if party.role is PartyRole.CUSTOMER and party.country:
            hits.append(
                view.hit(
                    "tax.billing_countries",
                    party.country,
                    party.start,
                    party.end,
                    BORROWED,
                    exact=True,
                )
            )
    return hits


def _vat_numbers(view: TextView) -> list[Hit]:
    hits: list[Hit] = []
    for match in view.finditer(_VAT, _VAT_KEYS, before=5, after=70):
        value = " ".join(match.group("value").split()).rstrip(".-")
        if sum(char.isdigit() for char in value) < 7:
            continue
        hits.append(
            view.hit(
                "tax.vat_numbers", value, match.start(), match.end(), PRECISE_WORDING, exact=True
            )
        )
    for match in view.finditer(_GSTIN_RX, ("gst",), before=60, after=300):
        hits.append(
            view.hit(
                "tax.vat_numbers",
                match.group("value"),
                match.start(),
                match.end(),
                PRECISE_WORDING,
                exact=True,
            )
        )
    hits.extend(_vat_column(view))
    for match in view.finditer(_MVA, ("mva",), before=20, after=5):
        value = " ".join(match.group("value").split())
        hits.append(
            view.hit(
                "tax.vat_numbers", value, match.start(), match.end(), CHECKED_CLAUSE, exact=True
            )
        )
    return hits


def _vat_column(view: TextView) -> list[Hit]:
    """VAT numbers of the rows of a table whose heading names a VAT or tax ID column."""
    hits: list[Hit] = []
    for match in view.finditer(_PREFIXED_VAT, _VAT_COLUMN_KEYS, before=0, after=_COLUMN_REACH):
        value = " ".join(match.group("value").split()).rstrip(".-")
        if not 8 <= sum(char.isdigit() for char in value) <= 12:
            continue
        row = row_at(view, match.start())
        head = row.head if row is not None else head_above(view, match.start())
        # The heading's column names, not a sentence above the table ("Fees exclude VAT.").
        if not any(
            _VAT_COLUMN.search(line) for line in head.split("\n") if not _SENTENCE.search(line)
        ):
            continue
        hits.append(
            view.hit(
                "tax.vat_numbers", value, match.start(), match.end(), CHECKED_CLAUSE, exact=True
            )
        )
    return hits


def _entity_countries(view: TextView) -> list[Hit]:
    """Countries of the entities a table lists as billed, or the text adds as customers."""
    hits = [
        view.hit(
            "tax.billing_countries",
            entity.country,
            entity.start,
            entity.end,
            KEPT_BY_CONTEXT,
            exact=True,
        )
        for entity in table_entities(view)
        if entity.country
    ]
    hits += [
        view.hit("tax.billing_countries", party.country, start, end, INFERRED)
        for party, start, end in added_customers(view)
        if party.country
    ]
    return hits


def extract(view: TextView) -> list[Hit]:
    """Tax and entity hits."""
    billing = _billing_countries(view) + _country_columns(view) + _entity_countries(view)
    if not billing and title_kind(view) not in _NOT_BILLED:
        billing = _customer_countries(view)
    return billing + _vat_numbers(view) + read_concept(view, PO_REQUIRED, *TAX_TERMS)
