"""Security and compliance terms: SOC 2, ISO 27001, pen tests, security audits, residency,
HIPAA BAA, GDPR DPA / SCCs, encryption, customer-managed keys, SSO, SCIM, breach notice,
retention and deletion, sub-processor approval.
"""

from __future__ import annotations

import re

from extractors.facts import PartyRole
from extractors.patterns.confidence import (
    CHECKED_CLAUSE,
    INFERRED,
    KEPT_BY_CONTEXT,
    LOOSE_WORDING,
    PRECISE_WORDING,
)
from extractors.patterns.core import Hit, TextView, words
from extractors.patterns.dates import DURATION, DURATION_RX, parse_duration
from extractors.patterns.parties import name_keys
from extractors.patterns.places import find_places
from extractors.patterns.vocabulary import (
    ASSURANCES,
    SECURITY_MENTIONS,
    concept_paths,
    read_concept,
)

CHECKS = concept_paths(*SECURITY_MENTIONS, *ASSURANCES) | frozenset(
    {
        "security.security_audit_rights",
        "security.data_residency",
        "security.sso",
        "security.breach_notification_hours",
        "security.data_retention_days",
        "security.subprocessor_approval",
    }
)

_SSO: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("SAML", re.compile(r"\bSAML\b")),
    ("OIDC", re.compile(r"\bOIDC\b|\bOpenID\s+Connect\b", re.IGNORECASE)),
)
_SSO_GENERIC = re.compile(r"\bsingle[ \t\n-]+sign[ \t\n-]+on\b|\bSSO\b", re.IGNORECASE)
_SECURITY_AUDIT = words(
    r"\b(?:audit|inspect|assess|verif)\w*\b[^.;]{0,120}?\b(?:security|safeguards|technical and "
    r"organi[sz]ational measures"
    r"|data (?:centers?|centres?)|facilities|premises|information security|controls|compliance "
    r"with (?:this )?(?:dpa|addendum))\b"
    r"|\b(?:security|on-?site|remote) (?:audits?|assessments?|inspections?|questionnaires?"
    r"|reviews?)\b"
    # The object first: "access to the Supplier's premises ... for the purposes of auditing",
    # "demonstrate compliance with this DPA, and ... contribute to audits".
    r"|\b(?:premises|data (?:centers?|centres?)|compliance with (?:this )?(?:dpa|addendum))\b"
    r"[^.;]{0,160}?\b(?:audit|inspect)\w*"
)
# Who may carry the audit out: the customer, by name or by role.
_AUDIT_BY = words(
    r"\b(?:audits?|inspections?)\b[^.;]{0,60}?\b(?:conducted|performed|carried out) by (?:the )?"
    r"(?:customer|client|controller)\b"
    r"|\bgrant (?:the )?(?:customer|client|controller)\b[^.;]{0,160}?\baccess\b"
)
_MAY = re.compile(
    r"\b(?P<who>[A-Z][\w&'’-]+)(?:\s+or\s+its\s+[\w-]+)?\s+(?:may|shall have the right to"
    r"|has the right to|is entitled)\b"
)
# The provider bound to let someone audit it: "Jarrah must permit the Customer ... to audit
# Jarrah's information security controls", "shall permit audits ... by the Customer". Who is
# let in (``who``) decides whether it is the customer's right.
_PERMIT_AUDIT = re.compile(
    r"\b(?:shall|must|will|agrees?\s+to|undertakes?\s+to|is\s+(?:required|obliged)\s+to)"
    r"(?!\s+not\b)(?:\s+\w+){0,2}?\s+(?:permit|allow|enable|authori[sz]e)\s+"
    r"(?:(?:the\s+)?(?P<who>[A-Z][\w&'’-]+)\b[^.;]{0,160}?\bto\s+(?:\w+\s+){0,2}?"
    r"(?:audit|inspect|assess|examine|verify)"
    r"|(?:\w+\s+){0,3}?(?:audits?|inspections?)\b[^.;]{0,120}?\bby\s+(?:the\s+)?"
    r"(?P<by>[A-Z][\w&'’-]+))",
    re.IGNORECASE,
)
_AUDIT_RIGHT = words(
    r"\b(?:customer|client|controller|its "
    r"(?:auditors?|representatives))\b[^.;]{0,80}?\b(?:may|shall have the right to|has the right "
    r"to|is entitled|can)\b"
)
_RESIDENCY_VERB = words(
    r"\b(?:stor(?:e|ed|es|ing|age)|host(?:ed|s|ing)?|resid(?:e|es|ency|ent)"
    r"|locat(?:ed|ion)|kept|data (?:cent(?:er|re)s?|regions?)|region)\b"
)
# Where the data is sent (a transfer, a sub-processor's processing) is not where it resides.
_RESIDENCY_KEYS = ("stor", "host", "resid", "locat", "kept", "data cent", "region")
# A place in another clause ("..., but sub-processors process data in the United States").
_OTHER_CLAUSE = re.compile(r",?\s+but\b|;|\bexcept\b|\bwhereas\b", re.IGNORECASE)
_RETENTION_KEYS = (
    "delet",
    "destr",
    "purg",
    "eras",
    "retain",
    "retention",
    "return",
    "keep",
    "kept",
    "store",
)
_REGIONS = words(r"\b(?P<eu>European Union|EU|European Economic Area|EEA|Europe)\b")
_DATA = re.compile(r"\b(?:data|content|information|records|backups?|logs?|PHI)\b", re.IGNORECASE)
_PLACE_LEAD = re.compile(
    r"\b(?:in|within|outside(?:\s+of)?|to|from)\s+(?:the\s+|our\s+|its\s+|their\s+)?"
    r"(?:continental\s+|mainland\s+)?(?:[A-Z][\w-]+\s*\(\s*)?$",
    re.IGNORECASE,
)
_BREACH = words(
    rf"\b(?:notif\w+|inform\w*|report\w*|alert\w*)\b[^.;]{{0,160}}?\b(?:within|no later than|not "
    rf"later than"
    rf"|in no event (?:later|more) than|not more than|no more than|in any event within) "
    rf"(?P<d>{DURATION})"
    rf"|\bwithin (?P<d2>{DURATION})[^.;]{{0,120}}?\b(?:notif\w+|inform\w*|report\w*)\b"
)
_BREACH_CONTEXT = re.compile(
    r"breach|incident|unauthori[sz]ed|compromise|intrusion|security event", re.IGNORECASE
)
_RETENTION_VERB = words(
    r"\b(?:delet\w*|destr\w*|purg\w*|eras(?:e|ed|es|ing|ure)|retain\w*|retention|return\w*)\b"
)
_AFTER_END = re.compile(
    r"terminat|expir|the\s+end\s+of|after\s+the\s+end|retained|retention|cancel"
    r"|\b(?:agreement|contract|subscription|term|services?)\s+(?:ends|has\s+ended|ended)\b",
    re.IGNORECASE,
)
# A verb whose object refers back to the sentence before: "... shall delete it", "erase them".
_BACK_REFERENCE = re.compile(r"\s+(?:it|them|the\s+same|all\s+of\s+(?:it|them))\b", re.IGNORECASE)


def _about_data(view: TextView, verb: re.Match[str], start: int, end: int) -> bool:
    """Whether the sentence at ``[start, end)`` is about data, itself or, where ``verb``'s
    object refers back ("shall delete it"), by the sentence before it ("You own all data you
    upload to the Service.")."""
    text = view.text
    if _DATA.search(text, start, end):
        return True
    if start == 0 or not _BACK_REFERENCE.match(text, verb.end()):
        return False
    before_start, _ = view.sentence(start - 1, start)
    return before_start < start and _DATA.search(text, before_start, start) is not None


# "no later than fourteen (14) days after the end ... request": a request window, not retention.
_NOT_RETENTION = re.compile(r"[’'`]?s?\s*(?:of\s+)?(?:notice|prior\s+written)", re.IGNORECASE)
_SUBPROCESSOR = words(r"\bsub-?processors?\b")
_SUBPROCESSOR_CONTROL = re.compile(
    r"approv|consent|object|authori[sz]|notif|notice|list", re.IGNORECASE
)


# Whose sign-on it is: "... for Orrery staff", "Provider personnel access ... through single
# sign-on", "our own staff". The provider securing its own people is no customer requirement.
_STAFF = re.compile(
    r"\b(?:(?:for|by|of)\s+)?(?:all\s+|the\s+)?(?P<who>[\w&'’-]+?)(?:['’]s)?(?:\s+own)?\s+"
    r"(?:staff|personnel|employees|workforce|engineers|administrators|contractors|team\s+members)"
    r"\b",
    re.IGNORECASE,
)
_PROVIDER_WORDS = frozenset(
    {"provider", "supplier", "vendor", "processor", "operator", "contractor", "licensor", "our"}
)
_CUSTOMER_USERS = re.compile(
    r"\b(?:customer|client|licensee|subscriber|controller)(?:['’]s)?\s+(?:\w+\s+)?(?:users?"
    r"|staff|personnel|employees|admins?|administrators|identity\s+provider)\b|\bend[\s-]+users?\b"
    r"|\bauthori[sz]ed\s+users?\b",
    re.IGNORECASE,
)


def _providers_staff(view: TextView, start: int, end: int) -> bool:
    """Whether the sentence at ``[start, end)`` sets sign-on for the provider's own people."""
    sentence = view.text[start:end]
    if _CUSTOMER_USERS.search(sentence):
        return False
    for match in _STAFF.finditer(sentence):
        who = match.group("who").lower()
        if who in _PROVIDER_WORDS or name_keys(view).get(who) is PartyRole.PROVIDER:
            return True
    return False


def _sso(view: TextView) -> list[Hit]:
    hits: list[Hit] = []
    for name, pattern in _SSO:
        for match in view.finditer(pattern, (name.lower(), "openid"), before=5, after=30):
            hits.append(view.hit("security.sso", name, match.start(), match.end(), PRECISE_WORDING))
    if not hits:
        for match in view.finditer(
            _SSO_GENERIC, ("sign-on", "sign on", "sso"), before=15, after=20
        ):
            hits.append(view.hit("security.sso", "SSO", match.start(), match.end(), LOOSE_WORDING))
    if hits and view.mentions(
        "staff", "personnel", "employees", "workforce", "engineers", "administrators", "contractors"
    ):
        hits = [
            hit for hit in hits if not _providers_staff(view, *view.sentence(hit.start, hit.end))
        ]
    return hits


def _customer_may(view: TextView, sentence: str) -> bool:
    """Whether the customer, by its defined name ("Bank may ..."), is given the right."""
    for match in _MAY.finditer(sentence):
        if name_keys(view).get(match.group("who").lower()) is PartyRole.CUSTOMER:
            return True
    return False


def _customer_permitted(view: TextView, sentence: str) -> bool:
    """Whether the sentence binds someone to let the customer (by role or name) audit."""
    for match in _PERMIT_AUDIT.finditer(sentence):
        who = (match.group("who") or match.group("by")).lower()
        if who in {"customer", "client", "controller"}:
            return True
        if name_keys(view).get(who) is PartyRole.CUSTOMER:
            return True
    return False


def _security_audits(view: TextView) -> list[Hit]:
    hits: list[Hit] = []
    keys = ("audit", "inspect", "assess", "review", "verif")
    if not view.mentions(*keys):
        return hits
    for match in view.finditer(_SECURITY_AUDIT, keys, before=200, after=200):
        start, end = view.sentence(match.start(), match.end())
        sentence = view.text[start:end]
        if (
            _AUDIT_RIGHT.search(sentence)
            or _AUDIT_BY.search(sentence)
            or _customer_may(view, sentence)
            or _customer_permitted(view, sentence)
            or re.search(r"security audits?", sentence, re.IGNORECASE)
        ):
            hits.append(
                view.hit(
                    "security.security_audit_rights",
                    True,
                    match.start(),
                    match.end(),
                    KEPT_BY_CONTEXT,
                )
            )
    return hits


def _residency(view: TextView) -> list[Hit]:
    hits: list[Hit] = []
    if not view.mentions("data", "hosted", "stored"):
        return hits
    text = view.text
    seen: set[tuple[str, int]] = set()
    for verb in view.finditer(_RESIDENCY_VERB, _RESIDENCY_KEYS, before=5, after=30):
        start, end = view.sentence(verb.start(), verb.end())
        if not _DATA.search(text, start, end):
            continue
        window_end = min(end, verb.end() + 160)
        other = _OTHER_CLAUSE.search(text, verb.end(), window_end)
        window_end = other.start() if other else window_end
        codes: list[tuple[str, int, int]] = []
        for place, place_start, place_end in find_places(text, verb.end(), window_end):
            if _PLACE_LEAD.search(text, max(verb.end(), place_start - 40), place_start):
                codes.append((place.country, place_start, place_end))
        for region in _REGIONS.finditer(text, verb.end(), window_end):
            if _PLACE_LEAD.search(text, max(verb.end(), region.start() - 40), region.start()):
                code = (
                    "EEA"
                    if "economic" in region.group(0).lower() or region.group(0) == "EEA"
                    else "EU"
                )
                codes.append((code, region.start(), region.end()))
        for code, place_start, place_end in sorted(codes, key=lambda item: item[1]):
            if (code, place_start) not in seen:
                seen.add((code, place_start))
                hits.append(
                    view.hit(
                        "security.data_residency", code, verb.start(), place_end, KEPT_BY_CONTEXT
                    )
                )
    return hits


def _breach_notice(view: TextView) -> list[Hit]:
    hits: list[Hit] = []
    if not view.mentions("breach", "incident", "unauthori"):
        return hits
    for match in view.finditer(_BREACH, ("breach", "incident", "unauthori"), before=320, after=320):
        start, end = view.sentence(match.start(), match.end())
        if not _BREACH_CONTEXT.search(view.text, start, end):
            continue
        duration = parse_duration(match.group("d") or match.group("d2"))
        if duration is None or duration.unit not in {"hour", "day", "minute"}:
            continue
        hours = round(duration.hours())
        if 0 < hours <= 24 * 30:
            hits.append(
                view.hit(
                    "security.breach_notification_hours",
                    hours,
                    match.start(),
                    match.end(),
                    CHECKED_CLAUSE,
                )
            )
    return hits


_CLAUSE_JOINT = re.compile(r"\b(?:and|or|but)\s+(?:shall|will|must)\b|;", re.IGNORECASE)


def _retention(view: TextView) -> list[Hit]:
    """Days data is kept after the contract ends: the period nearest a delete/retain verb."""
    hits: list[Hit] = []
    text = view.text
    seen: set[tuple[int, int]] = set()
    for verb in view.finditer(_RETENTION_VERB, _RETENTION_KEYS, before=5, after=30):
        start, end = view.sentence(verb.start(), verb.end())
        if not _about_data(view, verb, start, end) or not _AFTER_END.search(text, start, end):
            continue
        periods = [
            period
            for period in DURATION_RX.finditer(
                text, max(start, verb.start() - 160), min(end, verb.end() + 160)
            )
            if not _NOT_RETENTION.match(text, period.end())
        ]
        # "return ... within 30 days and shall destroy ... within 90 days": each verb's own
        # clause first.
        clause_start = max(
            [start, *(joint.end() for joint in _CLAUSE_JOINT.finditer(text, start, verb.start()))]
        )
        joint_after = _CLAUSE_JOINT.search(text, verb.end(), end)
        clause_end = joint_after.start() if joint_after else end
        own = [p for p in periods if clause_start <= p.start() and p.end() <= clause_end]
        periods = own or periods
        if not periods:
            continue
        nearest = min(periods, key=lambda period: abs(period.start() - verb.start()))
        duration = parse_duration(nearest.group(0))
        if duration is None or duration.unit not in {"day", "week", "month", "year"}:
            continue
        word = verb.group(0).lower()
        confidence = (
            CHECKED_CLAUSE if word.startswith(("delet", "destr", "purg", "eras")) else INFERRED
        )
        if (start, nearest.start()) in seen:
            continue
        seen.add((start, nearest.start()))
        span = (min(verb.start(), nearest.start()), max(verb.end(), nearest.end()))
        hits.append(view.hit("security.data_retention_days", duration.days(), *span, confidence))
    return hits


# Deleting, destroying or purging the customer's data, its copies, logs or backups.
_DELETE = words(
    r"\b(?:delet(?:e|ed|es|ing|ion)|destr(?:oy|oyed|oys|oying|uction)|purg(?:e|ed|es|ing)"
    r"|eras(?:e|ed|es|ing|ure))\b"
)
_DELETED_THING = re.compile(
    r"\b(?:[A-Z]\w+\s+Data|PHI|(?i:data|protected\s+health\s+information|copies|backups?|logs?"
    r"|records|content|information))\b",
)


def _deletion(view: TextView) -> list[Hit]:
    """The data is deleted or destroyed at some point: at the end, on request, after retention."""
    hits: list[Hit] = []
    for match in view.finditer(_DELETE, ("delet", "destr", "purg", "eras"), before=5, after=20):
        start, end = view.sentence(match.start(), match.end())
        if _DELETED_THING.search(view.text, start, end) or (
            _BACK_REFERENCE.match(view.text, match.end()) and _about_data(view, match, start, end)
        ):
            hits.append(
                view.hit(
                    "security.data_deletion", True, match.start(), match.end(), KEPT_BY_CONTEXT
                )
            )
    return hits


def _subprocessors(view: TextView) -> list[Hit]:
    hits: list[Hit] = []
    if not view.mentions("processor"):
        return hits
    for match in view.finditer(_SUBPROCESSOR, ("processor",), before=10, after=20):
        start, end = view.sentence(match.start(), match.end())
        if _SUBPROCESSOR_CONTROL.search(view.text, start, end):
            hits.append(
                view.hit(
                    "security.subprocessor_approval",
                    True,
                    match.start(),
                    match.end(),
                    LOOSE_WORDING,
                )
            )
    return hits


def extract(view: TextView) -> list[Hit]:
    """Security and compliance hits."""
    return (
        read_concept(view, *SECURITY_MENTIONS, *ASSURANCES)
        + _sso(view)
        + _security_audits(view)
        + _residency(view)
        + _breach_notice(view)
        + _retention(view)
        + _subprocessors(view)
        + _deletion(view)
    )
