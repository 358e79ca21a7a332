"""Outbound events: a transactional outbox, delivered as signed CloudEvents webhooks."""
