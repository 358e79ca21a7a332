"""How much of a machine one upload may use before it is refused."""

from __future__ import annotations

from dataclasses import dataclass

MB = 1_000_000


@dataclass(frozen=True)
class IngestLimits:
    """Limits on one upload; the defaults suit contracts, tests shrink them to trip quickly."""

    max_bytes: int = 25 * MB
    # Compared with the page count the file declares, before its pages are parsed.
    max_pages: int = 500
    max_chars: int = 5_000_000
    # Parse budget: base + per page, capped; one real contract takes pypdf over a minute.
    timeout_base_s: float = 5.0
    timeout_per_page_s: float = 0.5
    timeout_cap_s: float = 90.0
    # Address-space cap (RLIMIT_AS) of a parser worker process.
    memory_bytes: int = 1_500 * MB
    # Largest decoded stream (content, XML part) a parser may build.
    max_stream_bytes: int = 50 * MB
    # A page with fewer visible characters than this counts as a page without text.
    min_chars_per_page: int = 20

    def __post_init__(self) -> None:
        for name in ("max_bytes", "max_pages", "max_chars", "memory_bytes", "max_stream_bytes"):
            if getattr(self, name) <= 0:
                raise ValueError(f"{name} must be positive")
        if self.timeout_base_s <= 0 or self.timeout_per_page_s < 0 or self.timeout_cap_s <= 0:
            raise ValueError("time budgets must be positive")

    def parse_budget(self, pages: int) -> float:
        """Seconds a parser may spend on a document of ``pages`` pages."""
        budget = self.timeout_base_s + self.timeout_per_page_s * max(pages, 0)
        return min(budget, self.timeout_cap_s)

    @property
    def probe_budget(self) -> float:
        """Seconds allowed to open a file and read its declared page count."""
        return min(self.timeout_base_s, self.timeout_cap_s)


DEFAULT_LIMITS = IngestLimits()
