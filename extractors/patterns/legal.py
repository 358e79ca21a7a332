"""Legal terms with a precise shape: the liability cap's amount / multiple / months of fees,
carve-outs from the cap, indemnities, who may terminate for convenience, warranty months,
and non-solicitation.

Whether a clause of a CUAD category exists at all (cap on liability, warranty duration, ...)
is the classifier's call; this module reads the values such clauses state. The exceptions
are rare clauses with wordings precise enough to settle it outright (liquidated damages
awarded as such, a source-code escrow set up, a third-party beneficiary named): too few
contracts hold them for a model to learn them reliably.
"""

from __future__ import annotations

import re

from extractors.facts import Indemnity, LiabilityCap, PartyRole
from extractors.patterns.confidence import CHECKED_CLAUSE, KEPT_BY_CONTEXT, LOOSE_WORDING
from extractors.patterns.core import (
    Hit,
    TextView,
    enumeration,
    squash,
    words,
)
from extractors.patterns.dates import DURATION, parse_duration
from extractors.patterns.money import find_amounts
from extractors.patterns.numbers import NUMBER, WORD_NUMBER, parse_int, parse_number
from extractors.patterns.parties import defined_roles
from extractors.patterns.vocabulary import LEGAL_CLAUSES, concept_paths, read_concept

CHECKS = concept_paths(*LEGAL_CLAUSES) | frozenset(
    {
        "legal.liability_cap",
        "legal.uncapped_carve_outs",
        "legal.indemnities",
        "legal.unlimited_indemnity",
        "legal.termination_for_convenience_by",
        "legal.warranty_duration_months",
        "legal.non_solicit",
    }
)

_CAP_TRIGGER = words(
    r"\b(?:liabilit(?:y|ies)|damages)\b(?:[^.;]|\.(?=\d)){0,220}?\b(?:exceed|be limited to|is "
    r"limited to|are limited to"
    r"|shall be limited to|will be limited to|not to exceed|in excess of|greater than|more "
    r"than|capped at"
    r"|cap(?:ped)? (?:at|of)|up to a maximum of|maximum (?:aggregate )?(?:amount|liability) of)\b"
    r"|\b(?:limitation|cap) (?:on|of) liability[^\S\n]*[:|\t]"
)
_MONTHS_OF_FEES = words(
    rf"(?P<n>{NUMBER}) months?\b|\b(?P<year>one year|a "
    rf"year|twelve-month|12-month|annual)(?:[’']s)?\b"
)
_MULTIPLE = words(
    rf"(?:(?P<n>\d+(?:\.\d+)?)[^\S\n]?x\b|(?P<w>{WORD_NUMBER}|\d+(?:\.\d+)?) "
    rf"(?:\(\d+(?:\.\d+)?x?\) "
    rf")?times\b"
    r"|(?P<twice>twice)\b|(?P<m>\d+(?:\.\d+)?)-fold|\((?P<p>\d+(?:\.\d+)?)x\))"
)
_FEES = words(
    r"\b(?:fees|amounts?|sums?|charges|consideration|contract value|price|compensation)\b"
    r"(?: (?:actually )?(?:paid|payable|due|received))?"
)
# The verb of a cap sentence: "is limited to", "shall not exceed", "will not be liable for more
# than", "capped at".
_CAP_VERB = (
    r"(?:(?:is|are|be|shall be|will be) (?:limited|capped) (?:to|at)|capped at"
    r"|(?:(?:shall|will|does|do|may) (?:not|in no event|never)|not to)(?: in (?:the )?aggregate)?"
    r" exceed"
    r"|(?:shall|will) not be liable (?:for (?:any )?(?:amounts? )?(?:more|greater) than"
    r"|in excess of))"
)
# What attaches an exception to a cap sentence, before the cap verb or after it.
_EXCEPT = r"(?:except(?:ing)?|excluding|other than|save|apart from|with the exception of)\b"
_CARVE_TRIGGER = words(
    r"\b(?:limitations?|exclusions?|caps?|limits?)\b(?:[^.]|\.(?=\d)){0,120}?\b(?:shall|will|do|"
    r"does) not apply\b"
    r"|\bexcept (?:for|with respect to|in the (?:case|event) of)\b(?:[^.]|\.(?=\d)){0,300}?"
    r"\bin no event\b"
    # The exception before the cap verb or after it: only what it names is uncapped, not what
    # the cap is measured by ("... shall not exceed the amounts it is obliged to indemnify").
    rf"|(?P<before_cap>\b{_EXCEPT}(?:[^.]|\.(?=\d)){{0,300}}?\b{_CAP_VERB}\b)"
    rf"|\b{_CAP_VERB}\b(?:[^.]|\.(?=\d)){{0,240}}?(?P<after_cap>\b{_EXCEPT})"
    r"|\b(?:shall|will) (?:be unlimited|not be (?:limited|capped|subject to (?:any|the) "
    r"(?:limitation|cap)))\b"
    r"|\bunlimited liability\b|\buncapped\b"
    r"|\bliable without limitation\b|\bwithout limitation of liability\b"
    r"|\bnothing\b(?:\s+in\s+(?:this|these|the)(?:\s+[\w-]+){1,2}?)?[^.;]{0,40}?"
    r"\b(?:limits?|excludes?|restricts?)\b[^.;]{0,60}?\bliabilit"
    # The cap's own provision as the subject: "Section 2.1 does not limit liability for fraud".
    r"|\b(?:does|do|shall|will) not (?:limit|exclude|restrict)\b[^.;]{0,60}?\bliabilit"
)
# A defined term naming the carve-outs: "Excluded Claims", "Uncapped Liabilities".
_EXCLUDED_TERM = re.compile(
    r"(?P<term>\b(?:excluded|uncapped|unlimited|unrestricted)[ "
    r"\t]+(?:claims|matters|liabilities|losses|obligations))\b",
    re.IGNORECASE,
)
# What a cap does not apply to: (label, pattern). An empty label takes the wording found, so
# that "Security Incident" and "confidentiality obligations" are reported as the clause says.
_CARVE_OUTS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (label, re.compile(pattern, re.IGNORECASE))
    for label, pattern in (
        ("indemnification obligations", r"indemn(?:if|it(?:y|ies)\b)"),
        (
            "",
            r"confidentiality(?:\s+and\s+data\s+protection)?\s+obligations?"
            r"|confidentiality\s+and\s+data\s+protection",
        ),
        ("breach of confidentiality", r"confidential"),
        ("gross negligence", r"gross(?:ly)?\s+neglig"),
        ("", r"wil(?:l)?ful\s+(?:misconduct|breach|abandonment)|intentional\s+misconduct"),
        ("wilful misconduct", r"\bintentional(?:ly)?\b|\bwith\s+intent\b"),
        ("fraud", r"\bfraud"),
        (
            "payment of fees",
            r"(?:obligations?\s+to\s+pay|payment\s+of|pay\s+(?:any\s+)?(?:fees|amounts))",
        ),
        ("", r"security\s+(?:breach|incident)"),
        (
            "data breach",
            r"data\s+(?:security|breach|protection)|personal\s+data|unauthori[sz]ed\s+(?:access|"
            r"disclosure)",
        ),
        ("intellectual property infringement", r"infring|misappropriat"),
        ("bodily injury or death", r"death|bodily\s+injury|personal\s+injury"),
        ("injury to life, body or health", r"injury\s+to\s+life"),
        ("product liability act", r"product\s+liability"),
        ("guarantee", r"\b(?:given|giv\w+|assumed|under)\s+an?\s+guarantee"),
        ("breach of exclusivity", r"\bexclusivity\b"),
        ("breach of non-competition", r"\bnon-?compet\w*"),
    )
)
# Labels that say the same thing as a more specific one found in the same clause.
_SUBSUMED = {
    "breach of confidentiality": ("confidentiality", "confidentiality obligations"),
    "data breach": ("security breach", "security incident", "data protection"),
    "wilful misconduct": ("wilful", "willful", "intentional misconduct"),
}
_CARVE_KEYS = (
    "not apply",
    "not limit",
    "not exclude",
    "not restrict",
    "without limitation",
    "nothing",
    "except",
    "excluding",
    "other than",
    "save",
    "apart from",
    "unlimited",
    "uncapped",
    "not be limited",
    "not be capped",
    "not be subject",
)
_TFC_KEYS = ("convenience", "without cause", "any reason", "no reason", "without reason")
_PARTY_WORDS = (
    r"(?:(?i:each party|either party|both parties|the parties)|[A-Z][\w&'’.-]*(?:[ "
    r"\t]+[A-Z][\w&'’.-]*){0,3})"
)
_INDEMNIFY = re.compile(
    rf"(?P<who>{_PARTY_WORDS})\s+(?:shall|will|agrees\s+to|hereby\s+agrees\s+to|must|"
    rf"undertakes\s+to)"
    r",?\s+(?:at\s+its\s+(?:own\s+)?(?:cost|expense),?\s+)?(?:\w+,?\s+){0,2}?"
    r"(?:indemnify|defend|hold\s+harmless)\b",
)
_INDEMNITY_SCOPE = words(
    r"\b(?:alleging|arising (?:out of|from|under)|relating to|resulting from|based "
    r"(?:up)?on|caused by|in connection with)"
    r" (?P<scope>[^.]{8,600})"
)
_INDEMNITY_AGAINST = words(
    r"\bagainst (?P<scope>(?:any |all )?(?:third[- ]party )?(?:claims?|actions?|suits?|proceedings?"
    r"|demands?)\b[^.]{8,600})"
)
_REMEDY = re.compile(
    r",?\s+and\s+(?:will\s+|shall\s+)?(?:pay|reimburse|hold|indemnify|defend|settle)\b", re.I
)
# A full stop that ends the sentence ("Inc. and" does not).
_FULL_STOP = re.compile(r"\.(?=\s+[A-Z0-9(\"“]|\s*$)")
# Kinds of indemnity named before the words of the clause, so that the scope reads (and
# compares) the same however the clause is drafted.
_INDEMNITY_KINDS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "intellectual property infringement",
        re.compile(
            r"\binfring|\bmisappropriat|\bintellectual\s+property|\bpatent|\bcopyright"
            r"|\btrade\s*marks?\b|\btrade\s+secret",
            re.IGNORECASE,
        ),
    ),
)
_UNLIMITED_INDEMNITY = words(
    r"\bindemnif\w*(?: obligations?)?(?:[^.]|\.(?=\d)){0,80}?\b(?:shall|will) not be (?:subject "
    r"to|limited by)"
    r"|\bunlimited indemni\w*|\bindemnif\w*(?:[^.]|\.(?=\d)){0,60}?\b(?:unlimited|uncapped)\b"
)
_TFC = words(
    r"\bterminat\w*(?: (?:this agreement|the agreement|any order form|an order form|the services|"
    r"any sow|this order form|its subscription|the subscription)(?: or any [\w "
    r"-]{1,30})?)?[^.;]{0,80}?"
    r"\b(?:for convenience|without cause|for any reason or no reason|for any or no reason|for any "
    r"reason"
    r"|at any time (?:and )?(?:for any reason|without (?:cause|reason)))\b"
    r"|\btermination for convenience\b"
)
_MODAL_BEFORE_TERMINATE = words(
    r"(?P<who>\b[A-Z][\w&'’.-]*(?: [A-Z][\w&'’.-]*){0,3}|\beach party|\beither party|\bboth "
    r"parties|\bthe parties)"
    r" (?:shall have the right to|has the right to|may|can|is entitled to|will have the right "
    r"to|reserves the right to"
    r"|shall be entitled to|may at any time|may, at any time,|may, at its (?:sole "
    r")?(?:option|discretion),)"
    r"(?: at any time)?(?: \w+){0,2}? terminat"
)
_WARRANTY = words(
    rf"\bwarrant(?:y|ies)(?: period)?\b[^.;]{{0,40}}?\b(?:of|for|shall be|is|lasts|will last|shall "
    rf"last)"
    rf" (?:a period of )?(?P<d1>{DURATION})"
    rf"|\bwarrant\w*\b[^.;]{{0,160}}?\b(?:for a period of|for|during(?: the)?|within) (?:the "
    rf")?(?P<d2>{DURATION})"
    r" (?:from|after|following|of|commencing|beginning)(?: the)? "
    r"(?:date|delivery|acceptance|performance|"
    r"completion|installation|shipment|receipt|relevant|effective|go-live|purchase|performed|"
    r"initial|first|sale|"
    r"the)"
    rf"|(?P<d3>{DURATION}) (?:limited )?warranty\b"
)
_NON_SOLICIT_WORD = words(r"\bnon-?solicit\w*|\bno[ -]hire\b")
# A bare "Non-Solicitation." is a heading; the clause is the sentence that binds someone.
_BINDING = re.compile(r"\b(?:shall|will|may|must|agrees?|not|neither)\b", re.IGNORECASE)
_NON_SOLICIT = words(
    r"(?:\b(?:shall|will|agrees? (?:that it )?(?:shall|will)?) not|\bneither party "
    r"(?:shall|will|may))\b[^.;]{0,60}?\b(?:solicit|recruit|hire|employ)\w*"
    r"\b[^.;]{0,120}?\b(?:employees?|personnel|staff|consultants|contractors|workers)\b"
)


def _role(view: TextView, who: str) -> list[PartyRole]:
    key = " ".join(who.lower().split())
    if key in {"each party", "either party", "both parties", "the parties"}:
        return [PartyRole.CUSTOMER, PartyRole.PROVIDER]
    roles = defined_roles(view)
    for candidate in (key, key.split()[-1]):
        if candidate in roles:
            return [roles[candidate]]
    return []


def _cap_value(text: str) -> LiabilityCap | None:
    amount = next((found.money for found in find_amounts(text)), None)
    fees = _FEES.search(text)
    months: int | None = None
    multiple: float | None = None
    if fees:
        month_match = _MONTHS_OF_FEES.search(text)
        if month_match:
            months = 12 if month_match.group("year") else parse_int(month_match.group("n") or "")
            if months is not None and not 1 <= months <= 120:
                months = None
        multiple_match = _MULTIPLE.search(text)
        if multiple_match:
            if multiple_match.group("twice"):
                multiple = 2.0
            else:
                raw = next(group for group in multiple_match.groups() if group)
                multiple = parse_number(raw)
        if multiple is not None and month_match is not None and month_match.group("year"):
            # "two times (2x) the annual fees": a multiple of a year's fees, not a month count.
            months = None
        if (
            months is None
            and multiple is None
            and re.search(
                r"\b(?:fees|amounts?)\s+(?:actually\s+)?(?:paid|payable)", text, re.IGNORECASE
            )
        ):
            multiple = 1.0
    if amount is None and months is None and multiple is None:
        return None
    return LiabilityCap(amount=amount, fees_multiple=multiple, months_of_fees=months)


def _liability_cap(view: TextView) -> list[Hit]:
    hits: list[Hit] = []
    for match in view.finditer(_CAP_TRIGGER, ("liabilit", "damages"), before=5, after=320):
        _start, end = view.sentence(match.start(), match.end())
        tail = view.text[match.end() : min(end, match.end() + 260)]
        value = _cap_value(tail)
        if value is not None:
            hits.append(
                view.hit("legal.liability_cap", value, match.start(), match.end(), CHECKED_CLAUSE)
            )
    return hits


def _defined_carve_outs(view: TextView, sentence: str) -> str:
    """The definitions of carve-out terms a cap clause refers to ("Except for Excluded Claims")."""
    found = []
    for term in _EXCLUDED_TERM.finditer(sentence):
        name = re.escape(" ".join(term.group("term").split())).replace(r"\ ", r"\s+")
        definition = re.search(
            rf"[\"“]{name}[\"”]\s+(?:means|shall\s+mean|includes?)", view.text, re.IGNORECASE
        )
        if definition is not None:
            found.append(
                view.text[definition.start() : min(len(view.text), definition.end() + 600)]
            )
    return " ".join(found)


def _carve_outs(view: TextView) -> list[Hit]:
    hits: list[Hit] = []
    for match in view.finditer(_CARVE_TRIGGER, _CARVE_KEYS, before=260, after=360):
        start, end = view.sentence(match.start(), match.end())
        sentence = view.text[start:end]
        if not re.search(r"liab(?:il|le)|limitation|cap\b|damages", sentence, re.IGNORECASE):
            continue
        read_from, read_to = start, end
        if match.group("before_cap"):
            read_from, read_to = match.start(), match.end()
        elif match.group("after_cap"):
            # "liability is limited to ..., except for fraud": the cap is the liability's, and
            # only what the exception names is left uncapped.
            if not re.search(r"liab(?:il|le)|damages", view.text[start : match.start()], re.I):
                continue
            read_from = match.start("after_cap")
        if re.search(
            r"(?:apply|following)\s*(?:to|in respect of)?\s*:?\s*$|:\s*$",
            view.text[match.end() : end] or sentence,
        ):
            # "shall not apply to:", "Nothing ... limits liability for:" followed by a list:
            # read to the end of the list.
            end = read_to = _list_end(view, start, end)
        sentence = view.text[read_from:read_to]
        sentence += _defined_carve_outs(view, sentence)
        labels = _carve_out_labels(sentence)
        if labels:
            hits.append(view.hit("legal.uncapped_carve_outs", labels, start, end, KEPT_BY_CONTEXT))
            if "indemnification obligations" in labels:
                hits.append(
                    view.hit("legal.unlimited_indemnity", True, start, end, KEPT_BY_CONTEXT)
                )
    for match in view.finditer(_UNLIMITED_INDEMNITY, ("indemn",), before=20, after=200):
        hits.append(
            view.hit("legal.unlimited_indemnity", True, match.start(), match.end(), CHECKED_CLAUSE)
        )
    return hits


# The label of a list item at the start of a line: "7.1.2", "(a)", "ii)", "b.", a bullet.
_ITEM_START = re.compile(
    r"[^\S\n]*(?:(?P<number>\d{1,2}(?:\.\d{1,2})+)\.?|(?P<paren>\(?(?:[a-z]|[ivx]{1,5}|\d{1,2})\))"
    r"|(?P<letter>[a-z])\.|(?P<bullet>[\u2022\u25aa\u25cf\u25e6*\u2013-]))(?=[^\S\n])",
    re.IGNORECASE,
)
# A line that heads a new part: "## 8. Indemnities", "INDEMNIFICATION".
_HEADING_LINE = re.compile(r"[^\S\n]*(?:#|[A-Z][A-Z0-9 .,&/()'’-]{3,80}$)")
# How far past its lead a list is read at most, and how far when its items are not labelled.
_LIST_REACH = 1500
_UNLABELLED_REACH = 900


def _item_kind(label: re.Match[str]) -> tuple[str, int]:
    """The kind of an item label; numbered paragraphs by their depth (7.1 -> 2, 7.1.1 -> 3)."""
    if label.group("number"):
        return "number", label.group("number").count(".") + 1
    for kind in ("paren", "letter", "bullet"):
        if label.group(kind):
            return kind, 0
    return "", 0


def _list_end(view: TextView, lead_start: int, lead_end: int) -> int:
    """Where the list introduced by the lead ``[lead_start, lead_end)`` ("... for:") ends.

    The items are the lines below it that start with a label of one kind ("7.1.1", "(a)", a
    bullet), each with its wrapped lines, deeper sub-paragraphs included; the list ends at a
    line of the parent level ("7.2"), a heading, a paragraph after an item's full stop, or a
    blank line not followed by another item. Items without labels run to a blank line.
    """
    text = view.text
    lead_line = text.rfind("\n", 0, lead_start) + 1
    lead_label = _ITEM_START.match(text, lead_line)
    lead_kind = _item_kind(lead_label) if lead_label else ("", 0)
    kind: tuple[str, int] | None = None
    end = lead_end
    blank = False
    ends_sentence = False
    position = text.find("\n", lead_end)
    for line_start, line_end in view.lines_after(position + 1) if position >= 0 else ():
        if line_start > lead_end + _LIST_REACH:
            break
        line = text[line_start:line_end]
        if not line.strip():
            blank = True
            continue
        if line.strip() in view.furniture:
            continue
        label = _ITEM_START.match(text, line_start, line_end)
        if kind is None:
            if label is None:
                break
            kind = _item_kind(label)
            if kind[0] == "number" and lead_kind[0] == "number" and kind[1] <= lead_kind[1]:
                return lead_end  # "7.2" after "7.1 ... for:" is the next clause, not an item
        elif label is not None:
            found = _item_kind(label)
            deeper = found[0] == kind[0] == "number" and found[1] > kind[1]
            if found != kind and not deeper:
                break
        elif blank or ends_sentence or _HEADING_LINE.match(line):
            break
        blank = False
        ends_sentence = line.rstrip().endswith(".")
        end = line_end
    if kind is None:
        # Items without labels: to the first blank line, as far as they may reach.
        blank_line = text.find("\n\n", lead_end)
        return min(blank_line if blank_line >= 0 else len(text), lead_end + _UNLABELLED_REACH)
    return end


def _carve_out_labels(clause: str) -> list[str]:
    """The kinds of liability a carve-out clause leaves uncapped, in the clause's own words."""
    labels: list[str] = []
    for label, pattern in _CARVE_OUTS:
        found = pattern.search(clause)
        if found is None:
            continue
        wording = squash(found.group(0)).lower()
        if not label and wording.startswith("confidentiality and"):
            wording = f"breach of {wording}"
        labels.append(label or wording)
    return [
        label
        for label in labels
        if not any(
            other != label and word in other
            for other in labels
            for word in _SUBSUMED.get(label, ())
        )
    ]


def _indemnities(view: TextView, unlimited: bool) -> list[Hit]:
    hits: list[Hit] = []
    if not view.mentions("indemnif", "defend", "hold harmless"):
        return hits
    for match in view.finditer(
        _INDEMNIFY, ("indemnif", "defend", "hold harmless"), before=140, after=30
    ):
        roles = _role(view, match.group("who"))
        if not roles:
            continue
        start, end = view.sentence(match.start(), match.end())
        scopes, clause_end = _indemnity_scopes(view, match.end())
        for role in roles:
            for scope in scopes:
                value = Indemnity(by=role, scope=scope, unlimited=unlimited)
                hits.append(
                    view.hit(
                        "legal.indemnities", value, start, max(end, clause_end), KEPT_BY_CONTEXT
                    )
                )
    return hits


def _indemnity_scopes(view: TextView, after: int) -> tuple[list[str], int]:
    """What an indemnity covers, one scope per enumerated item, and where the clause ends.

    The clause may run over a page break; the running header and page number that the
    break put inside it are not part of the scope.
    """
    text = view.text
    limit = min(len(text), after + 700)
    stop = _FULL_STOP.search(text, after, limit)
    clause_end = stop.start() if stop else min(limit, view.sentence(after, after + 1)[1])
    clause = view.without_furniture(after, clause_end)
    found = _INDEMNITY_SCOPE.search(clause) or _INDEMNITY_AGAINST.search(clause)
    if found is None:
        return ["third-party claims"], clause_end
    # "..., and will pay any damages finally awarded": the remedy, not what is covered.
    scope = _REMEDY.split(found.group("scope"), maxsplit=1)[0]
    items = enumeration(scope, 0, len(scope))
    parts = [scope[start:end] for start, end in items] if items else [scope]
    scopes = []
    for part in parts:
        words_of_part = squash(part).strip(" ,;:")
        words_of_part = re.sub(r"[,;]?\s*(?:and|or)$", "", words_of_part).strip(" ,;")
        kind = next((name for name, rx in _INDEMNITY_KINDS if rx.search(words_of_part)), None)
        if kind is not None and kind not in words_of_part.lower():
            words_of_part = f"{kind}: {words_of_part}"
        scopes.append(words_of_part[:160])
    return scopes, clause_end


def _termination_for_convenience(view: TextView) -> list[Hit]:
    hits: list[Hit] = []
    for match in view.finditer(_TFC, _TFC_KEYS, before=220, after=60):
        start, end = view.sentence(match.start(), match.end())
        window_start = max(start, match.start() - 160)
        subject = None
        for candidate in _MODAL_BEFORE_TERMINATE.finditer(
            view.text, window_start, match.start() + 12
        ):
            subject = candidate
        if subject is None:
            continue
        between = view.text[subject.end() : match.start()]
        if re.search(r"\bnot\b|\bno\b", view.text[subject.start() : subject.end()] + between):
            continue
        roles = _role(view, subject.group("who"))
        if roles:
            hits.append(
                view.hit("legal.termination_for_convenience_by", roles, start, end, LOOSE_WORDING)
            )
    return hits


def _warranty(view: TextView) -> list[Hit]:
    hits: list[Hit] = []
    if not view.mentions("warrant"):
        return hits
    for match in view.finditer(_WARRANTY, ("warrant",), before=60, after=260):
        raw = match.group("d1") or match.group("d2") or match.group("d3")
        duration = parse_duration(raw)
        if duration is None or duration.unit not in {"day", "week", "month", "year"}:
            continue
        months = duration.months()
        if months is None:
            months = round(duration.days() / 30)
        if 0 < months <= 120:
            confidence = CHECKED_CLAUSE if match.group("d1") else KEPT_BY_CONTEXT
            hits.append(
                view.hit(
                    "legal.warranty_duration_months", months, match.start(), match.end(), confidence
                )
            )
    return hits


def _non_solicit(view: TextView) -> list[Hit]:
    hits: list[Hit] = []
    if not view.mentions("solicit", "hire", "recruit", "employ"):
        return hits
    for match in view.finditer(_NON_SOLICIT, ("solicit", "hire", "recruit"), before=220, after=220):
        hits.append(view.hit("legal.non_solicit", True, match.start(), match.end(), LOOSE_WORDING))
    for match in view.finditer(_NON_SOLICIT_WORD, ("solicit", "hire"), before=5, after=20):
        start, end = view.sentence(match.start(), match.end())
        if _BINDING.search(view.text, start, end):
            hits.append(
                view.hit("legal.non_solicit", True, match.start(), match.end(), LOOSE_WORDING)
            )
    return hits


def extract(view: TextView) -> list[Hit]:
    """Liability, indemnity, termination-for-convenience, warranty, non-solicit,
    liquidated-damages, source-code escrow, third-party beneficiary and post-termination
    services hits."""
    carve_outs = _carve_outs(view)
    unlimited = any(hit.path == "legal.unlimited_indemnity" for hit in carve_outs)
    return (
        _liability_cap(view)
        + carve_outs
        + _indemnities(view, unlimited)
        + _termination_for_convenience(view)
        + _warranty(view)
        + _non_solicit(view)
        + read_concept(view, *LEGAL_CLAUSES)
    )
