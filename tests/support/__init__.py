"""Scripts the subprocess tests run: a worker with test-only extractors registered."""
