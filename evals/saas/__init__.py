"""The labelled SaaS contract set: sources, rendered documents, expected facts, scoring."""
