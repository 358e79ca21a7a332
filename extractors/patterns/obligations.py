"""Obligations with a deadline: who (provider / customer) must do what, by when, recurring or not.

Only commitments with a time element are taken ("Customer shall pay each invoice within
sixty (60) days of the invoice date"); an undated "shall" is a term, not an onboarding task.
"""

from __future__ import annotations

import re

from extractors.facts import Obligation, PartyRole
from extractors.patterns.core import Hit, TextView, squash, words
from extractors.patterns.dates import DATE, DATE_RE, DURATION, date_from_match
from extractors.patterns.parties import defined_roles

CHECKS = frozenset({"obligations"})

_MODAL = re.compile(
    r"(?P<who>\b[A-Z][\w&'’.-]*(?:[^\S\n]+[A-Z][\w&'’.-]*){0,3})\s+"
    r"(?:shall|will|must|agrees\s+to|is\s+required\s+to|undertakes\s+to|is[ "
    r"\t\n]+responsible\s+for)"
    r"(?:\s+(?:promptly|also|then|thereafter|use\s+commercially\s+reasonable[ "
    r"\t\n]+efforts\s+to)){0,2}"
    r"\s+(?P<action>(?!not\b|be\s+(?:deemed|entitled|liable|responsible\s+for[ "
    r"\t\n]+any))[a-z][^.;]{4,240})"
)
_DEADLINE = words(
    rf"\b(?:within|no later than|not later than|at least|in no event later than|for) (?:the "
    rf")?(?:first )?"
    rf"{DURATION}(?: (?:after|of|from|following|before|prior to|upon|preceding)[^.;,]{{0,60}})?"
    rf"|\b(?:by|on or before|no later than|not later than|before|on) (?:the )?(?={DATE})"
    r"|\b(?:every|each) (?:monday|tuesday|wednesday|thursday|friday|week|month|quarter|year|"
    r"calendar month|business day)"
    r"(?: (?:until|through|during)[^.;,]{0,40})?"
    r"|\b(?:weekly|monthly|quarterly|annually|daily)\b(?: (?:until|through|during)[^.;,]{0,40})?"
    r"|\b(?:prior to|before) (?:the )?(?:go-live|kickoff|kick-off|launch|effective date|start date)"
)
_RECURRING = re.compile(
    r"\b(?:every|each)\s+(?:[\w-]+\s+){0,2}?(?:monday|tuesday|wednesday|thursday|friday|week"
    r"|month|quarter|year|invoice|report|release|renewal|incident|calendar\s+month|business\s+day)"
    r"s?\b"
    r"|\b(?:weekly|monthly|quarterly|annually|daily|on\s+an?\s+(?:weekly|monthly|quarterly|annual)"
    r"\s+basis)\b",
    re.IGNORECASE,
)
_LEAD_WORDS = re.compile(r"^(?:promptly|also|then|thereafter)\s+", re.IGNORECASE)


def _party(view: TextView, who: str) -> PartyRole | None:
    roles = defined_roles(view)
    key = " ".join(who.lower().split())
    for candidate in (key, key.split()[-1]):
        if candidate in roles:
            return roles[candidate]
    return None


def extract(view: TextView) -> list[Hit]:
    """Dated obligations of the provider or the customer."""
    hits: list[Hit] = []
    text = view.text
    for match in _MODAL.finditer(text):
        party = _party(view, match.group("who"))
        if party is None or party is PartyRole.OTHER:
            continue
        action_start, action_end = match.span("action")
        deadlines = list(_DEADLINE.finditer(text, action_start, action_end))
        if not deadlines:
            continue
        # The last time phrase is the deadline; an earlier one ("a weekly report") is part of
        # what is to be done.
        deadline = deadlines[-1]
        action = squash(
            text[action_start : deadline.start()]
            if deadline.start() > action_start + 8
            else text[action_start:action_end]
        )
        action = _LEAD_WORDS.sub("", action).strip(" ,")
        if len(action) < 5:
            continue
        due_relative: str | None = squash(deadline.group(0)).strip(" ,")
        due_date = None
        date_match = DATE_RE.search(text, deadline.start(), min(action_end, deadline.end() + 40))
        if date_match is not None and date_match.start() - deadline.end() <= 2:
            due_date = date_from_match(date_match)
            if due_date is not None:
                due_relative = None
        recurring = bool(_RECURRING.search(text, match.start(), action_end))
        value = Obligation(
            party=party,
            action=action[:200],
            due_date=due_date,
            due_relative=due_relative,
            recurring=recurring,
        )
        start, end = view.sentence(match.start(), action_end)
        hits.append(Hit("obligations", value, start, end, 0.6))
    return hits
