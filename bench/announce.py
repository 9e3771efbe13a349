"""Announcement delivery rate against a local Bot API stand-in, as a fraction of the configured limit.

    python bench/announce.py [--targets 10000] [--rate 300] [--workers 1] [--concurrency 16] [--latency 0]
                             [--redis-url redis://…]

Workers run in this process on a real Redis (a private redis-server on a free port unless --redis-url or
BENCH_REDIS_URL is given) and send to an aiohttp stand-in that records each request's arrival time. It
prints the achieved rate (targets / time from first to last arrival), that rate as a fraction of the
configured limit (target ≥ 95 %), and the most requests seen in any 1-second window (never above the limit).
"""
from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import redis.asyncio as aioredis  # noqa: E402

from bot.announcements.store import Store, TargetSpec  # noqa: E402
from bot.announcements.worker import Worker  # noqa: E402
from bot.config import Settings  # noqa: E402
from tests.fixtures.telegram.bot_api import FakeBotAPI, announcement_outputs, close_outputs  # noqa: E402


def start_redis() -> tuple[str, subprocess.Popen, str]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    workdir = tempfile.mkdtemp(prefix="yibao-bench-redis-")
    proc = subprocess.Popen([shutil.which("redis-server") or "redis-server", "--port", str(port), "--bind",
                             "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", workdir],
                            stdout=subprocess.DEVNULL)
    return f"redis://127.0.0.1:{port}/0", proc, workdir


async def bench(url: str, args: argparse.Namespace) -> None:
    redis = aioredis.from_url(url, decode_responses=True)
    for _ in range(200):
        try:
            await redis.ping()
            break
        except Exception:
            await asyncio.sleep(0.025)
    prefix = f"bench:{uuid.uuid4().hex[:8]}"
    settings = Settings(_env_file=None, redis_url=url, telegram_bot_token="123:bench",  # type: ignore[call-arg]
                        announce_key_prefix=prefix, announce_rate_per_second=args.rate,
                        announce_concurrency=args.concurrency, announce_batch_size=100)
    store = Store(redis, prefix)
    chats = range(1_000_000, 1_000_000 + args.targets)
    for i in range(0, args.targets, 1000):
        await redis.hset(store.subs, mapping={str(c): "{}" for c in chats[i:i + 1000]})

    async with FakeBotAPI(token=None, delay=args.latency) as api:
        senders = [announcement_outputs(settings, redis, api.url) for _ in range(args.workers)]
        workers = [Worker(settings, redis, outputs=s, name=f"bench{i}", poll_interval=0.05)
                   for i, s in enumerate(senders)]
        tasks = [asyncio.create_task(w.run()) for w in workers]
        a = await store.create(TargetSpec("subscribers"), text="医保年度缴费提醒 / annual contribution reminder")
        started = time.perf_counter()
        while (await store.get(a.id)).status != "done":
            await asyncio.sleep(0.1)
        wall = time.perf_counter() - started
        for w in workers:
            w.stop.set()
        await asyncio.gather(*tasks)
        for s in senders:
            await close_outputs(s)
    report = await store.report(a.id, details=False)
    await redis.aclose()

    times = sorted(s.at for s in api.sent)
    span = times[-1] - times[0]
    achieved = (len(times) - 1) / span if span > 0 else float("nan")
    dupes = sum(n - 1 for n in api.counts().values() if n > 1)
    print(f"targets            {args.targets} ({args.workers} worker(s), {args.concurrency} in flight each, "
          f"stand-in latency {args.latency * 1000:.0f} ms)")
    print(f"configured limit   {args.rate:.0f} msg/s")
    print(f"achieved rate      {achieved:.1f} msg/s over {span:.2f} s (first to last arrival; {wall:.2f} s wall "
          f"incl. expansion)")
    print(f"fraction of limit  {achieved / args.rate:.1%}")
    print(f"max in any 1 s     {api.max_in_window(1.0)} (limit {int(args.rate)})")
    print(f"report             sent {report['sent']}, failed {report['failed']}, unknown {report['unknown']}, "
          f"duplicates at the stand-in {dupes}")


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--targets", type=int, default=10_000)
    p.add_argument("--rate", type=float, default=300.0, help="ANNOUNCE_RATE_PER_SECOND for the run")
    p.add_argument("--workers", type=int, default=1)
    p.add_argument("--concurrency", type=int, default=16)
    p.add_argument("--latency", type=float, default=0.0, help="seconds the stand-in takes per request")
    p.add_argument("--redis-url", default=os.environ.get("BENCH_REDIS_URL"))
    args = p.parse_args()
    proc = workdir = None
    url = args.redis_url
    if not url:
        url, proc, workdir = start_redis()
    try:
        asyncio.run(bench(url, args))
    finally:
        if proc is not None:
            proc.terminate()
            proc.wait(10)
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
