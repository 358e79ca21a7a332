"""The audit trail: append-only events, each carrying the hash of the one before it, per case
and globally, so an edited, deleted or reordered row is found."""
