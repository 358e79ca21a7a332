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
from extractors.patterns.tables import is_delimited, split_cells
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
    for match in view.finditer(_MVA, ("mva",), before=20, after=5):
        value = " ".join(match.group("value").split())
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
