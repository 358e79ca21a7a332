"""Whether a sentence about a report, certificate or test makes it the customer's demand.

A SOC 2 report, an ISO 27001 certificate or a penetration test matters for onboarding only
where the customer may demand it; the provider describing what it offers everyone ("our SOC
2 report is available on request") asks nothing of anyone. The clause concepts of those
assurances keep a mention only where ``demanded`` reads its sentence as a demand.
"""

from __future__ import annotations

import re
from enum import StrEnum

from extractors.facts import PartyRole
from extractors.patterns.core import TextView, per_view
from extractors.patterns.parties import name_keys

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
