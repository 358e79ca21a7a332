"""The contracting parties: legal names, roles (customer / provider) and country.

Read from the opening ("by and between Acme, Inc., a Delaware corporation ("Provider"),
and Beta Ltd ("Customer")") and from order-form fields ("Customer legal name: Beta Ltd").
The defined name each party goes by ("Brightline") is kept so that other modules can
tell who "shall" do what. Customer entities beyond them, added by the text or listed in a
table of billing entities, are parties and contracting entities too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from extractors.document import MediaType
from extractors.facts import Party, PartyRole
from extractors.patterns.confidence import INFERRED, KEPT_BY_CONTEXT, PRECISE_WORDING
from extractors.patterns.core import MAX_LINE, Hit, TextView, per_view, squash, words
from extractors.patterns.places import STREET_AFTER, PlaceKind, find_places, lookup
from extractors.patterns.tables import is_delimited, split_cells

CHECKS = frozenset({"commercial.parties", "tax.contracting_entities"})

_OPENING = 6000
_SUFFIX = (
    r"(?:Inc\.?|Incorporated|Corp\.?|Corporation|L\.?L\.?C\.?|Ltd\.?|Limited|L\.?L\.?P\.?|L\.P\.|"
    r"LP|"
    # Mexican and Latin American forms run past "S.A.": "S.A. de C.V.", "S. de R.L. de C.V.".
    r"S\.A\.(?:P\.I\.)?[^\S\n]+de[^\S\n]+C\.V\.|S\.[^\S\n]?de[^\S\n]+R\.L\.(?:[^\S\n]+de[^\S\n]+C\.V\.)?|"
    r"P\.?L\.?C\.?|plc|GmbH|AG|SE|S\.A\.|S\.p\.A\.|B\.V\.|BV|N\.V\.|NV|Pty\.?[^\S\n]+Ltd\.?|"
    r"Pte\.?[ "
    r"\t]+Ltd\.?|"
    r"S\.A\.S\.|SAS|SARL|S\.à[^\S\n]?r\.l\.|AB|Oy|ApS|A/S|K\.K\.|Co\.,?[^\S\n]+Ltd\.?|Company|Co\.|"
    r"INC\.?|CORP\.?|CORPORATION|LIMITED|COMPANY|LTD\.?|ASA|AS|SA|SRL|S\.r\.l\.|KG|N\.A\.|DAC|ULC"
    r"|PLC|P\.C\.|PLLC|P\.A\.)"
)
_NAME_WORD = r"[A-Z0-9][\w&'’.-]*"
# A legal name ending in its legal form ("Kepler Maritime Americas Inc.").
LEGAL_NAME = re.compile(
    rf"(?P<name>(?:{_NAME_WORD}[^\S\n]+(?:(?:of|and|&|de|der|du|la)[^\S\n]+)?)"
    rf"{{0,6}}{_NAME_WORD},?[ "
    rf"\t]+{_SUFFIX})(?![\w])"
)
# The letterhead of an order confirmation: a legal name that starts one of its first lines.
_LETTERHEAD = 400
_LETTERHEAD_NAME = re.compile(rf"(?m)^[^\S\n]*{LEGAL_NAME.pattern}")
_DEFINED = re.compile(
    r"\(\s*(?:the\s+|each\s+a\s+|hereinafter\s+(?:referred\s+to\s+as\s+|called\s+)?)?"
    r"(?:\*\*)?[\"“”'‘’]{1,2}(?:\*\*)?(?P<term>[A-Z][\w "
    r".&-]{1,40}?)(?:\*\*)?[\"“”'‘’]{1,2}(?:\*\*)?"
    r"|\((?:\*\*)?(?P<bare>[A-Z][\w&-]{1,25}(?:[ ][A-Z][\w&-]{1,25})?)(?:\*\*)?\)"
    r"|[–-]?\s*hereinafter\s+(?:referred\s+to\s+as\s+|called\s+)?(?:the\s+)?[\"“”']{0,2}(?:\*\*)?"
    r"(?P<after>[A-Z][\w&-]{1,30})",
)
# A letter's parties, defined by the pronouns it then uses: 'Marchbank Analytics Limited ("we",
# "us")', 'Stillwater Outfitters, Inc. ("you")'.
_PRONOUN_DEFINED = re.compile(
    r"\(\s*[\"“”'‘’](?P<pronoun>we|us|you)[\"“”'‘’](?:\s*,\s*[\"“”'‘’](?:we|us|our|you|your)"
    r"[\"“”'‘’])*\s*(?:,\s*(?:and\s+)?[\"“”'‘’](?:our|your)[\"“”'‘’]\s*)?\)",
    re.IGNORECASE,
)
_PRONOUNS = frozenset({"we", "us", "you"})
# Where the text before a definition stops being about this party.
_BOUNDARY = re.compile(
    r"\b(?:by\s+and\s+between|between|among|and|with|by)\b|;|\n\s*\n|^\s*\d+\.\s|\b(?:between|and|parties)"
    r"\s*:|\)\s*,|\n(?=[^\S\n]*(?:\*\*)?[A-Za-z][A-Za-z ]{1,25}:)"
    # A numbered entry of a list of parties ("PARTIES\n(1) THORNBURY SYSTEMS LIMITED ...").
    # A numbered clause that opens with a party's name ("1.1 Northwind Ledger, Inc. (...").
    rf"|^[^\S\n]*(?=(?:\((?:\d{{1,2}}|[a-h])\)|\d{{1,2}}(?:\.\d{{1,2}})+\.?)"
    rf"[^\S\n]+(?-i:{LEGAL_NAME.pattern}))",
    re.IGNORECASE | re.MULTILINE,
)
# In DOCX and Markdown a line is a paragraph, so a line break also ends a party's entry;
# in PDF and plain text it is only where the line wrapped.
_PARAGRAPH = re.compile(r"\n")
# Where a name ends and its description begins.
_NAME_END = re.compile(
    r",\s+(?:org|company|registration|reg|abn|acn|vat|cin|crn|registered)\b|,\s+(?:a|an|the)(?:\s|$)|"
    r",\s*\d|\s+\(|,\s+(?:having|with|located|whose|incorporated|registered|organi[sz]ed"
    r"|of|acting|on\s+behalf)\b|\s+(?:of|at)\s+(?:\d|Level|Suite|Unit|Floor)|\s+(?:a|an)"
    r"\s+[A-Z][a-z]+\s+"
    r"(?:corporation|company|limited|nonprofit|not-for-profit|public|private|statutory|partnership)"
    r"|\s+(?:with|having|whose)\s+(?:its\s+)?(?:principal|registered|head|main)?\s*"
    r"(?:offices?|place\s+of\s+business|address|seat)\b"
    r"|\s+(?:ABN|ACN|CRN|EIN|VAT|org\.?\s*no\.?|company\s+(?:no\.?|number))\s"
)
_PROVIDES = (
    r"(?:provide|make\s+(?:the\s+)?(?:services|platform|software)|host|grant|deliver|perform|"
    r"implement|license"
    r"|maintain\s+(?:the\s+)?(?:services|platform))"
)
_PAYS = r"(?:pay|reimburse|remit)"
_LABEL = re.compile(
    r"[^\S\n]*(?:\*\*)?(?P<label>[A-Za-z][A-Za-z ]{1,25}?)(?:\*\*)?[^\S\n]*:(?:\*\*)?[^\S\n]*(?=\S)"
    # A role word before the name whose separator the PDF text lost: "Provider Maplewood Cloud Inc."
    r"|[^\S\n]*(?P<bare>(?i:customer|client|provider|supplier|vendor|licensor|licensee|subscriber))"
    r"[^\S\n]+(?=[A-Z])"
)
# Defined terms that name the document or a thing, not a party.
_DOCUMENT_TERMS = frozenset(
    [
        "agreement",
        "addendum",
        "amendment",
        "order",
        "order",
        "form",
        "dpa",
        "baa",
        "sow",
        "msa",
        "effective",
        "date",
        "services",
        "platform",
        "software",
        "schedule",
        "exhibit",
        "annex",
        "appendix",
        "principal",
        "agreement",
        "terms",
        "policy",
    ]
) | {"order form", "effective date", "principal agreement", "statement of work"}
_CAPITALISED = re.compile(r"^[A-Z0-9]")
_SUFFIX_TAIL = re.compile(rf",?\s+{_SUFFIX}\s*$")
# Words too common to stand for one party ("Services shall ...", "Group will ...").
_GENERIC_WORDS = frozenset(
    {
        "services",
        "service",
        "group",
        "holdings",
        "company",
        "international",
        "global",
        "systems",
        "solutions",
        "software",
        "technologies",
        "partners",
        "party",
        "parties",
        "agreement",
    }
)
_NAME_PARTICLES = frozenset({"of", "and", "&", "de", "der", "du", "la", "the", "van", "von"})
_SUFFIX_WORD = re.compile(rf"^{_SUFFIX},?$")
_NOT_A_NAME = re.compile(
    r"^(?:this|the|these|each|such|any|all|it|its|that|which|who|party|parties|agreement|company|"
    r"order|section|schedule|exhibit)\b|\b(?:section|clause|article|schedule|exhibit|annex)\s+\d",
    re.IGNORECASE,
)
# "CO 80205", "NSW 2000", "BC V6E": a region code before a postcode, or a UK postcode.
_POSTCODE = re.compile(
    r"\b(?P<region>[A-Z]{2,3})\s+(?P<code>\d{4,5}|[A-Z]\d[A-Z])\b"
    r"|(?P<uk>\b[A-Z]{1,2}\d[A-Z\d]?\s+\d[A-Z]{2}\b)"
)
_US = [
    "AL",
    "AK",
    "AZ",
    "AR",
    "CA",
    "CO",
    "CT",
    "DE",
    "FL",
    "GA",
    "HI",
    "ID",
    "IL",
    "IN",
    "IA",
    "KS",
    "KY",
    "LA",
    "ME",
    "MD",
    "MA",
    "MI",
    "MN",
    "MS",
    "MO",
    "MT",
    "NE",
    "NV",
    "NH",
    "NJ",
    "NM",
    "NY",
    "NC",
    "ND",
    "OH",
    "OK",
    "OR",
    "PA",
    "RI",
    "SC",
    "SD",
    "TN",
    "TX",
    "UT",
    "VT",
    "VA",
    "WA",
    "WV",
    "WI",
    "WY",
    "DC",
]
_REGION_CODES: dict[tuple[str, int], str] = {
    **{(state, 5): "US" for state in _US},
    **{(state, 4): "AU" for state in ("NSW", "VIC", "QLD", "WA", "SA", "TAS", "ACT", "NT")},
    **{
        (province, 3): "CA"
        for province in ("BC", "ON", "QC", "AB", "MB", "SK", "NS", "NB", "NL", "PE")
    },
}
_FORM_COUNTRIES = {
    "pty": "AU",
    "ptyltd": "AU",
    "gmbh": "DE",
    "bv": "NL",
    "nv": "NL",
    "pteltd": "SG",
    "oy": "FI",
    "ab": "SE",
    "aps": "DK",
    "spa": "IT",
    "sarl": "FR",
    "sas": "FR",
    "kk": "JP",
}
_FORM_COUNTRY = re.compile(
    r"\b(?:Pty\.?(?:\s+Ltd\.?)?|GmbH|B\.V\.|N\.V\.|Pte\.?\s+Ltd|Oy|AB|ApS|S\.p\.A\.|SARL|S\.A\.S\.|"
    r"K\.K\.)(?!\w)"
)
_LEADING_NOISE = re.compile(
    r"^(?:(?:THIS|This|AGREEMENT|Agreement|IS|MADE|BY|AND|BETWEEN|Between|WITH|AMONG|among|ENTERED|"
    r"INTO|DATED|AS|OF|the|THE)\s+)+"
)
# What a label's bracket adds about the party: "Reseller (bill to)", "End Customer (licensee)".
_QUALIFIER = r"(?:[^\S\n]*\([^()\n]{1,30}\))?"
_FIELD = re.compile(
    # A field opens a line or a cell, or, its label in capitals, follows a sentence: "1. Parties.
    # PROVIDER: Lumiar Systems, Inc., ... CUSTOMER: Transportadora Ipê Amarelo Ltda., ...".
    r"(?:^|\n|\||(?<=[.;][^\S\n])(?=(?-i:[A-Z]{3}[A-Z ]*[:])))[^\S\n]*(?:\*\*)?"
    r"(?P<label>end[^\S\n]+customer|end[^\S\n]+user|customer|client"
    r"|subscriber|licensee|buyer|provider|vendor|supplier|reseller|distributor"
    r"|licensor|service provider|seller|contractor|billed to|bill to|sold by|supplied by|sold to"
    r"|ship to|shipped to|invoice to)(?:[ "
    r"\t]+(?:legal|entity|company|full)(?:[^\S\n]+name)?|[^\S\n]+name)?"
    + _QUALIFIER
    # The label said again in a second language: "Customer / Client:", "Provider / Fournisseur:".
    + r"(?:[^\S\n]*/[^\S\n]*[^\W\d_][^\W\d_'’ -]{1,24}?)?"
    # A colon, a cell border, a tab or dot leaders ("Customer ........ Fairmont, P.C.").
    r"[^\S\n]*(?:[:|\t]|\.{3,}|…+)(?:\*\*)?[^\S\n]*(?P<name>[A-Z][^\n|;\t]{1,80})",
    re.IGNORECASE,
)

# A field that points elsewhere for the party ("Provider ...... see signature block",
# "Customer: as set out below") names none.
_REFERRAL = re.compile(
    r"^(?:see|refer(?:red)? to|as (?:set out|stated|shown|named|given|per|above|below)|per"
    r"|below|above|n/?a|tbd|tba|to be (?:confirmed|advised|agreed|named))\b",
    re.IGNORECASE,
)
_FIELD_LINE = re.compile(
    r"(?m)^[^\S\n]*(?P<label>(?i:end[^\S\n]+customer|end[^\S\n]+user|customer|client|subscriber"
    r"|licensee|buyer|provider|vendor|supplier|reseller|distributor|licensor|seller|billed to"
    r"|bill to))" + _QUALIFIER + r"[^\S\n]+(?P<name>[A-Z][^\n|;\t]{1,80})"
)
_CUSTOMER_TERMS = frozenset(
    {
        "customer",
        "client",
        "subscriber",
        "licensee",
        "buyer",
        "purchaser",
        "recipient",
        "controller",
        "covered entity",
    }
)
_PROVIDER_TERMS = frozenset(
    {
        "provider",
        "service provider",
        "vendor",
        "supplier",
        "licensor",
        "seller",
        "contractor",
        "consultant",
        "processor",
        "business associate",
    }
)


# Field labels of letters, quotes and invoices that are no defined name of a party.
_FIELD_ROLES: dict[str, PartyRole] = {
    **dict.fromkeys(
        ("bill to", "billed to", "sold to", "ship to", "shipped to", "invoice to"),
        PartyRole.CUSTOMER,
    ),
    **dict.fromkeys(("sold by", "supplied by"), PartyRole.PROVIDER),
    # A reseller's order: the end customer is licensed, the reseller billed for it.
    **dict.fromkeys(("end customer", "end user"), PartyRole.CUSTOMER),
    **dict.fromkeys(("reseller", "distributor"), PartyRole.OTHER),
}
# A table's header row ("Customer entity | State | Billing address | Users"): short cells, no
# figures; the cell after the label is a column name, not a party.
_HEADER_CELLS = 3


def _is_table_header(view: TextView, offset: int) -> bool:
    """Whether the line at ``offset`` is the header row of a table of three or more columns."""
    start, end = view.line(offset)
    cells = [cell for cell in split_cells(view.text[start:end]) if cell]
    if len(cells) < _HEADER_CELLS:
        return False
    return not any(char.isdigit() for char in view.text[start:end]) and all(
        len(cell.split()) <= 3 for cell in cells
    )


@dataclass
class _Party:
    name: str
    start: int
    end: int
    term: str | None = None
    country: str | None = None
    role: PartyRole = PartyRole.OTHER
    # Its label says it is neither customer nor provider (a reseller, a distributor).
    neither: bool = False


def role_of(term: str) -> PartyRole | None:
    """The role a defined name implies ("Customer" -> customer, "Vendor" -> provider)."""
    key = " ".join(term.lower().replace("the ", "").split())
    if key in _CUSTOMER_TERMS:
        return PartyRole.CUSTOMER
    if key in _PROVIDER_TERMS:
        return PartyRole.PROVIDER
    return None


def _clean_name(name: str) -> str:
    name = squash(_LEADING_NOISE.sub("", squash(name).strip("*_# ")))
    return name.strip(" ,;:*_")


def _tidy_name(raw: str) -> str:
    """A legal name without the address, registration or description written after it."""
    cut = _NAME_END.search(raw)
    name = _clean_name(raw[: cut.start()] if cut else raw)
    within = LEGAL_NAME.search(name)
    if within is not None and within.end() < len(name):
        name = name[: within.end()].strip(" ,")
    return name


def _name_before(
    view: TextView, definition_start: int, not_before: int = 0, term: str | None = None
) -> tuple[int, int] | None:
    """The party name that a "("Customer")" definition at ``definition_start`` belongs to.

    The name follows the last "between", "and", "with" ... before the definition that is
    followed by a name; a later one inside the description ("with its registered office",
    "England and Wales") is passed over.
    """
    text = view.text
    # A name never lies before the definition ahead of it ("Summit Ledger, Inc. ("Summit"), and
    # each customer entity ("Customer")": the second definition names no one).
    window_start = max(0, definition_start - 400, not_before)
    boundaries = [match.end() for match in _BOUNDARY.finditer(text, window_start, definition_start)]
    if view.document.media_type in (MediaType.DOCX, MediaType.MARKDOWN):
        boundaries += [m.end() for m in _PARAGRAPH.finditer(text, window_start, definition_start)]
    candidates = sorted(set(boundaries), reverse=True) or [window_start]
    for start in candidates[:6]:
        span = _name_at(view, start, definition_start)
        # A defined name that is no role word is taken from the party's name ("Ostara"), so a
        # name without it is an address or a place in the description.
        if span is not None and (
            term is None
            or role_of(term) is not None
            or _term_in_name(term, view.text[span[0] : span[1]])
        ):
            return span
    return None


_AFFILIATE_OF_CUSTOMER = re.compile(
    r"\baffiliate\s+of\s+(?:the\s+)?(?:customer|client|subscriber|licensee)\b", re.IGNORECASE
)
# A letterhead is the provider's own name; a line that speaks of the customer is no letterhead.
_ABOUT_THE_CUSTOMER = re.compile(r"\b(?:customer|client|subscriber|affiliate)s?\b", re.IGNORECASE)
# The number of a numbered clause that opens with a party's name ("1.1 Northwind Ledger, Inc.
# ("Northwind") will provide ...").
_CLAUSE_NUMBER = r"\d{1,2}(?:\.\d{1,2})*\.?[^\S\n]+(?=[A-Z])"
_CLAUSE_NUMBER_RX = re.compile(_CLAUSE_NUMBER)
# "(1) Stonegate Cloud Ltd", "(a) Acme Inc.": the number of a party in a list or of a clause, or
# the end of the sentence before it.
_ENUMERATOR = re.compile(rf"[\s.;,]*(?:\(?(?:\d{{1,2}}|[a-h]|[ivx]{{1,4}})\)\s+|{_CLAUSE_NUMBER})?")


# A street address ("2 Cathedral Square", "14 Harbour Road"): what follows a party's name and
# registration, never the name itself.
_STREET_ADDRESS = re.compile(
    r"[\s,]*\d{1,5}[A-Za-z]?(?:[^\S\n]+[A-Z][\w'.-]*){0,3}" + STREET_AFTER.pattern
)


def _name_at(view: TextView, start: int, definition_start: int) -> tuple[int, int] | None:
    """The name that starts at ``start`` and runs at most to the definition, if it is one."""
    text = view.text
    if _STREET_ADDRESS.match(text, start, definition_start):
        return None
    enumerator = _ENUMERATOR.match(text, start, definition_start)
    start = enumerator.end() if enumerator else start
    segment = text[start:definition_start]
    cut = _NAME_END.search(segment)
    name_end = start + (cut.start() if cut else len(segment))
    name_start, name_end = view.trim(start, name_end)
    name_start = _below_heading(view, name_start, name_end)
    name = text[name_start:name_end].strip(" ,;:*")
    if (
        not name
        or not _CAPITALISED.match(name)
        or len(name.split()) > 10
        or _NOT_A_NAME.search(name)
        or not _looks_like_a_name(name)
        or lookup(name) is not None  # "England and Wales": the boundary was inside a place
    ):
        return None
    return name_start, name_start + len(text[name_start:name_end].rstrip(" ,;:*"))


def _below_heading(view: TextView, start: int, end: int) -> int:
    """Where a name that runs over a line break starts: at its legal form's line, below a heading.

    A title ("QUOTE Q-2026-1187") on the line above a party's line is no part of its name; a
    short line followed by a longer one that opens with a whole legal name is such a heading.
    A name that wrapped is preceded by a full line, at least half as long as the one below.
    """
    text = view.text
    while (line_break := text.find("\n", start, end)) >= 0:
        above = text[view.line(start)[0] : line_break].strip()
        below_start, below_end = view.line(line_break + 1)
        below = text[below_start:below_end]
        opening = below_start + len(below) - len(below.lstrip())
        numbered = _CLAUSE_NUMBER_RX.match(text, opening, end)
        opening = numbered.end() if numbered else opening
        if LEGAL_NAME.match(text, opening, end) is None or len(above) * 2 > len(below.strip()):
            break
        start = opening
    return start


def _looks_like_a_name(name: str) -> bool:
    """Mostly capitalised words: "Foo Holdings plc", not "Wales under number 123456 whose"."""
    words_of_name = [word for word in name.split() if word.lower() not in _NAME_PARTICLES]
    capitalised = sum(1 for word in words_of_name if word[:1].isupper() or _SUFFIX_WORD.match(word))
    return capitalised * 3 >= len(words_of_name) * 2


@per_view
def _opening(view: TextView) -> tuple[list[_Party], frozenset[PartyRole]]:
    """The parties the opening defines, with their roles, and the roles it gives no name."""
    unnamed: set[PartyRole] = set()
    parties = _opening_parties(view, unnamed)
    _assign_roles(view, parties)
    return parties, frozenset(unnamed)


def _opening_parties(view: TextView, unnamed: set[PartyRole]) -> list[_Party]:
    text = view.text
    limit = min(len(text), _OPENING)
    found: list[_Party] = []
    previous_end = 0
    for defined in _DEFINED.finditer(text, 0, limit):
        term = (defined.group("term") or defined.group("bare") or defined.group("after")).strip()
        if term.lower() in _DOCUMENT_TERMS:
            continue
        # "Kepler Maritime Americas Inc., an Affiliate of Customer ("Ordering Affiliate")".
        affiliate = _AFFILIATE_OF_CUSTOMER.search(
            text, max(previous_end, defined.start() - 200), defined.start()
        )
        span = _name_before(view, defined.start(), previous_end, None if affiliate else term)
        previous_end = defined.end()
        if span is None:
            role = role_of(term)
            if role is not None:
                # "each customer entity that signs an Order Form ("Customer")": a role the
                # terms give no name.
                unnamed.add(role)
            continue
        label = _LABEL.match(text, span[0])
        name_start = label.end() if label else span[0]
        label_word = (label.group("label") or label.group("bare")) if label else None
        name = _tidy_name(text[name_start : span[1]])
        if not name:
            continue
        known_role = role_of(term) or (PartyRole.CUSTOMER if affiliate else None)
        if known_role is None and not _term_in_name(term, name):
            continue
        party = _Party(name=name, start=span[0], end=defined.end(), term=term)
        if label_word is not None and known_role is None:
            party.role = role_of(label_word) or PartyRole.OTHER
        party.country = country_near(text, span[0], defined.start())
        if not any(_key(existing.name) == _key(party.name) for existing in found):
            found.append(party)
        if len(found) == 4:
            break
    return found + _pronoun_parties(view, found)


def _pronoun_parties(view: TextView, found: list[_Party]) -> list[_Party]:
    """A letter's parties defined by pronouns, each the legal name written just before its
    definition, in the country of that name's address block or registration line."""
    text = view.text
    taken = {_key(party.name) for party in found}
    parties: list[_Party] = []
    if not view.mentions('"we"', '"you"', "“we”", "“you”", "'we'", "'you'"):
        return parties
    for defined in _PRONOUN_DEFINED.finditer(text, 0, min(len(text), _OPENING)):
        window_start = max(0, defined.start() - 160)
        # A name the text wrapped ("Marchbank\nAnalytics Limited") is read as one line.
        before = text[window_start : defined.start()].rstrip().replace("\n", " ")
        names = [match for match in LEGAL_NAME.finditer(before) if match.end() == len(before)]
        if not names:
            continue
        name = _clean_name(names[-1].group("name"))
        name_start, name_end = window_start + names[-1].start(), window_start + names[-1].end()
        if not name or _key(name) in taken:
            continue
        taken.add(_key(name))
        party = _Party(
            name=name, start=name_start, end=defined.end(), term=defined.group("pronoun").lower()
        )
        party.country = country_near(text, name_start, name_end) or _block_country(view, name)
        parties.append(party)
    return parties


# How many lines under a party's name its address may run.
_ADDRESS_LINES = 4


def _block_country(view: TextView, name: str) -> str | None:
    """The country of the address block or registration line a party's name heads elsewhere in
    the document ("Stillwater Outfitters, Inc.\n2700 Western Avenue ...\nUnited States",
    "Marchbank Analytics Limited - registered in England and Wales no. ...")."""
    text = view.text
    position = text.find(name)
    for _ in range(8):
        if position < 0:
            return None
        line_start, line_end = view.line(position)
        if not text[line_start:position].strip():
            end, lines = line_end, 0
            # A text rendering may set each line of the block apart with a blank line.
            while lines < _ADDRESS_LINES and end + 1 < len(text):
                next_start, next_end = view.line(end + 1)
                following = text[next_start:next_end]
                if not following.strip():
                    if next_end + 1 < len(text) and not text[next_end + 1 : next_end + 2].strip():
                        break  # two blank lines: the block has ended
                    end = next_end
                    continue
                if len(following) > 60 or LEGAL_NAME.search(following):
                    break
                end, lines = next_end, lines + 1
            country = country_near(text, position + len(name), end)
            if country is not None:
                return country
        position = text.find(name, position + len(name))
    return None


def _term_in_name(term: str, name: str) -> bool:
    words_of_name = set(re.findall(r"[a-z0-9]+", name.lower()))
    return bool(words_of_name) and all(
        word in words_of_name for word in re.findall(r"[a-z0-9]+", term.lower())
    )


def country_near(text: str, start: int, end: int) -> str | None:
    """The country a name's incorporation, address or legal form points to, if any."""
    places = list(find_places(text, start, end))
    countries = [place for place, _, _ in places if place.kind is PlaceKind.COUNTRY]
    if countries:
        return countries[-1].country
    if places:
        return places[0][0].country
    # The first postcode that names a region: "LLC 4201 Congress Street" is a street number.
    for postcode in _POSTCODE.finditer(text, start, end):
        if postcode.group("uk"):
            return "GB"
        region = postcode.group("region")
        digits = postcode.group("code")
        if (country := _REGION_CODES.get((region, len(digits)))) is not None:
            return country
    suffix = _FORM_COUNTRY.search(text, start, end)
    if suffix is not None:
        return _FORM_COUNTRIES[suffix.group(0).lower().replace(" ", "").replace(".", "")]
    return None


# "<defined name> is added as a Customer", "... shall become an additional Customer": a party
# an amendment or order joins to the customer's side.
_JOINED_AS = (
    r"[^\S\n]+(?:is|are|shall\s+be|will\s+be|is\s+hereby|shall\s+become|will\s+become|becomes"
    r"|joins)[^\S\n]+(?:(?:hereby|also)[^\S\n]+)?(?:added[^\S\n]+|joined[^\S\n]+)?"
    r"(?:as[^\S\n]+)?an?[^\S\n]+(?:additional[^\S\n]+|further[^\S\n]+|new[^\S\n]+)?"
    r"(?P<role>customer|client|subscriber|licensee)\b"
)


def joined_as(view: TextView, term: str) -> re.Match[str] | None:
    """Where the text joins the party defined as ``term`` to a side ("X is added as a Customer")."""
    pattern = re.compile(rf"\b{re.escape(term)}{_JOINED_AS}", re.IGNORECASE)
    return pattern.search(view.text)


def _term_pattern(term: str) -> str:
    """A defined name as a pattern; a pronoun in either case ("we shall provide", "You shall
    pay")."""
    escaped = re.escape(term)
    return f"(?i:{escaped})" if term.lower() in _PRONOUNS else escaped


def _assign_roles(view: TextView, parties: list[_Party]) -> None:
    for party in parties:
        role = role_of(party.term or "")
        if role is not None and party.role is PartyRole.OTHER:
            party.role = role
    for party in parties:
        if party.role is PartyRole.OTHER and party.term and joined_as(view, party.term):
            party.role = PartyRole.CUSTOMER
    unknown = [party for party in parties if party.role is PartyRole.OTHER and party.term]
    if not unknown:
        return
    # Who provides the service and who pays, from what each defined name "will" do.
    scores = {}
    for party in unknown:
        term = _term_pattern(party.term or "")
        # "Goldcrest provides the service", "Customer pays the fees": the present tense binds too.
        modal = r"(?:(?:shall|will|agrees\s+to)\s+)?"
        provides = len(re.findall(rf"\b{term}\s+{modal}{_PROVIDES}", view.text))
        pays = len(re.findall(rf"\b{term}\s+{modal}{_PAYS}", view.text))
        # Providing the service is what makes a provider; either side may pay something.
        scores[id(party)] = 2 * provides - pays
    if len(unknown) == 2 and PartyRole.PROVIDER not in {party.role for party in parties}:
        first, second = unknown
        if scores[id(first)] != scores[id(second)]:
            provider, customer = (
                (first, second) if scores[id(first)] > scores[id(second)] else (second, first)
            )
            provider.role, customer.role = PartyRole.PROVIDER, PartyRole.CUSTOMER
    elif len(unknown) == 1 and scores[id(unknown[0])] != 0:
        unknown[0].role = PartyRole.PROVIDER if scores[id(unknown[0])] > 0 else PartyRole.CUSTOMER
    roles = {party.role for party in parties}
    if len(parties) == 2:
        still = [party for party in parties if party.role is PartyRole.OTHER]
        if len(still) == 1 and PartyRole.CUSTOMER in roles:
            still[0].role = PartyRole.PROVIDER
        elif len(still) == 1 and PartyRole.PROVIDER in roles:
            still[0].role = PartyRole.CUSTOMER


@per_view
@per_view
def defined_roles(view: TextView) -> dict[str, PartyRole]:
    """Defined names of the parties (lower case) and generic role words, mapped to roles."""
    parties, _ = _opening(view)
    roles: dict[str, PartyRole] = dict.fromkeys(_CUSTOMER_TERMS, PartyRole.CUSTOMER)
    roles.update(dict.fromkeys(_PROVIDER_TERMS, PartyRole.PROVIDER))
    for party in parties:
        if party.term and party.role is not PartyRole.OTHER:
            roles[party.term.lower()] = party.role
    return roles


def _fields(view: TextView) -> list[re.Match[str]]:
    """ "Customer: Beta Ltd" fields, and "Customer Beta Ltd" lines whose separator was lost."""
    limit = min(len(view.text), _OPENING)
    found = list(_FIELD.finditer(view.text, 0, limit))
    for match in _FIELD_LINE.finditer(view.text, 0, limit):
        if LEGAL_NAME.match(match.group("name")):
            found.append(match)
    return [match for match in found if not _is_table_header(view, match.start("name"))]


# The next field on the same line: "PROVIDER: Lumiar Systems, Inc., ... USA. CUSTOMER: ...".
_NEXT_FIELD = re.compile(r"(?<=[.;][^\S\n])[A-Z]{3}[A-Z ]*:")


def _entry_end(view: TextView, field: re.Match[str]) -> int:
    """Where a field's entry ends: its line, and the next if the address wrapped onto it."""
    end = view.line(field.start("name"))[1]
    next_field = _NEXT_FIELD.search(view.text, field.end("name") - 1, end)
    if next_field is not None:
        return next_field.start()
    if end + 1 >= len(view.text):
        return end
    next_start, next_end = view.line(end + 1)
    following = view.text[next_start:next_end]
    if not following.strip() or _FIELD.match("\n" + following) or _LABEL.match(following):
        return end
    return next_end


def _key(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.lower())


def name_key(name: str) -> str:
    """A party name folded for comparison ("Acme, Inc." and "ACME INC" are the same)."""
    return _key(name)


def _letterhead(view: TextView, parties: list[_Party]) -> None:
    """A customer's order that names no provider: the company in its letterhead provides it."""
    if not parties or any(party.role is not PartyRole.CUSTOMER for party in parties):
        return
    text = view.text
    head = min(len(text), _LETTERHEAD)
    taken = {_key(party.name) for party in parties}
    for match in _LETTERHEAD_NAME.finditer(text, 0, head):
        name = _tidy_name(match.group("name"))
        line_start, line_end = view.line(match.start("name"))
        line = text[line_start:line_end]
        # A row of a table or a labelled field ("Customer<TAB>Marlowe & Finch LLP") is no
        # letterhead: the letterhead is the provider's own name.
        if (
            _key(name) in taken
            or is_delimited(line)
            or _LABEL.match(line)
            or _ABOUT_THE_CUSTOMER.search(line)
        ):
            continue
        party = _Party(
            name=name,
            start=match.start("name"),
            end=match.end("name"),
            role=PartyRole.PROVIDER,
            country=country_near(text, match.start("name"), line_end),
        )
        parties.append(party)
        return


@per_view
def known_parties(view: TextView) -> list[_Party]:
    """Every party of the document with its role: defined in the opening or named in a field."""
    opening, unnamed = _opening(view)
    parties: list[_Party] = list(opening)
    by_key = {_key(party.name): party for party in parties}
    for match in _fields(view):
        raw = match.group("name")
        name = _tidy_name(raw)
        label = match.group("label").lower()
        role = _FIELD_ROLES.get(" ".join(label.split())) or role_of(label)
        if not name or role is None or not re.search(r"[A-Za-z]{2}", name) or _REFERRAL.match(name):
            continue
        existing = by_key.get(_key(name)) or next(
            (party for party in parties if party.term and _key(party.term) == _key(name)), None
        )
        if existing is not None:
            if existing.role is PartyRole.OTHER:
                existing.role = role
            continue
        if " ".join(label.split()) in _FIELD_ROLES and not LEGAL_NAME.search(name):
            # "Bill to: Accounts Payable, same address": a department or a contact of a party
            # already named; a further entity billed or shipped to is named by its legal form.
            continue
        party = _Party(
            name=name,
            start=match.start("name"),
            end=match.start("name") + len(raw),
            role=role,
            neither=role is PartyRole.OTHER,
        )
        party.country = country_near(view.text, match.start("name"), _entry_end(view, match))
        by_key[_key(name)] = party
        parties.append(party)
    _letterhead(view, parties)
    customers = [party for party in parties if party.role is PartyRole.CUSTOMER]
    others = [party for party in parties if party.role is PartyRole.OTHER and not party.neither]
    if (
        (len(customers) == 1 or (not customers and PartyRole.CUSTOMER in unnamed))
        and len(others) == 1
        and not any(p.role is PartyRole.PROVIDER for p in parties)
    ):
        # The one other party of a customer's contract, or of terms written for "each
        # customer entity ("Customer")", is the one providing the service.
        others[0].role = PartyRole.PROVIDER
    return parties


def name_keys(view: TextView) -> dict[str, PartyRole]:
    """``defined_roles`` plus each party's name and its last distinctive word ("the District")."""
    keys = dict(defined_roles(view))
    for party in known_parties(view):
        if party.role is PartyRole.OTHER:
            continue
        plain = _SUFFIX_TAIL.sub("", party.name).strip(" ,")
        named = [word for word in re.findall(r"[A-Za-z][\w&'-]*", plain) if len(word) >= 4]
        for key in (plain.lower(), named[-1].lower() if named else ""):
            if key and key not in _GENERIC_WORDS:
                keys.setdefault(key, party.role)
    return keys


def extract(view: TextView) -> list[Hit]:
    """Party and contracting-entity hits."""
    parties = known_parties(view)
    hits: list[Hit] = []
    for party in parties:
        value = Party(name=party.name, role=party.role, country=party.country)
        confidence = PRECISE_WORDING if party.term else KEPT_BY_CONTEXT
        for path in CHECKS:
            hits.append(view.hit(path, value, party.start, party.end, confidence, exact=True))
    return hits + entity_hits(view)


# ---- Customer entities beyond the signatories of the opening -------------------------------
# "Kepler Maritime Americas Inc., an Affiliate of Kepler Maritime B.V., signs this Order Form
# as an additional Customer" makes a party and a contracting entity; a table whose header
# names an "Entity" column ("Billing entity | Country | Tax ID | Currency") lists the entities
# that are invoiced, each a contracting entity on the customer's side with its country.

# "..., signs this Order Form as an additional Customer", "shall receive the Services as an
# additional Customer", "shall become a Customer under this Agreement".
_ADDITIONAL = words(
    r"\b(?:as an? (?:additional|further|separate|new) (?:customer|party|client|subscriber)"
    r"|(?:shall|will) (?:also )?become an? (?:additional )?(?:customer|party|client) )"
)
_ENTITY_HEADER = re.compile(
    # A first column may number or letter the rows ("No.", "#", "Ref", or no heading at all).
    r"^[\s|]*(?:(?:no\.?|#|ref\.?|sr\.?[^\S\n]*no\.?|line)[^\S\n]*[|\t][\s|]*"
    r"|(?:no\.?|#|ref\.?|sr\.?[^\S\n]*no\.?)[^\S\n]+)?"
    r"(?P<entity>(?:(?:billing|legal|customer|contracting|invoiced|participating)\s+)?entit(?:y|ies)"
    r"\b(?:\s+name)?)[\s|\t]",
    re.IGNORECASE,
)
# The mark of a row before its entity's name in text with no cells ("A Maison Lavandier SAS").
_CELL_SEPARATOR = re.compile(r"[^\S\n]*(?:\||\t)[^\S\n]*")
_ROW_MARK = re.compile(r"^(?:[A-Z]|\d{1,2})[.)]?[^\S\n]+(?=[A-Z0-9])")
# Running text after the table: a long line that ends a sentence.
_PROSE = re.compile(r"^.{60,}[.;]\s*$")
_MAX_WRAP = 4


@dataclass(frozen=True)
class TableEntity:
    """An entity read from a row of a billing-entity table, with the row's country."""

    name: str
    country: str | None
    start: int
    end: int


@per_view
def added_customers(view: TextView) -> list[tuple[Party, int, int]]:
    """Entities the text adds as customers, with the span that adds them; found once."""
    found: list[tuple[Party, int, int]] = []
    text = view.text
    keys = ("additional", "further", "separate", "become")
    for match in view.finditer(_ADDITIONAL, keys, before=20, after=60):
        sentence_start, _ = view.sentence(match.start(), match.end())
        names = list(LEGAL_NAME.finditer(text, sentence_start, match.start()))
        if not names:
            continue
        name = names[0]  # the subject of the sentence, not the parent it is an affiliate of
        # Its own description only, not that of the parent named after it.
        described_end = names[1].start() if len(names) > 1 else match.start()
        listed = {name_key(entity.name): entity.country for entity in table_entities(view)}
        country = listed.get(name_key(name.group("name"))) or country_near(
            text, name.start(), described_end
        )
        value = Party(name=squash(name.group("name")), role=PartyRole.CUSTOMER, country=country)
        found.append((value, name.start(), match.end()))
    # A party the opening defined ("Alcázar México"), joined to the customer's side by its
    # defined name: "Alcázar México is added as a Customer under the Order Form".
    for party in known_parties(view):
        joined = joined_as(view, party.term) if party.term else None
        if joined is None or role_of(party.term or "") is not None:
            continue
        value = Party(name=party.name, role=PartyRole.CUSTOMER, country=party.country)
        if not any(name_key(other.name) == name_key(party.name) for other, _, _ in found):
            found.append((value, joined.start(), joined.end()))
    return found


def _additional(view: TextView) -> list[Hit]:
    """Hits for the entities the text adds as customers: parties and contracting entities."""
    return [
        view.hit(path, value, start, end, KEPT_BY_CONTEXT)
        for value, start, end in added_customers(view)
        for path in CHECKS
    ]


def _row_country(view: TextView, start: int, end: int) -> str | None:
    for place, _, _ in find_places(view.text, start, end):
        return place.country
    return None


def table_entities(view: TextView) -> list[TableEntity]:
    """The entities listed in billing-entity tables, found once per document."""
    found: list[TableEntity] = []
    text = view.text
    for line_start, line_end in view.lines_with(("entit",)):
        header = text[line_start:line_end]
        match = _ENTITY_HEADER.match(header)
        if len(header) > 200 or match is None:
            continue
        tabular = is_delimited(header)
        column = _column(header[: match.start("entity")]) if tabular else 0
        found.extend(_rows(view, line_end, tabular, column))
    return found


def _column(before: str) -> int:
    """The index of the cell that starts after ``before``, a header's text up to it; a blank
    first cell counts (a row's first cell marks it: "A", "1")."""
    inner = before.lstrip(" ")
    inner = inner[1:] if inner.startswith("|") else inner
    return len(_CELL_SEPARATOR.findall(inner))


def _rows(view: TextView, header_end: int, tabular: bool, column: int = 0) -> list[TableEntity]:
    """Entity names of the rows under a header; in PDF text a name may wrap over lines."""
    text = view.text
    rows: list[TableEntity] = []
    block_start: int | None = None
    wrapped = 0
    for line_start, line_end in view.lines_after(header_end + 1):
        line = text[line_start:line_end]
        if not line.strip() or len(line) > MAX_LINE:
            break
        if set(line.strip()) <= set("|-:=+ \t"):
            continue
        if not tabular and _PROSE.search(line.strip()):
            break  # running text again
        if tabular:
            cells = split_cells(line)
            cell = cells[column].strip() if column < len(cells) else ""
            name = LEGAL_NAME.fullmatch(cell) if cell else None
            if name is None:
                break
            cell_end = line.find(cell) + len(cell)
            country = _row_country(view, line_start + cell_end, line_end)
            rows.append(TableEntity(squash(cell), country, line_start, line_end))
            continue
        row_start = line_start if block_start is None else block_start
        block = text[row_start:line_end]
        name = LEGAL_NAME.search(_ROW_MARK.sub("", squash(block)))
        if name is None:
            block_start = row_start
            wrapped += 1
            if wrapped > _MAX_WRAP:
                break
            continue
        block_start, wrapped = None, 0
        # The country may be on the lines the name wrapped over or the one after.
        after = min(len(text), line_end + 1 + 60)
        country = _row_country(view, row_start, after)
        rows.append(TableEntity(squash(name.group("name")), country, row_start, line_end))
    return rows


def entity_hits(view: TextView) -> list[Hit]:
    """Customer entities added by the text or listed in a table of billing entities."""
    hits = _additional(view)
    signatories = {name_key(party.name) for party in known_parties(view)}
    for entity in table_entities(view):
        if name_key(entity.name) in signatories:
            continue
        value = Party(name=entity.name, role=PartyRole.CUSTOMER, country=entity.country)
        hits.append(
            view.hit(
                "tax.contracting_entities", value, entity.start, entity.end, INFERRED, exact=True
            )
        )
    return hits
