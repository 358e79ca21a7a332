"""Customer entities beyond the signatories of the opening: affiliates added as customers and
the rows of a table of billing entities.

"Kepler Maritime Americas Inc., an Affiliate of Kepler Maritime B.V., signs this Order Form
as an additional Customer" makes a party and a contracting entity; a table whose header
names an "Entity" column ("Billing entity | Country | Tax ID | Currency") lists the entities
that are invoiced, each a contracting entity on the customer's side with its country.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from extractors.facts import Party, PartyRole
from extractors.patterns.confidence import INFERRED, KEPT_BY_CONTEXT
from extractors.patterns.core import MAX_LINE, Hit, TextView, per_view, squash, words
from extractors.patterns.parties import (
    LEGAL_NAME,
    country_near,
    joined_as,
    known_parties,
    name_key,
    role_of,
)
from extractors.patterns.places import find_places
from extractors.patterns.tables import is_delimited, split_cells

CHECKS = frozenset({"commercial.parties", "tax.contracting_entities"})

# "..., signs this Order Form as an additional Customer", "shall receive the Services as an
# additional Customer", "shall become a Customer under this Agreement".
_ADDITIONAL = words(
    r"\b(?:as an? (?:additional|further|separate|new) (?:customer|party|client|subscriber)"
    r"|(?:shall|will) (?:also )?become an? (?:additional )?(?:customer|party|client) )"
)
_ENTITY_HEADER = re.compile(
    r"^[\s|]*(?:(?:billing|legal|customer|contracting|invoiced|participating)\s+)?entit(?:y|ies)\b"
    r"(?:\s+name)?[\s|\t]",
    re.IGNORECASE,
)
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
        if len(header) > 200 or not _ENTITY_HEADER.match(header):
            continue
        tabular = is_delimited(header)
        found.extend(_rows(view, line_end, tabular))
    return found


def _rows(view: TextView, header_end: int, tabular: bool) -> list[TableEntity]:
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
            name = LEGAL_NAME.fullmatch(cells[0].strip()) if cells else None
            if name is None:
                break
            country = _row_country(view, line_start + len(cells[0]), line_end)
            rows.append(TableEntity(squash(cells[0]), country, line_start, line_end))
            continue
        row_start = line_start if block_start is None else block_start
        block = text[row_start:line_end]
        name = LEGAL_NAME.search(squash(block))
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


def extract(view: TextView) -> list[Hit]:
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
