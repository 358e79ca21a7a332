"""Fee tables whose currency is only in a heading or a statement, and parties in unfamiliar layouts.

A schedule of charges may give bare figures under a "(USD)" column; a row labelled as the
total of the lines above is not one more line, nor is a receipt's "Charged today"; a bare "$"
is in the dollars the document says its prices are in. Parties may be listed as "(1) ...
(2) ...", labelled in two languages, joined to the customer's side by an amendment, and carry
Canadian GST/HST and QST numbers. Layouts that a PDF, a DOCX or plain text render differently
are read in all three.
"""

from __future__ import annotations

import pytest

from evals.saas.sources import OutputFormat
from extractors.document import Document
from extractors.facts import Money, PartyRole
from extractors.patterns import PatternExtractor
from extractors.patterns.money import named_currency
from extractors.patterns.tables import header_currency
from tests.extractors.patterns.helpers import facts_of, findings, value
from tests.layouts import FORMATS
from tests.layouts import rendered as rendered_as

ACV = "commercial.annual_contract_value"


# ---- the currency a table's header names ------------------------------------------------


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("Service element Charging basis Quarterly Charge (USD)", "USD"),
        ("| Item | Qty | Amount (GBP) |", "GBP"),
        ("Item\tQty\t€", "EUR"),
        ("Item | Seats | Fees in Australian dollars", "AUD"),
        ("| Product | Annual fee ($) |", "USD"),
        # Look-alikes: no currency, two currencies, a code that is a word, running text.
        ("Description Qty Unit price Total", None),
        ("| Item | USD | EUR |", None),
        ("Product  Qty  ALL", None),
        ("The fees are payable in USD.", None),
    ],
)
def test_header_currency(header: str, expected: str | None) -> None:
    assert header_currency(header) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("(NZD)", "NZD"), ("in Singapore dollars", "SGD"), ("(£)", "GBP"), ("(XYZ)", None)],
)
def test_named_currency(text: str, expected: str | None) -> None:
    assert named_currency(text) == expected


# ---- fee tables read the same as PDF, DOCX and text -------------------------------------

HEAD = "# Order Form\n\nProvider: Northwind Forms, Inc. Customer: Bluejay Dental Group LLC.\n\n"

LAYOUTS: dict[str, tuple[str, Money | None]] = {
    # Bare figures under a "(USD)" column; one line is priced "per Customer account" and
    # cannot be read as a line, so the total row stands for the lines: a quarter's x 4.
    "quarterly schedule with the currency in the header": (
        "Schedule of Charges\n\n"
        "| Service element | Charging basis | Quarterly Charge (USD) |\n|---|---|---|\n"
        "| Fleet Planner | 60 depot licences | 6,300.00 |\n"
        "| Route module | per Customer account | 2,250.00 |\n"
        "| Driver App | 240 drivers | 1,200.00 |\n"
        "| Total quarterly Charges | | 9,750.00 |\n",
        Money(amount=39_000, currency="USD"),
    ),
    "monthly figures under an amount (GBP) column": (
        "| Product | Users | Monthly amount (GBP) |\n|---|---|---|\n"
        "| Case Manager | 40 users | 2,400.00 |\n"
        "| Document vault | 1 | 600.00 |\n",
        Money(amount=36_000, currency="GBP"),
    ),
    "annual table whose total row names the total last": (
        "| Product | Qty | Annual fee |\n|---|---|---|\n"
        "| Business - warehouse users | 150 | USD 45,000.00 |\n"
        "| Mobile Scanner licences | 40 | USD 7,000.00 |\n"
        "| Annual subscription total | | USD 52,000.00 |\n",
        Money(amount=52_000, currency="USD"),
    ),
    "a receipt restating the line it charged": (
        "| Item | Amount |\n|---|---|\n"
        "| Starter plan, 5 seats x $15/seat/mo, billed yearly | $900.00 |\n"
        "| Sales tax (Oregon) | $0.00 |\n"
        "| Charged today | $900.00 |\n",
        Money(amount=900, currency="USD"),
    ),
    "bare dollars in the currency the order states": (
        "| Item | Quantity | Annual price |\n|---|---|---|\n"
        "| Rostering | 300 staff | $59,400.00 |\n"
        "| Family Portal add-on | 6 facilities | $6,600.00 |\n\n"
        "All prices are in Australian dollars.\n",
        Money(amount=66_000, currency="AUD"),
    ),
    # Denials: a total over one-time fees is not the year's; bare figures under a header
    # naming no currency are no amounts; a total with no line read above it totals nothing.
    "total row over a one-time fee": (
        "| Item | Quarterly Charge (USD) |\n|---|---|\n"
        "| Platform | per account | 3,000.00 |\n"
        "| Set-up (one-time) | 5,000.00 |\n"
        "| Total | 8,000.00 |\n",
        None,
    ),
    "bare figures without a currency": (
        "| Service element | Quarterly Charge |\n|---|---|\n"
        "| Fleet Planner | 6,300.00 |\n"
        "| Total quarterly Charges | 6,300.00 |\n",
        None,
    ),
}


@pytest.mark.parametrize("output", FORMATS, ids=lambda output: output.value)
@pytest.mark.parametrize("layout", list(LAYOUTS))
def test_fee_table_gives_the_same_value_as_pdf_docx_and_text(
    layout: str, output: OutputFormat
) -> None:
    body, expected = LAYOUTS[layout]
    document = rendered_as(HEAD + body, output, name="order_form")
    assert facts_of(document).get(ACV) == expected


def test_a_quarterly_total_is_quoted_and_the_note_says_how() -> None:
    body, _ = LAYOUTS["quarterly schedule with the currency in the header"]
    document = rendered_as(HEAD + body, OutputFormat.DOCX, name="order_form")
    fact = next(f.fact for f in PatternExtractor().extract(document, []) if f.path == ACV)
    assert fact.note == "derived: total USD 9,750 per quarter x 4"
    assert [evidence.quote.split("\t")[0] for evidence in fact.evidence] == [
        "Total quarterly Charges"
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("All prices are in Australian dollars. Annual fees: $84,000.", ["AUD"]),
        ("All amounts in this Order Form are stated in NZD.\nAnnual fees: $12,000.", ["NZD"]),
        ("Currency: CAD\nAnnual fees: $12,000", ["CAD"]),
        # A "$" with a code of its own keeps it; with no statement, "$" is US dollars.
        ("All prices are in Australian dollars. Annual fees: US$84,000.", ["AUD", "USD"]),
        ("Annual fees: $84,000.", ["USD"]),
        # Statements of two dollar currencies say nothing of a bare "$".
        ("Fees are in Canadian dollars. Rates are in Australian dollars. Fees: $1,000", None),
    ],
)
def test_a_bare_dollar_is_in_the_dollars_the_document_states(
    text: str, expected: list[str] | None
) -> None:
    currencies = value(text, "commercial.currencies")
    if expected is None:
        assert "USD" in currencies
    else:
        assert sorted(currencies) == sorted(expected)


# ---- parties --------------------------------------------------------------------------

NUMBERED_PARTIES = (
    "SOFTWARE AS A SERVICE AGREEMENT\n\nTHIS AGREEMENT is dated 14 April 2025\n\nPARTIES\n\n"
    "(1) THORNBURY SYSTEMS LIMITED, incorporated and registered in England and Wales with "
    "company number 11223344 whose registered office is at 5 Paternoster Square, London EC4M "
    '7DX ("Supplier").\n\n'
    "(2) CALLOWAY FREIGHT LINES, INC., a corporation organised under the laws of the State of "
    "Ohio whose principal office is at 250 West Broad Street, Columbus, Ohio 43215, United "
    'States ("Customer").\n\nAGREED TERMS\n\n1. The Supplier shall provide the Services.\n'
)
BILINGUAL = (
    "# ORDER FORM / BON DE COMMANDE MS-2025-118\n\n1. Parties / Parties\n\n"
    "Provider / Fournisseur: Maplestone Software Inc., 155 Queen Street West, Toronto, "
    "Ontario M5H 2M9, Canada.\n\n"
    "Customer / Client: Groupe Rochebleu Inc., 2400 boulevard Laurier, Quebec City, Quebec "
    "G1V 2L1, Canada.\n\n"
    "4. Taxes / Taxes\n\nFees exclude GST (5%) and QST (9.975%), which will be added to each "
    "invoice. Customer GST/HST registration number: 812345678 RT0001. Customer QST "
    "registration number: 1234567890 TQ0001.\n"
)


def _parties(document: Document) -> list[tuple[str, PartyRole, str | None]]:
    parties = facts_of(document).get("commercial.parties") or []
    return [(party.name.casefold(), party.role, party.country) for party in parties]


@pytest.mark.parametrize("output", FORMATS, ids=lambda output: output.value)
def test_numbered_list_of_parties(output: OutputFormat) -> None:
    document = rendered_as(NUMBERED_PARTIES, output, name="msa")
    assert _parties(document) == [
        ("thornbury systems limited", PartyRole.PROVIDER, "GB"),
        ("calloway freight lines, inc.", PartyRole.CUSTOMER, "US"),
    ]
    assert facts_of(document).get("tax.billing_countries") == ["US"]


@pytest.mark.parametrize("output", FORMATS, ids=lambda output: output.value)
def test_bilingual_labels_and_canadian_tax_numbers(output: OutputFormat) -> None:
    document = rendered_as(BILINGUAL, output, name="order_form")
    assert _parties(document) == [
        ("maplestone software inc.", PartyRole.PROVIDER, "CA"),
        ("groupe rochebleu inc.", PartyRole.CUSTOMER, "CA"),
    ]
    facts = facts_of(document)
    assert facts.get("tax.billing_countries") == ["CA"]
    assert [number.replace(" ", "") for number in facts.get("tax.vat_numbers") or []] == [
        "812345678RT0001",
        "1234567890TQ0001",
    ]


def test_a_numbered_list_that_is_no_list_of_parties() -> None:
    text = (
        'This Agreement is made between Wade Enterprises, LLC ("Wade") and Naked Brand Group '
        'Inc. ("Naked").\n\nWade shall promote the products:\n'
        '(1) On Naked\'s website(s) ("Website");\n(2) In social media channels.\n'
    )
    names = [party.name for party in value(text, "commercial.parties")]
    assert not any("website" in name.lower() for name in names)


AMENDMENT = (
    '**Between:** Sunderland Metrics LLC ("Sunderland"); Alcazar Foods USA, Inc. ("Customer"); '
    "and Alimentos Alcazar de Mexico, S.A. de C.V., a sociedad anonima de capital variable "
    "organised under the laws of Mexico, with its domicile at Avenida Constitucion 2050 "
    'Oriente, Monterrey, Nuevo Leon 64000, Mexico ("Alcazar Mexico").\n\n'
    "1. **Additional Customer.** From the effective date of this Amendment, Alcazar Mexico is "
    "added as a Customer under the Order Form for its own users.\n"
)


@pytest.mark.parametrize(
    ("text", "role"),
    [
        (AMENDMENT, PartyRole.CUSTOMER),
        (
            AMENDMENT.replace("is added as a Customer", "shall become an additional Customer"),
            PartyRole.CUSTOMER,
        ),
        # Named, but not joined to the customer's side.
        (
            AMENDMENT.replace(
                "is added as a Customer under", "is a supplier to the Customer under"
            ),
            PartyRole.OTHER,
        ),
    ],
)
def test_an_amendment_joins_a_defined_party_to_the_customer(text: str, role: PartyRole) -> None:
    parties = {party.name: party for party in value(text, "commercial.parties")}
    mexican = parties["Alimentos Alcazar de Mexico, S.A. de C.V."]
    assert (mexican.role, mexican.country) == (role, "MX")
    countries = value(text, "tax.billing_countries") or []
    assert ("MX" in countries) is (role is PartyRole.CUSTOMER)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Alimentos Alcazar de Mexico, S.A. de C.V.", "Alimentos Alcazar de Mexico, S.A. de C.V."),
        ("Servicios Norte, S. de R.L. de C.V.", "Servicios Norte, S. de R.L. de C.V."),
        ("Distribuidora Sur, S.A.P.I. de C.V.", "Distribuidora Sur, S.A.P.I. de C.V."),
        ("Iberia Datos, S.A.", "Iberia Datos, S.A."),
    ],
)
def test_latin_american_legal_forms_are_kept_whole(name: str, expected: str) -> None:
    text = f'This Order Form is between Acme Cloud, Inc. ("Provider") and {name} ("Customer").'
    names = [party.name for party in value(text, "commercial.parties")]
    assert expected in names


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Customer GST/HST registration\nnumber: 812345678 RT0001.", ["812345678 RT0001"]),
        ("QST registration number: 1234567890 TQ0001", ["1234567890 TQ0001"]),
        ("TPS/TVQ: 812345678 RT0001", ["812345678 RT0001"]),
        # Rates, not numbers.
        ("Fees exclude GST (5%) and QST (9.975%).", None),
    ],
)
def test_canadian_tax_numbers(text: str, expected: list[str] | None) -> None:
    assert value(text, "tax.vat_numbers") == expected


@pytest.mark.parametrize(
    ("bill_to", "extra_customer"),
    [
        # A department or a contact of the customer is not another entity.
        ("Accounts Payable, same address", None),
        ("Attn: Finance Department", None),
        # A second legal entity billed is one.
        ("Brandywine Billing Services LLC, 200 Main Street", "Brandywine Billing Services LLC"),
    ],
)
def test_a_bill_to_field_adds_a_customer_only_when_it_names_an_entity(
    bill_to: str, extra_customer: str | None
) -> None:
    text = (
        "ORDER FORM\n\n"
        "| Customer | Brandywine Orthopedic Associates, P.C. |\n"
        "|---|---|\n"
        f"| Bill to | {bill_to} |\n"
        "| Provider | Quillfeather Analytics, Inc. |\n"
    )
    parties = findings(text)["commercial.parties"].value or []
    customers = sorted(p.name for p in parties if p.role is PartyRole.CUSTOMER)
    expected = ["Brandywine Orthopedic Associates, P.C."]
    if extra_customer:
        expected = sorted([*expected, extra_customer])
    assert customers == expected
