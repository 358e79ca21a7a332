"""Explicit exclusions: the text says a term does not apply.

"Customer shall not have audit rights", "No source code escrow is provided", "Provider
does not offer customer-managed keys", "Data migration is out of scope", "SSO: Not
included". Each becomes an *excluded* hit for its path, quoting the sentence; the rules
treat that differently from a term nobody found.

A denial governs the whole list it is said of: "Single sign-on (SAML 2.0) and SCIM
provisioning are features of the Enterprise plan and are not part of this order", "does not
include SSO, SCIM or an uptime SLA", and an upsell question answered by a denial ("Want SAML
single sign-on, SCIM and a 99.99% uptime SLA? ... Nothing on this list is included in
Starter") exclude every term of the list, not only the one next to the "not".

Clauses that are themselves prohibitions ("shall not assign", "shall not solicit",
"shall not compete") are never read with the general grammar, since their "not" is the
clause; those paths only take the specific wordings listed for them.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from extractors.facts import FactStatus
from extractors.patterns.confidence import CHECKED_CLAUSE
from extractors.patterns.core import Hit, TextView
from extractors.patterns.vocabulary import (
    ACCEPTANCE_CRITERIA,
    CUSTOM_PRICING,
    CUSTOMER_MANAGED_KEYS,
    DATA_MIGRATION,
    ENCRYPTION_AT_REST,
    GDPR_DPA,
    HIPAA_BAA,
    ISO27001_CERTIFICATE,
    LIQUIDATED_DAMAGES,
    MINIMUM_COMMITMENT,
    MOST_FAVOURED_NATION,
    PENETRATION_TEST,
    PO_REQUIRED,
    POST_TERMINATION_SERVICES,
    PROFESSIONAL_SERVICES,
    SCIM,
    SOC2_REPORT,
    SOURCE_CODE_ESCROW,
    STANDARD_CONTRACTUAL_CLAUSES,
    TAX_EXEMPT,
    TRAINING,
    WITHHOLDING_TAX,
    ClauseConcept,
    Term,
)


@dataclass(frozen=True)
class _Denied:
    """A term the general denial wordings are built around, and the paths its denial excludes."""

    paths: tuple[str, ...]
    term: Term


def _of(concept: ClauseConcept) -> _Denied:
    """A clause concept's term, as its vocabulary entry words it."""
    assert concept.term is not None, concept.path
    return _Denied((concept.path, *concept.term.also), concept.term)


# Every term the general denial wordings are read for: those of the clause vocabulary, and the
# facts whose values other readers read.
_CONCEPTS: tuple[_Denied, ...] = (
    _of(MOST_FAVOURED_NATION),
    _Denied(
        ("commercial.revenue_profit_sharing",),
        Term(r"(?:revenue|profit)[\s-]+shar\w*", ("revenue", "profit")),
    ),
    _of(MINIMUM_COMMITMENT),
    _Denied(
        ("commercial.price_restrictions", "commercial.price_increase_cap_percent"),
        Term(
            r"price\s+(?:protection|caps?|restrictions?|locks?|increase\s+(?:caps?|limits?|"
            r"limitations?))",
            ("price",),
        ),
    ),
    _Denied(("commercial.discount_percent",), Term(r"discounts?", ("discount",))),
    _of(CUSTOM_PRICING),
    _of(LIQUIDATED_DAMAGES),
    _of(SOURCE_CODE_ESCROW),
    _Denied(
        ("legal.audit_rights", "security.security_audit_rights"),
        Term(
            r"(?:(?:security\s+|on-?site\s+)?audit(?:ing)?\s+rights?|rights?\s+to\s+(?:audit|inspect)|"
            r"(?:security\s+|on-?site\s+)?audits?(?:\s+or\s+inspections?)?)",
            ("audit",),
        ),
    ),
    _Denied(
        ("legal.insurance",),
        Term(
            r"(?:any\s+)?(?:specific\s+)?insurance(?:\s+(?:coverage|policies|requirements?))?",
            ("insurance",),
        ),
    ),
    _Denied(
        ("legal.warranty_duration", "legal.warranty_duration_months"),
        Term(r"warranty\s+period", ("warranty period",)),
    ),
    _Denied(
        ("legal.termination_for_convenience", "legal.termination_for_convenience_by"),
        # What is terminated may be named at length ("these Terms or any Order Form"), but
        # never across a turn of the sentence ("..., but Customer may terminate ...").
        Term(
            r"terminat\w*(?:\s+(?!(?:but|except|unless|however|provided|may|shall|will|can)\b)"
            r"[\w'-]+){0,8}?\s+for\s+convenience|"
            r"termination\s+for\s+convenience",
            ("convenience",),
        ),
    ),
    _of(POST_TERMINATION_SERVICES),
    _Denied(
        ("legal.change_of_control",),
        Term(
            r"change\s+(?:of|in)\s+control\s+(?:rights?|provisions?|clauses?|restrictions?)",
            ("of control", "in control"),
        ),
    ),
    _Denied(
        ("legal.uncapped_liability",),
        Term(r"unlimited\s+liability|uncapped\s+liability", ("unlimited", "uncapped")),
    ),
    _Denied(
        ("legal.unlimited_indemnity",),
        Term(r"unlimited\s+indemni\w*|uncapped\s+indemni\w*", ("unlimited", "uncapped")),
    ),
    _of(SOC2_REPORT),
    _of(ISO27001_CERTIFICATE),
    _of(PENETRATION_TEST),
    _of(HIPAA_BAA),
    _of(GDPR_DPA),
    _of(STANDARD_CONTRACTUAL_CLAUSES),
    _of(CUSTOMER_MANAGED_KEYS),
    _of(ENCRYPTION_AT_REST),
    _Denied(
        ("security.sso",),
        Term(
            r"single[\s-]+sign[\s-]+on|SSO|SAML(?:\s+2\.0)?", ("sign-on", "sign on", "sso", "saml")
        ),
    ),
    _of(SCIM),
    _Denied(
        ("security.data_residency",),
        Term(r"data\s+residency(?:\s+(?:commitments?|guarantees?|requirements?))?", ("residency",)),
    ),
    _Denied(
        ("security.subprocessor_approval",),
        Term(
            r"(?:right\s+to\s+)?(?:approv\w+|consent|object\w*)\s+(?:to\s+)?(?:any\s+|new\s+)"
            r"?sub-?processors?",
            ("processor",),
        ),
    ),
    _Denied(
        ("service.service_credits",),
        Term(r"service\s+(?:level\s+)?credits?|SLA\s+credits?", ("credit",)),
    ),
    _Denied(
        ("service.uptime_percent",),
        Term(
            r"(?:uptime|availability)\s+(?:SLA|commitment|guarantee|service\s+level)s?|"
            r"service\s+level\s+(?:agreement|commitment)s?|SLA",
            ("uptime", "availability", "service level", "sla"),
        ),
    ),
    _of(PROFESSIONAL_SERVICES),
    _of(DATA_MIGRATION),
    _of(TRAINING),
    _Denied(
        ("implementation.integrations",),
        Term(r"(?:custom\s+)?integrations?(?:\s+services)?", ("integration",)),
    ),
    _of(ACCEPTANCE_CRITERIA),
    _of(WITHHOLDING_TAX),
    _of(TAX_EXEMPT),
    _of(PO_REQUIRED),
    _Denied(
        ("commercial.auto_renewal",), Term(r"auto(?:matic(?:ally)?)?[\s-]*renew\w*", ("renew",))
    ),
)

# Verbs a negation may carry before the concept ("does not offer", "need not provide").
_VERBS = (
    r"(?:have|has|offer|offers|provide|provides|include|includes|support|supports|receive|grant|"
    r"grants|share|shares|disclose|discloses|release|hold|holds|enable|enables|obtained|received|"
    r"undergone|completed|maintained|performed|provided|offered|"
    r"be\s+entitled\s+to|maintain|perform|conduct|apply|be\s+subject\s+to|make\s+available|obtain|"
    r"carry|"
    r"sign|execute|enter\s+into|deliver|furnish|issue|submit|require|requires|contain|contains|"
    r"agree\s+to|"
    r"commit\s+to|guarantee|undergo|permit|allow|accept|be\s+(?:provided|offered|included|"
    r"available))"
)
_DETERMINERS = (
    r"(?:(?:any|an?|the|such|its|their|other|additional|further|with|to|for|customer[’']?s?|"
    r"provider[’']?s?)\s+){0,3}"
)
_NEGATOR = (
    r"(?:\b(?:shall|will|does|do|did|is|are|has|have|may|can|need|must|should)\s+not\b|"
    r"\b(?:won[’']t|doesn[’']t"
    r"|don[’']t|isn[’']t|aren[’']t|cannot|can[’']t)"
    r"|\bneither\s+(?:party|of\s+us|of\s+the\s+parties)\s+(?:shall|will|may|has|is|can)|"
    r"\bnot\s+entitled\s+to)"
)

# "does not currently support", "does not, at this time, offer".
_ADVERB = (
    r"(?:,?\s*(?:currently|presently|yet|generally|normally|ordinarily|otherwise|routinely"
    r"|at\s+(?:this|the\s+present)\s+time|as\s+(?:standard|a\s+matter\s+of\s+course)"
    r"|by\s+default)\s*,?)?"
)
# "security audits or penetration tests": a term excluded along with another before it.
_COORDINATED = r"(?:(?:[\w-]+\s+){{1,3}}(?:or|and|nor)\s+{det})?"
_NOT_BEFORE = (
    r"{negator}{adverb}\s+(?:(?:be\s+)?(?:required|obligated|entitled)\s+to\s+)?(?:{verbs}\s+)"
    r"?{det}" + _COORDINATED + r"(?:{concept})\b"
)
_NO_BEFORE = (
    r"\b(?:no|without\s+any)\s+(?:(?:\w+[\s-]+){{0,2}}?)(?:{concept})\b(?!\s+(?:later|less|more|"
    r"earlier)\b)"
)
# "has no obligation to deposit source code with any escrow agent", "has no right to conduct
# on-site or technical security audits": a duty or a right denied.
_NO_DUTY = (
    r"\b(?:no|not\s+(?:have|be\s+under)\s+any)\s+(?:obligation|duty|requirement|right)\s+to\s+"
    r"(?:(?!(?:but|and|unless|except)\b)[\w'-]+\s+){{0,6}}?(?:{concept})\b"
)
# "nothing in this letter obliges us to deposit the source code ... with an escrow agent": a
# duty the document says it does not create.
_NOTHING_OBLIGES = (
    r"\bnothing\b[^.;]{{0,60}}?\b(?:obliges|obligates|requires|compels)\s+(?:\w+\s+){{0,2}}?to\s+"
    r"(?:(?!(?:but|and|unless|except)\b)[\w'-]+\s+){{0,10}}?(?:{concept})\b"
)
_STATE = (
    r"(?:included|provided|offered|available|applicable|supported|part\s+of|in\s+scope|covered"
    r"|granted|required|shared|disclosed|made\s+available|performed|permitted|allowed)"
)
_AFTER = (
    # "price protection or a cap on future increases is not part of ...": the denial follows
    # the other term of a pair.
    r"\b(?:{concept})\b(?:\s+\([^)]{{0,40}}\))?(?:\s+(?:or|nor)(?:\s+[\w-]+){{1,5}}?)?\s+"
    r"(?:(?:is|are|was|were|has\s+been|have\s+been)\s+(?:not|neither)\s+(?:\w+\s+)?"
    + _STATE
    + r"|(?:shall|will|would|can|may|could)\s+not\s+(?:\w+\s+)?be\s+(?:\w+\s+)?"
    + _STATE
    + r"|(?:is|are|shall\s+be|will\s+be)\s+(?:excluded|out\s+of\s+scope|unavailable|unsupported"
    r"|n/?a\b))"
    r"|\b(?:{concept})\b\s+(?:shall|will|does|do)\s+not\s+apply"
)
_FIELD = (
    r"\b(?:{concept})\b[^\S\n]*[:|\t][ "
    r"\t]*(?:none|no|n/?a|not\s+(?:included|applicable|provided|offered|available)|excluded)\b"
)
_LISTED = (
    r"\b(?:not\s+included|out\s+of\s+scope|excluded(?:\s+from\s+(?:the\s+)?scope)?|exclusions?)"
    r"\s*[:\-–]\s*(?:[^.;\n]{{0,120}}?)\b(?:{concept})\b"
)
# An amendment striking a clause: "Section 9.3 (Non-Solicitation) of the Agreement is deleted".
_DELETED = (
    r"\b(?:section|clause|article|paragraph)\s+[\w.()]{{1,12}}[^.;\n]{{0,30}}?\(\s*[\"“]?"
    r"(?:{concept})[\"”]?\s*\)[^.;\n]{{0,40}}?\b(?:is|are|shall\s+be|will\s+be)\s+"
    r"(?:hereby\s+)?(?:deleted|removed|struck|revoked|rescinded|repealed)\b"
)
_WAIVES = (
    r"\bwaives?\s+(?:any\s+and\s+all\s+|all\s+|any\s+|its\s+)?(?:rights?\s+to\s+)?(?:an?\s+|the\s+)"
    r"?(?:{concept})\b"
)


def _deleted(title: str) -> str:
    """An alternative matching an amendment that deletes the clause titled ``title``."""
    return "|" + _DELETED.replace("{{", "{").replace("}}", "}").replace("{concept}", title)


# Wordings specific to the prohibition-type clauses, where "not" is the clause itself, each
# with the lower-case words a sentence must hold for it to be read.
_SPECIFIC: tuple[tuple[tuple[str, ...], str, tuple[str, ...]], ...] = (
    (
        ("legal.non_compete",),
        r"\bnothing\s+in\s+this\s+(?:agreement|section)\s+(?:shall|will)\s+(?:be\s+(?:construed|"
        r"deemed)\s+to\s+)?"
        r"(?:restrict|prevent|preclude|limit|prohibit)\w*\s+(?:either\s+party|any\s+party|[A-Z]\w+|"
        r"the\s+parties)"
        r"[^.;]{0,80}?\b(?:develop\w*|market\w*|compet\w*|offer\w*|provid\w*|sell\w*)"
        r"\b[^.;]{0,80}?\b(?:compet\w*|similar)"
        r"|\bno\s+(?:[\w-]+\s+(?:or|and|nor)\s+)?non[\s-]?compet\w*"
        + _deleted(r"non[\s-]?compet\w*|restrictive\s+covenants?"),
        ("nothing", "no non", "compet", "covenant"),
    ),
    (
        ("legal.exclusivity",),
        r"\bnothing\s+(?:in\s+this\s+agreement\s+)?(?:shall|will)\s+(?:be\s+(?:construed|deemed)"
        r"\s+to\s+)?create\s+an?\s+exclusive"
        r"|\b(?:this\s+agreement|the\s+relationship[^.;]{0,40}?)\s+(?:is|shall\s+be)"
        r"\s+non-?exclusive\b"
        r"|\bno\s+exclusivity\b|\bnot\s+(?:be\s+)?(?:an?\s+)?exclusive\s+(?:relationship|"
        r"arrangement|dealing)",
        ("exclusiv",),
    ),
    (
        ("legal.ip_ownership_assignment",),
        r"\bno\s+(?:intellectual\s+property|IP)(?:\s+rights)?\s+(?:are|is|shall\s+be|will\s+be)"
        r"\s+(?:assigned|transferred)"
        r"|\bnothing\s+in\s+this\s+(?:agreement|sow|statement\s+of\s+work)\s+(?:shall|will)"
        r"?\s*(?:be\s+construed\s+to\s+)?"
        r"(?:transfers?|assigns?|conveys?)\s+(?:any\s+)?(?:ownership|intellectual\s+property|title|"
        r"right,\s+title)"
        r"|\b(?:retains?|shall\s+retain|will\s+retain)\s+(?:all\s+|exclusive\s+)"
        r"?(?:right,\s+title\s+and\s+interest|ownership)"
        r"\s+(?:in|to)\s+(?:and\s+to\s+)?(?:any\s+|all\s+)?(?:the\s+)?deliverables",
        ("no intellectual", "no ip", "nothing", "retain"),
    ),
    (
        ("legal.third_party_beneficiary",),
        r"\b(?:there\s+are\s+)?no\s+third[\s-]+party\s+beneficiar\w*"
        r"|\bno\s+(?:third\s+party|person|other\s+person|one)\s+(?:other\s+than\s+the\s+parties\s+)"
        r"?(?:shall|will|is|are)\s+"
        r"(?:be\s+)?(?:a\s+)?(?:third[\s-]+party\s+)?beneficiar\w*"
        r"|\bnothing\s+(?:in\s+this\s+agreement\s+)?(?:,\s*express\s+or\s+implied,\s*)"
        r"?(?:is\s+intended\s+to\s+|shall\s+|will\s+)?"
        r"(?:confer|give|grant)\w*\s+(?:up)?on\s+any\s+(?:third\s+party|person|other\s+person)"
        r"[^.;]{0,60}?\b(?:rights?|benefits?|remed\w+)"
        # "Nothing in this Agreement confers any right or remedy on any person other than ..."
        r"|\bnothing\b[^.;]{0,60}?\bconfer\w*\s+(?:any\s+)?(?:rights?|benefits?|remed\w+)"
        r"(?:,?\s+(?:or|and)\s+(?:rights?|benefits?|remed\w+))?\s+(?:up)?on\s+any\s+"
        r"(?:third\s+party|person|other\s+person)"
        # "... other than [page break] the parties": the parties are no exception.
        r"(?:\s+other\s+than(?=[\s\S]{0,120}?\bthe\s+parties\b))?"
        r"|\bnot\s+(?:intended\s+to\s+)?(?:be\s+)?(?:a\s+)?third[\s-]+party\s+beneficiar\w*"
        r"|\b(?:is|are)\s+not\s+intended\s+to\s+(?:benefit|confer)",
        ("beneficiar", "nothing", "not intended"),
    ),
    (
        ("legal.anti_assignment",),
        r"\b(?:either|each)\s+party\s+may\s+(?:freely\s+)?assign\s+(?:this\s+agreement\s+)"
        r"?(?:freely|without\s+(?:the\s+)?"
        r"(?:(?:prior\s+)?(?:written\s+)?consent|restriction))(?![^.;]{0,80}?\b(?:to|provided|"
        r"except)\b)"
        r"|\bno\s+consent\s+(?:is|shall\s+be)\s+required\s+(?:for|to)\s+(?:any\s+)?assign",
        ("assign",),
    ),
    (
        ("legal.non_solicit",),
        r"\bnothing\s+(?:in\s+this\s+agreement\s+)?(?:shall|will)\s+(?:restrict|prevent|prohibit|"
        r"preclude|limit)\w*\s+"
        r"[^.;]{0,60}?\b(?:solicit\w*|hir\w+|employ\w*|recruit\w*)\b(?![^.;]{0,60}?\bexcept\b)"
        r"|\bno\s+(?:[\w-]+\s+(?:or|and|nor)\s+)?non[\s-]?solicit\w*"
        + _deleted(r"non[\s-]?solicit\w*|no[\s-]hire"),
        ("nothing", "no non", "solicit", "hire"),
    ),
    (
        ("legal.cap_on_liability", "legal.liability_cap"),
        r"\b(?:neither\s+party[’']s|no)\s+liability\s+(?:shall|will)\s+(?:not\s+)?be\s+(?:limited|"
        r"capped)\b"
        r"|\bno\s+(?:limitation|cap)\s+(?:of|on)\s+liability\b",
        ("be limited", "be capped", "no limitation", "no cap"),
    ),
    (
        ("tax.affiliates_covered",),
        r"\baffiliates?\s+(?:are|is|shall\s+be|will\s+be)\s+not\s+(?:covered|permitted|entitled|"
        r"authori[sz]ed|included)"
        r"|\b(?:affiliates|affiliate)\s+(?:may|shall|will)\s+not\s+(?:use|access|order|purchase)"
        r"|\bsolely\s+(?:for|by)\s+customer\s+and\s+not\s+(?:for|by)\s+(?:its|any)\s+affiliates",
        ("affiliate",),
    ),
    (
        ("implementation.professional_services",),
        r"\bno\s+(?:professional|implementation|consulting)\s+services\s+(?:are|is|will\s+be|"
        r"shall\s+be)\s+(?:included|provided|purchased|ordered)",
        _of(PROFESSIONAL_SERVICES).term.keys,
    ),
    # Further wordings for terms that also take the general grammar.
    (
        ("security.data_residency",),
        r"\b(?:no|not|without\s+any)\b[^.;]{0,40}?\b(?:commit\w*|guarantee\w*|warrant\w*"
        r"|represent\w*|assurances?|promise\w*)\b[^.;]{0,40}?\b(?:as\s+to|regarding|about"
        r"|concerning|that|on)\b[^.;]{0,30}?\b(?:country|countries|region|regions|location|locations"
        r"|jurisdiction|data\s+cent(?:er|re)s?)\b",
        ("countr", "region", "location", "jurisdiction", "data cent"),
    ),
    # A location the provider says it does not undertake: "does not undertake to store or
    # process personal information in South Africa or in any other particular country".
    (
        ("security.data_residency",),
        r"\b(?:not|no|without\s+any)\s+(?:\w+\s+){0,2}?(?:undertak\w*|commit\w*|guarantee\w*"
        r"|warrant\w*|promis\w*)\s+(?:to|that)\b"
        r"(?=[^.;]{0,80}?\b(?:data|information|content|records)\b)[^.;]{0,60}?"
        r"\b(?:stor(?:e|ed|ing)|host(?:s|ed)?|keep|kept|process(?:ed)?|locat(?:e|ed)"
        r"|resid(?:e|es))\b[^.;]{0,80}?\b(?:in|within)\b",
        ("undertak", "commit", "guarantee", "warrant", "promis"),
    ),
    # Payment promised free of withholding: "shall not deduct or withhold any tax", "without
    # deduction or withholding", "free of any withholding".
    (
        ("tax.withholding_tax",),
        r"\b(?:without|free\s+(?:of|from)|clear\s+of)\s+(?:any\s+|all\s+)?(?:(?:set[\s-]?off"
        r"|counterclaim|deductions?|abatement)\s*,?\s*(?:(?:or|and|nor)\s+)?){0,3}withholdings?\b"
        r"|\b(?:shall|will|must|may|need|does|do)\s+not\s+(?:(?:make\s+any\s+)?(?:deduct(?:ion)?"
        r"|set[\s-]?off)\s*,?\s*(?:or|and|nor)\s+)?withhold(?:ing)?\b(?=[^.;]{0,60}?\btax)"
        r"|\bno\s+(?:[\w-]+\s+){0,2}?tax(?:es)?\s+(?:shall|will|may)\s+be\s+(?:deducted\s+or\s+)?"
        r"withheld\b",
        ("withh",),
    ),
    (
        ("legal.uncapped_liability",),
        r"\b(?:cap|limitation|limit)s?\b(?:[^.;]|\.(?=\d)){0,160}?\b(?:there\s+are|with|subject\s+to)"
        r"\s+no\s+"
        r"exceptions?\b|\bno\s+exceptions?\s+(?:to|from)\s+(?:the\s+|this\s+|such\s+)?"
        r"(?:cap|limitation)",
        ("exception",),
    ),
)


def _body(template: str, concept: str) -> str:
    return template.format(
        concept=concept, negator=_NEGATOR, verbs=_VERBS, det=_DETERMINERS, adverb=_ADVERB
    )


@functools.cache
def _negation(body: str) -> re.Pattern[str]:
    """A general negation wording, compiled the first time a sentence needs it.

    Eight wordings for each of some forty concepts are hundreds of large patterns: compiled
    at import they cost a one-off process more than reading a contract does, and most of
    them are never needed (their concept's keywords are absent, or an earlier wording
    already decided the sentence).
    """
    return re.compile(body, re.IGNORECASE)


_GENERAL = (
    _NOT_BEFORE,
    _NO_BEFORE,
    _NO_DUTY,
    _NOTHING_OBLIGES,
    _AFTER,
    _FIELD,
    _LISTED,
    _WAIVES,
    _DELETED,
)
# The wordings whose denial comes before the term, and so reaches the terms listed after it.
_FORWARDS = frozenset({_NOT_BEFORE, _NO_BEFORE, _NO_DUTY, _NOTHING_OBLIGES, _WAIVES})


@dataclass(frozen=True)
class _Rule:
    paths: tuple[str, ...]
    # Where to look: sentences holding a match of ``anchor``; then ``negations`` decide.
    anchor: re.Pattern[str]
    # Sources of the general negation wordings, tried in order (see ``_negation``).
    negations: tuple[str, ...]
    keys: tuple[str, ...]
    # A sentence holding a match of ``unless`` is not read by the rule.
    unless: re.Pattern[str] | None = None


# Sentences a specific denial does not decide, by path: a promise of payment free of
# withholding that goes on to say what happens when the law requires it ("If Customer is
# required by law to make any deduction or withholding, it shall pay such additional amounts
# ...") grosses the payment up; it does not deny the withholding.
_UNLESS = {
    "tax.withholding_tax": re.compile(
        r"\bgross(?:ed|es|ing)?[\s-]*up|\brequired\b[^.;]{0,60}?\b(?:deduct|withh[eo]ld)"
        r"|\badditional\s+amounts?\b|\bwould\s+have\s+received\b|\bunless\b|\bexcept\b",
        re.IGNORECASE,
    ),
}


_RULES: tuple[_Rule, ...] = tuple(
    [
        _Rule(
            concept.paths,
            re.compile(rf"\b(?:{concept.term.pattern})\b", re.IGNORECASE),
            tuple(_body(template, concept.term.pattern) for template in _GENERAL),
            concept.term.keys,
        )
        for concept in _CONCEPTS
    ]
    + [
        _Rule(paths, re.compile(pattern, re.IGNORECASE), (), keys, _UNLESS.get(paths[0]))
        for paths, pattern, keys in _SPECIFIC
    ]
)
# A qualifier right after the excluded term keeps it alive: "No audit more than once a year",
# "no discount except as stated in the Order Form".
_QUALIFIED = re.compile(
    # What follows a colon explains the denial ("does not offer termination for convenience:
    # prepaid fees are non-refundable except ..."); it does not qualify it.
    r"[^.;:]{0,80}?\b(?:unless|except|other\s+than|save\s+as|more\s+(?:than|often|frequently)|"
    r"in\s+excess"
    r"|until|prior\s+to|without\s+(?:(?:the\s+)?(?:prior\s+)?(?:written\s+)?(?:consent|notice|"
    r"approval)))\b",
    re.IGNORECASE,
)
_NEGATION_CUES = (
    "not",
    "no ",
    "n/a",
    "none",
    "without",
    "waive",
    "excluded",
    "out of scope",
    "nothing",
    "neither",
    "exclusive",
    "retain",
    "freely",
    "deleted",
    "removed",
    "struck",
    "revoked",
    "rescinded",
    "repealed",
    "unavailable",
    "unsupported",
    "free of",
    "free from",
    "clear of",
)

CHECKS = frozenset(path for rule in _RULES for path in rule.paths)


# ---- A denial said of a list of terms -------------------------------------------------------
# An item of a list is any concept of the table. "Audit logs" and "audit trails" are product
# features, not audits.
_ITEM = re.compile(
    "|".join(
        rf"(?P<c{index}>\b(?:{concept.term.pattern})\b)(?!\s+(?:logs?|logging|trails?)\b)"
        for index, concept in enumerate(_CONCEPTS)
    ),
    re.IGNORECASE,
)
# What parts a list's items: commas, "and", "or", "as well as".
_SEPARATOR = re.compile(
    r"\s*(?:,|;|/|&|\b(?:and|or|nor|plus|as\s+well\s+as)\b)(?:\s*\b(?:and|or|nor)\b)?\s*",
    re.IGNORECASE,
)
# A word that opens or carries a clause: an item holding one is where the list begins (read
# backwards) or ends (read forwards).
_CLAUSE_WORD = re.compile(
    r"\b(?:is|are|was|were|be|been|being|will|shall|may|can|could|would|should|must|has|have|had"
    r"|does|do|did|includ\w*|provid\w*|support\w*|offer\w*|enabl\w*|gets?|that|which|who|if|when"
    r"|where|while|whereas|unless|except|but|however|because|although)\b",
    re.IGNORECASE,
)
_ITEM_WORDS = 6
# "No SSO or SCIM charges": the list names what is not charged for, not what is left out.
_PRICED = re.compile(
    r"\b(?:charges?|fees?|costs?|prices?|pricing|payments?|rates?)\s*$", re.IGNORECASE
)
_PLAN = (
    r"(?:the\s+|our\s+|an?\s+|its\s+)?(?:[\w-]+\s+){0,2}?(?:plans?|tiers?|editions?|packages?"
    r"|subscriptions?|licen[cs]es?)"
)
# A predicate after a list that takes it out of the order; its subject is the list, so it
# starts with the list's verb ("... are features of the Enterprise plan and are not part of
# this order").
_LIST_AFTER = re.compile(
    r"\b(?:is|are|will\s+be|shall\s+be)\b(?:\s+(?!not\b)[^.;?!\n]{0,60}?\s+and\s+(?:is|are"
    r"|will\s+be)\b)?\s+(?:"
    r"not\s+(?:\w+\s+)?(?:part\s+of|included|available|provided|offered|purchased|ordered"
    r"|covered|in\s+scope)"
    r"|excluded|out\s+of\s+scope|unavailable|unsupported|sold\s+separately"
    r"|(?:only\s+)?(?:available|included|offered|provided)\s+(?:only\s+)?(?:on|in|with|under"
    r"|as\s+part\s+of)\s+" + _PLAN + r"\s+only\b"
    r"|only\s+(?:available|included|offered|provided)\s+(?:on|in|with|under|as\s+part\s+of)\s+"
    + _PLAN
    + r")"
    r"|\brequires?\s+(?:an?\s+)?(?:upgrade|higher\s+plan)\b"
    # "... comes with our Enterprise plan only", "... ships only with the Enterprise tier".
    r"|\b(?:comes?|ships?)\s+(?:only\s+(?:with|on|in)\s+"
    + _PLAN
    + r"|(?:with|on|in)\s+"
    + _PLAN
    + r"\s+only)\b",
    re.IGNORECASE,
)
_LIST_AFTER_KEYS = (
    "not part of",
    "not included",
    "not available",
    "not provided",
    "not offered",
    "not purchased",
    "not ordered",
    "not covered",
    "not in scope",
    "excluded",
    "out of scope",
    "unavailable",
    "unsupported",
    "separately",
    "only",
    "upgrade",
    "higher plan",
)
# A predicate before a list that keeps it out of the order: "Upgrade to Enterprise to get".
_LIST_BEFORE = re.compile(
    r"\bupgrad(?:e|ing)\s+to\s+(?:the\s+|our\s+)?(?:[\w-]+\s+){1,3}?(?:to\s+(?:get|unlock|add"
    r"|access|enable|use)|for)\s+",
    re.IGNORECASE,
)
# The sentence closing a question or upsell block that denies the list before it: "Nothing on
# this list is included in Starter", "None of these are included", "Those come with
# Enterprise - talk to sales to upgrade".
_THESE = (
    r"(?:these|those|they|the\s+above)(?:\s+(?:features?|items?|add-?ons?|capabilities|options"
    r"|extras))?"
)
_CLOSER = re.compile(
    r"\b(?:nothing|none)\s+(?:(?:on|in|of|from)\s+(?:this|that|these|those|the)\s+(?:list|above"
    r"|items?|features?|add-?ons?)|of\s+(?:these|those|them|the\s+above))(?:\s+[\w-]+){0,2}?"
    r"\s+(?:is|are)\s+(?:currently\s+)?(?:included|part\s+of|available|provided|offered)"
    r"|\b" + _THESE + r"\s+(?:is|are)\s+not\s+(?:currently\s+)?(?:included|part\s+of|available"
    r"|provided|offered)"
    r"|\b" + _THESE + r"\s+(?:(?:is|are)\s+(?:only\s+)?(?:available|included|offered)|comes?"
    r"|ships?)\s+(?:only\s+)?(?:with|on|in)\b[^.?!;\n]{0,60}?\b(?:upgrad\w*|only)\b",
    re.IGNORECASE,
)
_CLOSER_KEYS = ("nothing", "none", "these", "those", "they", "the above")
# How many sentences back from its closing denial a question or list introduction may be.
_BLOCK_SENTENCES = 2
_INTRODUCTION = re.compile(r"[?:][*_\s]*$")


def _blanked(text: str) -> str:
    """``text`` with its parentheses blanked out (same length): "(SAML 2.0)" parts nothing."""
    return re.sub(r"\([^()\n]{0,60}\)", lambda m: " " * len(m.group()), text)


def _items(
    text: str, start: int, end: int, *, forwards: bool, continued: bool = False
) -> list[tuple[int, int]]:
    """The stretches of the list that ends at ``end`` (read backwards from it) or starts at
    ``start`` (read forwards; ``continued`` when ``start`` is inside its first item); empty
    when it is a list of what is charged for."""
    stretch = _blanked(text[start:end])
    bounds = [0]
    for separator in _SEPARATOR.finditer(stretch):
        bounds.extend((separator.start(), separator.end()))
    bounds.append(len(stretch))
    pieces = [(bounds[i], bounds[i + 1]) for i in range(0, len(bounds), 2)]
    if not forwards:
        pieces.reverse()
    items: list[tuple[int, int]] = []
    for number, (piece_start, piece_end) in enumerate(pieces):
        first, last = piece_start, piece_end
        words = list(_CLAUSE_WORD.finditer(stretch, piece_start, piece_end))
        if words:
            # The list begins after the clause's last word, or ends before its first.
            if forwards:
                last = words[0].start()
            else:
                first = words[-1].end()
        piece = stretch[first:last].strip()
        if not piece and number == 0 and continued:
            continue  # the rest of the term the denial named ("SSO" of "SSO, SCIM")
        if not piece or len(re.findall(r"[\w%.-]+", piece)) > _ITEM_WORDS:
            break
        items.append((start + first, start + last))
        if words:
            break
    if items:
        final_start, final_end = items[-1] if forwards else items[0]
        if _PRICED.search(text, final_start, final_end):
            return []
    return items


def _concepts(text: str, start: int, end: int) -> set[int]:
    """Indexes in ``_CONCEPTS`` of the concepts named in ``[start, end)``."""
    return {index for match in _ITEM.finditer(text, start, end) for index in _indexes(match)}


# An item that names only part of a term: "integrations with systems other than Salesforce",
# "additional training" are out of scope while the integrations and training ordered are not.
# (A heading run into the list, "Other terms\nSingle sign-on", qualifies nothing.)
_PART_BEFORE = re.compile(
    r"\b(?:other|additional|further|extra)[^\S\n]+(?:[\w-]+[^\S\n]+)?$", re.IGNORECASE
)
_PART_AFTER = re.compile(
    r"\b(?:other\s+than|except|excluding|beyond|save\s+for|unless|more\s+than|in\s+excess\s+of)\b",
    re.IGNORECASE,
)


def _listed(
    text: str, start: int, end: int, *, forwards: bool, continued: bool = False
) -> set[int]:
    """The concepts named in whole by the items of the list at ``start`` or ``end`` (see
    ``_items``)."""
    listed: set[int] = set()
    for item_start, item_end in _items(text, start, end, forwards=forwards, continued=continued):
        for match in _ITEM.finditer(text, item_start, item_end):
            if _PART_BEFORE.search(text, item_start, match.start()) or _PART_AFTER.search(
                text, match.end(), item_end
            ):
                continue
            listed.update(_indexes(match))
    return listed


def _indexes(match: re.Match[str]) -> set[int]:
    """Indexes in ``_CONCEPTS`` of the concepts an ``_ITEM`` match names."""
    return {int(name[1:]) for name, value in match.groupdict().items() if value is not None}


def _denied_lists(view: TextView) -> list[tuple[int, int, set[int]]]:
    """Spans that deny a list of terms, with the concepts of the list (``_CONCEPTS`` indexes)."""
    text = view.text
    found: list[tuple[int, int, set[int]]] = []
    for match in view.finditer(_LIST_AFTER, _LIST_AFTER_KEYS, before=120, after=120):
        start, end = view.sentence(match.start(), match.end())
        if _QUALIFIED.match(text, match.end(), end):
            continue
        if listed := _listed(text, start, match.start(), forwards=False):
            found.append((start, end, listed))
    for match in view.finditer(_LIST_BEFORE, ("upgrad",), before=40, after=200):
        start, end = view.sentence(match.start(), match.end())
        if listed := _listed(text, match.end(), end, forwards=True):
            found.append((start, end, listed))
    if view.mentions("?", ":"):
        found.extend(_denied_blocks(view))
    return found


def _denied_blocks(view: TextView) -> list[tuple[int, int, set[int]]]:
    """Question or upsell blocks whose closing sentence denies the terms they list."""
    text = view.text
    blocks: dict[int, tuple[int, set[int]]] = {}
    for match in view.finditer(_CLOSER, _CLOSER_KEYS, before=40, after=160):
        start, end = view.sentence(match.start(), match.end())
        if _QUALIFIED.match(text, match.end(), end):
            continue
        block_start = _block_start(view, start)
        if listed := _concepts(text, block_start, match.start()):
            _, earlier = blocks.get(block_start, (end, set()))
            blocks[block_start] = (end, earlier | listed)
    # A block closed twice ("Those come with Enterprise. Nothing on this list is included.")
    # is one block, quoted whole.
    merged: list[tuple[int, int, set[int]]] = []
    for start, (end, listed) in sorted(blocks.items()):
        if merged and start < merged[-1][1]:
            last_start, last_end, last_listed = merged[-1]
            merged[-1] = (last_start, max(last_end, end), last_listed | listed)
        else:
            merged.append((start, end, listed))
    return merged


def _block_start(view: TextView, start: int) -> int:
    """Where the block closed by the sentence at ``start`` begins: the earliest question or
    list introduction ("...?", "...:") among the sentences just before it, else ``start``."""
    block_start = sentence_start = start
    for _ in range(_BLOCK_SENTENCES):
        if sentence_start == 0:
            break
        previous_start, previous_end = view.sentence(sentence_start - 1, sentence_start)
        if previous_start >= sentence_start:
            break
        if _INTRODUCTION.search(view.text, previous_start, previous_end):
            block_start = previous_start
        sentence_start = previous_start
    return block_start


def extract(view: TextView) -> list[Hit]:
    """Excluded hits for every term the document explicitly rules out."""
    hits: list[Hit] = []
    # Lists whose denial reaches past the term next to it: the terms after the first one a
    # "no" or "does not include" denies, and the lists the list readers find.
    lists: list[tuple[int, int, set[int]]] = []
    if view.mentions(*_NEGATION_CUES):
        for rule in _RULES:
            _read_rule(view, rule, hits, lists)
    lists.extend(_denied_lists(view))
    done = {(hit.path, hit.start) for hit in hits}
    for start, end, listed in lists:
        for index in sorted(listed):
            for path in _CONCEPTS[index].paths:
                if (path, start) not in done:
                    done.add((path, start))
                    hits.append(Hit(path, False, start, end, CHECKED_CLAUSE, FactStatus.EXCLUDED))
    return hits


def _read_rule(
    view: TextView, rule: _Rule, hits: list[Hit], lists: list[tuple[int, int, set[int]]]
) -> None:
    """Adds ``rule``'s excluded hits to ``hits``, and to ``lists`` the further terms listed
    after one it denies."""
    text = view.text
    checked: set[int] = set()
    for anchor in view.finditer(rule.anchor, rule.keys, before=250, after=250):
        start, end = view.sentence(anchor.start(), anchor.end())
        if start in checked:
            continue
        checked.add(start)
        if rule.unless is not None and rule.unless.search(text, start, end):
            continue
        found: re.Match[str] | None = anchor
        forwards = False
        if rule.negations:
            found = None
            for body, template in zip(rule.negations, _GENERAL, strict=True):
                if found := _negation(body).search(text, start, end):
                    forwards = template in _FORWARDS
                    break
        if found is None or _QUALIFIED.match(text, found.end(), end):
            continue
        for path in rule.paths:
            hits.append(Hit(path, False, start, end, CHECKED_CLAUSE, FactStatus.EXCLUDED))
        if forwards and (listed := _listed(text, found.end(), end, forwards=True, continued=True)):
            lists.append((start, end, listed))


def compile_all() -> None:
    """Compile every general negation wording now: a long-running service does it once,
    ahead of its first contract, rather than in the first contracts that need each."""
    for rule in _RULES:
        for body in rule.negations:
            _negation(body)
