"""What a person or a caller is shown of a case: one view model that the CLI, the API and the
web pages render, so the decision reads the same everywhere."""
