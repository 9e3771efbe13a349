"""Shared fixtures: a private real Redis server, services over it or over the embedded store, a transcript
`chat` helper, and a guard that fails any test reaching beyond this machine.

Redis: by default the suite starts its own `redis-server` on a free port (nothing persisted) and throws it
away at the end, so it never touches data it did not create. Set TEST_REDIS_URL to use an existing server
instead; tests then only use keys under fresh random user ids and flush nothing.
"""
from __future__ import annotations

import functools
import os
import random
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import uuid
from typing import AsyncIterator, Iterator

import pytest
import redis as sync_redis
import redis.asyncio as aioredis
from redis.asyncio.connection import Connection

from adapters.console import turn_record
from bot import i18n
from bot.config import Settings
from bot.messages import Incoming
from bot.runtime import Services, build_services
from bot.sessions import RedisSessionStore

# -- parse each locale file once per test process ----------------------------------------------------
# Every `build_services` (hundreds per run) builds a Translator, and Fluent's pure-Python parser spends
# ~0.1 s of CPU per Translator re-reading the same .ftl text. The parsed `Resource` is a read-only AST
# (FluentBundle.add_resource only indexes it; each bundle compiles its own copy of a message on first use),
# so one parse per distinct file text serves every Translator; a changed file is parsed anew.
_parse_ftl = functools.lru_cache(maxsize=None)(i18n.FluentResource)
i18n.FluentResource = _parse_ftl  # type: ignore[assignment]


# -- aiogram's session close waits 250 ms for TLS connections to finish closing ---------------------------
# (aiohttp's graceful-shutdown advice, aiogram/client/session/aiohttp.py). The tests' Bot API stand-ins are
# plain HTTP on loopback: nothing to wait for, and every app, poller and announcement output closing its Bot
# waited it — about 30 s of the suite. The aiohttp session itself is still closed as before. Patched in a
# fixture, not at import: xdist's controller process loads this file too and never needs aiogram.
@pytest.fixture(scope="session", autouse=True)
def _aiogram_close_without_tls_grace() -> Iterator[None]:
    from aiogram.client.session.aiohttp import AiohttpSession

    real = AiohttpSession.close

    async def close(self: AiohttpSession) -> None:
        if self._session is not None and not self._session.closed:
            await self._session.close()

    AiohttpSession.close = close  # type: ignore[method-assign]
    yield
    AiohttpSession.close = real  # type: ignore[method-assign]


# -- no network beyond loopback ---------------------------------------------------------------------
_real_connect = socket.socket.connect
_real_connect_ex = socket.socket.connect_ex


def _check_address(sock: socket.socket, address: object) -> None:
    if sock.family == socket.AF_UNIX:
        return
    host = address[0] if isinstance(address, tuple) else address
    if host not in ("127.0.0.1", "::1", "localhost") and not str(host).startswith("127."):
        raise RuntimeError(f"test tried to reach {address!r}: tests may only talk to this machine")


def _guarded_connect(self: socket.socket, address: object) -> None:
    _check_address(self, address)
    return _real_connect(self, address)


def _guarded_connect_ex(self: socket.socket, address: object) -> int:
    _check_address(self, address)
    return _real_connect_ex(self, address)


@pytest.fixture(autouse=True)
def _offline(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(socket.socket, "connect", _guarded_connect)
    monkeypatch.setattr(socket.socket, "connect_ex", _guarded_connect_ex)


# -- real Redis ---------------------------------------------------------------------------------------
# Ports for the redis-servers the suite starts come from below the kernel's ephemeral range (32768-60999 by
# default): an outgoing connection of this or a parallel test process (pytest-xdist) can never take a port
# between the moment it is chosen and the moment redis-server binds it, or while a test restarts a server on
# the same port. Each xdist worker draws from its own slice, so two workers never pick the same port.
_PORTS_LOW, _PORTS_HIGH = 20_000, 32_000
_used_ports: set[int] = set()


def _free_port() -> int:
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
    index = int(worker[2:]) if worker[2:].isdigit() else 0
    count = max(1, int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1")))
    span = (_PORTS_HIGH - _PORTS_LOW) // count
    low = _PORTS_LOW + index * span
    for port in random.SystemRandom().sample(range(low, low + span), span):
        if port in _used_ports:
            continue
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
        _used_ports.add(port)
        return port
    raise RuntimeError("no free port for a test redis-server")


@pytest.fixture(scope="session")
def redis_url() -> Iterator[str]:
    external = os.environ.get("TEST_REDIS_URL")
    if external:
        yield external
        return
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.exit("redis-server is not installed; run `make test` (it installs it) or set TEST_REDIS_URL", 2)
    port = _free_port()
    workdir = tempfile.mkdtemp(prefix="yibao-test-redis-")
    proc = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
         "--dir", workdir, "--logfile", os.path.join(workdir, "redis.log")],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    url = f"redis://127.0.0.1:{port}/0"
    client = sync_redis.Redis.from_url(url)
    for _ in range(200):
        try:
            client.ping()
            break
        except sync_redis.ConnectionError:
            time.sleep(0.025)
    else:
        proc.kill()
        pytest.exit("could not start a private redis-server for the tests", 2)
    client.close()
    yield url
    proc.kill()  # nothing is persisted (--save ""): no clean shutdown to wait for
    proc.wait(10)
    shutil.rmtree(workdir, ignore_errors=True)


@pytest.fixture
async def redis(redis_url: str) -> AsyncIterator[aioredis.Redis]:
    from bot.sessions import open_redis, warm_up

    client = open_redis(redis_url)  # the cluster client when a test module points redis_url at the cluster
    await warm_up(client)  # as the app does at start-up
    yield client
    await client.aclose()


class RedisServer:
    """A private redis-server that a test may stop, restart (empty) or freeze (SIGSTOP)."""

    def __init__(self, *extra: str) -> None:
        self.binary = shutil.which("redis-server") or pytest.skip("redis-server is not installed")
        self.port = _free_port()
        self.extra = extra
        self.workdir = tempfile.mkdtemp(prefix="yibao-test-redis-")
        self.proc: subprocess.Popen | None = None
        self.url = f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> "RedisServer":
        self.proc = subprocess.Popen(
            [self.binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--dir", self.workdir, "--logfile", os.path.join(self.workdir, "redis.log"), *self.extra],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        _wait_ping(self.port)
        return self

    def stop(self) -> None:
        if self.proc is not None:
            if self.proc.poll() is None:
                self.proc.send_signal(signal.SIGCONT)
                self.proc.kill()
            self.proc.wait(10)
            self.proc = None

    def restart(self) -> None:
        """Stopped and started again on the same port, with nothing persisted: empty."""
        self.stop()
        self.start()

    def freeze(self) -> None:
        assert self.proc is not None
        self.proc.send_signal(signal.SIGSTOP)

    def thaw(self) -> None:
        assert self.proc is not None
        self.proc.send_signal(signal.SIGCONT)

    def close(self) -> None:
        self.stop()
        shutil.rmtree(self.workdir, ignore_errors=True)


def _wait_ping(port: int, timeout: float = 10.0) -> None:
    client = sync_redis.Redis(host="127.0.0.1", port=port, socket_connect_timeout=0.5, socket_timeout=0.5)
    deadline = time.monotonic() + timeout
    try:
        while True:
            try:
                client.ping()
                return
            except sync_redis.RedisError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.02)
    finally:
        client.close()


@pytest.fixture
def own_redis() -> Iterator[RedisServer]:
    """A private, started redis-server for fault tests (stopped, frozen or restarted by the test)."""
    server = RedisServer().start()
    yield server
    server.close()


# -- a real 3-node Redis Cluster, started once, only when a test asks for it -----------------------------
@pytest.fixture(scope="session")
def cluster_url() -> Iterator[str]:
    """``redis://`` URL of one node of a private 3-node Redis Cluster (no replicas); the bot must find the
    other nodes itself. Set TEST_REDIS_CLUSTER_URL to use an existing cluster instead."""
    external = os.environ.get("TEST_REDIS_CLUSTER_URL")
    if external:
        yield external
        return
    cli = shutil.which("redis-cli")
    if cli is None or shutil.which("redis-server") is None:
        pytest.exit("redis-server/redis-cli are not installed; run `make test` (it installs them)", 2)
    # The cluster bus port is given explicitly: the default (port + 10000) may be taken, or beyond 65535.
    nodes = [RedisServer("--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf",
                         "--cluster-node-timeout", "2000", "--cluster-port", str(_free_port())) for _ in range(3)]
    try:
        for n in nodes:
            n.start()
        subprocess.run([cli, "--cluster", "create", *(f"127.0.0.1:{n.port}" for n in nodes),
                        "--cluster-replicas", "0", "--cluster-yes"],
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=60)
        deadline = time.monotonic() + 30
        for n in nodes:
            client = sync_redis.Redis(host="127.0.0.1", port=n.port, decode_responses=True)
            while client.cluster("info").get("cluster_state") != "ok":
                assert time.monotonic() < deadline, "the test cluster did not reach cluster_state:ok"
                time.sleep(0.05)
            client.close()
        yield nodes[1].url  # not the first node: any node must do
    finally:
        for n in nodes:
            n.close()


def make_settings(**overrides: object) -> Settings:
    """Settings for tests: never read the developer's .env."""
    return Settings(_env_file=None, **overrides)  # type: ignore[call-arg]


@pytest.fixture
def settings(redis_url: str) -> Settings:
    return make_settings(redis_url=redis_url)


@pytest.fixture
async def services(settings: Settings) -> AsyncIterator[Services]:
    """Services over the real Redis server."""
    svc = build_services(settings)
    yield svc
    await svc.close()


@pytest.fixture
async def memory_services() -> AsyncIterator[Services]:
    """Services over the embedded (fakeredis) store, as `make run` uses without REDIS_URL."""
    svc = build_services(make_settings())
    yield svc
    await svc.close()


def steal_lock_before_first_commit(store: RedisSessionStore, redis: aioredis.Redis) -> list[str]:
    """Make the store's next commit find its lock (and the in-flight marker that shares its expiry) gone, as
    if the run outlived it; the returned list gets the message id whose commit lost it."""
    real_commit, stolen = store.commit, []

    async def commit_after_theft(k, message_id, token, session, turn_json, ttl, **kw):  # noqa: PLR0913
        if not stolen:
            stolen.append(message_id)
            await redis.delete(k.key("lock"), k.key(f"dedup:{message_id}"))
        return await real_commit(k, message_id, token, session, turn_json, ttl, **kw)

    store.commit = commit_after_theft  # type: ignore[method-assign]
    return stolen


def user_id() -> str:
    return "u-" + uuid.uuid4().hex[:12]


class Chat:
    """A transcript driver: `await chat("我想退医保")` returns the bot turn as `chat --jsonl` prints it."""

    def __init__(self, services: Services, channel: str = "console", lang: str | None = None) -> None:
        self.services = services
        self.channel = channel
        self.user = user_id()
        self.lang = lang
        self.last: dict | None = None

    def message(self, text: str = "", *, payload: str | None = None, button_step: int | None = None,
                message_id: str | None = None) -> Incoming:
        return Incoming(channel=self.channel, user_id=self.user, chat_id=self.user,
                        message_id=message_id or uuid.uuid4().hex, text=text, payload=payload,
                        button_step=button_step, locale=self.lang)

    async def __call__(self, text: str = "", **kw: object) -> dict:
        turn = await self.services.engine.handle(self.message(text, **kw))  # type: ignore[arg-type]
        self.last = turn_record(turn, self.services.translator)
        return self.last

    async def walk(self, *texts: str) -> dict:
        for t in texts:
            await self(t)
        assert self.last is not None
        return self.last

    async def guidance(self) -> str:
        """The whole guidance on screen: the first reply, then every section behind its "more:" button."""
        first = self.last
        assert first is not None
        parts = [first["text"]]
        for value in [v for v in first["values"] if v.startswith("more:")]:
            turn = await self(payload=value, button_step=first["step"])
            assert turn["state"] == first["state"], (value, turn["text"])
            parts.append(turn["text"])
        return "\n\n".join(parts)


@pytest.fixture
def chat(memory_services: Services) -> Chat:
    """Flow tests run over the embedded store by default (the real-Redis path has its own tests)."""
    return Chat(memory_services)


@pytest.fixture
def chat_en(memory_services: Services) -> Chat:
    return Chat(memory_services, lang="en")


@pytest.fixture
def round_trips(monkeypatch: pytest.MonkeyPatch):
    """``sent = round_trips()`` starts recording every command packet sent to Redis (one per round trip)."""
    sent: list[bytes] = []
    real = Connection.send_packed_command

    async def counting(self: Connection, command: object, check_health: bool = True) -> None:
        sent.append(command)  # type: ignore[arg-type]
        return await real(self, command, check_health)

    def start() -> list[bytes]:
        monkeypatch.setattr(Connection, "send_packed_command", counting)
        return sent

    return start
