"""What a sentence must say before the clause model may raise an approval with it.

The clause model was trained on CUAD's licensing, distribution and supply agreements; on a
SaaS order form it can score a price row ("USD 7,200.00 per year; invoices due net 30")
as revenue sharing. A finding for an approval category therefore counts only if one of
its evidence sentences says the thing the category is about, in words from the category's
definition: a share or percentage of revenue, profit, royalties or sales; prices no
higher than, or terms as favourable as, other customers'; a sum payable on breach, delay
or early termination; and so on. A cue inside a denial of the same clause ("no
most-favoured-customer pricing applies", "neither party may terminate for convenience")
says the opposite and does not count. Categories without an approval are not gated.

Patterns are lower case and run over lower-cased text; a space matches any whitespace.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_NEAR = r"[^.;]{0,120}?"
_SHORT = r"[^.;]{0,60}?"
# A denial word, except where it denies something else: "not less than", "no later than".
_NOT = r"\b(?:no|not|never|neither|nor|nothing)\b(?! (?:less|more|later|earlier|fewer|sooner))"
_AMOUNT = r"(?:\$|us\$|usd|eur|gbp|€|£|dollars|euros|units|pieces|tons|cases|copies|licen[cs]es)"


# What a termination without cause says, and the conditions that make one for cause.
_WITHOUT_CAUSE = (
    r"for convenience|without (?:cause|reason)|for (?:any|no) reason|with or without"
    r" (?:cause|reason)|non-cause|at any time"
)
# Text within one alternative of a termination clause: no other termination, no "or (ii)",
# no right without cause.
_UNBROKEN = r"(?:(?!terminat|\bor\b|\(\w{1,4}\)|" + _WITHOUT_CAUSE + r")[^.;]){0,160}?"
_FOR_CAUSE = (
    r"(?:breach|default|insolv|bankrupt|liquidat|receiver|winding[- ]up|administrat(?:ion|or)"
    r"|(?:arrangement|composition) with (?:its )?creditors|ceases? (?:to )?(?:carry on|do)"
    r" business|fail(?:s|ure)? to (?:pay|perform|cure|remedy|comply))"
)
# The things a contract's work produces, whose ownership an IP assignment clause settles.
_WORK_PRODUCT = (
    r"(?:deliverables?|work product|works? of authorship|developments?|inventions?|improvements?"
    r"|modifications?|enhancements?|derivative works?|derivatives|adaptations?|translations?"
    r"|customi[sz]ations?|foreground|results|new (?:ip|intellectual property|technology)"
    r"|\b(?:created|developed|conceived|authored|invented|generated|produced|written|prepared"
    r"|discovered|reduced to practice)\b|arising (?:out of|from|under|in connection)"
    r"|resulting from|in the course of|domain names?|\burls?\b)"
)
_TRANSFER = r"assign|transfer|convey|\bvest"
# Rights that are intellectual property, as a transfer names them.
_IP_RIGHTS = (
    r"(?:right,? title|title and interest|ownership|intellectual property|copyrights?|patents?"
    r"|trademarks?|trade marks?|service marks?|\bmarks?\b|domain names?|\burls?\b"
    r"|proprietary rights"
    r"|registrations?|applications? for registration)"
)
# As far apart as a long sentence puts a made thing and the party that owns it.
_FAR = r"[^.;]{0,400}?"
_OWNED = r"\bown(?:s|ed|er|ership)?\b|property of|belong|title|copyright holder"


@dataclass(frozen=True)
class CategoryCues:
    """The phrasings that say a category's clause, and those that deny it."""

    says: tuple[str, ...]
    denies: tuple[str, ...] = ()


# A prohibition a party accepts: "shall not", "agrees not to", "nor will it".
_PROHIBITION = (
    r"\b(?:shall|will|may|must|can|agrees?|agreed|undertakes?|covenants?)(?: that it (?:shall"
    r"|will))? not\b|\bnor (?:shall|will|may)\b|\bagrees? not to\b|\bundertakes? not to\b"
)
# Words that put an exception on a limitation of liability, or leave a kind of damages out.
_LIABILITY_EXCEPTION = (
    r"except|excluding|exclusion|other than|save (?:for|in)|without (?:affecting|limiting|"
    r"prejudice)|notwithstanding|nothing|none of|not (?:apply|limit|be construed)"
    r"|not (?:be )?subject to"
    r"|provided(?:,)? (?:however|that)|unlimited|uncapped|(?:indirect|consequential|incidental"
    r"|special|punitive|exemplary) (?:or [a-z]+ )?damages"
)

CUES: dict[str, CategoryCues] = {
    "revenue_profit_sharing": CategoryCues(
        says=(
            # A percentage of something other than the fees themselves or the time: "5% of
            # the monthly fee" is a service credit, "99.9% of the time" an uptime, "more
            # than 5%" a price cap.
            r"(?:%|per ?cent)(?: ?\([^)]{0,15}\))?\)? of (?!(?:the |any |all |such |each |its "
            r"|their )?(?:[a-z-]+ ){0,2}(?:fees?|charges?|invoice|price increase|time|month|year"
            r"|hours|days|availability|uptime|voting|shortfall|downtime))",
            r"revenue|profit|income|proceeds|royalt|commission|rebate|bonus|net sales|gross sales"
            r"|\bsold\b|turnover|earnings|cash flow",
            r"(?:revenue|profit|income)s?[- ]?(?:shar|split)"
            r"|\bshar(?:e|ed|ing) (?:equally|pro rata)|fifty[- ]fifty|50/50",
            r"shares? of (?:\w+ )?(?:common |preferred )?stock|stock options?|equity"
            r"|\bwarrants? (?:to purchase|exercisable|for)",
            r"per (?:transaction|unit|tonne|ton|note|inquiry|click|impression|item|sale|copy|"
            r"lead|referral|subscriber|download)",
            r"finder'?s? fee|referral fee|lead[- ]finder|success fee|management fee",
        ),
        # Taxes on sales or income, and the officer who signs, share nothing.
        denies=(
            r"chief revenue officer|internal revenue|revenue code|sold by|non-?profit"
            r"|not-for-profit|los(?:s|t) (?:of )?(?:profits?|revenues?)",
            r"(?:sales|income|use|value[- ]added|withholding)\b[^.;]{0,40}?tax\w*",
            r"tax\w*[^.;]{0,40}?(?:income|sales)",
        ),
    ),
    "mfn": CategoryCues(
        says=(
            r"favou?r(?:ed|able)",
            r"\bmfn\b",
            r"(?:lowest|best|most competitive) (?:then[- ]current )?(?:net )?(?:prices?|pricing"
            r"|rates?|terms|royalt)",
            r"(?:prices?|pricing|rates?|fees?|terms|royalt\w*|discounts?|compensation|remuneration)"
            + _NEAR
            + r"(?:no (?:higher|greater)|not (?:be )?(?:higher|greater|exceed)|lower than|better"
            r" than|equal to|as low as|the same as|significantly the same|substantially the same)",
            r"(?:same|similar|comparable|equivalent) (?:terms|prices?|pricing|rates?|conditions)",
            r"preferred pricing|preferential|take (?:priority|precedence)|first priority",
            r"(?:reduce|adjust|lower)" + _NEAR + r"(?:to (?:match|equal)|same|such lower)",
        ),
        denies=(_NOT + _SHORT + r"(?:most[- ]favou?r|mfn|favou?red (?:nation|customer))",),
    ),
    "price_restrictions": CategoryCues(
        says=(
            r"(?:increase|adjust|raise|change|reduc|decreas)\w*"
            + _NEAR
            + r"(?:more than|exceed|in excess of|greater than|no more|not more|limited to"
            r"|cap|once|cpi|consumer price|index|%|percent)",
            r"(?:prices?|fees?|rates?|charges?|pricing)"
            + _NEAR
            + r"(?:fixed|firm|frozen|remain (?:the same|unchanged|fixed|constant|in effect)"
            r"|(?:not|never) (?:be )?(?:increased|raised|adjusted|changed|exceed|increase))",
            r"(?:shall|will|may) not (?:increase|raise|change|reduce)"
            + _NEAR
            + r"(?:price|fee|rate)",
            r"price (?:protection|cap|ceiling|freeze)|\bcpi\b|consumer price index",
            r"(?:not to exceed|shall not exceed|no more than|capped at)"
            + _NEAR
            + r"(?:%|percent|per ?cent)",
            r"(?:resale|minimum|maximum) (?:resale )?prices?",
        ),
    ),
    "minimum_commitment": CategoryCues(
        says=(
            r"minimum|\bat least\b|(?:no|not) less than|less than the|\bquotas?\b|\btargets?\b"
            r"|forecast|guarantee|shortfall|\bfloor\b|milestones?|performance (?:goals?"
            r"|requirements?|standards?)|take[- ]or[- ]pay|commits? to"
            r"|(?:purchase|volume|spend|revenue|annual|fee|minimum) commitment",
        ),
        # A period of notice is "at least" thirty days without committing anyone to buy.
        denies=(
            r"(?:at least|(?:no|not) less than)[^.;]{0,40}?(?:days|months|weeks|hours)['’]?"
            r"(?: prior| advance)?(?: written)? (?:notice|in advance)",
            r"notice[^.;]{0,40}?(?:at least|(?:no|not) less than)",
            # A service level's shortfall earns the customer a credit; nobody must buy more.
            r"(?:service credits?|availability commitment|uptime|service levels?)"
            r"(?:[^.;]|\.(?=\d))*",
        ),
    ),
    "liquidated_damages": CategoryCues(
        says=(
            r"liquidated damages|damages",
            r"penalt(?:y|ies)\b|vertragsstrafe|forfeit",
            r"pre-?estimate|reasonable (?:estimate|approximation|forecast) of",
            r"(?:termination|break[- ]?up|cancell?ation|kill|exit|early termination|"
            r"withdrawal) (?:fee|charge|payment|amount|sum)",
            r"buy[- ]?out|unearned|refund",
            r"(?:for each|per|every) (?:\w+ )?(?:day|week|month)" + _NEAR + r"(?:delay|late|fail)",
            r"(?:delay|late|fail)\w*" + _NEAR + r"(?:for each|per|every) (?:\w+ )?(?:day|week)",
            r"(?:pay|paid|payable|entitled)"
            + _NEAR
            + r"(?:remaining|remainder|balance|rest|prorated|earned)",
            r"(?:in (?:the )?(?:case|event) of|upon|for|if) (?:any |a |such |each )?"
            r"(?:violation|breach|termination|failure|default)" + _NEAR + r"(?:shall|will) pay",
        ),
        denies=(r"not in lieu of",),
    ),
    "non_compete": CategoryCues(
        says=(
            r"compet(?!en)",
            _PROHIBITION,
            r"directly or indirectly|exclusiv|restrict|prohibit|refrain|abstain|circumvent"
            r"|solicit",
        ),
        denies=(
            r"nothing" + _NEAR + r"(?:restrict|prevent|preclude|prohibit|limit)\w*[^.;]*",
            r"\bno\b" + _SHORT + r"non-?compet\w*",
            r"(?:free|right) to" + _SHORT + r"\bcompet\w*",
        ),
    ),
    "exclusivity": CategoryCues(
        says=(
            r"(?<!non-)(?<!non)\bexclusiv(?:e|ely|ity)\b(?! (?:of|remed\w*|jurisdiction|venue|"
            r"courts?|forum))",
            r"\bsole\b|\bonly\b|requirements|all of (?:its|their|the)",
            _PROHIBITION,
        ),
        # Only a denial of exclusivity itself: "shall not appoint another exclusive
        # distributor" is the clause, phrased as a prohibition.
        denies=(
            r"\b(?:no|not|nothing)\b(?: be| an?)? exclusiv\w*",
            r"nothing" + _NEAR + r"(?:restrict|prevent|preclude|prohibit|limit)\w*[^.;]*",
        ),
    ),
    "termination_for_convenience": CategoryCues(
        says=(
            r"for convenience|without cause|non-cause|for (?:any|no) reason|with or without"
            r" (?:cause|reason)|(?:sole )?(?:discretion|option|election)",
            r"(?:terminat|cancel|rescind|revok)\w*" + r"[^.;]{0,200}?" + r"(?:notice|at any time"
            r"|in advance|reason)",
            r"(?:notice|at any time)" + r"[^.;]{0,200}?" + r"(?:terminat|cancel|rescind|revok)",
        ),
        denies=(
            _NOT
            + _SHORT
            + r"terminat\w*"
            + _NEAR
            + r"(?:for convenience|without cause|for (?:any|no) reason)",
            # Termination for a breach or insolvency is for cause, up to any words that
            # add a right without one.
            r"terminat\w*[^.;]{0,60}?(?:breach|default|insolv|bankrupt)"
            r"(?:(?!for convenience|without cause|for any reason)[^.;])*",
            # However it is given (on notice, with immediate effect, at a party's option), a
            # termination on a condition of breach, non-payment or insolvency is for cause: from
            # the termination, its notice or option to the condition, unless an alternative
            # ("or (ii) ...") or a right without cause comes between.
            r"(?:(?:option|discretion|election)[^.;]{0,60}?)?(?:terminat\w*|notice)"
            + _UNBROKEN
            + r"\b(?:if|in the event|where|should|upon|on|following|in case|after|by reason of"
            r"|due to|for)\b" + _UNBROKEN + _FOR_CAUSE,
        ),
    ),
    "ip_ownership_assignment": CategoryCues(
        says=(
            r"work(?:s)? (?:made )?for hire",
            # Rights in what the work produces pass to, or are owned by, a party.
            r"(?:" + _TRANSFER + r"|" + _OWNED + r")" + _FAR + _WORK_PRODUCT,
            _WORK_PRODUCT + _FAR + r"(?:" + _TRANSFER + r"|" + _OWNED + r")",
            # A transfer of intellectual property itself, whatever it is in: "irrevocably
            # assigns to us all of its right, title and interest in", "such trademarks to be
            # assigned and transferred to Licensor".
            r"(?:" + _TRANSFER + r")\w*" + _NEAR + _IP_RIGHTS,
            _IP_RIGHTS + _NEAR + r"(?:assigned|transferred|conveyed|vested)",
            # An assignment made by the sentence itself: "you hereby assign to us all rights".
            r"hereby (?:(?:irrevocably|absolutely|unconditionally) )?(?:assign|transfer|convey)"
            + _NEAR
            + r"(?:rights?|title|interest)",
            # Ownership the contract disposes of: "shall be owned exclusively by the Company",
            # "will become our property" (a party that owns or keeps is not one).
            r"(?:shall|will|is deemed to|are deemed to) (?:become|be(?: deemed)?(?: to be)?)"
            r" (?:owned|(?:the )?(?:sole |exclusive )?(?:property|owner))"
            r"|\bbecomes? (?:\w+ )?(?:sole |exclusive )?property",
        ),
        # A customer keeping its own data, a party keeping what it had (its pre-existing or
        # background IP, its service) and an assignment of the contract transfer nothing made
        # under it.
        denies=(
            r"(?:customer|client|subscriber|controller)(?:'s)? (?:data|content|materials"
            r"|information|personal data)[^.;]*",
            # "owns and shall continue to own the domain name": it owned it before.
            r"\b(?:owns? and (?:shall|will) )?continues? to own[^.;]*",
            r"(?:pre-?existing|background|existing|retained) (?:intellectual property|ip\b"
            r"|technology|materials|rights|know-how|software)[^.;]*",
            r"\bassign\w*" + _SHORT + r"(?:this (?:agreement|contract)|(?:rights|benefits),? "
            r"(?:and|or|and/or) (?:its |their )?(?:obligations|duties|liabilities)"
            r"|(?:rights|obligations) (?:under|hereunder|in|of) this (?:agreement|contract))",
        ),
    ),
    "source_code_escrow": CategoryCues(
        says=(
            r"escrow",
            r"source code" + _NEAR + r"(?:deposit|release|deliver|custody|receptacle|storage)",
            r"(?:deposit|release|deliver)\w*" + _NEAR + r"source code",
        ),
        denies=(
            r"(?:not|no obligation|not required)"
            + _SHORT
            + r"(?:provide|deposit|maintain|place|deliver)"
            + _SHORT
            + r"(?:source code(?: escrow)?|escrow)",
            r"\bno\b" + _SHORT + r"(?:source code )?escrow",
        ),
    ),
    "audit_rights": CategoryCues(
        says=(r"audit|inspect|examin|verif|review|access to|enter upon|books|records|accounts",),
        denies=(
            _NOT + _SHORT + r"(?:right to (?:conduct |perform )?(?:any )?(?:\w+ )?audit|audit"
            r" rights?|(?:conduct|perform) (?:\w+ )?audits?)[^.;]*",
        ),
    ),
    "uncapped_liability": CategoryCues(
        says=(
            r"(?:liab|damages|indemn|loss)[^.;]*(?:" + _LIABILITY_EXCEPTION + r")",
            r"(?:" + _LIABILITY_EXCEPTION + r")[^.;]*(?:liab|damages|indemn|loss)",
        ),
    ),
}


def _compile(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern.replace(" ?", r"\s*").replace(" ", r"\s+"))


_SAYS = {key: tuple(_compile(p) for p in cues.says) for key, cues in CUES.items()}
_DENIES = {key: tuple(_compile(p) for p in cues.denies) for key, cues in CUES.items()}


def is_gated(category: str) -> bool:
    """Whether ``category``'s findings must be backed by a sentence that says it."""
    return category in CUES


def denies_category(category: str, sentence: str) -> bool:
    """Whether ``sentence`` denies ``category``'s clause ("no exclusivity applies")."""
    text = " ".join(sentence.lower().split())
    return any(pattern.search(text) for pattern in _DENIES.get(category, ()))


# Categories whose own cues are exceptions worded as denials ("shall not apply to"), so a
# denial word before a cue does not deny the clause.
_DENIAL_IS_THE_CUE = frozenset({"uncapped_liability"})
# A denial word this close before a cue, in the same clause, denies it: "fees for any
# renewal term are not subject to any cap or price protection".
_DENIED_BEFORE = re.compile(_NOT + r"[^.;]{0,40}$")


def says_category(category: str, sentence: str) -> bool:
    """Whether ``sentence`` says ``category``'s clause outright, outside a denial of it."""
    if category not in CUES:
        return True
    text = " ".join(sentence.lower().split())
    denied = [m.span() for pattern in _DENIES[category] for m in pattern.finditer(text)]
    general = category not in _DENIAL_IS_THE_CUE
    for pattern in _SAYS[category]:
        # A cue inside a denial does not hide one that starts after it: "To the extent the
        # rights do not vest automatically, Executive hereby assigns ...".
        position = 0
        while (match := pattern.search(text, position)) is not None:
            position = match.start() + 1
            if any(start < match.end() and match.start() < end for start, end in denied):
                continue
            if general and _DENIED_BEFORE.search(text, 0, match.start()):
                continue
            return True
    return False
