"""Dates and term: agreement, effective and expiration dates, term, renewal and its notice.

The agreement date is the date the contract is "made", "dated" or "entered into" in its
opening; failing that, a "Date:" or "as of" near the top, then a dated signature. An
order form made under a dated master agreement takes that agreement's date over a bare
signature date. An amendment's own date dates the amendment: from an amendment, the
agreement date is that of the agreement it amends, when it states one, and no effective date
is read. The renewal term comes only from renewal wording, never from the initial term.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

from extractors.facts import FactStatus
from extractors.patterns.confidence import (
    BARE_MENTION,
    BORROWED,
    CHECKED_CLAUSE,
    DOUBTFUL,
    KEPT_BY_CONTEXT,
    LABELLED_FIELD,
    LAST_RESORT,
    LOOSE_WORDING,
    PRECISE_WORDING,
    SELF_DECLARED,
    STAND_IN,
)
from extractors.patterns.core import MAX_MATCHES, Hit, TextView, per_view, words
from extractors.patterns.dates import (
    DATE,
    DATE_RE,
    DURATION,
    DURATION_RX,
    date_from_match,
    find_dates,
    parse_duration,
)
from extractors.patterns.document_kind import is_amendment

CHECKS = frozenset(
    {
        "commercial.agreement_date",
        "commercial.effective_date",
        "commercial.expiration_date",
        "commercial.term_months",
        "commercial.auto_renewal",
        "commercial.renewal_term_months",
        "commercial.non_renewal_notice_days",
    }
)

# The opening of a contract, where its own date is stated.
_OPENING = 6000
_GAP = r"[^.;]{0,60}?"

_MADE = words(
    r"\b(?:dated|made|entered into|executed|signed|effective|concluded)"
    r"(?: (?:and|&) (?:entered into|effective|made))?"
    r"(?: (?:as of|on|as at|with effect from|this|the|of))*"
    rf"[ \t\n,]*(?:the )?(?={DATE})"
)
_DATE_FIELD = words(
    r"(?:^|\n|\|)[^\S\n]*(?:agreement |contract |order |execution )?date(?: of (?:this "
    r")?(?:agreement|order))?"
    r"[^\S\n]*[:|\t][^\S\n]*(?=\S)"
)
# Before a date in the same sentence: the document is made under another agreement, and the
# date is that agreement's (the principal agreement of the bundle).
_UNDER = words(
    r"\b(?:pursuant to|under|governed by|subject to)\b,?[^.;]{0,40}?\b(?:master|framework"
    r"|subscription|services?|saas|customer|cloud)\b[^.;]{0,40}?\b(?:agreement|terms)\b"
)
_RECITAL = words(r"\b(?:whereas|recitals?|background|previously|original|existing|prior)\b")
# Before a date in the same sentence: it dates some other agreement, not this one.
_ELSEWHERE = words(
    r"\b(?:whereas|that certain|previously|supersedes?|pursuant to|under (?:the|that)|as amended|"
    r"amends?|referred to|original|prior|existing|letter)\b"
)
# "that certain Master Services Agreement between them dated January 1, 2023".
_REFERENCED = words(
    r"\b(?:agreement|contract|order form|terms|terms of service)\b(?:[^.;\n]|\n(?!\s*\n)){0,80}?"
    r"\b(?:dated|made on|entered into on|effective)(?: as of| on)?[ \t\n,]*(?:the )?(?="
    + DATE
    + ")"
)
_AMENDS = words(r"\bamend(?:s|ed|ing|ment)?\b|[\"“]agreement[\"”]|\bthe agreement\b")
# "This Order Form is dated ...": a document dating itself, whatever it is made under.
_SELF_DATED = words(r"\b(?:this|the within) (?:[\w-]+ ){0,3}(?:form|order|sow|schedule)\b")
_SELF = words(
    r"\b(?:this|the within) (?:[\w-]+ ){0,5}(?:agreement|contract|amendment|order form|addendum|"
    r"statement of work|sow|order|lease|license|licence)\b|\b(?:signed|executed|witness)"
)
_WITNESS = words(r"\bin witness whereof\b|\bsignatures?\b[^\S\n]*(?:page|block)?[^\S\n]*\n")
_DATE_LABEL = re.compile(
    r"\b(?:date[d]?|signed)\b[^\S\n]*(?:of[^\S\n]+signature)?[^\S\n]*:?[^\n]{0,40}$", re.IGNORECASE
)
# An acceptance or signature line, the date on it or just after: "Accepted for Oaktide
# Logistics Inc. by Dana Reyes, VP Operations, 2 December 2026", "Agreed and accepted on
# behalf of ...", "Signed for ... by ... on December 2, 2026".
_ACCEPTANCE = re.compile(
    r"^[^\S\n]*(?:agreed[^\S\n]+(?:and|&)[^\S\n]+)?(?:accepted|signed|executed|agreed"
    r"|acknowledged)(?:[^\S\n]+(?:and|&)[^\S\n]+(?:accepted|agreed))?[^\S\n]+"
    r"(?:for|by|on[^\S\n]+behalf[^\S\n]+of)\b[^\n]*(?:\n(?![^\S\n]*\n)[^\n]*)?",
    re.IGNORECASE | re.MULTILINE,
)
# Before a date in its sentence: it starts or ends a period, or dates something else than the
# document (an invoice, terms accepted before); no stand-in for the document's date. A document
# "effective as from" a date is dated by it where it states no other date.
_NOT_ITS_DATE = words(
    r"\b(?:start\w*|commenc\w*|begin\w*|end(?:s|ing)?|expir\w*|renew\w*|terminat\w*|period"
    r"|term|accepted|invoice\w*|due|paid|payable)\b"
)
# Filing stamps ("Source: ACME CORP, 10-K, 3/30/2020") date the filing, not the contract.
_SOURCE_LINE = re.compile(r"[^\S\n]*source:", re.IGNORECASE)
_MADE_KEYS = ("dated", "made", "entered", "executed", "signed", "effective", "concluded")
_RENEW_KEYS = ("renew", "evergreen", "extend", "extension", "successive", "consecutive")
_TERM_KEYS = ("term ", "term:", "term\n", "term|", "term\t", "period of")
_START_KEYS = ("effective", "start", "commenc", "begin", "force")
_EVERY = re.compile(
    r"\b(?:each|every)\s+(?:month|year)|\b(?:monthly|annually|yearly)\b", re.IGNORECASE
)
_RUNS_KEYS = ("runs", "continue", "lasts", "in force", "in effect", "valid", "term of")
_RENEWAL_WORD = re.compile(r"renew|thereafter|successive|further", re.IGNORECASE)
_DATE_GROUPLESS = re.sub(r"\(\?P<\w+>", "(?:", DATE).replace("(?P=sep)", "[/.-]")
_RANGE = words(
    r"\b(?:term|period|services start|subscription starts?|start)\b[^.\n]{0,50}?"
    r"(?P<first>"
    + _DATE_GROUPLESS
    + r")\s*(?:to|through|until|-|–|and (?:end|ends|expire|expires) on)"
    r"\s*(?:the )?(?P<second>" + _DATE_GROUPLESS + r")"
)
_RANGE_KEYS = ("term", "period", "start")
_AS_OF = words(rf"\bas of (?:the )?(?={DATE})")
_EFFECTIVE_DEFINED = words(
    r"(?:\(|,)\s*(?:the|this)?\s*[\"“”']{0,2}effective date[\"“”']{0,2}\s*\)?"
)
# 'From 1 November 2025 (the "Start Date")': a date defined as the day the contract starts.
_START_DEFINED = words(
    r"\(\s*(?:the|this)?\s*[\"“”']{0,2}(?:start|subscription start|service start|order start)"
    r" date[\"“”']{0,2}\s*\)"
)
_START_DEFINED_KEYS = ("start date",)
_EFFECTIVE_FIELD = words(
    r"\b(?:effective|start|commencement|subscription start|service start|order start)"
    r" date\b[\"”]?(?: (?:is|shall be|means|of this agreement "
    r"is))?[^\S\n]*[:|\t\-–]?[^\S\n]*(?:the )?"
)
# A start field labelled without the word "date": "Subscription start: September 1, 2025",
# "Service commencement<TAB>...", "| Term start | 2025-09-01 |". The label is the field's whole
# name: what follows it is a separator (a colon, a tab, a pipe, bold markers), then the date.
_START_FIELD = re.compile(
    r"\b(?:subscription|service|services|order|contract|term|licen[cs]e|agreement)[^\S\n]+"
    r"(?:start|commencement)[*_]*[^\S\n]*(?:[:|\t]|\*\*)[*_|\t ]*",
    re.IGNORECASE,
)
_START_FIELD_KEYS = (" start", " commencement")
_EFFECTIVE_AS_OF = words(
    rf"\b(?:effective (?:as of|on|from)|(?:starts?|commences?|begins?|takes effect"
    rf"|enters into force|comes into force|becomes effective|shall commence|will commence"
    rf"|commencing|starting)"
    rf"(?: on| from| as of)?) (?:the )?(?={DATE})"
)
_RUNS_FROM = words(
    rf"(?:{DURATION}) (?:from|commencing|starting|beginning) (?:on )?(?:the )?(?={DATE})"
)
_EXPIRATION_FIELD = words(
    r"\b(?:expiration|expiry|end|termination|subscription end|service end|order end)"
    r" date\b[\"”]?(?: (?:is|shall be|means))?[^\S\n]*[:|\t\-–]?[^\S\n]*(?:the )?"
)
_EXPIRES = words(
    rf"\b(?:expires?|expiring|terminates?|ends?|continues? (?:in (?:full )?force )?until|"
    rf"through|until) (?:on )?(?:the )?(?={DATE})"
)
_TERM = words(
    rf"\b(?:initial (?:subscription )?term|subscription term|term of (?:this|the) "
    rf"(?:agreement|order form)"
    rf"|(?:the )?term(?= (?:shall|will) (?:be|commence|continue))|contract term|service term|order "
    rf"term)"
    rf"{_GAP}(?:of|for|be|is|:|\|)\s*(?:a period of )?(?:an? )?(?:initial "
    rf")?(?P<duration>{DURATION})"
)
_TERM_FIELD = words(
    rf"\b(?:subscription |initial |contract )?term(?:\*\*|__)?[^\S\n]*[:|\t](?:\*\*|__)?[^\S\n]*"
    rf"(?P<duration>{DURATION})"
)
# "Initial Term Twenty-four (24) months from ...": a field whose separator the PDF text lost,
# opening its line or, named in capitals, following another field on it ("Subscription start
# 01-Oct-2025 Subscription term 12 months").
_TERM_LINE = re.compile(
    rf"(?im)(?:^[^\S\n]*|(?<=[^\S\n])(?=(?-i:[A-Z])))(?:subscription[^\S\n]+|initial[^\S\n]+"
    rf"|contract[^\S\n]+|order[^\S\n]+)(?-i:[Tt])erm[ ]+(?P<duration>{DURATION})"
)
# A plan that renews every month and states no other term runs month to month.
_MONTH_TO_MONTH = words(
    r"\brenews? (?:automatically )?(?:every|each) month\b|\bmonth[- ]to[- ]month\b"
    r"|\bmonthly (?:rolling )?(?:subscription|plan|contract)\b"
)
_PERIOD_FROM = words(
    rf"\bfor (?:an initial |a )?(?:period|term) of (?P<duration>{DURATION})"
    r" (?:from|after|following|commencing|beginning)"
)
# "The subscription runs for twelve (12) months", "This Agreement continues for three (3) years".
_RUNS_FOR = words(
    rf"\b(?:runs|continues|lasts|remains? in (?:full )?(?:force|effect)|shall continue"
    rf"|will continue"
    rf"|is valid|has a (?:minimum |fixed |initial )?term)(?: in (?:full )?force(?: and effect)?)?"
    rf" for (?:a (?:minimum |fixed |initial )?(?:period|term) of |an initial (?:period|term) of )?"
    rf"(?P<duration>{DURATION})"
)
# "Twelve (12) months beginning on January 15, 2027", "12 months from 1 January 2026": a
# length of months or years counted from a named date is the term it states, where the
# sentence is about the subscription, the term or the service period and no renewal,
# notice or other period is spoken of before it.
_DURATION_FROM_DATE = words(
    rf"(?<![\w-])(?P<duration>{DURATION}) (?:from|beginning|commencing|starting)"
    rf"(?: on| from| as of)? (?:the )?(?={DATE})"
)
_DURATION_FROM_KEYS = ("from", "beginning", "commencing", "starting")
_TERM_LIKE = re.compile(
    r"\b(?:term|agreement|subscription|order|contract|plan|period|prazo)\b", re.IGNORECASE
)
_OTHER_PERIOD_BEFORE = re.compile(
    r"renew|thereafter|successive|further|extend|extension|notice|notif|terminat|expir"
    r"|within|after|warrant|compet|solicit|confidential|retain|retention|survive|payable|due\b",
    re.IGNORECASE,
)
_TERM_SUBJECT = re.compile(
    r"\b(?:term|agreement|subscription|order|contract|plan)\b", re.IGNORECASE
)
_AUTO_RENEW = words(
    r"\b(?:(?:shall|will|does) )?(?:auto(?:matically)?[- ]?renew(?:s|ed|al)?|"
    r"renew(?:s|ed)? automatically|automatic(?:ally)? (?:renewal|extension|extend)|"
    r"evergreen|(?:shall|will) (?:be )?(?:renew(?:ed)?|extend(?:ed)?) for "
    r"(?:successive|additional|further|consecutive)"
    r"|(?:shall|will) (?:thereafter )?(?:automatically )?(?:continue|renew) (?:for|on) (?:a "
    r")?(?:successive|consecutive|additional)"
    r"|\brenew(?:s|ing)? (?:for|on) (?:(?:a|further|successive|additional|consecutive|subsequent) "
    r")+(?:terms?|periods?|\w+[- ]month|\w+[- ]year)"
    r"|\brenew(?:s|ed|ing)? (?:for|on) "
    r"(?:(?:a|further|successive|additional|consecutive|subsequent) "
    r")+(?:" + DURATION + r")[- ](?:terms?|periods?)"
    r"|extended automatically|automatically extended"
    r"|(?:successive|consecutive) (?:renewal )?(?:periods?|terms?) unless)"
)
_NO_AUTO_RENEW = words(
    r"\b(?:(?:shall|will|does|do|would) not (?:be )?(?:automatically )?(?:renew|extend)(?:ed)?"
    r"|(?:shall|will|does|do) not auto[- ]?renew"
    r"|(?:no|without(?: any)?) (?:automatic|auto)[- ]?renewal"
    r"|not (?:be )?subject to (?:automatic|auto)[- ]?renewal"
    r"|auto[- ]?renewal[^\S\n]*[:|\t][^\S\n]*(?:no|none|n/a)\b|renewal (?:shall|will) (?:only "
    r")?(?:be|occur) by mutual"
    # "Any renewal requires a new Order Form": renewing takes a new contract, so none is automatic.
    r"|(?:renewal|extension|continuation)\b[^.;]{0,80}?\brequires? (?:the )?(?:execution of )?"
    r"(?:a |an )?(?:new|separate|written|signed|mutual|further)\b"
    # "The subscription ends at the end of the 24-month term unless the parties sign a renewal
    # order": it goes on only by a document signed for it.
    r"|\b(?:ends|expires|terminates|shall end|will end|shall expire|will expire)\b[^.;]{0,60}?"
    r"\bunless\b[^.;]{0,30}?\b(?:sign|signs|execute|executes|enter into|enters into)\b"
    r"[^.;]{0,30}?\b(?:renewal|extension|new order)\b)"
)
# A negation inside a notice of non-renewal belongs to a renewal that is automatic.
_NOTICE_OF_NON_RENEWAL = re.compile(
    r"\b(?:unless|notice|notif\w*|elect\w*|wish\w*|decid\w*|intends?|intention)\b", re.IGNORECASE
)
_RENEWAL_TERM = words(
    rf"\b(?P<verb>renew(?:s|ed|al)?|extend(?:s|ed)?|extension|continues?)(?: automatically)?"
    rf"{_GAP}(?:for|of|by) (?:(?:an?|one or more|additional|successive|consecutive|further"
    rf"|renewal|subsequent|periods?|terms?|of) ){{0,4}}(?P<duration>{DURATION})"
)
# "continues for three (3) years" is the initial term; only a further period is a renewal.
_FURTHER = re.compile(r"additional|successive|consecutive|further|renewal|subsequent", re.I)
_RENEWAL_FIELD = words(rf"\brenewal term[^\S\n]*[:|\t][^\S\n]*(?P<duration>{DURATION})")
_NOTICE_TAIL = words(
    r"(?:prior to|before|in advance of|preceding|to expire at|to take effect at|to) (?:the )?"
    r"(?:end|expiration|expiry|"
    r"(?:commencement|beginning|start) of (?:any|the|a) (?:renewal|next)|renewal|then[- ]current|"
    r"scheduled|last day|anniversary|current)"
)
_NOTICE_KEYS = (
    "prior to",
    "before",
    "in advance",
    "preceding",
    "to expire at",
    "to take effect at",
    "to the end",
    "to the expir",
)
# Notice is what a party gives to stop a renewal; a deadline to agree one is not a notice period.
_NOTICE_WORD = re.compile(r"notice|notif|cancel|terminat|non-?renewal|elect", re.IGNORECASE)
# What may stand between the period and "prior to the end": "days' written notice".
_NOTICE_GAP = re.compile(
    r"^[’'`]?s?\s*(?:(?:prior\s+)?(?:written\s+)?notice(?:\s+of\s+(?:termination|non-?renewal"
    r"|cancellation))?\s*)?(?:\)\s*)?$",
    re.IGNORECASE,
)


def _first_date_after(view: TextView, start: int, limit: int = 40) -> tuple[int, int, date] | None:
    for value, date_start, date_end in find_dates(
        view.text, start, min(len(view.text), start + limit + 40)
    ):
        if date_start - start <= limit:
            return date_start, date_end, value
        break
    return None


def _made_confidence(view: TextView, start: int, *, opening: bool) -> float | None:
    """How surely a "made / dated / entered into" date is this document's own date."""
    sentence_start, _ = view.sentence(start, start + 1)
    before = view.text[sentence_start:start]
    if _ELSEWHERE.search(before):
        # Above a bare signature date: an order form's agreement date is its MSA's.
        under = (
            _UNDER.search(before) and not _SELF_DATED.search(before) and not _RECITAL.search(before)
        )
        return (BORROWED if under else DOUBTFUL) if opening else None
    if _SELF.search(before):
        return SELF_DECLARED if opening else KEPT_BY_CONTEXT
    return PRECISE_WORDING if opening else None


def _signature_date(view: TextView) -> Hit | None:
    """The latest date in the signature block: the date the last party signed."""
    text = view.text
    witness = None
    for position in view.positions(("in witness", "signature")):
        if position >= len(text) * 2 // 5:
            witness = _WITNESS.match(text, position)
            if witness is not None:
                break
    if witness is not None:
        zone_start, zone_end = witness.start(), min(len(text), witness.start() + 4000)
        dated = list(find_dates(text, zone_start, zone_end))
    else:
        zone_start = len(text) * 3 // 4
        dated = [
            item
            for item in find_dates(text, zone_start, len(text))
            if _DATE_LABEL.search(text, max(zone_start, item[1] - 60), item[1])
        ]
    dated = [item for item in dated if not _SOURCE_LINE.match(text, view.line(item[1])[0])]
    if not dated:
        return None
    value, start, end = max(dated, key=lambda item: (item[0], item[1]))
    return view.hit("commercial.agreement_date", value, start, end, STAND_IN)


# A line of its own naming the place of signing and the date, as contracts outside the common
# law sign off: "São Paulo, 15 de setembro de 2025 / September 15, 2025.", "Munich, 15
# September 2025". The place is one to four capitalised words (particles between them), and
# the line ends with the date.
_PLACE_WORD = r"[A-ZÀ-Þ][a-zß-ÿ'’-]+"
_PLACE_DATE_LINE = re.compile(
    rf"^[^\S\n]*{_PLACE_WORD}(?:[^\S\n]+(?:(?:de|do|da|dos|das|del|la|le|am|an|der|sur|upon)"
    rf"[^\S\n]+)?{_PLACE_WORD}){{0,3}}(?:/[A-Z]{{2}})?,[^\S\n]+"
    # The rest opens with the date: a day, or a month and its day ("15 de setembro", "October 3").
    r"(?P<rest>(?=(?:(?:le|am|den|on|the|this)[^\S\n]+)?(?:\d{1,2}\b|[A-Za-zé]{3,9}\.?[^\S\n]+\d{1,2}\b))"
    r"[^\n]{6,90}?)"
    r"[^\S\n]*\.?[^\S\n]*$",
    re.MULTILINE,
)
# Words that open a line about something else: "Phase 2, ...", "Training, September 15".
_NOT_A_PLACE = re.compile(
    r"^\s*(?:Phase|Training|Invoice|Payment|Milestone|Date|Dated|Effective|Signed|Term|Go|"
    r"Start|End|Delivery|Renewal|Notice|Amendment|Order|Section|Schedule|Annex|Exhibit|Step)\b"
)


def _place_date(view: TextView) -> Hit | None:
    """The date of a line naming only the place of signing and the date (see above)."""
    text = view.text
    found: Hit | None = None
    for line in _PLACE_DATE_LINE.finditer(text, len(text) * 2 // 5):
        if _NOT_A_PLACE.match(line.group(0)):
            continue
        dates = list(find_dates(text, line.start("rest"), line.end("rest")))
        if not dates or text[dates[-1][2] : line.end("rest")].strip(" .") or len(dates) > 2:
            continue
        value, _, end = dates[-1]
        found = view.hit("commercial.agreement_date", value, line.start(), end, STAND_IN)
    return found


def _acceptance_date(view: TextView) -> Hit | None:
    """The latest date on an acceptance or signature line ("Accepted for X by Y, <date>")."""
    text = view.text
    dated = [
        item
        for line in _ACCEPTANCE.finditer(text)
        for item in find_dates(text, line.start(), line.end())
    ]
    if not dated:
        return None
    value, start, end = max(dated, key=lambda item: (item[0], item[1]))
    return view.hit("commercial.agreement_date", value, start, end, STAND_IN)


def _opening_dates(view: TextView) -> list[Hit]:
    """The document's own date as its opening or a "Date:" field states it."""
    text = view.text
    opening = min(len(text), _OPENING)
    hits: list[Hit] = []
    for match in view.finditer(_MADE, _MADE_KEYS, before=5, after=90):
        found = _first_date_after(view, match.end(), 4)
        if found is None:
            continue
        confidence = _made_confidence(view, match.start(), opening=match.start() < opening)
        if confidence is not None:
            hits.append(
                view.hit("commercial.agreement_date", found[2], match.start(), found[1], confidence)
            )
    for match in _DATE_FIELD.finditer(text, 0, opening):
        found = _first_date_after(view, match.end(), 6)
        if found:
            hits.append(
                view.hit(
                    "commercial.agreement_date",
                    found[2],
                    match.start(),
                    found[1],
                    LOOSE_WORDING,
                    exact=True,
                )
            )
    if not hits:
        for match in _AS_OF.finditer(text, 0, opening):
            found = _first_date_after(view, match.end(), 4)
            if found:
                hits.append(
                    view.hit(
                        "commercial.agreement_date",
                        found[2],
                        match.start(),
                        found[1],
                        KEPT_BY_CONTEXT,
                    )
                )
    return hits


def _amended_agreement_date(view: TextView) -> list[Hit]:
    """The date of the agreement an amendment amends, if the amendment states it."""
    text = view.text
    opening = min(len(text), _OPENING)
    found: list[tuple[float, Hit]] = []
    for match in _REFERENCED.finditer(text, 0, opening):
        date_found = _first_date_after(view, match.end(), 4)
        if date_found is None or _SELF.search(match.group(0)):
            continue  # "... Order Form TD-1\nThis Amendment is dated ...": its own date
        start, end = view.sentence(match.start(), date_found[1])
        sentence = text[start:end]
        # The amended agreement is the one the sentence amends or defines as "the Agreement".
        amended = bool(_AMENDS.search(sentence))
        hit = view.hit(
            "commercial.agreement_date", date_found[2], match.start(), date_found[1], CHECKED_CLAUSE
        )
        found.append((1.0 if amended else 0.0, hit))
    if not found:
        return []
    best = max(found, key=lambda item: (item[0], -item[1].start))
    return [best[1]]


def _agreement_dates(view: TextView) -> list[Hit]:
    text = view.text
    if is_amendment(view):
        # An amendment's own date dates the amendment, not the agreement it amends.
        return _amended_agreement_date(view)
    hits = _opening_dates(view)
    if max((hit.confidence for hit in hits), default=0.0) < KEPT_BY_CONTEXT:
        signature = _signature_date(view) or _place_date(view) or _acceptance_date(view)
        if signature is not None:
            hits.append(signature)
    if not hits:
        # An undated text: the date in its title block, if any; not a start, an end or the
        # date of something else ("12 months starting 1 January 2027").
        for value, start, end in find_dates(text, 0, min(len(text), 1200)):
            lead = text[max(view.sentence(start, end)[0], start - 80) : start]
            if not _SOURCE_LINE.match(text, view.line(start)[0]) and not _NOT_ITS_DATE.search(lead):
                hits.append(view.hit("commercial.agreement_date", value, start, end, LAST_RESORT))
                break
    return hits


def _start_fields(view: TextView) -> list[Hit]:
    """Effective dates of start fields labelled without the word "date" (see ``_START_FIELD``)."""
    hits: list[Hit] = []
    for match in view.finditer(_START_FIELD, _START_FIELD_KEYS, before=40, after=30):
        found = _first_date_after(view, match.end(), 2)
        if found:
            hits.append(
                view.hit(
                    "commercial.effective_date", found[2], match.start(), found[1], PRECISE_WORDING
                )
            )
    return hits


def _effective_dates(view: TextView) -> list[Hit]:
    text = view.text
    hits: list[Hit] = []
    if is_amendment(view):
        # "with effect from 1 February 2025": when the amendment, not the agreement, starts.
        return hits
    for match in view.finditer(_EFFECTIVE_DEFINED, ("effective date",), before=40, after=30):
        # '... as of March 1, 2024 (the "Effective Date")': the date right before the definition.
        window_start = max(0, match.start() - 90)
        before = list(find_dates(text, window_start, match.start()))
        if before and not text[before[-1][2] : match.start()].strip(" \t\n,()"):
            value, start, _ = before[-1]
            hits.append(
                view.hit("commercial.effective_date", value, start, match.end(), LABELLED_FIELD)
            )
        elif before:
            value, start, _ = before[-1]
            hits.append(
                view.hit("commercial.effective_date", value, start, match.end(), LOOSE_WORDING)
            )
    for match in view.finditer(_START_DEFINED, _START_DEFINED_KEYS, before=40, after=30):
        before = list(find_dates(text, max(0, match.start() - 90), match.start()))
        if before and not text[before[-1][2] : match.start()].strip(" \t\n,"):
            value, start, _ = before[-1]
            hits.append(
                view.hit("commercial.effective_date", value, start, match.end(), LABELLED_FIELD)
            )
    for match in view.finditer(_EFFECTIVE_AS_OF, _START_KEYS, before=40, after=60):
        found = _first_date_after(view, match.end(), 4)
        if found:
            hits.append(
                view.hit(
                    "commercial.effective_date", found[2], match.start(), found[1], PRECISE_WORDING
                )
            )
    for match in view.finditer(_EFFECTIVE_FIELD, (" date",), before=40, after=50):
        found = _first_date_after(view, match.end(), 6)
        if found:
            hits.append(
                view.hit(
                    "commercial.effective_date", found[2], match.start(), found[1], PRECISE_WORDING
                )
            )
    hits.extend(_start_fields(view))
    for match in view.finditer(
        _RUNS_FROM, (" from", "commencing", "starting", "beginning"), before=60, after=60
    ):
        found = _first_date_after(view, match.end(), 4)
        if found:
            hits.append(
                view.hit(
                    "commercial.effective_date", found[2], match.start(), found[1], BARE_MENTION
                )
            )
    return hits


def _expiration_dates(view: TextView) -> list[Hit]:
    hits: list[Hit] = []
    for pattern, keys, confidence in (
        (_EXPIRATION_FIELD, (" date",), PRECISE_WORDING),
        (_EXPIRES, ("expir", "terminat", " end", "until", "through"), KEPT_BY_CONTEXT),
    ):
        for match in view.finditer(pattern, keys, before=40, after=90):
            found = _first_date_after(view, match.end(), 6)
            if found:
                hits.append(
                    view.hit(
                        "commercial.expiration_date", found[2], match.start(), found[1], confidence
                    )
                )
    return hits


def months_between(start: date, end: date) -> int:
    """Whole months of a term running from ``start`` to ``end`` inclusive."""
    span = relativedelta(end + timedelta(days=1), start)
    return span.years * 12 + span.months + (1 if span.days > 15 else 0)


def _date_ranges(view: TextView) -> list[Hit]:
    """ "Subscription term: April 1, 2025 to March 31, 2026": the term and its end date."""
    hits: list[Hit] = []
    for match in view.finditer(_RANGE, _RANGE_KEYS, before=80, after=120):
        first = DATE_RE.match(view.text, match.start("first"))
        second = DATE_RE.match(view.text, match.start("second"))
        start = date_from_match(first) if first else None
        end = date_from_match(second) if second else None
        if start is None or end is None or end <= start:
            continue
        months = months_between(start, end)
        if 0 < months <= 120:
            hits.append(
                view.hit(
                    "commercial.term_months", months, match.start(), match.end(), LOOSE_WORDING
                )
            )
            hits.append(
                view.hit(
                    "commercial.expiration_date", end, match.start(), match.end(), LOOSE_WORDING
                )
            )
            if not is_amendment(view):
                hits.append(
                    view.hit(
                        "commercial.effective_date", start, match.start(), match.end(), BARE_MENTION
                    )
                )
    return hits


def _term(view: TextView) -> list[Hit]:
    hits: list[Hit] = _date_ranges(view)
    for match in view.finditer(_RUNS_FOR, _RUNS_KEYS, before=60, after=80):
        sentence_start, sentence_end = view.sentence(match.start(), match.end())
        sentence = view.text[sentence_start:sentence_end]
        before = view.text[sentence_start : match.start()]
        duration = parse_duration(match.group("duration"))
        months = duration.months() if duration else None
        if months and _TERM_SUBJECT.search(sentence) and not _RENEWAL_WORD.search(before):
            hits.append(
                view.hit(
                    "commercial.term_months", months, match.start(), match.end(), KEPT_BY_CONTEXT
                )
            )
    for pattern, confidence in (
        (_TERM_FIELD, PRECISE_WORDING),
        (_TERM_LINE, CHECKED_CLAUSE),
        (_TERM, CHECKED_CLAUSE),
        (_PERIOD_FROM, BARE_MENTION),
    ):
        for match in view.finditer(pattern, _TERM_KEYS, before=40, after=200):
            duration = parse_duration(match.group("duration"))
            months = duration.months() if duration else None
            if months:
                hits.append(
                    view.hit(
                        "commercial.term_months", months, match.start(), match.end(), confidence
                    )
                )
    hits.extend(_duration_from_date(view))
    if not any(hit.path == "commercial.term_months" for hit in hits):
        for match in view.finditer(_MONTH_TO_MONTH, ("month",), before=40, after=40):
            hits.append(view.hit("commercial.term_months", 1, match.start(), match.end(), STAND_IN))
    return hits


def _duration_from_date(view: TextView) -> list[Hit]:
    """A term stated as a length counted from a date ("24 months from October 1, 2025")."""
    hits: list[Hit] = []
    text = view.text
    for match in view.finditer(_DURATION_FROM_DATE, _DURATION_FROM_KEYS, before=60, after=60):
        duration = parse_duration(match.group("duration"))
        months = duration.months() if duration else None
        if not months or not re.search(r"month|year", match.group("duration"), re.IGNORECASE):
            continue
        sentence_start, sentence_end = view.sentence(match.start(), match.end())
        before = text[sentence_start : match.start()]
        # The heading or label just before it counts: "3. Term. Twenty-four (24) months ...".
        lead = text[max(0, sentence_start - 40) : sentence_start].rsplit("\n\n", 1)[-1]
        if not _TERM_LIKE.search(lead + text[sentence_start:sentence_end]):
            continue
        if _OTHER_PERIOD_BEFORE.search(before):
            continue
        hits.append(
            view.hit("commercial.term_months", months, match.start(), match.end(), LOOSE_WORDING)
        )
    return hits


@per_view
def term_hits(view: TextView) -> list[Hit]:
    """Hits for the term's length (and its end, where a date range gives it), found once."""
    return _term(view)


def _auto_renewal(view: TextView) -> list[Hit]:
    """Whether the term renews by itself, and for how long each time."""
    text = view.text
    hits: list[Hit] = []
    negated: list[tuple[int, int]] = []
    for match in view.finditer(
        _NO_AUTO_RENEW,
        ("renew", "auto", "extend", "extension", "continuation"),
        before=90,
        after=90,
    ):
        sentence_start = view.sentence(match.start(), match.end())[0]
        clause_start = max(sentence_start, text.rfind(";", sentence_start, match.start()) + 1)
        if _NOTICE_OF_NON_RENEWAL.search(text, clause_start, match.start()):
            continue
        hit = view.hit(
            "commercial.auto_renewal",
            False,
            match.start(),
            match.end(),
            PRECISE_WORDING,
            status=FactStatus.EXCLUDED,
        )
        negated.append((hit.start, hit.end))
        hits.append(hit)
    for match in view.finditer(_AUTO_RENEW, _RENEW_KEYS, before=90, after=110):
        hit = view.hit("commercial.auto_renewal", True, match.start(), match.end(), PRECISE_WORDING)
        if any(start <= hit.start < end for start, end in negated):
            continue
        hits.append(hit)
        window_end = min(len(text), match.start() + 300)
        every = _EVERY.search(text, match.start(), min(len(text), match.end() + 40))
        if every is not None:
            each = 1 if every.group(0).lower().endswith("month") else 12
            hits.append(
                view.hit(
                    "commercial.renewal_term_months",
                    each,
                    match.start(),
                    every.end(),
                    LOOSE_WORDING,
                )
            )
            continue
        # The renewal wording itself, never the sentence before it (the initial term).
        sentence_start = view.sentence(match.start(), match.end())[0]
        lookback = max(sentence_start, match.start() - 40)
        for renewal in _RENEWAL_TERM.finditer(text, lookback, window_end):
            if renewal.group("verb").lower().startswith("continu") and not _FURTHER.search(
                renewal.group(0)
            ):
                continue
            duration = parse_duration(renewal.group("duration"))
            months = duration.months() if duration else None
            if months:
                hits.append(
                    view.hit(
                        "commercial.renewal_term_months",
                        months,
                        renewal.start(),
                        renewal.end(),
                        CHECKED_CLAUSE,
                    )
                )
                break
    return hits


def _renewal(view: TextView) -> list[Hit]:
    if not view.mentions("renew", "evergreen", "extend", "extension", "continuation"):
        return []
    hits = _auto_renewal(view)
    for match in view.finditer(_RENEWAL_FIELD, ("renewal term",), before=5, after=60):
        duration = parse_duration(match.group("duration"))
        months = duration.months() if duration else None
        if months:
            hits.append(
                view.hit(
                    "commercial.renewal_term_months",
                    months,
                    match.start(),
                    match.end(),
                    PRECISE_WORDING,
                )
            )
    return hits + _notice(view)


def _notice(view: TextView) -> list[Hit]:
    """How long before the end of a term notice of non-renewal must be given."""
    text = view.text
    hits: list[Hit] = []
    for position in view.positions(_NOTICE_KEYS)[: 5 * MAX_MATCHES]:
        tail = _NOTICE_TAIL.match(text, position)
        if tail is None:
            continue
        periods = list(DURATION_RX.finditer(text, max(0, position - 90), position))
        if not periods or not _NOTICE_GAP.match(text[periods[-1].end() : position]):
            continue
        period = periods[-1]
        sentence_start, sentence_end = view.sentence(period.start(), tail.end())
        sentence = text[sentence_start:sentence_end]
        if not re.search(r"renew|extend|extension", sentence, re.I) or not _NOTICE_WORD.search(
            sentence
        ):
            continue
        duration = parse_duration(period.group(0))
        if duration and duration.unit in {"day", "week", "month"}:
            hits.append(
                view.hit(
                    "commercial.non_renewal_notice_days",
                    duration.days(),
                    period.start(),
                    tail.end(),
                    CHECKED_CLAUSE,
                )
            )
    return hits


def extract(view: TextView) -> list[Hit]:
    """Date, term and renewal hits."""
    return (
        _agreement_dates(view)
        + _effective_dates(view)
        + _expiration_dates(view)
        + term_hits(view)
        + _renewal(view)
    )
