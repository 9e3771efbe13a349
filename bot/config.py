"""Typed settings read from the environment (and an optional `.env` file). Secrets are `SecretStr`.

Built once by the CLI and passed down; nothing imports a settings instance at module level.
"""
from __future__ import annotations

import sys
from typing import Literal

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from bot import keys

LOCALES = ("zh-CN", "en")


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    # core
    redis_url: SecretStr | None = Field(None, description="redis://… ; unset = embedded in-process store")
    redis_timeout_seconds: float = Field(1.5, gt=0, description="per Redis command (one retry): a hung Redis "
                                         "must fail fast enough for WeChat's 5 s deadline")
    port: int = Field(8080, ge=1, le=65535)
    host: str = "0.0.0.0"
    default_locale: str = "zh-CN"
    session_ttl_seconds: int = Field(keys.SESSION_TTL, ge=60, description="idle sessions expire after this")
    dedup_ttl_seconds: int = Field(keys.DEDUP_TTL, ge=60, description="how long a message id is remembered")
    lock_ttl_ms: int = Field(10_000, ge=100, description="per-session lock lifetime")
    lock_wait_seconds: float = Field(8.0, gt=0, description="how long a message waits for its session lock")
    history_limit: int = Field(20, ge=1, le=200, description="steps kept for 返回上一步")
    log_level: str = "INFO"

    # operations (bot/metrics.py, bot/logs.py, bot/funnel.py, bot/review.py; README "Operations")
    log_format: Literal["text", "json"] = Field("text", description="text for a terminal, json: one object per line")
    metrics_token: SecretStr | None = Field(None, description="Bearer token for /metrics and /admin/funnel.svg")
    user_hash_salt: SecretStr | None = Field(None, description="key for the hashed user ids in logs and funnels")
    ops_key_prefix: str = Field(keys.ROOT, description="Redis key prefix of the funnel stream and review queue")
    funnel_retention_days: float = Field(30.0, gt=0, description="funnel events older than this are dropped")
    funnel_max_events: int = Field(200_000, ge=1000, description="funnel events kept at most")
    review_max_items: int = Field(5000, ge=10, description="not-understood messages kept at most")
    review_max_age_days: float = Field(30.0, gt=0, description="not-understood messages older than this are dropped")
    announce_metrics_port: int | None = Field(None, ge=0, le=65535, description="worker's own /metrics port")
    hotline: str = "12333"

    # WeChat official account (adapters/wechat.py)
    wechat_token: SecretStr | None = None
    wechat_appid: str | None = None
    wechat_appsecret: SecretStr | None = None
    wechat_aes_key: SecretStr | None = None
    wechat_api_base: str = "https://api.weixin.qq.com/cgi-bin/"

    # Telegram (adapters/telegram.py)
    telegram_bot_token: SecretStr | None = None
    telegram_webhook_secret: SecretStr | None = None
    telegram_api_base: str = "https://api.telegram.org"
    public_url: str | None = None

    # operator handoff (bot/handoff.py)
    operator_chat_id: int | None = None
    operator_api_token: SecretStr | None = None
    operator_hours: str = Field("Mon-Fri 09:00-17:30", description="when operators answer, e.g. 'Mon-Fri 09:00-17:30'")
    operator_timezone: str = "Asia/Shanghai"
    operator_topics_per_minute: int = Field(20, ge=1, description="desk forum topics created per minute at most")
    handoff_retention_days: float = Field(keys.HANDOFF_RETENTION / keys.DAY, gt=0, description=(
        "a ticket and its transcript are kept this long after their last activity (closing included)"))

    # resident web chat and operator web console (adapters/web.py, adapters/web_console.py)
    web_chat: bool = Field(True, description="serve the resident web chat at /web")
    web_cookie_secret: SecretStr | None = Field(
        None, description="signs the /web and /console cookies; unset = a random secret kept in Redis")
    web_cookie_secure: bool = Field(False, description="mark the cookies Secure (set it when served over HTTPS)")
    operator_accounts: dict[str, SecretStr] = Field(
        default_factory=dict,
        description='console sign-ins as JSON {"name": "<argon2 hash>"}; `python -m bot operator-hash NAME` makes one')
    console_signin_limit: int = Field(10, ge=1, description="failed console sign-ins per name in 15 min (5× per address)")

    # announcements (bot/announcements/, docs/announcements.md)
    admin_token: SecretStr | None = None
    admin_telegram_ids: str = ""
    announce_key_prefix: str = Field(keys.ANNOUNCE_PREFIX, description=(
        "Redis key prefix for announcements, subscriptions, stream; given a cluster hash tag if it has none "
        "(x:ann → x:{ann}); the layout: bot/keys.py"))
    announce_rate_per_second: float = Field(30.0, gt=0, description="global send limit over any 1 s window (all workers)")
    announce_chat_limit: int = Field(20, ge=1, description="messages per chat over announce_chat_window_seconds")
    announce_chat_window_seconds: float = Field(60.0, gt=0, description="per-chat limit window")
    announce_concurrency: int = Field(16, ge=1, le=256, description="sends in flight per worker")
    announce_batch_size: int = Field(50, ge=1, le=1000, description="targets per stream entry")
    announce_claim_idle_seconds: float = Field(30.0, gt=0, description="a dead worker's work is taken over after this")
    announce_request_timeout: float = Field(10.0, gt=0, description="per-request timeout; bounds a slot's time in flight")
    announce_max_attempts: int = Field(5, ge=1, description="tries per target for 429s, migrations, refused connections")

    @field_validator("default_locale")
    @classmethod
    def _known_locale(cls, v: str) -> str:
        from bot.i18n import normalize_locale

        loc = normalize_locale(v)
        if loc is None:
            raise ValueError(f"unsupported locale {v!r}; use one of {', '.join(LOCALES)}")
        return loc

    @field_validator("announce_key_prefix")
    @classmethod
    def _hash_tagged(cls, v: str) -> str:
        return keys.hash_tagged(v)

    @field_validator("operator_hours")
    @classmethod
    def _readable_hours(cls, v: str) -> str:
        from bot.handoff import WorkingHours

        WorkingHours(v).windows()  # raises a ValueError that names the part it cannot read
        return v


def load_settings(**overrides: object) -> Settings:
    """The CLI's settings: the environment (and `.env`) with the given command-line overrides (None = not
    given); a configuration error ends the process with pydantic's explanation instead of a traceback."""
    try:
        return Settings(**{k: v for k, v in overrides.items() if v is not None})
    except ValidationError as e:
        sys.exit(f"configuration error:\n{e}")
