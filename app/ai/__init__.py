"""The language model's part in a case: its settings, the answer cache, the stored reading."""
