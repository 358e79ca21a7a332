"""The clause vocabulary: what the extractor knows about clauses, as typed data.

A clause concept is a fact path (``legal.source_code_escrow``) and the wordings that state
it. Each ``Wording`` says, in one place, everything a reader of it needs: its name (the
report ``python -m evals.wordings`` counts by it), the regular expression (spaces widen to
any whitespace, as PDF text wraps anywhere), the keywords it is looked for around and how
far either side, a named confidence tier (``extractors.patterns.confidence``), its denial
policy — how a sentence that rules the clause out ("no obligation to deposit source code")
is told from one that states it — and, where needed, a test of its sentence (an assurance
counts only where the customer demands it, a purchase order only where it is required).
A concept's ``Term`` is how a denial names it ("no source code escrow", "SSO: not
included"): the negation reader builds its denial wordings around it.

The types come first, then the concepts: the rare clauses with wordings precise enough to
settle the fact outright (too few contracts hold them for the clause model to learn them
reliably). A topic module reads its concepts with ``read_concept(view, CONCEPT, ...)``, the
one reader of them all, and keeps its own code only for values a wording cannot give
(amounts, durations, parties). How often each wording fires on the development contracts,
and how often rightly, is in the generated report ``python -m evals.wordings``.

To add a wording, add a ``Wording`` to its concept with a test pair (a sentence that states
it, and a look-alike or denial that must not) in ``tests/extractors/patterns``; to add a
concept, add a ``ClauseConcept`` here and read it in its topic module with
``read_concept``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from enum import Enum, StrEnum
from functools import cached_property

from extractors.facts import PartyRole
from extractors.patterns import confidence
from extractors.patterns.confidence import (
    BARE_MENTION,
    CHECKED_CLAUSE,
    KEPT_BY_CONTEXT,
    LOOSE_WORDING,
    PRECISE_WORDING,
)
from extractors.patterns.core import (
    DENIAL,
    DENIAL_WINDOW,
    NEAR_DENIAL,
    Hit,
    TextView,
    per_view,
    words,
)
from extractors.patterns.parties import name_keys


class DenialScope(Enum):
    """Where a denying word ("no", "not", "without", ...) takes a wording's match back."""

    # Nothing denies it: the wording itself is affirmative ("as liquidated damages").
    NONE = "none"
    # Any denying word in the sentence around the match.
    SENTENCE = "sentence"
    # A denying word in the stretch just before the match, within the sentence: a long
    # sentence holds denials of other things ("terminated without cause, ... a termination
    # fee").
    BEFORE = "before"
    # The same stretch before, and the match itself: the promise is inside the wording
    # ("neither party shall be required to pay an amount equal to").
    THROUGH = "through"


@dataclass(frozen=True)
class Denial:
    """A denial policy: which words deny, and where they must stand to deny the match."""

    scope: DenialScope
    # The words that deny; NEAR_DENIAL leaves out "without cause", "no later than", ...
    pattern: re.Pattern[str] = NEAR_DENIAL
    # For BEFORE and THROUGH: how many characters before the match count.
    window: int = DENIAL_WINDOW

    def denies(self, view: TextView, start: int, end: int) -> bool:
        """Whether the match ``[start, end)`` is taken back by a denial around it."""
        if self.scope is DenialScope.NONE:
            return False
        sentence_start, sentence_end = view.sentence(start, end)
        if self.scope is DenialScope.SENTENCE:
            return self.pattern.search(view.text, sentence_start, sentence_end) is not None
        stretch_end = end if self.scope is DenialScope.THROUGH else start
        stretch_start = max(sentence_start, start - self.window)
        return self.pattern.search(view.text, stretch_start, stretch_end) is not None


NO_DENIAL = Denial(DenialScope.NONE)
DENIED_IN_SENTENCE = Denial(DenialScope.SENTENCE, DENIAL)


def denied_before(window: int = DENIAL_WINDOW) -> Denial:
    """Denied by a denying word up to ``window`` characters before the match."""
    return Denial(DenialScope.BEFORE, NEAR_DENIAL, window)


def denied_through(window: int = DENIAL_WINDOW) -> Denial:
    """Denied by a denying word up to ``window`` characters before the match, or inside it."""
    return Denial(DenialScope.THROUGH, NEAR_DENIAL, window)


@dataclass(frozen=True)
class Wording:
    """One way contracts state a clause, with all that reading it takes."""

    name: str
    pattern: str
    # A sentence it reads: the tests check every wording reads its example through the
    # whole extractor, and ``describe`` shows it.
    example: str
    keywords: tuple[str, ...]
    before: int
    after: int
    tier: float
    denial: Denial = NO_DENIAL
    # Case matters for acronyms that are also words ("BAA", "SCIM"): pass 0.
    flags: int = re.IGNORECASE
    # A test of the sentence around a match that keeps it: "the customer demands it", not
    # "the provider offers it" (None: every match not denied is kept).
    kept_where: Callable[[TextView, str], bool] | None = None

    @cached_property
    def regex(self) -> re.Pattern[str]:
        """The compiled pattern, spaces widened (compiled on first use, then kept)."""
        return words(self.pattern, self.flags)


@dataclass(frozen=True)
class Term:
    """How a denial names a concept: the noun phrase of "no source code escrow is provided"."""

    # A regex fragment the negation reader puts inside its denial wordings.
    pattern: str
    # Lower-case words every occurrence of the term contains: only sentences holding one are read.
    keys: tuple[str, ...]
    # Further paths a denial of the term excludes beside the concept's own (its amount).
    also: tuple[str, ...] = ()


@dataclass(frozen=True)
class ClauseConcept:
    """A fact that is present where any of its wordings states it (and nothing denies it)."""

    path: str
    wordings: tuple[Wording, ...]
    # What the concept means, in a sentence: shown by ``describe``.
    meaning: str = ""
    # Lower-case words without which no wording can match: a document lacking all of them
    # is skipped outright.
    needs: tuple[str, ...] = field(default=())
    # How a denial names it (None: the negation reader does not look for its denials).
    term: Term | None = None


def read_wording(view: TextView, path: str, wording: Wording) -> list[Hit]:
    """``path`` present wherever ``wording`` matches and its denial policy does not take it back."""
    if not view.mentions(*wording.keywords):
        return []
    reader = f"{path}: {wording.name}"
    hits: list[Hit] = []
    for match in view.finditer(
        wording.regex, wording.keywords, before=wording.before, after=wording.after
    ):
        if wording.denial.denies(view, match.start(), match.end()):
            continue
        if wording.kept_where is not None:
            start, end = view.sentence(match.start(), match.end())
            if not wording.kept_where(view, view.text[start:end]):
                continue
        hits.append(view.hit(path, True, match.start(), match.end(), wording.tier, reader=reader))
    return hits


def read_concept(view: TextView, *concepts: ClauseConcept) -> list[Hit]:
    """Every hit of every wording of ``concepts``, in the order they and their wordings are
    listed."""
    hits: list[Hit] = []
    for concept in concepts:
        if concept.needs and not view.mentions(*concept.needs):
            continue
        for wording in concept.wordings:
            hits += read_wording(view, concept.path, wording)
    return hits


def concept_paths(*concepts: ClauseConcept) -> frozenset[str]:
    """The fact paths of ``concepts``: what a topic module that reads them checks."""
    return frozenset(concept.path for concept in concepts)


def tier_name(value: float) -> str:
    """The confidence ladder's name for ``value`` ("CHECKED_CLAUSE 0.8")."""
    names = [name for name, tier in vars(confidence).items() if name.isupper() and tier == value]
    return f"{names[0]} {value:g}" if names else f"confidence {value:g}"


def describe(concepts: Sequence[ClauseConcept]) -> str:
    """The vocabulary in words: each concept, its meaning, and each wording's reading."""
    lines: list[str] = []
    for concept in concepts:
        lines.append(f"{concept.path}: {concept.meaning}")
        for wording in concept.wordings:
            lines.append(
                f"  - {wording.name} (near {', '.join(wording.keywords)}; "
                f"{tier_name(wording.tier)}; denial: {wording.denial.scope.value})"
            )
            lines.append(f"    e.g. {wording.example!r}")
    return "\n".join(lines)


# ---- The concepts ------------------------------------------------------------------------

# A sentence runs on past section numbers ("pursuant to Section 6.1").
_NOT_END = r"(?:[^.;]|\.\d)"

LIQUIDATED_DAMAGES = ClauseConcept(
    path="legal.liquidated_damages",
    meaning="a sum fixed in advance that a party pays for a breach or for ending early",
    term=Term(r"liquidated\s+damages", ("liquidated",)),
    wordings=(
        # Damages named as liquidated, in the wordings that award them: a list of damages
        # excluded from liability names them without awarding any.
        Wording(
            "awarded as liquidated damages",
            r"\bas\s+liquidated\s+damages\b"
            r"|\bliquidated\s+damages\s+(?:in\s+the\s+amount|of|equal|equivalent)\b"
            r"|\b(?:pay|paid|payable)\b[^.;]{0,120}?\bliquidated\s+damages\b"
            r"|\bliquidated\s+damages\b[^.;]{0,120}?\b(?:not\s+a\s+penalty|reasonable\s+estimate"
            r"|pre-?estimate)"
            # A sum declared to be liquidated damages, or a right to them.
            r"|\b(?:deemed|constitute|considered|represents?|be) (?:to be )?"
            r"(?:a reasonable amount of )?liquidated damages\b"
            r"|\b(?:receive|recover|collect|claim) liquidated damages\b",
            example=(
                "Supplier shall pay Customer, as liquidated damages, USD 500 for each day of delay."
            ),
            keywords=("liquidated",),
            before=140,
            after=140,
            tier=CHECKED_CLAUSE,
        ),
        # A fee for ending the agreement early, or a penalty a party must pay: damages fixed
        # in advance under other names. "No obligation to pay cancellation charges" or
        # "without any termination fee" denies it; "terminated without cause" earlier in the
        # sentence does not. Charges for cancelled orders and a third party's "cancellation
        # penalties" passed on end no contract and stay out.
        Wording(
            "termination fee or penalty",
            r"\b(?:pay|pays|paid|payable|receive|entitled to)\b[^.;]{0,80}?\b(?:an? |the )?"
            r"(?:early[- ]termination|termination|cancell?ation|break[- ]?up|kill)"
            r" (?:fee|payment|charge)s?\b"
            r"|\bpayment of (?:an? |the )?(?:early[- ])?termination fees?\b"
            r"|\b(?:early[- ])?termination penalt(?:y|ies)\b"
            r"|\b(?:pay|pays|paid|payable)\b[^.;]{0,80}?\b(?:as )?an? penalty\b"
            r"|\bpayment penalties\b"
            r"|\bpenalty (?:of|equal to|in the amount of) [^.;]{0,40}?(?:per ?cent|%|\$|dollars)",
            example=(
                "If Customer ends the Agreement early, Customer shall pay an early "
                "termination fee of USD 10,000."
            ),
            keywords=("fee", "payment", "charge", "penalt"),
            before=160,
            after=120,
            tier=CHECKED_CLAUSE,
            denial=denied_before(),
        ),
        # What the agreement would have earned had it run on: "an amount equal to ... of the
        # amounts that would have been payable ... had the Agreement not been so terminated".
        Wording(
            "payable as if not terminated",
            rf"\bwould have been (?:payable|paid|due|earned)\b{_NOT_END}{{0,200}}?\bhad "
            r"(?:this|the) (?:Agreement|contract) not been (?:so )?terminated\b",
            example=(
                "Licensee shall pay an amount equal to the royalties that would have "
                "been payable had the Agreement not been terminated."
            ),
            keywords=("would have been",),
            before=20,
            after=320,
            tier=CHECKED_CLAUSE,
            denial=denied_before(),
        ),
        # A sum fixed in the promise it is paid for breaking: "in the event that a Party
        # solicits and then hires an employee in violation of this Section 14.4, the hiring
        # Party shall ... pay the other Party an amount equal to ...". The promise to pay is
        # inside the wording, so a denial there counts ("neither party shall be required to
        # pay").
        Wording(
            "sum for a breach",
            rf"\b(?:breach|breaches|violation|violates?)\b{_NOT_END}{{0,200}}?\b(?:shall|will|must"
            rf"|agrees? to)\b{_NOT_END}{{0,100}}?\bpay\b{_NOT_END}{{0,80}}?\b(?:an amount "
            r"(?:equal|of)|a sum|the sum of|an equivalent of|a penalty)\b",
            example=(
                "If a Party hires an employee in breach of Section 14.4, the hiring "
                "Party shall pay the other Party an amount equal to that employee's annual salary."
            ),
            keywords=("breach", "violat"),
            before=20,
            after=420,
            tier=KEPT_BY_CONTEXT,
            denial=denied_through(),
        ),
        # CUAD's definition counts "a fee upon the termination of a contract", and buying out
        # the agreement is paying one; buying out equipment or shares is not.
        Wording(
            "buy-out of the agreement",
            r"\bbuy[\s-]*out (?:this|the) (?:agreement|contract)\b"
            r"|\b(?:contract|agreement) buy[\s-]*out (?:payment|fee|amount|price)\b",
            example=(
                "Company may buy out this Agreement by paying the buy-out price set "
                "out in Schedule B."
            ),
            keywords=("buy",),
            before=30,
            after=60,
            tier=KEPT_BY_CONTEXT,
        ),
    ),
)

SOURCE_CODE_ESCROW = ClauseConcept(
    path="legal.source_code_escrow",
    meaning="the provider's source code deposited with an escrow agent for release on conditions",
    term=Term(
        r"(?:source[\s-]+code\s+)?escrow(?:\s+(?:arrangements?|agreements?|rights?|services?))?",
        ("escrow",),
    ),
    wordings=(
        # An escrow agent releasing the deposited materials, release conditions for the
        # source code, its custody or deposit in escrow. Escrow of money ("the Escrow Agent
        # shall release the Purchase Price") names no code.
        Wording(
            "source code in escrow",
            r"\bescrow agent\b[^.;]{0,80}?\breleas\w*\b[^.;]{0,80}?"
            r"\b(?:materials|source|code|software|technology|deposit)"
            r"|\brelease conditions?\b[^.;]{0,200}?\bsource code\b"
            r"|\bsource code\b[^.;]{0,200}?\brelease conditions?\b"
            r"|\bsource code (?:custody|escrow)\b"
            r"|\bsource code\b[^.;]{0,80}?\b(?:in|into) escrow\b"
            r"|\bescrowed source code\b",
            example=(
                "Vendor shall deposit the Source Code into escrow with the Escrow "
                "Agent within thirty days."
            ),
            keywords=("escrow", "release condition", "source code"),
            before=220,
            after=220,
            tier=CHECKED_CLAUSE,
            denial=DENIED_IN_SENTENCE,
        ),
    ),
)

THIRD_PARTY_BENEFICIARY = ClauseConcept(
    path="legal.third_party_beneficiary",
    meaning="somebody not a party named as entitled to enforce the agreement",
    wordings=(
        # Somebody named a beneficiary ("Licensor's Affiliates are intended third party
        # beneficiaries of Section 4"), unlike the usual denial that names nobody. Only a
        # denial shortly before counts: "This Agreement does not confer any rights upon any
        # person other than the Parties, except that Team and SCSA are intended third party
        # beneficiaries" names two.
        Wording(
            "named a third-party beneficiary",
            r"\b(?:is|are|shall be|will be|be deemed|deemed to be|deemed|as) (?:an? |the )?"
            r"(?:(?:intended|express(?:ed)?|expressly|direct|specific) (?:and )?){0,3}"
            r"third[\s-]+part(?:y|ies) (?:creditor )?beneficiar",
            example="Licensor's Affiliates are intended third party beneficiaries of Section 4.",
            keywords=("beneficiar",),
            before=80,
            after=10,
            tier=CHECKED_CLAUSE,
            denial=denied_before(120),
        ),
        # The English form, under the Contracts (Rights of Third Parties) Act: "each Customer
        # Group Company may enforce clause 12 in its own right".
        Wording(
            "may enforce in its own right",
            r"\b(?:may|can|shall be entitled to|is entitled to|are entitled to|will be entitled "
            r"to|shall have the right to) enforce\b[^.;]{0,100}?\bin (?:its|their|his|her) own "
            r"right\b",
            example="Each Customer Group Company may enforce clause 12 in its own right.",
            keywords=("own right",),
            before=160,
            after=20,
            tier=CHECKED_CLAUSE,
            denial=denied_before(40),
        ),
    ),
)

_AFTER_END = (
    r"(?:termination|expiration|expiry"
    r"|end of (?:the |a |an |this |any |each )?(?:subscription|agreement|term|contract)\w*)"
)
_DATA_OUT = r"(?:export|retrieve|download|extract|return|provide)\w*"

POST_TERMINATION_SERVICES = ClauseConcept(
    path="legal.post_termination_services",
    meaning="services the provider owes once the agreement has ended",
    term=Term(
        r"(?:transition(?:al)?|post[\s-]+termination|exit)\s+(?:assistance|services|support)",
        (
            "transition",
            "termination assistance",
            "termination services",
            "termination support",
            "exit",
        ),
    ),
    wordings=(
        # Transition or exit assistance, and the customer's data handed back or left open for
        # export after the end.
        Wording(
            "exit assistance or data returned after the end",
            r"\b(?:transition(?:al)?|exit|termination|disengagement|wind[- ]down) assistance\b"
            r"|\bexit (?:plan|management)\b"
            r"|\btransition services\b(?! agreement)"
            r"|\b(?:upon|after|following|on|within [^.;]{0,30}? (?:of|after)) (?:the |any )?"
            rf"{_AFTER_END}\b[^.;]{{0,150}}?\b{_DATA_OUT}\b[^.;]{{0,60}}?\bdata\b"
            rf"|\b{_DATA_OUT}\b[^.;]{{0,60}}?\bdata\b[^.;]{{0,100}}?\b(?:after|following|upon) "
            rf"(?:the |any )?{_AFTER_END}\b",
            example=(
                "Upon termination, Provider shall allow Customer to export its data "
                "for thirty days."
            ),
            keywords=("assistance", "exit", "transition", "terminat", "expir", "end of"),
            before=200,
            after=260,
            tier=CHECKED_CLAUSE,
            denial=denied_before(),
        ),
    ),
)

# Read by the legal module in this order.
LEGAL_CLAUSES: tuple[ClauseConcept, ...] = (
    LIQUIDATED_DAMAGES,
    SOURCE_CODE_ESCROW,
    THIRD_PARTY_BENEFICIARY,
    POST_TERMINATION_SERVICES,
)

# "Customer commits to subscription fees of not less than USD 750,000 in each contract year":
# the payment reader takes the amount that follows from the same wording.
COMMITMENT_TO_SPEND = Wording(
    "commits to spend at least",
    r"\bcommits?\b(?:,[^,.;]{0,60},)? to (?:[\w-]+ ){0,4}?(?:fees|spend|spending|purchases?"
    r"|payments?|revenue)\b[^.;]{0,40}?\b(?:not less than|no less than|at least|a minimum of"
    r"|minimum of|in excess of)\b",
    example=(
        "Customer commits to subscription fees of not less than USD 750,000 in each contract year."
    ),
    keywords=("commit",),
    before=20,
    after=240,
    tier=CHECKED_CLAUSE,
    denial=denied_before(),
)

MINIMUM_COMMITMENT = ClauseConcept(
    path="commercial.minimum_commitment",
    meaning="a minimum a party must buy or pay, whether or not its amount is given",
    term=Term(
        r"minimum\s+(?:annual\s+|purchase\s+|spend\s+|volume\s+|order\s+|usage\s+)?(?:commitments?|"
        r"purchases?|spend|orders?|volumes?|fees?)",
        ("minimum",),
        also=("commercial.minimum_commitment_amount",),
    ),
    wordings=(
        # "a minimum recoupable guarantee of *****", "subject to a minimum total charge of
        # $2,000", "shall purchase from Manufacturer at least ...".
        Wording(
            "a minimum purchase, spend or charge",
            r"\bminimum (?:annual |aggregate |monthly |quarterly |yearly |purchase |spend(?:ing)? "
            r"|revenue |order |contract |usage |royalty |sales? |recoupable |total |guaranteed )*"
            r"(?:commitment|purchase|spend|fees?|order|billing|payment|volume|royalt(?:y|ies)"
            r"|guarantee|charge)s?\b"
            r"|\bshall (?:purchase|order|buy) (?:from [^.;]{0,60}?)?(?:at least|a minimum of"
            r"|not less than|no less than)\b",
            example="Customer agrees to a minimum annual commitment of USD 50,000.",
            keywords=("minimum", "purchase", "order", "buy"),
            before=60,
            after=160,
            tier=CHECKED_CLAUSE,
            denial=denied_before(),
        ),
        COMMITMENT_TO_SPEND,
    ),
)

_OTHERS = (
    r"(?:distributors?|customers?|licensees?|resellers?|purchasers?|buyers?|dealers?|clients?"
    r"|suppliers?|agents?|third[- ]part(?:y|ies))"
)
_AMOUNTS = r"(?:prices?|pricing|fees?|rates?|royalt(?:y|ies)|charges?)"

MOST_FAVOURED_NATION = ClauseConcept(
    path="commercial.most_favoured_nation",
    meaning="terms or prices no worse than those a party gives any other customer",
    term=Term(
        r"most[\s-]+favou?red[\s-]+(?:nation|customer)s?(?:\s+(?:pricing|terms?|clause|treatment|"
        r"status))?|MFN",
        ("favo", "mfn"),
    ),
    wordings=(
        # The name itself, or terms no less favourable than any other customer's ("... than
        # those offered to agents, distributors or ... any customers"). "No less favourable
        # care than its own" compares nothing with other customers and stays out. A sentence
        # that denies the promise is the negation reader's; its own "not less" makes it.
        Wording(
            "most favoured or no less favourable than others",
            r"\bmost[ -]favou?red[ -](?:nations?|customers?|licensees?|pricing|terms)\b"
            r"|\bmost favou?rable (?:treatment|terms|prices?|pricing)\b"
            r"|\btreated no less favou?rabl\w*"
            r"|\b(?:no|not) (?:be )?less favou?rabl\w*\b[^.;]{0,80}?\bthan\b[^.;]{0,120}?"
            rf"\b(?:any|all|each|other)\b[^.;]{{0,40}}?\b{_OTHERS}\b",
            example="Supplier shall treat Customer on a most favoured customer basis.",
            keywords=("favo",),
            before=120,
            after=220,
            tier=CHECKED_CLAUSE,
            denial=Denial(
                DenialScope.SENTENCE,
                re.compile(
                    r"\b(?:never|neither|nor|nothing|without)\b|\bnot?\b(?!\s+(?:be\s+)?less)",
                    re.I,
                ),
            ),
        ),
        # The same promise as a ceiling: "such fees shall not exceed the fees charged by
        # Licensor to unaffiliated third parties". Its own "not" makes the promise, so only
        # words shortly before the price deny it; a liability cap "will not exceed the fees
        # paid by Allscripts" names no one else and stays out.
        Wording(
            "prices no higher than those charged to others",
            rf"\b{_AMOUNTS}\b[^.;]{{0,60}}?\b(?:(?:shall|will|may|to) )?"
            r"(?:not (?:exceed|be (?:greater|higher|more) than)"
            r"|be no (?:greater|higher|more) than|no (?:greater|higher) than)"
            rf" (?:the|those|that) (?:lowest (?:of (?:the )?)?[^.;]{{0,30}}?)?{_AMOUNTS}\b"
            r"[^.;]{0,60}?"
            r"\b(?:charged|offered|paid|given|granted|extended|provided|available)\b[^.;]{0,60}?"
            r"\b(?:unaffiliated|third[- ]part(?:y|ies)|subsequent|(?:any|all) other)\b",
            example=(
                "Such fees shall not exceed the fees charged by Licensor to "
                "unaffiliated third parties."
            ),
            keywords=("exceed", "greater than", "higher than"),
            before=200,
            after=260,
            tier=CHECKED_CLAUSE,
            denial=denied_before(),
        ),
    ),
)

CUSTOM_PRICING = ClauseConcept(
    path="commercial.custom_pricing",
    meaning="prices agreed for this customer rather than the list prices",
    term=Term(
        r"(?:custom|special|non-standard|negotiated|promotional|preferential)\s+pric(?:ing|es?)",
        ("pricing",),
    ),
    wordings=(
        # "No discounts, credits or promotional pricing apply" denies the very thing it names.
        Wording(
            "special or negotiated prices",
            r"\b(?:custom|special|non-standard|negotiated|promotional|preferential) "
            r"(?:pricing|price|rates?|fees?)\b",
            example="Customer shall pay the negotiated rates set out in Schedule 2.",
            keywords=(
                "custom",
                "special",
                "non-standard",
                "negotiated",
                "promotional",
                "preferential",
            ),
            before=5,
            after=40,
            tier=CHECKED_CLAUSE,
            denial=denied_before(),
        ),
    ),
)

# --- Implementation: work the provider does before the customer goes live --------------
# Services are denied by a word just before them: "No set-up, implementation, data
# migration or onboarding charges are payable" orders no migration. Acceptance is not:
# its wordings carry their own conditions ("Products not rejected within ten days shall be
# deemed accepted").

PROFESSIONAL_SERVICES = ClauseConcept(
    path="implementation.professional_services",
    meaning="implementation, onboarding or consulting services beside the subscription",
    term=Term(
        r"(?:professional|implementation|consulting)\s+services",
        ("professional", "implementation services", "consulting services"),
    ),
    wordings=(
        Wording(
            "implementation or consulting services",
            r"\b(?:professional|implementation|onboarding|consulting|configuration|deployment) "
            r"services\b"
            r"|\bstatement of work\b|\bSOW\b|\b(?:implementation|onboarding) (?:package|project)\b"
            r"|\b\d+ hours (?:of )?(?:remote |on-?site )?(?:consulting|consultancy"
            r"|implementation work)\b",
            example="Provider shall deliver the Professional Services described in the SOW.",
            keywords=("services", "statement of work", "sow", "package", "project", "consult"),
            before=80,
            after=120,
            tier=KEPT_BY_CONTEXT,
            denial=denied_before(),
        ),
    ),
)

DATA_MIGRATION = ClauseConcept(
    path="implementation.data_migration",
    meaning="the customer's existing data moved into the service",
    term=Term(r"(?:data\s+)?migration(?:\s+services)?", ("migration",)),
    wordings=(
        # Data, records or history migrated, or legacy data loaded; and anything migrated
        # from a source ("migration of open tickets ... from the district's Zendesk account").
        Wording(
            "data migrated",
            r"\bdata migration\b|\bmigrat(?:e|ion|ing)\b[^.;]{0,60}?\b(?:data|records|history"
            r"|historical|content)\b"
            r"|\b(?:historical|legacy) (?:data|records)\b[^.;]{0,60}?"
            r"\b(?:import|load|migrat|transfer|convert)\w*"
            r"|\bmigrat(?:e|ed|ion|ing)\b[^.;]{0,100}?\bfrom\b",
            example="Provider will migrate five years of historical invoice data.",
            keywords=("migrat", "legacy", "historical"),
            before=80,
            after=120,
            tier=LOOSE_WORDING,
            denial=denied_before(),
        ),
    ),
)

TRAINING = ClauseConcept(
    path="implementation.training",
    meaning="training the provider gives the customer's users or administrators",
    term=Term(r"training(?:\s+(?:services|sessions))?", ("training",)),
    wordings=(
        Wording(
            "training sessions or users trained",
            r"\btraining (?:sessions?|services|courses?|programs?|programmes?|hours|days|credits"
            r"|workshops?|materials)\b"
            r"|\b(?:administrator|admin|end[- ]user|user|onsite|on-site|live|virtual"
            r"|instructor-led|train-the-trainer) training\b"
            r"|\btrain (?:the )?(?:customer|client|users|administrators|admins|personnel|staff"
            r"|employees)\b"
            r"|\btraining\b[^.;\n]{0,30}?[:|\t]"
            r"|\btrain[- ]the[- ]trainer\b|\btraining (?:for|of) (?:\w+ ){0,2}?(?:users"
            r"|administrators|admins|agents|staff|employees|personnel|key users)\b",
            example="Provider will deliver two administrator training sessions.",
            keywords=("train",),
            before=80,
            after=120,
            tier=KEPT_BY_CONTEXT,
            denial=denied_before(),
        ),
    ),
)

ACCEPTANCE_CRITERIA = ClauseConcept(
    path="implementation.acceptance_criteria",
    meaning="deliverables the customer accepts against criteria or tests",
    term=Term(
        r"(?:formal\s+)?acceptance\s+(?:testing|criteria|tests?|procedures?)", ("acceptance",)
    ),
    wordings=(
        Wording(
            "acceptance tests or criteria",
            r"\bacceptance (?:criteria|tests?|testing|procedures?|period|certificate|process"
            r"|sign-?off)\b"
            r"|\buser acceptance\b|\bUAT\b|\bdeemed accepted\b|\bacceptance of (?:each |the )?"
            r"deliverables?\b",
            example="Each deliverable is subject to user acceptance testing.",
            keywords=("accept", "uat"),
            before=80,
            after=120,
            tier=LOOSE_WORDING,
        ),
    ),
)

# Read by the implementation module in this order.
IMPLEMENTATION_WORK: tuple[ClauseConcept, ...] = (
    PROFESSIONAL_SERVICES,
    DATA_MIGRATION,
    TRAINING,
    ACCEPTANCE_CRITERIA,
)

# --- Tax: what the customer's taxes and purchasing ask of the parties -------------------

AFFILIATES_COVERED = ClauseConcept(
    path="tax.affiliates_covered",
    meaning="the customer's affiliates may use or order under the agreement",
    wordings=(
        Wording(
            "affiliates may use or order",
            r"\baffiliates?\b[^.;]{0,80}?\b(?:may|shall be (?:entitled|permitted)|are "
            r"(?:entitled|permitted|authori[sz]ed)|can)"
            r" (?:to )?(?:use|access|purchase|order|enter into|place orders|receive|benefit)\b"
            r"|\baffiliates?\b[^.;]{0,80}?\bwish(?:es)? to (?:use|access|receive)\b"
            r"|\b(?:used|accessed|purchased) by (?:customer and )?(?:its|customer[’']s) "
            r"affiliates\b"
            r"|\bon behalf of (?:itself and )?(?:its|customer[’']s) affiliates\b"
            r"|\baffiliates? (?:are|is|shall be) (?:covered|included)\b"
            r"|\bcustomer and its affiliates\b",
            example="Customer's Affiliates may use the Services under this Agreement.",
            keywords=("affiliate",),
            before=130,
            after=130,
            tier=KEPT_BY_CONTEXT,
        ),
    ),
)

WITHHOLDING_TAX = ClauseConcept(
    path="tax.withholding_tax",
    meaning="tax withheld from payments, or payments grossed up for it",
    term=Term(r"withholding\s+tax(?:es)?", ("withholding",)),
    wordings=(
        Wording(
            "tax withheld or grossed up",
            r"\bwithholding tax(?:es)?\b|\bwith(?:hold|held|holding)\b[^.;]{0,60}?\btax(?:es)?\b"
            r"|\btax(?:es)?\b[^.;]{0,60}?\bwith(?:hold|held|holding)\b|\bgross(?:ed)?[- ]up\b",
            example="If Customer is required to withhold any taxes, it shall gross up the payment.",
            keywords=("withh", "gross"),
            before=130,
            after=130,
            tier=CHECKED_CLAUSE,
        ),
        Wording(
            "tax deducted at source",
            r"\bdeduct(?:s|ed|ing)?\s+(?:such|any|the|that|applicable|income)\s+(?:income\s+)?tax(?:es)?\b"
            r"|\bdeduct(?:s|ed|ing|ion\s+of)?\s+(?:income\s+)?tax(?:es)?\s+at\s+source\b"
            r"|\btax(?:es)?\s+deducted\s+at\s+source\b",
            example="The Customer may deduct such tax at the applicable rate under section 195.",
            keywords=("deduct",),
            before=130,
            after=130,
            tier=CHECKED_CLAUSE,
        ),
    ),
)

# Exemption from the taxes charged on the sale: sales and use tax, VAT, GST.
_INDIRECT = (
    r"(?:sales|use|sales and use|sales or use|VAT|GST|HST|PST|QST|value[- ]added|goods and services"
    r"|consumption|transaction privilege) tax(?:es|ation)?"
)
_INDIRECT_RX = re.compile(_INDIRECT.replace(" ", r"\s+"), re.IGNORECASE)
# Relief from withholding (a treaty or an exemption certificate for tax withheld at source) is
# not an exemption from the tax charged on the sale.
_WITHHOLDING_RELIEF = re.compile(
    r"withh[eo]l|income\s+tax|double\s+tax|tax\s+treaty|at\s+source|source\s+tax", re.IGNORECASE
)


def _not_only_withholding(_view: TextView, sentence: str) -> bool:
    """Whether a sentence about an exemption is not only about relief from withholding."""
    return not _WITHHOLDING_RELIEF.search(sentence) or _INDIRECT_RX.search(sentence) is not None


TAX_EXEMPT = ClauseConcept(
    path="tax.tax_exempt",
    meaning="the customer is exempt from sales tax, VAT or GST",
    term=Term(r"tax[\s-]+exempt(?:ion)?|exempt\s+from\s+(?:\w+\s+)?tax(?:es)?", ("exempt",)),
    wordings=(
        Wording(
            "exempt from sales tax, VAT or GST",
            rf"\btax[- ]exempt(?:ion)?\b|\bexempt(?:ion)? from (?:[\w-]+ ){{0,3}}?{_INDIRECT}\b"
            rf"|\b{_INDIRECT} exempt(?:ion)?\b|\bexempt from (?:all )?(?:VAT|GST|HST)\b"
            r"|\b(?:tax )?exemption certificates?\b|\bcertificate of exemption\b"
            r"|\bresale certificates?\b|\bdirect pay permit\b",
            example="Customer is exempt from sales tax and shall provide its certificate.",
            keywords=("exempt", "resale certificate", "direct pay"),
            before=130,
            after=130,
            tier=CHECKED_CLAUSE,
            kept_where=_not_only_withholding,
        ),
    ),
)

# A purchase order counts where the sentence requires one or asks invoices to quote it.
_PO_REQUIRED = re.compile(
    r"requir|\bmust\b|mandatory|condition|without\s+(?:a\s+)?(?:valid\s+)?(?:PO|purchase)|"
    r"shall\s+(?:include|reference"
    r"|quote|bear|contain|state)|will\s+(?:include|reference|quote)|(?:include|reference|quote)"
    r"s?\s+(?:the\s+)?"
    r"(?:customer[’']s\s+)?(?:PO|purchase)",
    re.IGNORECASE,
)

PO_REQUIRED = ClauseConcept(
    path="tax.po_required",
    meaning="a purchase order is required, or invoices must quote one",
    needs=("purchase order", "po ", "p.o.", "po#", "pos "),
    term=Term(
        r"purchase\s+orders?|PO(?:\s+numbers?)?",
        ("purchase order", " po ", " po.", " po,", "po number", "(po"),
    ),
    wordings=(
        Wording(
            "purchase order required",
            r"\bpurchase orders?\b|\bP\.?O\.? (?:numbers?|#|no\.?)|\bPOs?\b",
            example="Each invoice must reference the Customer's purchase order number.",
            keywords=(
                "purchase order",
                " po ",
                " po.",
                " po,",
                " po:",
                " pos ",
                "po number",
                "po#",
                "(po",
                "p.o.",
                "\npo ",
            ),
            before=5,
            after=30,
            tier=KEPT_BY_CONTEXT,
            kept_where=lambda _view, sentence: _PO_REQUIRED.search(sentence) is not None,
        ),
    ),
)

# Read by the tax module in this order.
TAX_TERMS: tuple[ClauseConcept, ...] = (AFFILIATES_COVERED, WITHHOLDING_TAX, TAX_EXEMPT)

# --- Security and compliance: a mention in the text is the finding ---------------------

HIPAA_BAA = ClauseConcept(
    path="security.hipaa_baa",
    meaning="a HIPAA business associate agreement between the parties",
    term=Term(
        r"business\s+associate\s+(?:agreement|addendum)|BAA|HIPAA(?:\s+(?:compliance|"
        r"business\s+associate\s+agreement))?",
        ("associate", "baa", "hipaa"),
    ),
    wordings=(
        Wording(
            "business associate agreement",
            r"\b(?i:business\s+associate\s+(?:agreement|addendum|contract))\b|\bBAA\b",
            example="The parties shall enter into a Business Associate Agreement.",
            keywords=("associate", "baa"),
            before=120,
            after=120,
            tier=PRECISE_WORDING,
            flags=0,
        ),
        Wording(
            "HIPAA named",
            r"\bHIPAA\b",
            example="Provider shall comply with HIPAA.",
            keywords=("hipaa",),
            before=120,
            after=120,
            tier=BARE_MENTION,
            flags=0,
        ),
    ),
)

GDPR_DPA = ClauseConcept(
    path="security.gdpr_dpa",
    meaning="a data processing agreement under the GDPR",
    term=Term(r"data\s+processing\s+(?:agreement|addendum)|DPA", ("data processing", "dpa")),
    wordings=(
        Wording(
            "data processing agreement",
            r"\bdata\s+processing\s+(?:agreement|addendum|terms|exhibit)\b|\bDPA\b",
            example="The Data Processing Addendum forms part of this Agreement.",
            keywords=("data processing", "dpa"),
            before=120,
            after=120,
            tier=CHECKED_CLAUSE,
        ),
        Wording(
            "GDPR named",
            r"\bGDPR\b|\bGeneral\s+Data\s+Protection\s+Regulation\b",
            example="Each party shall comply with the GDPR.",
            keywords=("gdpr", "general data protection"),
            before=120,
            after=120,
            tier=BARE_MENTION,
        ),
    ),
)

STANDARD_CONTRACTUAL_CLAUSES = ClauseConcept(
    path="security.standard_contractual_clauses",
    meaning="the EU standard contractual clauses or the UK transfer agreement for data exports",
    term=Term(r"standard\s+contractual\s+clauses|SCCs?", ("contractual clauses", "scc")),
    wordings=(
        Wording(
            "standard contractual clauses or IDTA",
            r"\bstandard\s+contractual\s+clauses\b|\bSCCs?\b|\bmodel\s+clauses\b"
            r"|\binternational\s+data\s+transfer[ \t\n]+(?:agreement|addendum)\b|\bIDTA\b",
            example="Transfers outside the EEA are made under the Standard Contractual Clauses.",
            keywords=("contractual clauses", "scc", "model clauses", "data transfer", "idta"),
            before=120,
            after=120,
            tier=PRECISE_WORDING,
        ),
    ),
)

ENCRYPTION_AT_REST = ClauseConcept(
    path="security.encryption_at_rest",
    meaning="data encrypted where it is stored",
    term=Term(
        r"encryption\s+(?:of\s+(?:customer\s+)?data\s+)?at\s+rest"
        r"|encrypt\w*\s+(?:(?:all\s+)?(?:customer\s+|personal\s+)?data\s+)?at\s+rest",
        ("at rest",),
    ),
    wordings=(
        Wording(
            "encrypted at rest",
            r"\bencrypt\w*\b[^.;]{0,100}?\bat[ \t\n-]+rest\b|\bat[ \t\n-]+rest\b[^.;]{0,60}?"
            r"\bencrypt\w*|\bAES[ \t-]?256\b",
            example="Customer Data is encrypted at rest with AES-256.",
            keywords=("rest", "aes"),
            before=120,
            after=120,
            tier=PRECISE_WORDING,
        ),
    ),
)

CUSTOMER_MANAGED_KEYS = ClauseConcept(
    path="security.customer_managed_keys",
    meaning="encryption keys the customer manages or brings",
    term=Term(
        r"customer[\s-]+managed\s+(?:encryption\s+)?keys?|bring[\s-]+your[\s-]+own[\s-]+keys?|BYOK|"
        r"CMKs?",
        ("key", "byok", "cmk"),
    ),
    wordings=(
        Wording(
            "customer-managed or own keys",
            r"\bcustomer[ \t\n-]+(?:managed|controlled|supplied|held|provided|owned)[ \t\n-]+"
            r"(?:encryption\s+)?keys?\b"
            r"|\bbring[ \t\n-]+your[ \t\n-]+own[ \t\n-]+(?:encryption[ \t\n-]+)?keys?\b"
            r"|\bBYOK\b|\bHYOK\b|\bCMKs?\b"
            r"|\bkeys?\s+(?:are\s+)?(?:managed|controlled|held)\s+(?:solely[ \t\n]+)?by\s+"
            r"(?:the\s+)?customer\b",
            example="Customer may use customer-managed encryption keys.",
            keywords=("customer-", "customer ", "own key", "own encryption", "byok", "hyok", "cmk"),
            before=120,
            after=120,
            tier=PRECISE_WORDING,
        ),
    ),
)

SCIM = ClauseConcept(
    path="security.scim",
    meaning="user provisioning over SCIM",
    term=Term(
        r"SCIM(?:\s+provisioning)?|automated\s+(?:user\s+)?provisioning", ("scim", "provisioning")
    ),
    wordings=(
        Wording(
            "SCIM named",
            r"\bSCIM\b|\bSystem\s+for\s+Cross-domain\s+Identity\b",
            example="Provider supports user provisioning over SCIM 2.0.",
            keywords=("scim", "cross-domain"),
            before=120,
            after=120,
            tier=PRECISE_WORDING,
            flags=0,
        ),
    ),
)

DATA_DELETION = ClauseConcept(
    path="security.data_deletion",
    meaning="the customer's data deleted or destroyed",
    wordings=(
        Wording(
            "customer data deleted",
            r"\b(?:delet|destr|purg|eras)\w*\b[^.;]{0,80}?\b(?:customer|personal|client)[ \t\n]+"
            r"(?:data|content|information)\b"
            r"|\b(?:customer|personal|client)[ \t\n]+(?:data|content)\b[^.;]{0,80}?"
            r"\b(?:delet|destr|purg|eras)\w*",
            example="Provider shall delete all Customer Data within thirty days of termination.",
            keywords=("delet", "destr", "purg", "eras"),
            before=120,
            after=120,
            tier=LOOSE_WORDING,
        ),
    ),
)

# --- Assurance the customer may demand: a mention counts where its sentence demands it -----
# A SOC 2 report, an ISO 27001 certificate or a penetration test matters for onboarding only
# where the customer may demand it; the provider describing what it offers everyone ("our SOC
# 2 report is available on request") asks nothing of anyone.

# How a sentence about an assurance reads. A commitment (the provider "shall" deliver or keep
# it) or a right of the customer to it is a demand; the provider describing its standard offer
# ("our SOC 2 report is available on request", "a programme consistent with ISO/IEC 27001",
# "we perform annual penetration tests") is not. A promise in the future tense ("will provide")
# is a demand unless the sentence reads as the offer; a sentence with neither, a heading or a
# list of certifications, demands nothing.
_ASSURANCE_VERBS = (
    r"(?:provide|deliver|furnish|send|share|supply|submit|make|maintain|obtain|undergo|perform"
    r"|conduct|engage|commission|procure|complete|permit|allow|retain|hold|keep|achieve|remain"
    r"|renew|have)"
)
_CUSTOMER_SLOT = "<customer>"
# The customer helping itself to what the provider publishes for every customer: "Customer may
# download the most recent SOC 2 report from the Trust Portal". Access of its own, from where
# the material is published, asks nothing of the provider; a right to ask for it ("may
# request", "upon Customer's request") or to have it delivered ("shall provide") still does.
_SELF_SERVICE = (
    r"(?:\s+\w+ly)?\s+(?:download|access|view|retrieve|consult)\b[^.;]{0,160}?"
    r"\b(?:portal|trust\s+(?:cent(?:er|re)|page|site|hub)|security\s+(?:cent(?:er|re)|page|site)"
    r"|website|web\s+site|online|dashboard|console|self-service)\b"
)


class Reading(StrEnum):
    """What one cue says about the sentence it is in."""

    DEMAND = "demand"
    PROMISE = "promise"  # a demand unless the sentence also reads as the offer
    OFFER = "offer"


_ASSURANCE_CUES: tuple[tuple[Reading, str], ...] = (
    # The provider is bound to it.
    (
        Reading.DEMAND,
        r"\b(?:shall|must|agrees?\s+to|undertakes?\s+to|commits?\s+to|covenants?\s+to"
        r"|is\s+(?:required|obliged|obligated)\s+to)(?!\s+not\b)"
        rf"(?:\s+[\w,()-]+){{0,4}}?\s+{_ASSURANCE_VERBS}\b",
    ),
    # The customer has a right to it or asks for it.
    (
        Reading.DEMAND,
        rf"\b{_CUSTOMER_SLOT}(?:\s+or\s+its\s+[\w-]+)?\s+(?:(?:may(?!\s+not\b)|can(?!not\b))"
        rf"(?!{_SELF_SERVICE})"
        r"|(?:shall\s+have|has|reserves)\s+the\s+right|is\s+entitled|requires?|will\s+require)\b",
    ),
    (
        Reading.DEMAND,
        rf"\b(?:at|upon|on)\s+(?:the\s+)?{_CUSTOMER_SLOT}['’]s\s+(?:written\s+|reasonable\s+)?"
        r"request",
    ),
    (Reading.DEMAND, rf"\b(?:requested|required)\s+by\s+(?:the\s+)?{_CUSTOMER_SLOT}"),
    # Delivered to the customer, in the future tense: "Helix will provide both to Customer".
    (
        Reading.DEMAND,
        rf"\bwill(?:\s+[\w,()-]+){{0,3}}?\s+{_ASSURANCE_VERBS}\b[^.;]{{0,120}}?"
        rf"\b(?:to|with|for)\s+(?:the\s+)?{_CUSTOMER_SLOT}",
    ),
    (
        Reading.DEMAND,
        rf"\bwill(?:\s+[\w,()-]+){{0,3}}?\s+{_ASSURANCE_VERBS}\s+(?:the\s+)?{_CUSTOMER_SLOT}",
    ),
    (Reading.PROMISE, rf"\bwill(?!\s+not\b)(?:\s+[\w,()-]+){{0,3}}?\s+{_ASSURANCE_VERBS}\b"),
    # The provider's standard offer.
    (Reading.OFFER, rf"\b{_CUSTOMER_SLOT}(?:\s+or\s+its\s+[\w-]+)?\s+(?:may|can){_SELF_SERVICE}"),
    (
        Reading.OFFER,
        r"\bavailable\b|\b(?:we|our|us)\b|\b(?:consistent|aligned|in\s+line|in\s+accordance)"
        r"\s+with\b|\b(?:based|modell?ed)\s+on\b|\bincluded\s+in\b|\bincludes\b",
    ),
)


@per_view
def _compiled_cues(view: TextView) -> list[tuple[Reading, re.Pattern[str]]]:
    """The cues with the customer slot naming the customer: its role words and defined names."""
    names = sorted(
        (key for key, role in name_keys(view).items() if role is PartyRole.CUSTOMER),
        key=len,
        reverse=True,
    )
    alternatives = "|".join(r"\s+".join(map(re.escape, name.split())) for name in names)
    # "Customer Data" is what the test covers, not who receives the report.
    customer = rf"(?:{alternatives})\b(?!\s+(?:data|content|information|materials|systems)\b)"
    return [
        (reading, re.compile(pattern.replace(_CUSTOMER_SLOT, customer), re.IGNORECASE))
        for reading, pattern in _ASSURANCE_CUES
    ]


def demanded(view: TextView, sentence: str) -> bool:
    """Whether a sentence about a report, certificate or test makes it the customer's demand."""
    readings = {reading for reading, cue in _compiled_cues(view) if cue.search(sentence)}
    if Reading.DEMAND in readings:
        return True
    return Reading.PROMISE in readings and Reading.OFFER not in readings


SOC2_REPORT = ClauseConcept(
    path="security.soc2_report",
    meaning="the customer may demand the provider's SOC 2 (or SSAE 18, ISAE 3402) report",
    term=Term(
        r"SOC\s*(?:2|II)(?:\s+Type\s+(?:II|2|I|1))?(?:\s+(?:reports?|attestations?|audits?))?",
        ("soc",),
    ),
    wordings=(
        Wording(
            "SOC 2 report demanded",
            r"\bSOC[ \t-]?(?:2|II|two)\b|\bSSAE[ \t-]?1[68]\b|\bISAE[ \t-]?3402\b",
            example="Provider shall provide Customer with its SOC 2 Type II report every year.",
            keywords=("soc", "ssae", "isae"),
            before=120,
            after=120,
            tier=PRECISE_WORDING,
            kept_where=demanded,
        ),
    ),
)

ISO27001_CERTIFICATE = ClauseConcept(
    path="security.iso27001_certificate",
    meaning="the customer may demand the provider's ISO/IEC 27001 certificate",
    term=Term(r"ISO(?:/IEC)?\s*27001(?:\s+(?:certificat\w+|certified))?", ("27001",)),
    wordings=(
        Wording(
            "ISO 27001 demanded",
            r"\bISO(?:/IEC)?[ \t-]?27001\b",
            example="Provider shall maintain ISO 27001 certification throughout the term.",
            keywords=("27001",),
            before=120,
            after=120,
            tier=PRECISE_WORDING,
            kept_where=demanded,
        ),
    ),
)

PENETRATION_TEST = ClauseConcept(
    path="security.penetration_test",
    meaning="the customer may demand penetration tests or their results",
    term=Term(
        r"pen(?:etration)?[\s-]*test(?:s|ing)?(?:\s+(?:reports?|results?|summar(?:y|ies)))?",
        ("penetration", "pen test", "pen-test", "pentest"),
    ),
    wordings=(
        Wording(
            "penetration test demanded",
            r"\bpen(?:etration)?[ \t-]?test(?:s|ing|ed)?\b|\bpentest(?:s|ing)?\b",
            example=(
                "Provider shall conduct an annual penetration test and share the "
                "results with Customer."
            ),
            keywords=("penetration", "pen test", "pen-test", "pentest"),
            before=120,
            after=120,
            tier=PRECISE_WORDING,
            kept_where=demanded,
        ),
    ),
)

# Read by the security module in this order.
SECURITY_MENTIONS: tuple[ClauseConcept, ...] = (
    HIPAA_BAA,
    GDPR_DPA,
    STANDARD_CONTRACTUAL_CLAUSES,
    ENCRYPTION_AT_REST,
    CUSTOMER_MANAGED_KEYS,
    SCIM,
    DATA_DELETION,
)
ASSURANCES: tuple[ClauseConcept, ...] = (SOC2_REPORT, ISO27001_CERTIFICATE, PENETRATION_TEST)

# Every clause concept: what ``describe`` lists, and what a test checks is read somewhere.
CLAUSE_CONCEPTS: tuple[ClauseConcept, ...] = (
    *LEGAL_CLAUSES,
    MINIMUM_COMMITMENT,
    MOST_FAVOURED_NATION,
    CUSTOM_PRICING,
    *IMPLEMENTATION_WORK,
    PO_REQUIRED,
    *TAX_TERMS,
    *SECURITY_MENTIONS,
    *ASSURANCES,
)
