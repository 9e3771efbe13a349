"""The composition root's building blocks: everything a process needs, built once from `Settings`."""
from __future__ import annotations

import logging
from dataclasses import dataclass

import redis.asyncio as aioredis

from bot.config import Settings
from bot.engine import Engine
from bot.handoff import HandoffMiddleware, HandoffService, WorkingHours
from bot.i18n import Translator
from bot.sessions import RedisSessionStore, check_eviction, open_redis, probe
from flows import MENU, build_flows
from flows.dialogue import Dialogue
from flows.understanding import Understander

log = logging.getLogger(__name__)


@dataclass
class Services:
    settings: Settings
    redis: aioredis.Redis
    store: RedisSessionStore
    translator: Translator
    dialogue: Dialogue
    engine: Engine
    handoff: HandoffService

    async def close(self) -> None:
        await self.store.close()


def build_dialogue(settings: Settings, translator: Translator) -> Dialogue:
    return Dialogue(
        build_flows(),
        translator,
        Understander(),
        menu=MENU,
        history_limit=settings.history_limit,
        default_locale=settings.default_locale,
        hotline=settings.hotline,
    )


def build_services(settings: Settings, redis: aioredis.Redis | None = None) -> Services:
    url = settings.redis_url.get_secret_value() if settings.redis_url else None
    if redis is None:
        if url:
            info = probe(url)
            if info.cluster:
                log.info("Redis runs in cluster mode: using the cluster client")
            warning = check_eviction(info)
            if warning:
                log.warning(warning)
            redis = open_redis(url, info=info, timeout=settings.redis_timeout_seconds)
        else:
            redis = open_redis(url)
            log.warning("REDIS_URL is not set: using the embedded in-process store (not shared, not durable)")
    store = RedisSessionStore(redis, ttl_seconds=settings.session_ttl_seconds)
    translator = Translator(default=settings.default_locale)
    dialogue = build_dialogue(settings, translator)
    engine = Engine(
        store,
        dialogue,
        lock_ttl_ms=settings.lock_ttl_ms,
        lock_wait=settings.lock_wait_seconds,
        dedup_ttl=settings.dedup_ttl_seconds,
    )
    handoff = HandoffService(
        redis, translator, hours=WorkingHours(settings.operator_hours, settings.operator_timezone),
        hotline=settings.hotline,
    )
    if settings.operator_chat_id is not None or settings.operator_api_token is not None:
        engine.use(HandoffMiddleware(handoff))  # without a desk nobody could answer: 转人工 gives the hotline
    return Services(settings, redis, store, translator, dialogue, engine, handoff)
