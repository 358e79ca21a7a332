"""Small synthetic contracts with known clauses, for training tests that need no dataset."""

from __future__ import annotations

import random

from evals.cuad.corpus import CuadContract
from evals.cuad.labelling import LabelledContract, label_contract
from extractors.classifier.categories import CATEGORY_KEYS
from extractors.document import Document, MediaType, Page

CLAUSES = {
    "mfn": [
        "{a} shall offer {b} prices no less favorable than those offered to any other customer.",
        "If {a} grants any third party more favorable terms, {a} shall extend such terms to {b}.",
        "{b} shall receive most favored customer pricing for all Products.",
    ],
    "audit_rights": [
        "{a} may audit the books and records of {b} upon ten days notice.",
        "{b} shall permit {a} to inspect its records relating to royalties once per year.",
        "An independent accountant may examine the accounts of {b} at the request of {a}.",
    ],
    "insurance": [
        "{b} shall maintain general liability insurance of at least two million dollars.",
        "{a} shall name {b} as an additional insured under its insurance policies.",
        "Each party shall carry workers compensation insurance as required by law.",
    ],
}
BOILERPLATE = [
    "This Agreement may be executed in counterparts, each of which is an original.",
    "Notices shall be sent in writing to the addresses set out above.",
    "The headings in this Agreement are for convenience only.",
    "{a} shall deliver the Products to the facility designated by {b}.",
    "This Agreement constitutes the entire agreement between {a} and {b}.",
    "{b} shall pay each invoice within thirty days of receipt.",
    "Any waiver must be in writing and signed by both parties.",
    "If any provision is held invalid, the remainder shall continue in effect.",
]
NAMES = ["Acme", "Beta Corp", "Gamma Ltd", "Delta Inc", "Omega", "Sigma LLC"]


def synthetic_contract(index: int, rng: random.Random) -> tuple[CuadContract, Document]:
    """One contract: boilerplate with a random subset of the known clauses."""
    a, b = rng.sample(NAMES, 2)
    present = dict.fromkeys(CATEGORY_KEYS, False)
    excerpts: dict[str, list[str]] = {key: [] for key in CATEGORY_KEYS}
    paragraphs = [s.format(a=a, b=b) for s in rng.sample(BOILERPLATE, 5)]
    for key, bank in CLAUSES.items():
        if rng.random() < 0.5:
            sentence = rng.choice(bank).format(a=a, b=b)
            present[key] = True
            excerpts[key].append(sentence)
            paragraphs.insert(rng.randrange(len(paragraphs) + 1), sentence)
    text = "\n\n".join(paragraphs)
    document = Document(
        text=text,
        pages=[Page(number=1, start=0, end=len(text))],
        sha256=f"{index:064d}",
        media_type=MediaType.TEXT,
        loader="synthetic",
        loader_version="1",
    )
    contract = CuadContract(
        contract_id=f"syn-{index:03d}",
        agreement_type="Synthetic",
        excerpts=excerpts,
        present=present,
        governing_law="",
        agreement_date="",
    )
    return contract, document


def synthetic_corpus(count: int, seed: int = 5) -> list[LabelledContract]:
    """``count`` labelled synthetic contracts."""
    rng = random.Random(seed)
    return [label_contract(*synthetic_contract(index, rng)) for index in range(count)]
