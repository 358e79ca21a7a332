"""The prompt files of ``prompts/``, each identified by the SHA-256 of its content."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from extractors.errors import ExtractorsError
from extractors.facts import fact_paths, fact_value_type

PROMPTS_DIR = Path(__file__).resolve().parent.parent.parent / "prompts"
TEMPLATES = (
    "system.md",
    "summary.md",
    "complexity.md",
    "obligations_risks.md",
    "clause_review.md",
    "chunk.md",
    "correction.md",
)
CATEGORIES_FILE = "clause_categories.yaml"


class PromptError(ExtractorsError):
    """A prompt file that is missing or does not fit the fact schema."""


@dataclass(frozen=True)
class ClauseCategory:
    """An approval-triggering clause the model is asked about: a boolean fact path."""

    path: str
    label: str
    ask: str


@dataclass(frozen=True)
class PromptSet:
    """The templates and clause categories, with the hash of each file."""

    texts: dict[str, str]
    categories: tuple[ClauseCategory, ...]
    hashes: dict[str, str]

    def version(self, json_schema: dict[str, Any]) -> str:
        """One hash for every file and the answer schema: what a cached answer depends on."""
        payload = json.dumps({"files": self.hashes, "schema": json_schema}, sort_keys=True)
        return hashlib.sha256(payload.encode()).hexdigest()

    def render(self, name: str, **values: str) -> str:
        """Template ``name`` with each ``{{key}}`` replaced (values are never re-scanned)."""
        text = self.texts[name]
        pieces = text.split("{{")
        out = [pieces[0]]
        for piece in pieces[1:]:
            key, sep, rest = piece.partition("}}")
            if not sep or key.strip() not in values:
                raise PromptError(f"{name}: no value for placeholder {{{{{key}}}}}")
            out.append(values[key.strip()] + rest)
        return "".join(out)


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def load_prompts(directory: Path = PROMPTS_DIR) -> PromptSet:
    """Read the prompt files of ``directory``; the categories must be boolean facts."""
    return _load(directory.resolve())


@lru_cache(maxsize=8)
def _load(directory: Path) -> PromptSet:
    texts: dict[str, str] = {}
    hashes: dict[str, str] = {}
    for name in (*TEMPLATES, CATEGORIES_FILE):
        path = directory / name
        if not path.is_file():
            raise PromptError(f"prompt file {path} is missing")
        data = path.read_bytes()
        hashes[name.rsplit(".", 1)[0]] = _sha256(data)
        texts[name.rsplit(".", 1)[0]] = data.decode("utf-8")
    raw = yaml.safe_load(texts.pop("clause_categories")) or {}
    known = set(fact_paths())
    categories = []
    for path, entry in raw.items():
        if path not in known or fact_value_type(path) not in (bool, bool | None):
            raise PromptError(f"{CATEGORIES_FILE}: {path} is not a boolean fact of the schema")
        categories.append(ClauseCategory(path=path, label=entry["label"], ask=entry["ask"]))
    return PromptSet(texts=texts, categories=tuple(categories), hashes=hashes)
