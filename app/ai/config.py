"""From the service's settings to what the model-backed reader needs (keys read only here)."""

from __future__ import annotations

from app.settings import Settings
from extractors.llm import ModelSettings

OFF_REASON = "AI off: no OPENAI_API_KEY or OPENAI_BASE_URL"


def model_settings(settings: Settings) -> ModelSettings:
    """The reader's settings: provider, endpoint, model and the limits of one case."""
    key = settings.openai_api_key.get_secret_value() if settings.openai_api_key else None
    return ModelSettings(
        provider=settings.llm_provider_name,
        model=settings.openai_model,
        base_url=settings.openai_base_url or None,
        api_key=key or None,
        off_reason=OFF_REASON,
        timeout_s=settings.llm_timeout_s,
        case_timeout_s=settings.llm_case_timeout_s,
        max_concurrency=settings.llm_max_concurrency,
        max_retries=settings.llm_max_retries,
        backoff_s=settings.llm_backoff_s,
        backoff_max_s=settings.llm_backoff_max_s,
        token_budget=settings.llm_case_token_budget,
        max_output_tokens=settings.llm_max_output_tokens,
        chunk_chars=settings.llm_chunk_chars,
        chunk_overlap=settings.llm_chunk_overlap,
        structured=settings.llm_structured_output,
        temperature=settings.llm_temperature,
    )


def estimated_cost(
    settings: Settings, model: str | None, tokens_in: int, tokens_out: int
) -> float | None:
    """USD for the tokens at the price table's rates; None for a model it does not list."""
    if model is None:
        return None
    prices = settings.llm_prices.get(model)
    if prices is None:
        return None
    per_in, per_out = prices
    return round((tokens_in * per_in + tokens_out * per_out) / 1_000_000, 6)
