"""Evaluations: labelled corpora, runners, metrics and reports."""
