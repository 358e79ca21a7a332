"""How sure a reading is: one ladder of tiers, named by the kind of evidence that earns them.

Every topic module gives its hits one of these, never a number of its own, so that two
readings of a fact compare by the evidence behind them: a field that labels a value beats
a clause that states it, which beats a wording other topics share, which beats a value
inferred from its surroundings. The fold in ``extractors.patterns`` keeps the surest hit of
each fact path, so moving a reading up or down the ladder changes which one wins.
"""

from __future__ import annotations

# The document says it of itself, in its opening: "This Agreement is made on 1 March 2024".
SELF_DECLARED = 0.95
# A value under a label that names it: a field ("Payment terms: Net 45", "Governing Law:
# England & Wales"), a defined term ('March 1, 2024 (the "Effective Date")'), a term of art
# ("Net 30"), a total the document states.
LABELLED_FIELD = 0.9
# A clause stating the value in a precise wording that means nothing else ("within 30 days of
# the invoice date", "99.9% uptime", "SAML 2.0"), or a field of a kind other things share.
PRECISE_WORDING = 0.85
# A clause wording checked for denial ("shall not be liable for liquidated damages" is read
# as excluded), or for what it refers to (the agreement an amendment amends).
CHECKED_CLAUSE = 0.8
# A looser wording ("payment is due on receipt of invoice", "billed annually"), or a table
# value under a telling header ("Plan | ..." above a row).
LOOSE_WORDING = 0.75
# A wording other topics share ("purchase order", "training"), kept because its context
# reads as this topic's; or a value worked out from several stated ones.
KEPT_BY_CONTEXT = 0.7
# A value inferred from what surrounds it: a country from a postcode or a legal form, a
# product from a row of an order table, a law named only somewhere in the sentence.
INFERRED = 0.65
# A bare mention nothing checks ("HIPAA", "GDPR"), or a wording that often means otherwise.
BARE_MENTION = 0.6
# A value borrowed from another fact or document where nothing states it: the customer's
# country for where it is billed, the edition a product's name ends in, the date of the
# master agreement an order form is placed under.
BORROWED = 0.55
# A stand-in where the document states no value: the last signature's date for the
# agreement's, "month to month" for a term of one month, a title naming no known kind.
STAND_IN = 0.5
# A reading whose sentence points at another document ("whereas", "that certain", "as
# amended"): a date that may well be some other agreement's.
DOUBTFUL = 0.45
# The last resort: the first date in an undated text's title block.
LAST_RESORT = 0.4

# One rung of the ladder: what a reading gains when its sentence also names the agreement.
RUNG = 0.05
