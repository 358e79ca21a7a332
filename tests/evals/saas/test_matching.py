"""How predicted values are compared with labelled ones, per value type."""

from __future__ import annotations

from datetime import date

from evals.saas.matching import (
    code,
    match_lists,
    name_match,
    scalar_match,
    text_match,
)
from extractors.facts import (
    BillingFrequency,
    Indemnity,
    LiabilityCap,
    Milestone,
    Money,
    Obligation,
    Party,
    PartyRole,
    Product,
)


def usd(amount: float) -> Money:
    return Money(amount=amount, currency="USD")


def test_nothing_predicted_never_matches() -> None:
    assert not scalar_match(60, None)
    assert not scalar_match(usd(10), None)


def test_yes_no_and_numbers_never_stand_in_for_each_other() -> None:
    assert not scalar_match(1, True)
    assert not scalar_match(True, 1)
    assert not scalar_match(99.9, True)
    assert scalar_match(True, True)


def test_money_needs_the_same_currency_and_half_a_percent() -> None:
    assert scalar_match(usd(100_000), usd(100_400))
    assert not scalar_match(usd(100_000), usd(100_600))
    assert not scalar_match(usd(100_000), Money(amount=100_000, currency="EUR"))


def test_numbers_dates_and_enums_compare_exactly() -> None:
    assert scalar_match(60, 60) and not scalar_match(60, 45)
    assert scalar_match(99.9, 99.9) and not scalar_match(99.9, 99.5)
    assert scalar_match(0.5, 0.5) and scalar_match(1.0, 1)
    assert scalar_match(date(2024, 3, 1), date(2024, 3, 1))
    assert not scalar_match(date(2024, 3, 1), date(2024, 3, 2))
    assert scalar_match(BillingFrequency.ANNUAL, BillingFrequency.ANNUAL)
    assert not scalar_match(BillingFrequency.ANNUAL, BillingFrequency.QUARTERLY)


def test_liability_cap_needs_the_same_components() -> None:
    cap = LiabilityCap(amount=usd(5_000_000), months_of_fees=12)
    assert scalar_match(cap, LiabilityCap(amount=usd(5_010_000), months_of_fees=12))
    assert not scalar_match(cap, LiabilityCap(months_of_fees=12))
    assert not scalar_match(cap, LiabilityCap(amount=usd(5_000_000), months_of_fees=6))
    assert not scalar_match(LiabilityCap(fees_multiple=2), LiabilityCap(months_of_fees=24))


def test_jurisdictions_match_after_dropping_place_words() -> None:
    assert name_match("Delaware", "the State of Delaware")
    assert name_match("England and Wales", "England")
    assert name_match("Wilmington, Delaware", "Delaware")
    assert not name_match("New York", "New South Wales")
    assert not name_match("Ontario", "Oregon")


def test_party_names_ignore_legal_suffixes_but_not_roles() -> None:
    expected = Party(name="Brightline Analytics, Inc.", role=PartyRole.PROVIDER, country="US")
    assert match_lists(
        "commercial.parties", [expected], [Party(name="BRIGHTLINE ANALYTICS INC", role="provider")]
    ) == (1, 0, 0)  # a country the prediction does not give is not held against it
    found = Party(name="Brightline Analytics", role=PartyRole.PROVIDER, country="US")
    assert match_lists("commercial.parties", [expected], [found]) == (1, 0, 0)
    customer = Party(name="Brightline Analytics", role=PartyRole.CUSTOMER, country="US")
    assert match_lists("commercial.parties", [expected], [customer]) == (0, 1, 1)
    elsewhere = Party(name="Brightline Analytics", role=PartyRole.PROVIDER, country="CA")
    assert match_lists("commercial.parties", [expected], [elsewhere]) == (0, 1, 1)


def test_codes_compare_after_normalisation_and_aliases() -> None:
    assert code("GB 318 4471 26") == "GB318447126"
    assert code("UK") == code("GB")
    assert code("EEA") == code("EU")
    assert code("SAML 2.0") == "SAML"
    assert code("OpenID Connect") == "OIDC"


def test_lists_count_each_element_once() -> None:
    assert match_lists("security.data_residency", ["US", "GB"], ["GB", "SG", "GB"]) == (1, 2, 1)
    assert match_lists("commercial.currencies", [], ["USD"]) == (0, 1, 0)
    assert match_lists("security.sso", ["SAML", "OIDC"], ["SAML 2.0", "OpenID Connect"]) == (
        2,
        0,
        0,
    )


def test_free_text_matches_on_content_words() -> None:
    assert text_match("data breach", "unlimited liability for any data breach")
    assert text_match(
        "intellectual property infringement", "IP infringement claims by third parties"
    )
    assert not text_match("gross negligence", "payment of fees")


def test_structured_elements_need_their_labelled_details() -> None:
    path = "implementation.milestones"
    milestone = Milestone(name="Go-Live", due_date=date(2024, 5, 31))
    assert match_lists(path, [milestone], [Milestone(name="Go-Live", due_date=date(2024, 5, 31))])[
        0
    ]
    assert not match_lists(path, [milestone], [Milestone(name="Go-Live")])[0]
    product = Product(name="Premium Support", quantity=1)
    assert match_lists(
        "commercial.products", [product], [Product(name="premium support", quantity=1)]
    )[0]
    assert not match_lists(
        "commercial.products", [product], [Product(name="Premium Support", quantity=2)]
    )[0]
    indemnity = Indemnity(
        by=PartyRole.PROVIDER, scope="intellectual property infringement", unlimited=True
    )
    same = Indemnity(by=PartyRole.PROVIDER, scope="infringement of IP", unlimited=True)
    assert match_lists("legal.indemnities", [indemnity], [same])[0]
    limited = Indemnity(by=PartyRole.PROVIDER, scope="infringement of IP", unlimited=False)
    assert not match_lists("legal.indemnities", [indemnity], [limited])[0]


def test_obligations_need_party_recurrence_and_action() -> None:
    expected = Obligation(party=PartyRole.PROVIDER, action="notify Customer of a security breach")
    found = Obligation(
        party=PartyRole.PROVIDER, action="notify the Customer of any security breach"
    )
    assert match_lists("obligations", [expected], [found]) == (1, 0, 0)
    wrong_party = found.model_copy(update={"party": PartyRole.CUSTOMER})
    assert match_lists("obligations", [expected], [wrong_party]) == (0, 1, 1)
    recurring = found.model_copy(update={"recurring": True})
    assert match_lists("obligations", [expected], [recurring]) == (0, 1, 1)


def test_free_text_sharing_only_a_generic_word_does_not_match() -> None:
    assert not text_match("breach of confidentiality", "breach of exclusivity")
    assert not text_match("Integrations Complete", "Data Migration Complete")
