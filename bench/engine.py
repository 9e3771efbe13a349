"""Engine throughput over a real Redis: messages/s, Redis round trips and server commands per message.

    python bench/engine.py [--users 200] [--rounds 5] [--concurrency 50] [--redis-url redis://…]

Without --redis-url (or BENCH_REDIS_URL) it starts a private redis-server on a free port. Each simulated
user walks the refund flow to its guidance and restarts, so the dialogue work is the real one; a second
pass uses a trivial dialogue to show the engine's own overhead.
"""
from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import redis.asyncio as aioredis  # noqa: E402
from redis.asyncio.connection import Connection  # noqa: E402

from bot.config import Settings  # noqa: E402
from bot.engine import Engine  # noqa: E402
from bot.messages import Incoming, Reply, Text, Turn  # noqa: E402
from bot.runtime import build_services  # noqa: E402
from bot.sessions import RedisSessionStore, Session  # noqa: E402

SCRIPT = ["我想退医保", "1", "1", "1", "2", "1", "1", "重新开始"]


class Echo:
    def new_session(self, msg: Incoming) -> Session:
        return Session(state="menu")

    def handle(self, s: Session, msg: Incoming) -> Turn:
        s.step += 1
        return Turn((Reply((Text("common-went-back"),)),), s.locale, s.step, state=s.state)


def start_redis() -> tuple[str, subprocess.Popen, str]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    workdir = tempfile.mkdtemp(prefix="yibao-bench-redis-")
    proc = subprocess.Popen(["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                             "--appendonly", "no", "--dir", workdir], stdout=subprocess.DEVNULL)
    return f"redis://127.0.0.1:{port}/0", proc, workdir


async def run(engine: Engine, redis: aioredis.Redis, users: int, rounds: int, concurrency: int) -> dict:
    sent = 0
    real_send = Connection.send_packed_command

    async def counting(self, command, check_health=True):
        nonlocal sent
        sent += 1
        return await real_send(self, command, check_health)

    Connection.send_packed_command = counting  # type: ignore[method-assign]
    sem = asyncio.Semaphore(concurrency)
    latencies: list[float] = []

    async def user(uid: str) -> None:
        for _ in range(rounds):
            for text in SCRIPT:
                async with sem:
                    t0 = time.perf_counter()
                    await engine.handle(Incoming("bench", uid, uid, uuid.uuid4().hex, text))
                    latencies.append(time.perf_counter() - t0)

    before = await redis.info("commandstats")
    sent = 0
    t0, cpu0 = time.perf_counter(), time.process_time()
    await asyncio.gather(*(user(f"b{i}-{uuid.uuid4().hex[:6]}") for i in range(users)))
    elapsed = time.perf_counter() - t0
    cpu = time.process_time() - cpu0  # this process only (not redis-server): steadier than wall time when shared
    trips = sent
    Connection.send_packed_command = real_send  # type: ignore[method-assign]
    after = await redis.info("commandstats")
    n = len(latencies)
    server_cmds = sum(v["calls"] for k, v in after.items()) - sum(v["calls"] for k, v in before.items()) - 1
    latencies.sort()
    return {
        "messages": n,
        "seconds": elapsed,
        "msg_per_s": n / elapsed,
        "cpu_ms_per_msg": cpu * 1000 / n,
        "round_trips_per_msg": trips / n,
        "server_cmds_per_msg": server_cmds / n,
        "p50_ms": statistics.median(latencies) * 1000,
        "p99_ms": latencies[int(n * 0.99) - 1] * 1000,
    }


def observer_cost(services, messages: int = 16000) -> dict[str, float]:
    """CPU µs per message of the dialogue alone vs the dialogue + bot/observe.py's work (no Redis: the batch
    is emptied instead of flushed), interleaved, best of 3 — the observer's own cost without network noise."""
    from bot.observe import ObservedDialogue, Observer, _step

    observer = Observer(services.metrics, services.dialogue.flows, services.events)
    observed = ObservedDialogue(services.dialogue)

    def walk(observe: bool) -> float:
        sessions: dict[str, Session] = {}
        t0 = time.process_time()
        for i in range(messages):
            uid = f"o{i // len(SCRIPT) % 50}"
            msg = Incoming("bench", uid, uid, str(i), SCRIPT[i % len(SCRIPT)])
            s = sessions.get(uid) or services.dialogue.new_session(msg)
            sessions[uid] = s
            if observe:
                box: list = []
                token = _step.set(box)
                t = time.perf_counter()
                turn = observed.handle(s, msg)
                _step.reset(token)
                observer.turn(msg, turn, box[0], time.perf_counter() - t)
                services.events.flow_events.clear()
                services.events.review_items.clear()
            else:
                services.dialogue.handle(s, msg)
        return (time.process_time() - t0) * 1e6 / messages

    plain, seen = [], []
    for _ in range(3):
        plain.append(walk(False))
        seen.append(walk(True))
    return {"dialogue": min(plain), "observed": min(seen)}


async def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--users", type=int, default=200)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--concurrency", type=int, default=50)
    ap.add_argument("--redis-url", default=os.environ.get("BENCH_REDIS_URL"))
    args = ap.parse_args()
    proc = workdir = None
    url = args.redis_url
    if not url:
        if not shutil.which("redis-server"):
            sys.exit("redis-server not found: install it or pass --redis-url")
        url, proc, workdir = start_redis()
        await asyncio.sleep(0.3)
    try:
        services = build_services(Settings(_env_file=None, redis_url=url))  # type: ignore[call-arg]
        redis = services.redis
        await redis.ping()
        # Before/after for bot/observe.py: the same engine without the metrics/funnel/review hooks, interleaved
        # with the observed one (services.engine) so drift on a shared machine hits both alike.
        plain = Engine(services.store, services.dialogue)
        results = {}
        for i in (1, 2):
            results[f"refund, not observed #{i}"] = await run(plain, redis, args.users, args.rounds, args.concurrency)
            results[f"refund, observed #{i}"] = await run(services.engine, redis, args.users, args.rounds,
                                                          args.concurrency)
        await services.events.flush()
        results["engine + trivial dialogue"] = await run(Engine(RedisSessionStore(redis), Echo()), redis, args.users,
                                                         args.rounds, args.concurrency)
        print(f"funnel events in Redis: {await redis.xlen('bot:funnel')}")
        print(f"users={args.users} rounds={args.rounds} concurrency={args.concurrency} "
              f"messages/user/round={len(SCRIPT)} redis={'private' if proc else url}")
        cost = observer_cost(services)
        print(f"in-process, no Redis: dialogue {cost['dialogue']:.1f} µs/msg, with observer {cost['observed']:.1f} "
              f"µs/msg (+{cost['observed'] - cost['dialogue']:.1f} µs/msg); funnel events are then written in "
              "batched pipelines (see round trips/msg)")
        for name, r in results.items():
            print(f"{name:28s} {r['messages']:6d} msgs in {r['seconds']:.2f}s  {r['msg_per_s']:8.0f} msg/s  "
                  f"cpu {r['cpu_ms_per_msg']:.3f} ms/msg  round trips/msg {r['round_trips_per_msg']:.2f}  server cmds/msg {r['server_cmds_per_msg']:.2f}  "
                  f"p50 {r['p50_ms']:.2f} ms  p99 {r['p99_ms']:.2f} ms")
        await services.close()
    finally:
        if proc:
            proc.terminate()
            proc.wait(10)
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    asyncio.run(main())
