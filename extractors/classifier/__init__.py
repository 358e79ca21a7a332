"""Offline clause classifier: which CUAD-style clauses a contract holds, with quotes."""

from extractors.classifier.categories import CATEGORIES, ClauseCategory
from extractors.classifier.extractor import ClauseClassifier
from extractors.classifier.model import ClauseModel, ClauseModelData, ModelFormatError

__all__ = [
    "CATEGORIES",
    "ClauseCategory",
    "ClauseClassifier",
    "ClauseModel",
    "ClauseModelData",
    "ModelFormatError",
]
