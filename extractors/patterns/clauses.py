"""Clause concepts: the facts that are present where a contract states them in so many words.

Each concept below is one fact path and the wordings that state it (see
``extractors.patterns.vocabulary`` for what a wording holds). These are the rare clauses
with wordings precise enough to settle the fact outright: too few contracts hold them for
the clause model to learn them reliably. How often each wording fires on the development
contracts, and how often rightly, is in the generated report ``python -m evals.wordings``.

To add a wording, add a ``Wording`` to its concept with a test pair (a sentence that states
it, and a look-alike or denial that must not) in ``tests/extractors/patterns``; to add a
concept, add a ``ClauseConcept`` here and read it in its topic module with
``read_concept``.
"""

from __future__ import annotations

from extractors.patterns.confidence import CHECKED_CLAUSE, KEPT_BY_CONTEXT
from extractors.patterns.vocabulary import (
    DENIED_IN_SENTENCE,
    ClauseConcept,
    Wording,
    denied_before,
    denied_through,
)

# A sentence runs on past section numbers ("pursuant to Section 6.1").
_NOT_END = r"(?:[^.;]|\.\d)"

LIQUIDATED_DAMAGES = ClauseConcept(
    path="legal.liquidated_damages",
    meaning="a sum fixed in advance that a party pays for a breach or for ending early",
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
            keywords=("assistance", "exit", "transition", "terminat", "expir", "end of"),
            before=200,
            after=260,
            tier=CHECKED_CLAUSE,
            denial=denied_before(),
        ),
    ),
)

# Every clause concept, in the order the extractor reads them.
CLAUSE_CONCEPTS: tuple[ClauseConcept, ...] = (
    LIQUIDATED_DAMAGES,
    SOURCE_CODE_ESCROW,
    THIRD_PARTY_BENEFICIARY,
    POST_TERMINATION_SERVICES,
)

__all__ = [
    "CLAUSE_CONCEPTS",
    "LIQUIDATED_DAMAGES",
    "POST_TERMINATION_SERVICES",
    "SOURCE_CODE_ESCROW",
    "THIRD_PARTY_BENEFICIARY",
]
