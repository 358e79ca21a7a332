"""What a person types to correct a fact, read as a value of the fact's type.

"45 days" is 45 for payment terms, "USD 120,000" an amount, "yes" a yes, "EU, UK" a list;
anything the schema cannot take is refused with what was expected, and the typed value is
then checked strictly against the schema by the correction itself.
"""

from __future__ import annotations

import json
import re
import types
from datetime import date
from enum import Enum
from typing import Any, Union, get_args, get_origin

from dateutil import parser as dateparser
from price_parser import Price
from pydantic import BaseModel

from app.errors import InvalidRequestError
from extractors.facts import Money, fact_paths, fact_value_type

NOT_IN_CONTRACT = "not in the contract"
_NONE_WORDS = frozenset({"", "none", "null", "n/a", "-", "not found", NOT_IN_CONTRACT})
_YES = frozenset({"yes", "y", "true", "1"})
_NO = frozenset({"no", "n", "false", "0"})
_SYMBOLS = {"$": "USD", "US$": "USD", "€": "EUR", "£": "GBP", "¥": "JPY", "C$": "CAD", "A$": "AUD"}
_NUMBER = re.compile(r"-?\d[\d,]*(?:\.\d+)?|-?\.\d+")


class UnreadableValueError(InvalidRequestError):
    code = "invalid_fact_value"


def _bare(annotation: Any) -> Any:
    """``int | None`` → ``int``."""
    if get_origin(annotation) in (Union, types.UnionType):
        kept = [arg for arg in get_args(annotation) if arg is not type(None)]
        return kept[0] if len(kept) == 1 else annotation
    return annotation


def value_hint(path: str) -> str:
    """What to type for ``path``, in a few words."""
    annotation = _bare(fact_value_type(path))
    if annotation is bool:
        return "yes or no"
    if annotation is int:
        return "a whole number, e.g. 45"
    if annotation is float:
        return "a number, e.g. 12.5"
    if annotation is date:
        return "a date, e.g. 2026-03-31"
    if annotation is Money:
        return "an amount with its currency, e.g. USD 120,000"
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        return "one of: " + ", ".join(member.value for member in annotation)
    if get_origin(annotation) is list:
        (item,) = get_args(annotation)
        if isinstance(item, type) and issubclass(item, BaseModel):
            return f"a JSON list of {item.__name__} objects"
        return "a list, separated by commas"
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return f"a JSON {annotation.__name__} object"
    return "text"


def is_yes_no(path: str) -> bool:
    return _bare(fact_value_type(path)) is bool


def _number(text: str, path: str) -> float:
    match = _NUMBER.search(text)
    if match is None:
        raise UnreadableValueError(f"{text!r} holds no number; {path} needs {value_hint(path)}.")
    return float(match.group().replace(",", ""))


def _money(text: str, path: str) -> dict[str, Any]:
    price = Price.fromstring(text)
    if price.amount is None:
        raise UnreadableValueError(f"{text!r} holds no amount; {path} needs {value_hint(path)}.")
    code = re.search(r"\b[A-Z]{3}\b", text.upper())
    currency = code.group() if code else _SYMBOLS.get(price.currency or "")
    if currency is None:
        raise UnreadableValueError(f"Say the currency of {text!r}, e.g. USD 120,000.")
    return {"amount": float(price.amount), "currency": currency}


def _yes_no(text: str, path: str) -> bool:
    lowered = text.strip().lower()
    if lowered in _YES:
        return True
    if lowered in _NO:
        return False
    raise UnreadableValueError(f"{path} is yes or no, not {text!r}.")


def _member(text: str, annotation: type[Enum], path: str) -> Any:
    wanted = text.strip().lower().replace(" ", "_").replace("-", "_")
    for member in annotation:
        if wanted in (str(member.value), member.name.lower()):
            return member.value
    raise UnreadableValueError(f"{path} is {value_hint(path)}; {text!r} is none of them.")


def _scalar(text: str, annotation: Any, path: str) -> Any:
    if annotation is bool:
        return _yes_no(text, path)
    if annotation is int:
        number = _number(text, path)
        if number != int(number):
            raise UnreadableValueError(f"{path} is a whole number, not {text!r}.")
        return int(number)
    if annotation is float:
        return _number(text, path)
    if annotation is date:
        try:
            return dateparser.parse(text, dayfirst=False, yearfirst=True).date().isoformat()
        except (ValueError, OverflowError) as error:
            raise UnreadableValueError(f"{text!r} is not a date (e.g. 2026-03-31).") from error
    if annotation is Money:
        return _money(text, path)
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        return _member(text, annotation, path)
    if annotation is str:
        return text.strip()
    try:
        return json.loads(text)
    except ValueError as error:
        raise UnreadableValueError(f"{path} needs {value_hint(path)}: {error}.") from error


def read_value(path: str, text: str) -> Any:
    """The value ``text`` states for ``path`` (None: the term is not in the contract)."""
    if path not in fact_paths():
        raise UnreadableValueError(f"There is no fact {path!r}.", field="path")
    if text.strip().lower() in _NONE_WORDS:
        return None
    annotation = _bare(fact_value_type(path))
    if get_origin(annotation) is list:
        (item,) = get_args(annotation)
        if isinstance(item, type) and issubclass(item, BaseModel):
            return _scalar(text, annotation, path)
        parts = [part.strip() for part in re.split(r"[;,\n]", text) if part.strip()]
        return [_scalar(part, item, path) for part in parts]
    return _scalar(text, annotation, path)
