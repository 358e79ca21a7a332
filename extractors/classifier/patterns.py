"""Hand-written cues for each clause category, used as features beside the n-grams.

Rare categories (most-favoured-nation, price restrictions, liquidated damages, third-party
beneficiaries) have too few labelled examples for n-grams alone; these phrasings are how
lawyers actually write them. A cue only raises or lowers a score: the learned weights
decide how much each one counts, so a cue may be broad if it is informative.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

from extractors.classifier.literals import LiteralPlan, TextIndex

_NEAR = r"[^.;]{0,120}?"
_HOW_OFTEN = (
    r"(?:not more (?:often )?than|no more (?:often )?than|only once|once (?:per|in|a|each|every)"
    r"|more than once)"
)

CUES: dict[str, tuple[str, ...]] = {
    "mfn": (
        r"most[- ]favou?r(?:ed|able)",
        r"(?:no|not)(?: be)? (?:less|more) favou?rabl[ey]",
        r"(?:at least|no less|not less) (?:as )?favou?rabl[ey]",
        r"\bmfn\b",
        r"favou?red (?:nation|customer|licensee)",
        r"treated no less favou?rabl",
    ),
    # Looser phrasings of the same idea: informative, but they also occur elsewhere.
    "mfn_broad": (
        r"(?:more|most|equally) favou?rabl[ey]"
        + _NEAR
        + r"(?:than|as|to)"
        + _NEAR
        + r"(?:other|any|third|similar|licensee|distributor|customer)",
        # "the highest rate permitted by law" is about interest, not a better deal.
        r"(?:best|lowest|most competitive|highest) (?:then[- ]current |then in effect )?(?:net )?"
        r"(?:prices?|pricing|terms|rates?|royalt\w*|remuneration)"
        r"(?!\s+(?:permitted|permissible|allowed|lawful|by|under|of interest))",
        r"(?:less|more|equally|as) favou?rabl\w*"
        + _NEAR
        + r"(?:terms|prices?|pricing|rates?|royalt|fees?|conditions)",
        r"(?:terms|conditions|prices?|pricing|rates?|royalt\w*|fees?|benefits)"
        + _NEAR
        + r"(?:less|more|equally|as) favou?rabl",
        # Better terms than "those hereunder": the comparison an MFN clause makes.
        r"(?:pric\w*|terms|rates?|royalt\w*|discounts?|remuneration|compensation)"
        + _NEAR
        + r"(?:better|lower|higher|more favou?rable|greater|in excess of)(?: than)? "
        r"(?:those|that|the)"
        + _NEAR
        + r"(?:herein|hereunder|under this|to (?:the )?(?:customer|licensee|distributor|buyer|"
        r"purchaser))",
        r"preferred pricing|preferential (?:pricing|terms|prices?|rates?)",
        r"(?:terms|conditions)" + _NEAR + r"(?:significantly|substantially) the same",
        r"(?:equal to|as low as|lower than) (?:the )?(?:lowest|best|any) "
        r"(?:net )?(?:prices?|rates?)",
        r"(?:terms|prices?|pricing|rates?|royalt\w+|discounts?)" + _NEAR + r"(?:equal to or )?"
        r"(?:better|lower|more favou?rable) than (?:those|that|the)"
        + _NEAR
        + r"(?:any other|other|third|similarly)",
        r"(?:reduce|adjust|lower)"
        + _NEAR
        + r"(?:price|fee|rate)s?"
        + _NEAR
        + r"(?:to (?:match|equal)|same|such lower)",
    ),
    "non_compete": (
        r"non-?compet",
        r"(?:shall|will|may) not" + _NEAR + r"(?:compet|engage in" + _NEAR + r"business)",
        r"compet(?:e|ing|itive) (?:products?|services?|business)",
        r"directly or indirectly" + _NEAR + r"(?:compet|manufactur|sell|market|distribut)",
    ),
    # Freedom to compete, stated outright, is the opposite of a restriction.
    "non_compete_permitted": (
        r"(?:nothing|not)"
        + _NEAR
        + r"(?:preclude|prevent|restrict|prohibit|limit)"
        + _NEAR
        + r"(?:\bcompet(?!ent)|develop|market|sell)",
        r"(?:free|right) to" + _NEAR + r"\bcompet(?!ent)",
        r"may" + _NEAR + r"(?:develop|market|sell|acquire)" + _NEAR + r"\bcompet(?:ing|itive|e)\b",
    ),
    # Not hiring each other's staff is its own clause (no-solicit), not a non-compete.
    "non_compete_solicit": (
        r"solicit" + _NEAR + r"(?:employ|personnel|staff|hire|consultant)",
        r"(?:hire|employ|recruit)" + _NEAR + r"(?:employees?|personnel|staff)",
    ),
    "exclusivity": (
        r"(?<!non-)(?<!non)\bexclusiv(?:e|ely|ity)\b(?! of)",
        r"sole (?:and exclusive )?(?:source|supplier|distributor|provider|right)",
        r"(?:shall|will) not"
        + _NEAR
        + r"(?:appoint|authori[sz]e|grant)"
        + _NEAR
        + r"(?:other|any third|another)",
        r"(?:exclusively|only) from",
        r"(?:all|100%|one hundred percent) of (?:its|their) (?:requirements|needs)",
    ),
    "termination_for_convenience": (
        r"terminat\w*" + _NEAR + r"(?:for (?:any|no) reason|without cause|for convenience)",
        r"terminat\w*" + _NEAR + r"at any time" + _NEAR + r"notice",
        r"(?:for (?:any|no) reason|without cause|for convenience)" + _NEAR + r"terminat",
        r"terminat\w*" + _NEAR + r"(?:upon|with|by giving)" + _NEAR + r"(?:days|months)'?"
        r"(?: prior)? (?:written )?notice",
    ),
    # Termination that needs a reason (breach, insolvency, a failure): not for convenience.
    "termination_for_convenience_for_cause": (
        r"terminat\w*"
        + _NEAR
        + r"(?:breach|default|with cause|for cause|insolven|bankrupt|fail(?:s|ure|ed)?\b"
        r"|upon the occurrence|in the event (?:of|that)|if (?:the other|either|any))",
        r"(?:breach|default|insolven|bankrupt|fail(?:s|ure|ed)?\b)" + _NEAR + r"terminat",
    ),
    "change_of_control": (
        r"change (?:of|in) (?:the )?control",
        r"(?:merger|consolidation|acquisition|reorgani[sz]ation)"
        + _NEAR
        + r"(?:assign|terminat|control|successor)",
        r"(?:sale|transfer) of (?:all or )?substantially all",
        r"(?:majority|fifty percent|50%)" + _NEAR + r"(?:voting|shares|stock|equity|securities)",
    ),
    "anti_assignment": (
        r"(?:shall|may|will|can)(?:not| not)" + _NEAR + r"assign",
        r"not be assign(?:ed|able)|non-?assignable",
        r"assign\w*" + _NEAR + r"without" + _NEAR + r"consent",
        r"without" + _NEAR + r"consent" + _NEAR + r"assign",
    ),
    "revenue_profit_sharing": (
        r"(?:per ?cent|%)" + _NEAR + r"of (?:the |all |its )?(?:net |gross )?(?:revenues?|sales|"
        r"profits?|receipts|income|proceeds)",
        r"royalt(?:y|ies)",
        r"(?:profit|revenue)[- ]shar",
        r"commissions?\b",
        r"(?:share|split)" + _NEAR + r"(?:revenue|profit|proceeds|income)",
    ),
    "price_restrictions": (
        r"(?:increase|adjust|raise)\w*"
        + _NEAR
        + r"(?:more than|exceed|in excess of|greater than)"
        + _NEAR
        + r"(?:%|percent|per ?cent|cpi|consumer price|index)",
        r"(?:price|fee|rate|charge)s?"
        + _NEAR
        + r"(?:increase|adjust|raise|change)\w*"
        + _NEAR
        + _HOW_OFTEN,
        r"(?:increase|adjust|raise|change)\w*"
        + _NEAR
        + r"(?:price|fee|rate|charge)s?"
        + _NEAR
        + _HOW_OFTEN,
        # A cap or a freeze stated on the price itself.
        r"(?:price|fee|rate|charge)s?(?: for [^.;]{0,60}?)? (?:shall|will|may) (?:not|never) "
        r"(?:exceed|be (?:greater|more|higher) than|be increased|increase)",
        r"(?:price|fee|rate|charge)s? (?:shall|will) remain "
        r"(?:the same|unchanged|fixed|firm|constant)",
        r"(?:shall|will|may) not (?:increase|raise|change)" + _NEAR + r"(?:price|fee|rate)s?",
        r"(?:price|fee|rate)s?"
        + _NEAR
        + r"(?:increase|adjust)\w*"
        + _NEAR
        + r"(?:not (?:to )?exceed|no more than|limited to|cap)",
        r"(?:price|fee|rate)s? (?:shall|will|may) not (?:be )?"
        r"(?:increased|raised|adjusted|changed)",
        # Increases tied to an index are increases limited by it.
        r"(?:increase|decrease|adjust)\w*"
        + _NEAR
        + r"(?:in accordance with|based on|by reference to|tied to)"
        + _NEAR
        + r"(?:\bcpi\b|consumer price|index)",
    ),
    "price_restrictions_broad": (
        r"(?:price|fee|rate)s?" + _NEAR + r"(?:fixed|firm|remain (?:the same|unchanged|in effect))",
        r"\bcpi\b|consumer price index|price protection",
        r"(?:shall|will|may) not (?:be )?(?:increased|raised|adjusted|changed)",
        r"(?:increase|adjust)\w*" + _NEAR + r"(?:once|not more (?:often|than once)|no more "
        r"(?:often|than once))",
        r"(?:not to exceed|shall not exceed|no more than|capped at|limited to)"
        + _NEAR
        + r"(?:%|percent|per ?cent)"
        + _NEAR
        + r"(?:price|fee|rate|increase)",
        r"(?:increase|adjust)\w*" + _NEAR + r"(?:more than|exceed)" + _NEAR + r"(?:%|percent)",
    ),
    "minimum_commitment": (
        r"minimum (?:purchase|order|quantit|annual|commitment|volume|royalt|fee|sales|payment|"
        r"amount|requirement|guarantee)",
        r"(?:at least|no less than|not less than|minimum of)"
        + _NEAR
        + r"(?:units|\$|dollars|per (?:year|month|quarter|annum)|each (?:year|quarter|month))",
        r"take[- ]or[- ]pay|shortfall",
        r"(?:purchase|order|buy)" + _NEAR + r"(?:at least|no less than|not less than|minimum)",
    ),
    "ip_ownership_assignment": (
        r"(?:assigns?|transfers?|conveys?)"
        + _NEAR
        + r"(?:right,? title,? and interest|intellectual property|ownership)",
        r"works? made for hire|work for hire",
        r"(?:shall|will) (?:be|become|remain|vest in)"
        + _NEAR
        + r"(?:sole|exclusive)? ?property of",
        r"(?:shall|will) own"
        + _NEAR
        + r"(?:all|any)"
        + _NEAR
        + r"(?:rights?|intellectual|developed|"
        r"improvements?|inventions?)",
    ),
    # A party keeping what it owns is the opposite of an assignment.
    "ip_ownership_assignment_retained": (
        r"(?:retain|reserve|remain)s?"
        + _NEAR
        + r"(?:right,? title|ownership|all rights|sole (?:and exclusive )?(?:property|owner))",
    ),
    "source_code_escrow": (
        r"escrow agreement",
        r"(?:source|materials|software|technology|code)" + _NEAR + r"escrow",
        r"source code" + _NEAR + r"(?:deposit|release|deliver|escrow|custody|receptacle|storage)",
        r"(?:deposit|release|deliver)\w*" + _NEAR + r"source code",
    ),
    # Escrow of money (a purchase price, a deposit) is as common as escrow of code.
    "source_code_escrow_broad": (r"escrow",),
    "post_termination_services": (
        r"(?:after|following|upon|survive)"
        + _NEAR
        + r"(?:termination|expiration)"
        + _NEAR
        + r"(?:continue|sell|transition|wind|support|inventory|orders?|services?)",
        r"sell[- ]off|wind[- ](?:down|up)|transition (?:period|services?|assistance)",
        r"(?:termination|expiration)"
        + _NEAR
        + r"(?:remaining|existing) (?:inventory|stock|orders)",
        r"(?:for a period of|period of)" + _NEAR + r"(?:after|following) (?:the )?(?:termination|"
        r"expiration)",
    ),
    "audit_rights": (
        r"\baudit",
        r"(?:inspect|examin)\w*" + _NEAR + r"(?:books|records|facilit|premises|accounts)",
        r"(?:books|records|accounts)" + _NEAR + r"(?:inspect|examin|review|audit|copy)",
    ),
    "uncapped_liability": (
        r"(?:shall|will|does) not (?:apply|limit)" + _NEAR + r"(?:indemnif|negligen|wil(?:l)?ful|"
        r"confidential|fraud|infring)",
        r"(?:except|excluding|other than|exclusions?|exception)" + _NEAR + r"(?:indemnif|gross "
        r"negligence|wil(?:l)?ful|confidential|fraud|infring)",
        r"(?:limitations?|exclusions?) (?:of|on) (?:liability|damages)" + _NEAR + r"not apply",
        r"unlimited liability|without limit(?:ation)? (?:as to|of|on) (?:amount|liability)",
    ),
    "cap_on_liability": (
        r"(?:liability|damages|liable)"
        + _NEAR
        + r"(?:shall|will|not|in no event)"
        + _NEAR
        + r"exceed",
        r"in no event" + _NEAR + r"(?:liab|damages)",
        r"(?:aggregate|total|maximum|cumulative|entire) liability",
        r"limitation (?:of|on) liability",
        r"(?:indirect|consequential|incidental|special|punitive|exemplary)" + _NEAR + r"damages",
    ),
    "liquidated_damages": (
        r"liquidated damages",
        r"(?:as a|not a) penalty",
        r"pre-?estimate|reasonable (?:estimate|approximation) of (?:the )?(?:damages|loss)"
        # "not in lieu of damages" keeps damages open: no fixed sum replaces them.
        r"|(?<!not\W)in lieu of (?:actual )?damages|agreed damages",
    ),
    "liquidated_damages_broad": (
        r"(?:termination|break[- ]?up|cancell?ation|kill|early termination) (?:fee|charge|payment)",
        r"buy[- ]?out (?:fee|payment|price|amount)|(?:contract|agreement) buy[- ]?out",
        r"(?:for each|per) (?:day|week|month)" + _NEAR + r"(?:delay|late|fail)",
        r"(?:pay|paid)" + _NEAR + r"(?:remaining|balance of)" + _NEAR + r"(?:term|fees|payments)",
        r"penalt(?:y|ies)\b|forfeit",
        r"(?:late|delay\w*) (?:delivery |payment )?(?:charge|fee|penalt)",
        # A sum owed because of a breach, fixed in advance.
        r"(?:in (?:the )?(?:case|event) of|upon) (?:any |a |such )?(?:violation|breach)"
        + _NEAR
        + r"(?:shall|will) pay",
        r"buy[- ]?out (?:this|the) agreement",
    ),
    "warranty_duration": (
        r"warrant\w*" + _NEAR + r"(?:for a period of|period of|\(\d+\)|\d+) ?(?:days|months|years)",
        r"(?:days|months|years) (?:from|after|following)" + _NEAR + r"warrant",
        r"warranty period",
        r"warrant\w*" + _NEAR + r"(?:shelf life|expiration date)",
    ),
    "insurance": (
        r"insurance|insured|insurer",
        r"(?:policy|policies|coverage)" + _NEAR + r"(?:liability|limits?)",
    ),
    "third_party_beneficiary": (
        r"third[- ]party beneficiar",
        r"(?:intended|express(?:ed)?|expressly)" + _NEAR + r"beneficiar",
        r"(?:entitled|right) to enforce",
    ),
    # Someone is named a beneficiary, or the usual denial carves someone out: the clauses
    # CUAD counts, as opposed to the plain denial below.
    "third_party_beneficiary_affirmed": (
        r"(?:is|are|be|been|deemed|as|constitute) (?:an? |the )?"
        r"(?:(?:express(?:ed|ly)?|intended|direct|specific|third[- ]party)[ ,]+(?:and )?)*"
        r"(?:third[- ]party )?(?:creditor )?beneficiar",
        r"beneficiar\w*" + _NEAR + r"(?:except|other than|unless|save|with the exception)",
        r"(?:except|save|other than)"
        + _NEAR
        + r"(?:shall be|is|are) (?:an? )?(?:intended )?(?:third[- ]party )?beneficiar",
    ),
    # Negated phrasings: contracts say "no third party beneficiaries" far more often than
    # they name one, and that sentence must not count for the category.
    "third_party_beneficiary_denied": (
        r"(?:no|not|nothing|neither|without)"
        + _NEAR
        + r"third[- ]part(?:y|ies)"
        + _NEAR
        + r"beneficiar",
        r"(?:no|not|nothing)" + _NEAR + r"(?:confer|give|create)" + _NEAR + r"(?:rights?|"
        r"remed|benefit)" + _NEAR + r"(?:other than|upon any|on any|any (?:person|third))",
        r"solely for the benefit of the parties",
    ),
    "exclusivity_denied": (r"non-?exclusive", r"exclusive of (?:tax|vat|shipping|any)"),
}

CUE_NAMES: tuple[str, ...] = tuple(CUES)


def _spaced(pattern: str) -> str:
    """A space in a pattern matches any run of whitespace: PDF text breaks lines mid-sentence."""
    return pattern.replace(" ?", r"\s*").replace(" ", r"\s+")


# Patterns are lower case and run over lower-cased text, one regex per phrasing: both
# IGNORECASE and one big alternation per cue defeat the regex engine's literal-prefix
# search and cost several times more on a whole contract.
_COMPILED: tuple[tuple[re.Pattern[str], ...], ...] = tuple(
    tuple(re.compile(_spaced(pattern)) for pattern in CUES[name]) for name in CUE_NAMES
)
# How each pattern is looked for: only where the literals all its matches hold occur, within
# a stretch of text that no match can leave (none crosses a full stop or a semicolon). Most
# cues are absent from most contracts, and a scan of the whole text per pattern was the cost.
_PLANS: tuple[tuple[LiteralPlan, ...], ...] = tuple(
    tuple(LiteralPlan(pattern, ".;") for pattern in row) for row in _COMPILED
)


def lower_same_length(text: str) -> str:
    """``text.lower()``, except characters whose lower case is longer stay as they are."""
    lowered = text.lower()
    if len(lowered) == len(text):
        return lowered
    return "".join(low if len(low := char.lower()) == 1 else char for char in text)


def cue_matrix(
    text: str, spans: Sequence[tuple[int, int]]
) -> np.ndarray[tuple[int, int], np.dtype[np.float64]]:
    """``1.0`` where a match of cue ``j`` starts inside unit ``i`` of ``text``, else ``0.0``.

    Each cue is searched once over the whole text (far cheaper than once per unit) and its
    matches are assigned to the unit they start in.
    """
    flags: NDArray[np.float64] = np.zeros((len(spans), len(CUE_NAMES)))
    if not spans:
        return flags
    starts = [start for start, _ in spans]
    text = lower_same_length(text)
    index = TextIndex(text, ".;")
    for column, plans in enumerate(_PLANS):
        for plan in plans:
            for match in plan.finditer(index):
                row = bisect_right(starts, match.start()) - 1
                if row >= 0 and match.start() < spans[row][1]:
                    flags[row, column] = 1.0
    return flags
