"""Principal obligations: who (provider / customer) must do what, by when, recurring or not.

A principal obligation is a commitment with a deadline or a rhythm that someone has to act
on after signature: "Customer shall pay each invoice within sixty (60) days of the invoice
date", "Provider will deliver its SOC 2 report within 30 days of issuance", "Customer will
(a) provide credentials within five business days after kickoff; (b) deliver the data
extract by April 1, 2024". Not taken: duties without a time ("shall comply with laws"),
rights ("will receive a credit", "may audit"), billing mechanics ("will invoice annually"),
remedies (service credits, penalties), service-level response times (a fact of their own),
definitions and recitals.

One sentence gives one obligation per enumerated item ("(a) ...; (b) ..."); of verbs joined
in one sentence ("shall obtain a report annually and shall deliver it within 30 days") the
one with the firmest deadline is taken. Payment stated without a subject ("Invoices are
payable within 45 days") is the customer's obligation to pay.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from extractors.facts import Obligation, PartyRole
from extractors.patterns.confidence import BARE_MENTION, BORROWED
from extractors.patterns.core import (
    ITEM_LABEL,
    MAX_MATCHES,
    Hit,
    TextView,
    follows_label,
    squash,
    words,
)
from extractors.patterns.dates import DATE, DATE_RE, DURATION, MONTH, date_from_match
from extractors.patterns.numbers import NUMBER
from extractors.patterns.parties import name_keys

CHECKS = frozenset({"obligations"})

# A full stop that ends the sentence; others ("Inc. under", "U.S.", "3.2 TB") do not.
_FULL_STOP = re.compile(r"\.(?=\s+[A-Z0-9(\"“•-]|\s*$)")
_MODAL = re.compile(
    r"(?P<who>\b[A-Z][\w&'’.-]*(?:[^\S\n]+[A-Z][\w&'’.-]*){0,3}|\b[Tt]he[^\S\n]+[a-z]{3,20})\s+"
    r"(?:shall|will|must|agrees\s+to|is\s+required\s+to|undertakes\s+to|is[ "
    r"\t\n]+responsible\s+for)"
    r"(?:\s+(?:promptly|also|then|thereafter|use\s+commercially\s+reasonable[ "
    r"\t\n]+efforts\s+to)){0,2}"
    # Only where the act starts: its end is found afterwards, so that one long act cannot
    # swallow the next sentence's subject.
    r"\s+(?=(?!not\b|be\s+(?:deemed|entitled|liable|responsible\s+for[ \t\n]+any))"
    r"(?:\(?[a-z0-9]{1,4}\)\s+)?[a-z])"
)
# How far an act (with its enumerated items) may run.
_ACT = re.compile(r"[^;]{4,400}(?:;[^;]{0,300}){0,5}")
_ANCHOR = r"(?: (?:after|of|from|following|before|prior to|upon|preceding)[^.;,]{0,60})?"
_FREQUENCY_WORD = r"(?:weekly|monthly|quarterly|annually|yearly|daily|fortnightly)"
_DEADLINE = words(
    # Within a period: "within thirty (30) days after termination".
    rf"\b(?P<within>(?:within|no later than|not later than|in no event later than|in any event"
    rf" within) (?:the )?(?:first )?{DURATION}){_ANCHOR}"
    # Advance notice: "at least thirty (30) days before", "at least 30 days' notice".
    rf"|\b(?P<ahead>at least {DURATION})(?=['’]?s? (?:prior )?(?:written )?notice\b|"
    rf" (?:before|prior to|in advance|preceding)\b){_ANCHOR}"
    # A window after an event: "for thirty (30) days after termination".
    rf"|\bfor (?P<window>{DURATION}) (?:after|following|from)[^.;,]{{0,60}}"
    # A date: "by April 1, 2024", "no later than January 31 of each year".
    rf"|\b(?P<dated>(?:by|on or before|no later than|not later than|before|on)) (?:the )?"
    rf"(?=(?:{DATE}|{MONTH} \d{{1,2}}\b|\d{{1,2}} {MONTH}))"
    rf"(?:[^.;,]{{0,30}}?\b(?:of each|every|each) (?:calendar )?(?:year|month|quarter))?"
    # A rhythm: "every Friday until Go-Live", "every two weeks", "once per contract year".
    rf"|\b(?P<every>(?:every|each) (?:other |{NUMBER} )?(?:monday|tuesday"
    r"|wednesday|thursday|friday|weeks?|months?|quarters?|years?|calendar months?"
    r"|calendar quarters?|business days?|days?|hours?))(?: (?:until|through|during)[^.;,]{0,40})?"
    r"|\b(?P<once>once (?:per|a|every|each|in each) (?:contract |calendar )?(?:year|month|quarter))"
    rf"|\b(?P<rhythm>(?:at least )?{_FREQUENCY_WORD})\b(?: (?:until|through|during)[^.;,]{{0,40}})?"
    r"|\b(?P<event>(?:prior to|before) (?:the )?(?:go-live|kickoff|kick-off|launch|effective date"
    r"|start date|first invoice|commencement date))"
)
# A frequency word is a time only when it qualifies the act or a deliverable ("a weekly
# report", "test it annually."), not a noun after a preposition ("for daily payment files").
_AFTER_FREQUENCY = re.compile(
    r"\s*(?:$|[,.;:)]|(?:in|until|through|during|thereafter|and|or|at|on|basis|for|by|to|with)\b)",
    re.IGNORECASE,
)
_ARTICLE_BEFORE = re.compile(r"\b(?:a|an)\s+$", re.IGNORECASE)
# What a rhythm can qualify as a deliverable: "a weekly status report", "a monthly backup".
_DELIVERABLE_AFTER = re.compile(
    r"\s+(?:[\w-]+\s+){0,2}?(?:reports?|summar(?:y|ies)|statements?|updates?|backups?|scans?"
    r"|tests?|reviews?|reconciliations?|certificates?|audits?|analys[ie]s)\b",
    re.IGNORECASE,
)
_STRENGTH = {"within": 3, "dated": 3, "window": 3, "ahead": 2, "event": 2, "adjective": 0}
_RHYTHMS = frozenset({"every", "once", "rhythm", "adjective"})
_RECURRING = re.compile(
    r"\b(?:every|each)\s+(?:[\w-]+\s+){0,2}?(?:monday|tuesday|wednesday|thursday|friday|week"
    r"|month|quarter|year|invoice|report|release|renewal|audit|payment|anniversary|period"
    r"|calendar\s+month|business\s+day|update|version|milestone|sprint)s?\b"
    r"|\b(?:weekly|monthly|quarterly|annually|yearly|daily|fortnightly|annual|biweekly"
    r"|on\s+an?\s+(?:weekly|monthly|quarterly|annual|yearly)\s+basis"
    r"|once\s+(?:per|a|every|each|in\s+each)\s+(?:contract\s+|calendar\s+)?(?:year|month|quarter))\b",
    re.IGNORECASE,
)
# Rights, billing mechanics, remedies and service-level responses are not principal duties.
_NOT_A_DUTY = re.compile(
    r"^(?:invoice|bill|charge|credit|refund|receive|respond|acknowledge|resolve|have|be\b|use\b"
    r"|pay\s+(?:a|the|any)\s+(?:contractual\s+)?(?:penalty|penalties|liquidated|service\s+credit)"
    r"|comply|act\b|remain|continue|keep\b|maintain\b|escalate)",
    re.IGNORECASE,
)
# Remedies, and service levels (availability, severity handling), which are facts of their own.
_PENALTY = re.compile(
    r"\b(?:penalt\w+|liquidated\s+damages|service\s+credits?)\b|\bavailable\b[^.;]{0,30}?\d{2}"
    r"(?:\.\d+)?\s*%|\b(?:severity|priority|sev)\s*[1-4]\b",
    re.IGNORECASE,
)
# Filler between an act and its deadline: "notify Customer without undue delay, and in any event".
_FILLER = re.compile(
    r"(?:[,\s]+(?:without\s+(?:undue|unreasonable)\s+delay|as\s+soon\s+as\s+(?:reasonably\s+)?"
    r"(?:practicable|possible)|promptly|immediately)(?:[,\s]+(?:and|but))?)?"
    r"(?:[,\s]+(?:in\s+(?:any|no)\s+(?:event|case)|at\s+the\s+latest|and|or|but))?"
    r"(?:[,\s]+(?:at\s+least|no\s+later\s+than|not\s+later\s+than))?[,\s]*$",
    re.IGNORECASE,
)
_NEXT_CLAUSE = re.compile(
    r",\s*(?:and|but|or|which|in\s+which\s+case)\b|\s+and\s+(?:[A-Z][\w'’]*\s+){1,3}"
    r"(?:may|shall|will|must)\b"
)
_POSSESSIVE = re.compile(r"^\s*['’]s?")
_LEAD_WORDS = re.compile(r"^(?:promptly|also|then|thereafter)\s+", re.IGNORECASE)
# "(a) provide ...; (b) deliver ...; and (c) make ..."
_ITEM_START = re.compile(rf"\(?{ITEM_LABEL}\)\s+")
_ITEM_NEXT = re.compile(rf"(?:[;,]\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+)\({ITEM_LABEL}\)\s+")
# "... and shall deliver ...", ", and will notify ...": a second verb with its own modal.
_CONJUNCT = re.compile(
    r"(?:,\s*(?:and\s+|but\s+)?|\s+(?:and|but)\s+)(?:shall|will|must)\s+(?:also\s+)?", re.IGNORECASE
)
_RECITAL = re.compile(r"\s*(?:whereas|recitals?)\b", re.IGNORECASE)
_DEFINITION = re.compile(r"[\"”]\s+(?:means|shall\s+mean)\b", re.IGNORECASE)
_INVOICE = re.compile(r"\binvoice|\bbill", re.IGNORECASE)
_PAY = re.compile(r"^(?:pay|remit)\b", re.IGNORECASE)
_PASSIVE_PAYMENT = words(
    rf"\b(?:invoices?|fees|amounts|charges|payments?)\b[^.;]{{0,80}}?\b(?:are|is|shall be|will be"
    rf"|becomes?)? ?(?:due|payable)(?: and payable)?(?: in full)?[^.;\d]{{0,30}}?"
    rf"\b(?P<due>(?:within|net) {DURATION}(?: (?:of|from|after|following) [^.;,]{{0,50}})?)"
    rf"|\bpayment (?:is )?due (?P<due2>(?:within |net )?{DURATION}(?: (?:of|from|after|following)"
    rf" [^.;,]{{0,50}})?)"
    rf"|\bpayment (?:is )?due (?P<due3>net ?\d{{1,3}})\b"
    rf"|\bpayment terms?[^\S\n]*[:|\t]?[^\S\n]*(?P<due4>net (?:{DURATION}|\d{{1,3}})"
    rf"(?: (?:of|from|after|following) [^.;,\n]{{0,50}})?)"
)
_PAYMENT_KEYS = ("payable", "due", "payment term")


@dataclass(frozen=True)
class _Due:
    """A deadline phrase in the text and how firm it is."""

    start: int
    end: int
    kind: str
    text: str

    @property
    def strength(self) -> int:
        return _STRENGTH.get(self.kind, 1)


def _party(view: TextView, who: str) -> PartyRole | None:
    roles = name_keys(view)
    key = " ".join(who.lower().split())
    for candidate in (key, key.split()[-1]):
        if candidate in roles:
            return roles[candidate]
    return None


def _deadlines(view: TextView, start: int, end: int) -> list[_Due]:
    text = view.text
    found: list[_Due] = []
    for match in _DEADLINE.finditer(text, start, end):
        kind = next(name for name, value in match.groupdict().items() if value)
        if kind == "rhythm":
            after = _AFTER_FREQUENCY.match(text, match.end("rhythm"))
            article = _ARTICLE_BEFORE.search(
                text, max(start, match.start() - 4), match.start()
            ) and _DELIVERABLE_AFTER.match(text, match.end("rhythm"))
            if after is None and not article:
                continue
            if after is None:
                # "a weekly status report": the rhythm of the deliverable, part of the act.
                kind = "adjective"
        phrase = squash(match.group(0)).strip(" ,")
        phrase = re.sub(r"\s+(?:the|a|an)$", "", phrase)
        if kind == "ahead" and not re.search(r"before|prior|advance|preceding", phrase, re.I):
            phrase += " before"
        found.append(_Due(match.start(), match.end(), kind, phrase))
    return found


def _clean_action(text: str) -> str:
    action = squash(text)
    action = _LEAD_WORDS.sub("", action)
    action = re.sub(r"^['’]?s?\s+(?=notice\b)", "", action)
    previous = None
    while previous != action:
        previous = action
        action = _FILLER.sub("", action).strip(" ,;:")
    return action


def _obligation(
    view: TextView, party: PartyRole, start: int, end: int, fronted: _Due | None
) -> tuple[Obligation, _Due] | None:
    """The obligation an act ``text[start:end]`` states, with the deadline it is due by."""
    text = view.text
    dues = _deadlines(view, start, end)
    due = max(dues, key=lambda item: (item.strength, item.start)) if dues else fronted
    if due is None:
        return None
    # Text before the deadline is the act; what follows it may finish the act ("days' notice
    # of any new sub-processor").
    if start <= due.start < end and due.kind != "adjective":
        head = text[start : due.start]
        tail = text[due.end : end]
        tail = tail if due.kind == "ahead" or len(_clean_action(head)) < 8 else ""
        # "days' notice of any new sub-processor, and Customer may object": up to the next clause.
        tail = _NEXT_CLAUSE.split(_POSSESSIVE.sub("", tail), maxsplit=1)[0]
        action = _clean_action(f"{head} {tail}")
    else:
        action = _clean_action(text[start:end])
    if len(action) < 5 or _NOT_A_DUTY.match(action) or _PENALTY.search(action):
        return None
    if _PAY.match(action) and due.kind in _RHYTHMS:
        return None  # "pay a fee ..., invoiced monthly": how fees are billed, a fact of its own
    due_date = None
    due_relative: str | None = due.text
    if due.kind == "adjective":
        due_relative = re.sub(r"^(?:a|an)\s+", "", due.text)
    if due.kind == "dated":
        date_match = DATE_RE.search(text, due.start, min(len(text), due.end + 40))
        if date_match is not None and date_match.start() - due.end <= 2:
            due_date = date_from_match(date_match)
            if due_date is not None:
                due_relative = None
        elif date_match is None:
            due_relative = squash(text[due.start : min(end, due.end + 20)]).strip(" ,.")
    recurring = bool(_RECURRING.search(text, start, end)) or (
        bool(_PAY.match(action)) and bool(_INVOICE.search(text, start, end))
    )
    value = Obligation(
        party=party,
        action=action[:200],
        due_date=due_date,
        due_relative=due_relative,
        recurring=recurring,
    )
    return value, due


def _items(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The enumerated items of an act ("(a) ...; (b) ..."), or the whole act."""
    first = _ITEM_START.match(text, start, end)
    if first is None:
        return [(start, end)]
    labels = [first]
    for label in _ITEM_NEXT.finditer(text, first.end(), end):
        if follows_label(labels[-1].group("label"), label.group("label")):
            labels.append(label)
    if len(labels) < 2:
        return [(first.end(), end)]
    spans = []
    for index, label in enumerate(labels):
        item_end = labels[index + 1].start() if index + 1 < len(labels) else end
        spans.append((label.end(), item_end))
    return spans


def _conjuncts(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Acts joined by "and shall": each with its own verb."""
    spans = []
    position = start
    for joint in _CONJUNCT.finditer(text, start, end):
        spans.append((position, joint.start()))
        position = joint.end()
    spans.append((position, end))
    return spans


def _modal_obligations(view: TextView) -> list[Hit]:
    hits: list[Hit] = []
    text = view.text
    for match in _MODAL.finditer(text):
        party = _party(view, match.group("who"))
        if party is None or party is PartyRole.OTHER:
            continue
        sentence_start, _ = view.sentence(match.start(), match.end())
        if _RECITAL.match(text, sentence_start) or _DEFINITION.search(
            text, sentence_start, match.end()
        ):
            continue
        act = _ACT.match(text, match.end())
        if act is None:
            continue
        action_start, action_end = act.span()
        full_stop = _FULL_STOP.search(text, action_start, action_end)
        if full_stop is not None:
            action_end = full_stop.start()
        if len(text[action_start:action_end].strip()) < 5:
            continue
        if ";" in text[action_start:action_end] and not _ITEM_START.match(text, action_start):
            # Without an enumeration, a semicolon ends the act.
            action_end = text.index(";", action_start)
        prefix = _deadlines(view, sentence_start, match.start())
        fronted = prefix[-1] if prefix else None
        # "For each Severity 1 incident, Provider shall ...": a recurring act.
        recurs = bool(_RECURRING.search(text, sentence_start, match.start()))
        for item_start, item_end in _items(text, action_start, action_end):
            candidates = [
                found
                for span in _conjuncts(text, item_start, item_end)
                if (found := _obligation(view, party, *span, fronted)) is not None
            ]
            start, end = view.sentence(match.start(), item_end)
            for value in _principal(candidates, recurs):
                hits.append(Hit("obligations", value, start, end, BARE_MENTION))
        if len(hits) >= MAX_MATCHES:
            break  # no real contract has this many dated duties; the text is degenerate
    return hits


def _principal(candidates: list[tuple[Obligation, _Due]], recurs: bool) -> list[Obligation]:
    """Of acts joined in one sentence, those with a firm deadline, else the best one.

    "shall undergo an examination each year and shall deliver the report within 30 days":
    the delivery is the obligation, and the yearly rhythm of its sibling makes it recurring.
    """
    if not candidates:
        return []
    firm = [item for item in candidates if item[1].strength >= 3]
    kept = firm or [max(candidates, key=lambda item: item[1].strength)]
    # Only a rhythm stated before the act carries over to it; one after ("and shall provide
    # updates every 48 hours") belongs to a later act.
    first_kept = candidates.index(kept[0])
    rhythm = recurs or any(due.kind in _RHYTHMS for _, due in candidates[:first_kept])
    return [value.model_copy(update={"recurring": True}) if rhythm else value for value, _ in kept]


def _payment_obligation(view: TextView) -> list[Hit]:
    """ "Invoices are payable within 45 days": the customer's duty to pay, stated passively."""
    if not view.mentions(*_PAYMENT_KEYS):
        return []
    for match in view.finditer(_PASSIVE_PAYMENT, _PAYMENT_KEYS, before=160, after=160):
        due = next(group for group in match.groups() if group)
        value = Obligation(
            party=PartyRole.CUSTOMER,
            action="pay invoices",
            due_relative=squash(due).strip(" ,"),
            recurring=True,
        )
        start, end = view.sentence(match.start(), match.end())
        return [Hit("obligations", value, start, end, BORROWED)]
    return []


def extract(view: TextView) -> list[Hit]:
    """Principal obligations of the provider and the customer."""
    hits = _modal_obligations(view)
    pays = any(
        hit.value.party is PartyRole.CUSTOMER and _PAY.match(hit.value.action) for hit in hits
    )
    if not pays:
        hits += _payment_obligation(view)
    return hits
