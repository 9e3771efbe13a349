"""The composition root's building blocks: everything a process needs, built once from `Settings`."""
from __future__ import annotations

import logging
from dataclasses import dataclass, field

import redis.asyncio as aioredis

from bot import keys
from bot.config import Settings
from bot.engine import Engine
from bot.funnel import FunnelStore
from bot.review import ReviewQueue
from bot.handoff import HandoffMiddleware, HandoffService, WorkingHours
from bot.i18n import Translator
from bot.logs import set_user_salt
from bot.metrics import Metrics
from bot.observe import EventBatch, ObservedDialogue, Observer, instrument_engine, instrument_handoff
from bot.sessions import RedisSessionStore, check_eviction, open_redis, probe
from flows import MENU, build_flows
from flows.dialogue import DialogueManager
from flows.understanding import Understander

log = logging.getLogger(__name__)


@dataclass
class Services:
    settings: Settings
    redis: aioredis.Redis
    store: RedisSessionStore
    translator: Translator
    dialogue: DialogueManager
    engine: Engine
    handoff: HandoffService
    metrics: Metrics = field(default_factory=Metrics)
    events: EventBatch | None = None  # funnel + review events on their way to Redis (bot/observe.py)

    async def close(self) -> None:
        if self.events is not None:
            await self.events.flush()
        await self.store.close()


def build_dialogue(settings: Settings, translator: Translator) -> DialogueManager:
    return DialogueManager(
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
        ObservedDialogue(dialogue),  # notes each step for the metrics/funnel/review observer below
        lock_ttl_ms=settings.lock_ttl_ms,
        lock_wait=settings.lock_wait_seconds,
        dedup_ttl=settings.dedup_ttl_seconds,
    )
    handoff = HandoffService(
        redis, translator, hours=WorkingHours(settings.operator_hours, settings.operator_timezone),
        hotline=settings.hotline, retention=settings.handoff_retention_days * keys.DAY,
    )
    if settings.operator_chat_id is not None or settings.operator_api_token is not None or settings.operator_accounts:
        engine.use(HandoffMiddleware(handoff))  # without a desk nobody could answer: 转人工 gives the hotline
    if settings.user_hash_salt:
        set_user_salt(settings.user_hash_salt.get_secret_value())
    metrics = Metrics()
    events = EventBatch(redis, funnel_store(settings, redis), review_queue(settings, redis), metrics)
    instrument_engine(engine, Observer(metrics, dialogue.flows, events))  # counters, funnel and review events
    instrument_handoff(handoff, metrics)  # tickets opened/claimed/closed, time to first operator reply
    return Services(settings, redis, store, translator, dialogue, engine, handoff, metrics, events)


def funnel_store(settings: Settings, redis: aioredis.Redis) -> FunnelStore:
    return FunnelStore(redis, max_events=settings.funnel_max_events, retention_days=settings.funnel_retention_days,
                       key=keys.funnel(settings.ops_key_prefix))


def review_queue(settings: Settings, redis: aioredis.Redis) -> ReviewQueue:
    return ReviewQueue(redis, max_items=settings.review_max_items, max_age_days=settings.review_max_age_days,
                       key=keys.review(settings.ops_key_prefix))
