"""The one Settings object, read from the environment (prefix ``TRIAGE_``) and ``.env``.

API keys are read here and nowhere else.
"""

from __future__ import annotations

import base64
import binascii
from datetime import date, time
from enum import StrEnum
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

REPO_ROOT = Path(__file__).resolve().parent.parent
_DEVELOPMENT_SECRET = "development-only-secret"  # noqa: S105 - refused outside development
# Working days as settings name them, Monday first (index = date.weekday()).
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_PLACEHOLDERS = {"", "changeme", "change-me", "secret", "placeholder", "xxx", _DEVELOPMENT_SECRET}


class Environment(StrEnum):
    DEVELOPMENT = "development"
    TEST = "test"
    PRODUCTION = "production"


class Settings(BaseSettings):
    """Everything configurable about the service, with safe embedded defaults."""

    model_config = SettingsConfigDict(
        env_prefix="TRIAGE_", env_file=".env", env_file_encoding="utf-8", extra="ignore"
    )

    environment: Environment = Environment.DEVELOPMENT
    database_url: str = Field(
        default=f"sqlite:///{REPO_ROOT / 'var' / 'triage.db'}",
        description="SQLAlchemy URL; SQLite embedded by default, PostgreSQL when scaled out.",
    )
    secret_key: SecretStr = SecretStr(_DEVELOPMENT_SECRET)
    data_dir: Path = Field(
        default=REPO_ROOT / "var", description="Where uploads and other local data are kept."
    )
    # Original uploads, by SHA-256: files under data_dir/blobs, or rows in the database
    # (one place to back up when several machines share PostgreSQL).
    document_store: Literal["disk", "database"] = "disk"

    # Background jobs: an in-process pool (embedded) or Celery workers on Redis (scaled).
    job_backend: Literal["local", "celery"] = "local"
    broker_url: str = "redis://127.0.0.1:6379/0"
    local_workers: int = Field(default=1, ge=1, le=32)
    # Cases waiting beyond this make new uploads wait (503 with Retry-After).
    max_queued_jobs: int = Field(default=1000, ge=1)
    # A claimed job whose worker stops renewing its lease for this long is run again.
    job_lease_s: float = Field(default=60.0, gt=0)
    job_max_attempts: int = Field(default=3, ge=1)
    job_retry_backoff_s: float = Field(default=5.0, ge=0)

    # Approvals are due a number of business hours after they are asked for, counted on
    # this working calendar: days (mon..sun), opening hours, time zone (IANA) and holidays.
    working_days: Annotated[list[str], NoDecode] = Field(
        default_factory=lambda: ["mon", "tue", "wed", "thu", "fri"]
    )
    working_hours_start: time = time(9, 0)
    working_hours_end: time = time(17, 0)
    working_timezone: str = "UTC"
    holidays: Annotated[list[date], NoDecode] = Field(default_factory=list)
    # An open approval gets one reminder this many business hours before it is due.
    approval_reminder_hours: float = Field(default=4.0, ge=0)
    # Who hears of an overdue approval, by role (JSON object: {"legal": "gc@example.com"}).
    escalation_contacts: dict[str, str] = Field(default_factory=dict)
    # How often the workers look for approvals to remind or escalate.
    approval_clock_interval_s: float = Field(default=60.0, gt=0)

    # `triage run` as a client of a running service (None: read and decide in-process).
    server_url: str | None = None
    api_token: SecretStr | None = None

    # Operations.
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"] = "INFO"
    log_format: Literal["json", "text"] = "json"
    # Each readiness check (database, job queue, rules engine) gets this long to answer.
    readiness_timeout_s: float = Field(default=3.0, gt=0)

    # Ingestion limits (see extractors.ingest.IngestLimits).
    max_upload_mb: float = Field(default=25.0, gt=0)
    max_pages: int = Field(default=500, gt=0)
    max_chars: int = Field(default=5_000_000, gt=0)
    parse_timeout_base_s: float = Field(default=5.0, gt=0)
    parse_timeout_per_page_s: float = Field(default=0.5, ge=0)
    parse_timeout_cap_s: float = Field(default=90.0, gt=0)
    parse_memory_mb: int = Field(default=1500, gt=0)

    # Extraction and decision.
    offline_extractors: Annotated[list[str], NoDecode] = Field(
        default_factory=lambda: ["patterns", "classifier"]
    )
    rules_dir: Path | None = Field(
        default=None, description="Policy directory; the shipped default policy when unset."
    )
    # durable_rules decides; the plain-Python reference evaluator, which agrees with it on
    # every scenario and generated case, stands in should the C engine misbehave.
    rules_engine: Literal["durable", "reference"] = "durable"
    # durable_rules runs in a worker process, so a crash of the C engine costs the worker
    # (the case then goes to the reference evaluator), never the service.
    rules_isolation: bool = True
    rules_timeout_s: float = Field(default=10.0, gt=0)

    # Outbound events: CloudEvents POSTed to this URL, signed (Standard Webhooks). Without a
    # URL nothing is sent: events wait in the outbox and go out once one is set.
    webhook_url: str | None = None
    # The signing key; a "whsec_" secret is base64 after the prefix (Standard Webhooks).
    webhook_secret: SecretStr | None = None
    # The CloudEvents "source" of every event: a URI naming this service.
    webhook_source: str = "urn:onboarding-triage"
    webhook_timeout_s: float = Field(default=10.0, gt=0)
    # After the last attempt an event is dead (listed by GET /v1/events?state=dead).
    webhook_max_attempts: int = Field(default=12, ge=1)
    # The wait after attempt n is base * 2^(n-1), at most the cap.
    webhook_backoff_s: float = Field(default=5.0, ge=0)
    webhook_backoff_max_s: float = Field(default=3600.0, ge=0)
    # How often an idle delivery loop looks for events.
    webhook_poll_s: float = Field(default=1.0, gt=0)

    # The model is optional: without a key the triage runs on the offline extractors alone.
    openai_api_key: SecretStr | None = Field(default=None, validation_alias="OPENAI_API_KEY")
    openai_base_url: str | None = Field(default=None, validation_alias="OPENAI_BASE_URL")
    openai_model: str = "gpt-4o-mini"
    # Which model provider reads: "openai" (any OpenAI-compatible endpoint) when a key or
    # base URL is set, else "offline"; tests and plugins register others by name.
    llm_provider: str | None = None
    # Each call's timeout, and the whole case's reading (retries included): then offline.
    llm_timeout_s: float = Field(default=30.0, gt=0)
    llm_case_timeout_s: float = Field(default=120.0, gt=0)
    llm_max_concurrency: int = Field(default=4, ge=1, le=64)
    llm_max_retries: int = Field(default=2, ge=0, le=10)
    llm_backoff_s: float = Field(default=0.5, ge=0)
    llm_backoff_max_s: float = Field(default=20.0, ge=0)
    # Tokens (sent and received) one case may spend; a bigger reading is not started.
    llm_case_token_budget: int = Field(default=200_000, ge=1)
    llm_max_output_tokens: int = Field(default=2_000, ge=1)
    # Documents are read in chunks of this many characters, overlapping by this many.
    llm_chunk_chars: int = Field(default=32_000, ge=500)
    llm_chunk_overlap: int = Field(default=400, ge=0)
    # auto: strict JSON Schema outputs, JSON mode where the endpoint refuses them.
    llm_structured_output: Literal["auto", "strict", "json"] = "auto"
    llm_temperature: float = Field(default=0.0, ge=0, le=2)
    # USD per million tokens, [input, output], by model name: the case's estimated cost.
    llm_prices: dict[str, tuple[float, float]] = Field(
        default_factory=lambda: {
            "gpt-4o-mini": (0.15, 0.60),
            "gpt-4o": (2.50, 10.00),
            "gpt-4.1": (2.00, 8.00),
            "gpt-4.1-mini": (0.40, 1.60),
            "gpt-4.1-nano": (0.10, 0.40),
        }
    )

    @model_validator(mode="before")
    @classmethod
    def _split_lists(cls, data: object) -> object:
        if isinstance(data, dict):
            for key in ("log_level", "log_format"):
                if isinstance(data.get(key), str):
                    data[key] = data[key].strip()
                    data[key] = data[key].upper() if key == "log_level" else data[key].lower()
            raw = data.get("offline_extractors")
            if isinstance(raw, str):
                data["offline_extractors"] = [p.strip() for p in raw.split(",") if p.strip()]
        return data

    @field_validator("offline_extractors")
    @classmethod
    def _model_is_never_offline(cls, value: list[str]) -> list[str]:
        # The model's findings must reach the rules as advisory facts, beside the
        # deterministic ones; as an offline extractor they would count as deterministic.
        if "llm" in value:
            raise ValueError(
                "the model is not an offline extractor: configure it with OPENAI_BASE_URL / "
                "OPENAI_API_KEY and it reads every case as an advisory second reader"
            )
        return value

    @field_validator("working_days", mode="before")
    @classmethod
    def _split_days(cls, value: object) -> object:
        given = value.split(",") if isinstance(value, str) else value
        if not isinstance(given, list):
            return given
        names = [str(day).strip() for day in given if str(day).strip()]
        unknown = [name for name in names if name.lower()[:3] not in WEEKDAYS]
        if unknown:
            raise ValueError(f"unknown working days {unknown}; use {', '.join(WEEKDAYS)}")
        if not names:
            raise ValueError("at least one working day is needed")
        return [name.lower()[:3] for name in names]

    @field_validator("holidays", mode="before")
    @classmethod
    def _split_holidays(cls, value: object) -> object:
        if isinstance(value, str):
            return [part.strip() for part in value.split(",") if part.strip()]
        return value

    @field_validator("working_timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as error:
            raise ValueError(f"{value!r} is not an IANA time zone (e.g. Europe/Berlin)") from error
        return value

    @field_validator("escalation_contacts")
    @classmethod
    def _contacts_by_role(cls, value: dict[str, str]) -> dict[str, str]:
        if not value:
            return value
        from rules.decision import ApprovalRole  # noqa: PLC0415 - only when set: fast start-up

        roles = {role.value for role in ApprovalRole}
        if unknown := sorted(set(value) - roles):
            raise ValueError(f"no such approval role {unknown}; roles: {sorted(roles)}")
        return value

    @model_validator(mode="after")
    def _working_hours_in_order(self) -> Settings:
        if self.working_hours_start >= self.working_hours_end:
            raise ValueError("TRIAGE_WORKING_HOURS_START must be before TRIAGE_WORKING_HOURS_END")
        return self

    @model_validator(mode="after")
    def _refuse_placeholder_secrets(self) -> Settings:
        if self.environment is Environment.PRODUCTION:
            secret = self.secret_key.get_secret_value()
            if secret.lower() in _PLACEHOLDERS:
                raise ValueError("TRIAGE_SECRET_KEY must be set to a real secret in production")
        return self

    @model_validator(mode="after")
    def _webhooks_are_signed(self) -> Settings:
        if not self.webhook_url:  # TRIAGE_WEBHOOK_URL= (empty) means no delivery too
            self.webhook_url = None
            return self
        if not self.webhook_url.startswith(("http://", "https://")):
            raise ValueError("TRIAGE_WEBHOOK_URL must be an http:// or https:// URL")
        secret = self.webhook_secret.get_secret_value() if self.webhook_secret else ""
        if secret.lower() in _PLACEHOLDERS:
            raise ValueError("TRIAGE_WEBHOOK_SECRET must be set to a real secret with a URL")
        if secret.startswith("whsec_"):
            try:
                base64.b64decode(secret.removeprefix("whsec_"), validate=True)
            except binascii.Error as error:
                message = "TRIAGE_WEBHOOK_SECRET: whsec_ must be followed by base64"
                raise ValueError(message) from error
        return self

    @property
    def llm_enabled(self) -> bool:
        return self.openai_api_key is not None or self.openai_base_url is not None

    @property
    def llm_provider_name(self) -> str:
        """The model provider that reads cases: the configured one, else by the key or URL."""
        if self.llm_provider:
            return self.llm_provider
        return "openai" if self.llm_enabled else "offline"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings, read once."""
    return Settings()
