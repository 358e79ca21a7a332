"""Contracts that share most of their wording, kept on one side of every cross-validation split.

CUAD holds the same agreement more than once: one filing twice (cuad-0009 and cuad-0010),
two licences from one template (cuad-0104 and cuad-0258 share 97 % of their wording), an
agreement restated inside a longer exhibit. Trained on one copy and tested on the other, a
model is scored on text it has seen. Two contracts are grouped when most word 6-grams of the
shorter one also occur in the longer one; groups are closed under that relation.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Mapping

_WORD = re.compile(r"\w+")
SHINGLE_WORDS = 6
# One shingle in this many is kept (chosen by a stable hash): the shared share of the
# sample estimates the shared share of all, at a fraction of the cost.
SAMPLE_EVERY = 8
# Share of the shorter contract's shingles that must occur in the other one.
CONTAINMENT = 0.7


def shingles(text: str) -> frozenset[int]:
    """A stable sample of the hashed word 6-grams of ``text`` (case and punctuation ignored)."""
    tokens = _WORD.findall(text.lower())
    hashes = (
        zlib.crc32(" ".join(tokens[i : i + SHINGLE_WORDS]).encode())
        for i in range(len(tokens) - SHINGLE_WORDS + 1)
    )
    return frozenset(value for value in hashes if value % SAMPLE_EVERY == 0)


def near_duplicate_groups(
    texts: Mapping[str, str], containment: float = CONTAINMENT
) -> dict[str, str]:
    """Each contract id's group: the smallest id among the contracts it shares wording with."""
    ids = sorted(texts)
    samples = {contract_id: shingles(texts[contract_id]) for contract_id in ids}
    parent = {contract_id: contract_id for contract_id in ids}

    def root(contract_id: str) -> str:
        while parent[contract_id] != contract_id:
            parent[contract_id] = parent[parent[contract_id]]
            contract_id = parent[contract_id]
        return contract_id

    for position, first in enumerate(ids):
        a = samples[first]
        for second in ids[position + 1 :]:
            b = samples[second]
            smaller = min(len(a), len(b))
            if smaller and len(a & b) >= containment * smaller:
                low, high = sorted((root(first), root(second)))
                parent[high] = low
    return {contract_id: root(contract_id) for contract_id in ids}
