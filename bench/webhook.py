"""Webhook throughput side by side: the project's `/telegram` and `/wechat` against aiogram 3 and a bare ceiling.

    python bench/webhook.py [--quick] [--repeats 3] [--duration 3] [--users 1,64] [--workers 1,2] [--before REF]
    make bench-webhook            (installs wrk from Debian's packages when missing)

Every contender is a server in its own process (its CPU time is read from /proc), all on one private
redis-server, driven by wrk with a Lua script and per-user request files generated for each run:

  ceiling          bare aiohttp, 1 GET + 1 SET per message, reply in the webhook response
  aiogram webhook  aiogram 3 SimpleRequestHandler + RedisStorage, 4-step FSM, reply in the webhook response
  aiogram uvloop   the same on uvloop's event loop (the project serves on uvloop: the fair comparison)
  aiogram http     the same, replying over HTTP to a local Bot API stand-in
  tg typed         the project's /telegram, the refund flow answered by typing
  tg buttons       the project's /telegram, the refund flow walked by pressing its inline buttons
  wechat plain     the project's /wechat, plain mode (signed URLs generated per request)
  wechat safe      the project's /wechat, safe mode (wechatpy encrypts each request)
  … before         with --before REF: the project as of commit REF (git archive), beside this tree's, in one run

Each wrk connection is one simulated user walking a real flow, one message at a time; after each run the
benchmark reads every user's session back and checks it advanced exactly once per message it sent (and,
for the project, that it sits in the flow state a reference walk reaches). Contenders are interleaved
within each repeat; the table gives medians and the median of same-repeat ratios to aiogram at its best
(the machine is shared: absolute numbers drift, ratios within a repeat hold). Round trips are counted in
each server process (redis-py packets sent), commands from the server's INFO commandstats.
"""
from __future__ import annotations

import argparse
import asyncio
import base64
import hashlib
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import aiohttp  # noqa: E402
import redis.asyncio as aioredis  # noqa: E402

from bench.webhook_servers import BOT_ID, SECRET, TOKEN, read_round_trips  # noqa: E402

SERVERS = str(ROOT / "bench" / "webhook_servers.py")
SCRIPT = ["我想退医保", "1", "1", "1", "2", "1", "1", "重新开始"]  # the refund walk, as typed
WECHAT_TOKEN = "benchtoken"
WECHAT_APPID = "wxbench0123456789"
WECHAT_AES_KEY = base64.b64encode(b"b" * 32).decode().rstrip("=")  # 43 characters
BASELINE = "aiogram webhook"
CLK_TCK = os.sysconf("SC_CLK_TCK")

LUA = r"""
local threads, nthreads = {}, 0
function setup(thread)
  nthreads = nthreads + 1
  thread:set("id", nthreads)
  table.insert(threads, thread)
end
function init(args)
  headers = {}
  headers["Content-Type"] = args[2]
  if args[3] ~= nil and args[3] ~= "-" then headers["X-Telegram-Bot-Api-Secret-Token"] = args[3] end
  reqs = dofile(args[1] .. "/u" .. id .. ".lua")
  sent, responses, bad, exhausted = 0, 0, 0, 0
  -- wrk calls request() once in the first thread to verify the script; that request is never sent
  verifying = (id == 1)
end
function request()
  if verifying then
    verifying = false
    return wrk.format("POST", reqs[1][1], headers, reqs[1][2])
  end
  local r = reqs[sent + 1]
  if r == nil then
    exhausted = 1
    wrk.thread:stop()
    return wrk.format("GET", "/bench-exhausted")
  end
  sent = sent + 1
  return wrk.format("POST", r[1], headers, r[2])
end
function response(status, headers, body)
  if exhausted == 1 then return end
  responses = responses + 1
  if status ~= 200 then bad = bad + 1 end
end
function done(summary, latency, requests)
  local per = {}
  for _, t in ipairs(threads) do
    table.insert(per, string.format("[%d,%d,%d,%d]", t:get("sent"), t:get("responses"), t:get("bad"), t:get("exhausted")))
  end
  local e = summary.errors
  io.write(string.format('BENCHJSON {"duration_us":%d,"p50_us":%d,"p99_us":%d,"max_us":%d,' ..
    '"socket_errors":%d,"timeouts":%d,"threads":[%s]}\n',
    summary.duration, latency:percentile(50), latency:percentile(99), latency.max,
    e.connect + e.read + e.write, e.timeout, table.concat(per, ",")))
end
"""


# -- processes ---------------------------------------------------------------------------------------------
def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def tree_cpu_seconds(pid: int) -> float:
    """utime + stime of ``pid`` and all its descendants (pre-forked workers included)."""
    stats: dict[int, tuple[int, float]] = {}
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            raw = Path(f"/proc/{d}/stat").read_text()
        except OSError:
            continue
        fields = raw[raw.rindex(")") + 2:].split()
        stats[int(d)] = (int(fields[1]), (int(fields[11]) + int(fields[12])) / CLK_TCK)
    total, todo = 0.0, [pid]
    while todo:
        p = todo.pop()
        if p in stats:
            total += stats[p][1]
        todo += [c for c, (ppid, _) in stats.items() if ppid == p]
    return total


@dataclass
class Server:
    name: str
    proc: subprocess.Popen
    port: int
    counters: str

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def cpu(self) -> float:
        return tree_cpu_seconds(self.proc.pid)

    def round_trips(self) -> int:
        return read_round_trips(self.counters)


def clean_env() -> dict[str, str]:
    drop = ("TELEGRAM_", "WECHAT_", "REDIS_URL", "LOG_LEVEL", "OPERATOR_", "ADMIN_", "PUBLIC_URL", "PORT", "HOST")
    return {k: v for k, v in os.environ.items() if not k.startswith(drop)}


def start_server(name: str, workdir: Path, args: list[str], env: dict[str, str] | None = None,
                 servers_py: str = SERVERS) -> Server:
    port = free_port()
    counters = workdir / "counters" / name.replace(" ", "-")
    counters.mkdir(parents=True)
    full_env = clean_env() | (env or {}) | {"BENCH_COUNTERS": str(counters)}
    log = open(workdir / f"{name.replace(' ', '-')}.log", "wb")
    # options first: everything after the kind goes to the project's CLI untouched
    kind, options = args[0], [a for a in args[1:] if a not in ("--",)]
    rest: list[str] = []
    if kind == "project":
        options, rest = [], ["--", *options]
    proc = subprocess.Popen([sys.executable, servers_py, "--port", str(port), *options, kind, *rest],
                            env=full_env, cwd=workdir, stdout=log, stderr=subprocess.STDOUT)
    return Server(name, proc, port, str(counters))


async def wait_ready(server: Server, path: str = "/", timeout: float = 240.0) -> None:
    deadline = time.monotonic() + timeout
    async with aiohttp.ClientSession() as http:
        while True:
            if server.proc.poll() is not None:
                raise SystemExit(f"{server.name} exited with {server.proc.returncode}; see its log in the work dir")
            try:
                async with http.get(server.base + path) as r:
                    if r.status < 500:
                        return
            except aiohttp.ClientError:
                pass
            if time.monotonic() > deadline:
                raise SystemExit(f"{server.name} did not come up within {timeout:.0f}s")
            await asyncio.sleep(0.1)


def start_redis(workdir: Path) -> tuple[str, subprocess.Popen]:
    if not shutil.which("redis-server"):
        raise SystemExit("redis-server not found: `make redis-server` installs it")
    port = free_port()
    proc = subprocess.Popen(["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                             "--appendonly", "no", "--dir", str(workdir)], stdout=subprocess.DEVNULL)
    return f"redis://127.0.0.1:{port}/0", proc


def serve_supports_workers() -> bool:
    from bot.__main__ import build_parser

    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    return any("--workers" in a.option_strings for a in sub.choices["serve"]._actions)  # type: ignore[union-attr]


# -- requests ------------------------------------------------------------------------------------------------
def tg_user(uid: int) -> dict:
    return {"id": uid, "is_bot": False, "first_name": "测试", "language_code": "zh-hans"}


def tg_text(uid: int, update_id: int, k: int, text: str) -> str:
    return json.dumps({"update_id": update_id, "message": {
        "message_id": k + 1, "date": 1718000000 + k, "chat": {"id": uid, "type": "private", "first_name": "测试"},
        "from": tg_user(uid), "text": text}}, ensure_ascii=False)


def tg_press(uid: int, update_id: int, k: int, data: str) -> str:
    return json.dumps({"update_id": update_id, "callback_query": {
        "id": f"cq{update_id}", "from": tg_user(uid), "chat_instance": "42", "data": data,
        "message": {"message_id": 500_000 + k, "date": 1718000000 + k, "text": "…",
                    "chat": {"id": uid, "type": "private", "first_name": "测试"},
                    "from": {"id": BOT_ID, "is_bot": True, "first_name": "bench"}}}}, ensure_ascii=False)


def wechat_xml(openid: str, msg_id: int, text: str, ts: int) -> str:
    return (f"<xml><ToUserName><![CDATA[gh_bench]]></ToUserName><FromUserName><![CDATA[{openid}]]></FromUserName>"
            f"<CreateTime>{ts}</CreateTime><MsgType><![CDATA[text]]></MsgType>"
            f"<Content><![CDATA[{text}]]></Content><MsgId>{msg_id}</MsgId></xml>")


def wechat_plain(openid: str, msg_id: int, text: str) -> tuple[str, str]:
    ts, nonce = str(int(time.time())), uuid.uuid4().hex[:16]
    sig = hashlib.sha1("".join(sorted([WECHAT_TOKEN, ts, nonce])).encode()).hexdigest()
    return f"/wechat?signature={sig}&timestamp={ts}&nonce={nonce}&openid={openid}", wechat_xml(openid, msg_id, text, int(ts))


_crypto = None


def wechat_safe(openid: str, msg_id: int, text: str) -> tuple[str, str]:
    global _crypto
    from wechatpy.crypto import WeChatCrypto
    from wechatpy.utils import to_text

    if _crypto is None:
        _crypto = WeChatCrypto(WECHAT_TOKEN, WECHAT_AES_KEY, WECHAT_APPID)
    ts, nonce = str(int(time.time())), uuid.uuid4().hex[:16]
    envelope = _crypto.encrypt_message(wechat_xml(openid, msg_id, text, int(ts)), nonce, ts)
    import xml.etree.ElementTree as ET

    root = ET.fromstring(envelope)
    encrypt, sig = root.findtext("Encrypt"), root.findtext("MsgSignature")
    body = f"<xml><ToUserName><![CDATA[gh_bench]]></ToUserName><Encrypt><![CDATA[{to_text(encrypt)}]]></Encrypt></xml>"
    return f"/wechat?timestamp={ts}&nonce={nonce}&encrypt_type=aes&msg_signature={sig}&openid={openid}", body


# -- reference walks (what a session looks like after k messages) ----------------------------------------------
async def reference_walks() -> dict[str, Any]:
    """Run the refund walk in-process (embedded store): the states after each message, and the option
    values the button walk presses (the menu's refund button, the first/second options as typed, then 返回菜单)."""
    from bot.config import Settings
    from bot.messages import Incoming
    from bot.runtime import build_services

    import logging

    logging.disable(logging.WARNING)
    services = build_services(Settings(_env_file=None))  # type: ignore[call-arg]
    logging.disable(logging.NOTSET)
    typed_states, press_values, press_states = [], [], []
    try:
        for text in SCRIPT:
            t = await services.engine.handle(Incoming("bench", "typed", "typed", uuid.uuid4().hex, text=text))
            typed_states.append((t.flow, t.state))
        options = ["flow:refund"]
        for k, text in enumerate(SCRIPT):
            if k == 0:
                value = "flow:refund"
            elif text.isdigit():
                value = options[int(text) - 1]
            else:
                value = "cmd:menu"
            assert value in options, (k, value, options)
            press_values.append(value)
            t = await services.engine.handle(Incoming("bench", "press", "press", uuid.uuid4().hex, payload=value,
                                                      button_step=k))
            assert t.intent != "stale", (k, value)
            press_states.append((t.flow, t.state))
            options = [o.value for r in t.replies for o in r.options]
        assert typed_states[-2][1] and typed_states[-2][1].startswith("done"), typed_states
        assert press_states[-2][1] and press_states[-2][1].startswith("done"), press_states
    finally:
        await services.close()
    return {"typed": typed_states, "press_values": press_values, "press": press_states}


# -- contenders -----------------------------------------------------------------------------------------------
@dataclass
class Contender:
    name: str
    server: Server
    path: str  # for Telegram-style contenders; WeChat paths come with each request
    content_type: str
    secret: str
    make: Callable[[int, int, int], tuple[str, str]]  # (cell, user index, k) → (path, body)
    check: Callable[[Any, int, int, int, int], Any]  # async (redis, cell, i, lo, hi) → None | problem
    bot_api: Server | None = None
    rates: dict[int, list[float]] = field(default_factory=dict)


def uid_of(cell: int, i: int) -> int:
    return 100_000 + cell * 1000 + i


def update_id_of(cell: int, i: int, k: int) -> int:
    return cell * 10_000_000 + i * 100_000 + k + 1


def openid_of(cell: int, i: int) -> str:
    return f"o-bench-{cell}-{i}"


def build_contenders(servers: dict[str, Server], ref: dict[str, Any], redis_url: str) -> list[Contender]:
    from aiogram.fsm.storage.base import StorageKey
    from aiogram.fsm.storage.redis import RedisStorage

    from bot.sessions import RedisSessionStore, SessionKey

    n = len(SCRIPT)

    def typed(cell: int, i: int, k: int, path: str) -> tuple[str, str]:
        uid = uid_of(cell, i)
        return path, tg_text(uid, update_id_of(cell, i, k), k, SCRIPT[k % n])

    def pressed(cell: int, i: int, k: int) -> tuple[str, str]:
        uid = uid_of(cell, i)
        return "/telegram", tg_press(uid, update_id_of(cell, i, k), k, f"{k}|{ref['press_values'][k % n]}")

    async def check_ceiling(redis: aioredis.Redis, cell: int, i: int, lo: int, hi: int) -> str | None:
        got = int(await redis.get(f"ceiling:{uid_of(cell, i)}") or 0)
        return None if lo <= got <= hi else f"counter {got}, sent {lo}..{hi}"

    async def check_aiogram(redis: aioredis.Redis, cell: int, i: int, lo: int, hi: int) -> str | None:
        storage = RedisStorage(redis)
        uid = uid_of(cell, i)
        key = StorageKey(bot_id=BOT_ID, chat_id=uid, user_id=uid)
        state, data = await storage.get_state(key), await storage.get_data(key)
        for k in range(lo, hi + 1):
            if state == [None, "Form:b", "Form:c", "Form:d"][k % 4] and int(data.get("walks", 0)) == k // 4:
                return None
        return f"state {state} walks {data.get('walks')}, sent {lo}..{hi}"

    def check_project(channel: str, expected: list) -> Callable:
        async def check(redis: aioredis.Redis, cell: int, i: int, lo: int, hi: int) -> str | None:
            user = str(uid_of(cell, i)) if channel == "telegram" else openid_of(cell, i)
            s = await RedisSessionStore(redis).get(SessionKey(channel, user))
            step, where = (s.step, (s.flow, s.state)) if s else (0, None)
            if lo <= step <= hi and (step == 0 or where == tuple(expected[(step - 1) % n])):
                return None
            return f"step {step} at {where}, sent {lo}..{hi}"

        return check

    def wechat(fn: Callable) -> Callable:
        def make(cell: int, i: int, k: int) -> tuple[str, str]:
            return fn(openid_of(cell, i), cell * 10**9 + i * 10**6 + k + 1, SCRIPT[k % n])

        return make

    json_ct, xml_ct = "application/json", "text/xml"
    out = [
        Contender("ceiling", servers["ceiling"], "/hook", json_ct, "", lambda c, i, k: typed(c, i, k, "/hook"),
                  check_ceiling),
        Contender("aiogram webhook", servers["aiogram webhook"], "/hook", json_ct, SECRET,
                  lambda c, i, k: typed(c, i, k, "/hook"), check_aiogram),
        Contender("aiogram uvloop", servers["aiogram uvloop"], "/hook", json_ct, SECRET,
                  lambda c, i, k: typed(c, i, k, "/hook"), check_aiogram),
        Contender("aiogram http", servers["aiogram http"], "/hook", json_ct, SECRET,
                  lambda c, i, k: typed(c, i, k, "/hook"), check_aiogram, bot_api=servers["botapi"]),
    ]
    for suffix in ("", " 2w", " before", " before 2w"):
        project = servers.get("project" + suffix)
        if project is None:
            continue
        out += [
            Contender("tg typed" + suffix, project, "/telegram", json_ct, SECRET,
                      lambda c, i, k: typed(c, i, k, "/telegram"), check_project("telegram", ref["typed"]),
                      bot_api=servers["botapi"]),
            Contender("tg buttons" + suffix, project, "/telegram", json_ct, SECRET, pressed,
                      check_project("telegram", ref["press"]), bot_api=servers["botapi"]),
            Contender("wechat plain" + suffix, project, "", xml_ct, "", wechat(wechat_plain),
                      check_project("wechat", ref["typed"])),
        ]
        if suffix == "":
            out.append(Contender("wechat safe", servers["project safe"], "", xml_ct, "", wechat(wechat_safe),
                                 check_project("wechat", ref["typed"])))
    return out


# -- one cell: one contender at one concurrency ------------------------------------------------------------------
_cells = 0


def lua_long(s: str) -> str:
    level = "=" * 3
    while f"]{level}]" in s:
        level += "="
    return f"[{level}[{s}]{level}]"


async def commands_total(redis: aioredis.Redis) -> int:
    stats = await redis.info("commandstats")
    return sum(v["calls"] for k, v in stats.items() if k != "cmdstat_info")


async def bot_api_calls(server: Server | None) -> dict[str, int]:
    if server is None:
        return {}
    async with aiohttp.ClientSession() as http:
        async with http.get(server.base + "/stats") as r:
            return await r.json()


async def settle(server: Server, quiet: float = 0.25, timeout: float = 10.0) -> None:
    """Wait until the server has made no Redis round trip for ``quiet`` seconds."""
    deadline = time.monotonic() + timeout
    last = server.round_trips()
    while time.monotonic() < deadline:
        await asyncio.sleep(quiet)
        now = server.round_trips()
        if now == last:
            return
        last = now


async def run_cell(c: Contender, users: int, duration: float, per_user: int, workdir: Path,
                   redis: aioredis.Redis, lua: Path) -> dict[str, Any]:
    global _cells
    _cells += 1
    cell = _cells
    data = workdir / f"cell{cell}"
    data.mkdir()
    for i in range(users):
        rows = [c.make(cell, i, k) for k in range(per_user)]
        (data / f"u{i + 1}.lua").write_text(
            "return {\n" + ",\n".join(f"{{{lua_long(p)},{lua_long(b)}}}" for p, b in rows) + "\n}\n", encoding="utf-8")
    cpu0, rt0, cmd0, api0 = c.server.cpu(), c.server.round_trips(), await commands_total(redis), await bot_api_calls(c.bot_api)
    api_cpu0 = c.bot_api.cpu() if c.bot_api is not None else 0.0
    proc = await asyncio.create_subprocess_exec(
        "wrk", "-t", str(users), "-c", str(users), "-d", f"{max(1, round(duration))}s", "--timeout", "5s", "-s", str(lua),
        c.server.base + (c.path or "/wechat"), "--", str(data), c.content_type, c.secret or "-",
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT)
    out, _ = await proc.communicate()
    await settle(c.server)  # messages still in flight when wrk stopped finish before anything is read
    cpu1, rt1, cmd1, api1 = c.server.cpu(), c.server.round_trips(), await commands_total(redis), await bot_api_calls(c.bot_api)
    api_cpu = (c.bot_api.cpu() - api_cpu0) if c.bot_api is not None else 0.0
    shutil.rmtree(data, ignore_errors=True)
    line = next((ln for ln in out.decode().splitlines() if ln.startswith("BENCHJSON ")), None)
    if line is None:
        raise SystemExit(f"wrk gave no result for {c.name}:\n{out.decode()}")
    r = json.loads(line[len("BENCHJSON "):])
    threads = r["threads"]
    ok = sum(t[1] - t[2] for t in threads)
    sent = sum(t[0] for t in threads)
    problems = []
    for i, (s, resp, bad, _exhausted) in enumerate(threads):
        problem = await c.check(redis, cell, i, resp - bad, s)
        if problem:
            problems.append(f"user {i}: {problem}")
    msgs = max(sent, 1)  # after settle() every request sent has been handled, answered in time or not
    calls = {m: api1.get(m, 0) - api0.get(m, 0) for m in api1 if api1.get(m, 0) != api0.get(m, 0)}
    return {
        "rate": ok / (r["duration_us"] / 1e6),
        "ok": ok, "sent": sent,
        "bad": sum(t[2] for t in threads) + r["socket_errors"] + r["timeouts"],
        "exhausted": sum(t[3] for t in threads),
        "p50": r["p50_us"] / 1000, "p99": r["p99_us"] / 1000,
        "rt": (rt1 - rt0) / msgs, "cmds": (cmd1 - cmd0) / msgs,
        "cpu_us": (cpu1 - cpu0) * 1e6 / msgs,
        "api": sum(calls.values()) / msgs, "api_detail": calls,
        "api_cpu_us": api_cpu * 1e6 / max(sum(calls.values()), 1),
        "problems": problems, "users": users,
    }


# -- memory of one conversation ---------------------------------------------------------------------------------------
async def conversation_memory(redis: aioredis.Redis, contenders: list[Contender]) -> list[str]:
    """One fresh user per channel sends the 8-message refund walk; every key it left (session, dedup,
    channel bookkeeping) is weighed with MEMORY USAGE."""
    lines = []
    async with aiohttp.ClientSession() as http:
        for c in contenders:
            if c.name not in ("tg typed", "wechat plain"):
                continue
            before = {k async for k in redis.scan_iter(count=1000)}
            cell = 9000 + len(lines)
            for k in range(len(SCRIPT)):
                path, body = c.make(cell, 0, k)
                headers = {"Content-Type": c.content_type}
                if c.secret:
                    headers["X-Telegram-Bot-Api-Secret-Token"] = c.secret
                async with http.post(c.server.base + (path or c.path), data=body.encode(), headers=headers) as r:
                    assert r.status == 200, (c.name, r.status, await r.text())
                    await r.read()
            await asyncio.sleep(0.2)  # let any write after the response land
            new = [k for k in {k async for k in redis.scan_iter(count=1000)} - before]
            sizes = {k: int(await redis.memory_usage(k, samples=0) or 0) for k in new}
            groups: dict[str, list[int]] = {}
            for k, v in sizes.items():
                kind = "session" if k.endswith(":session") else "whole turns (dedup)" if ":dedup" in k else \
                    "update ids" if ":update:" in k else "nonces (11 min)" if ":nonce:" in k else \
                    "markers (seen)" if k.endswith(":seen") else k.rsplit(":", 1)[0]
                groups.setdefault(kind, []).append(v)
            detail = ", ".join(f"{kind} {sum(v)} B in {len(v)} key{'s' * (len(v) != 1)}"
                               for kind, v in sorted(groups.items()))
            # Whole turns (dedup:<id>) are kept only for the platform's retry window when the project
            # separates them from the 24 h markers (a `seen` key); WeChat's nonce records live 11 minutes.
            split = any(k.endswith(":seen") for k in sizes)
            stays = sum(v for k, v in sizes.items() if not (split and ":dedup:" in k) and ":nonce:" not in k)
            lines.append(f"{c.name:13s} right after: {sum(sizes.values()):5d} B ({detail})")
            lines.append(f"{'':13s} for the rest of the 24 h{' (once the retry window has passed)' if split else ''}: "
                         f"{stays} B (session + dedup)")
    return lines


# -- the run -------------------------------------------------------------------------------------------------------------
def fmt_table(contenders: list[Contender], results: dict, users: int, repeats: int) -> list[str]:
    base = results[(BASELINE, users)]
    head = (f"{'at ' + str(users) + ' user' + ('s' if users > 1 else ''):20s} {'msgs/s':>7s} {'(min-max)':>11s} "
            f"{'× aiogram':>9s} {'RT/msg':>6s} {'cmds/msg':>8s} {'CPU µs/msg':>10s} {'p50 ms':>7s} {'p99 ms':>7s} "
            f"{'BotAPI/msg':>10s}  sessions")
    out = [head, "-" * len(head)]
    for c in contenders:
        rs = results[(c.name, users)]
        rates = [r["rate"] for r in rs]
        ratios = [r["rate"] / b["rate"] for r, b in zip(rs, base, strict=True)]
        med = lambda key, rs=rs: statistics.median(r[key] for r in rs)  # noqa: E731
        problems = sum(len(r["problems"]) for r in rs)
        bad = sum(r["bad"] for r in rs)
        exhausted = sum(r["exhausted"] for r in rs)
        check = "ok" if not problems else f"{problems} WRONG"
        if bad:
            check += f", {bad} errors"
        if exhausted:
            check += f", {exhausted} ran out"
        out.append(f"{c.name:20s} {statistics.median(rates):7.0f} {f'{min(rates):.0f}-{max(rates):.0f}':>11s} "
                   f"{statistics.median(ratios):8.2f}× {med('rt'):6.2f} {med('cmds'):8.2f} {med('cpu_us'):10.0f} "
                   f"{med('p50'):7.2f} {med('p99'):7.2f} {med('api'):10.2f}  {check}")
    return out


async def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="1 repeat of 2 s per cell (a smoke run)")
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--duration", type=int, default=3, help="seconds per contender per concurrency")
    ap.add_argument("--users", default="1,64", help="concurrent users, comma-separated")
    ap.add_argument("--workers", default="1,2", help="project server processes to compare (when serve has --workers)")
    ap.add_argument("--only", default="", help="comma-separated contender names (the baseline is always run)")
    ap.add_argument("--keep", action="store_true", help="keep the work directory (server logs)")
    ap.add_argument("--before", default="", help="also run the project as of this commit (e.g. main), side by side")
    args = ap.parse_args()
    if args.quick:
        args.repeats, args.duration = 1, 2
    if not shutil.which("wrk"):
        raise SystemExit("wrk not found: `make bench-webhook` installs it (apt-get install wrk)")
    users_list = [int(u) for u in args.users.split(",")]
    workers = [int(w) for w in args.workers.split(",") if w]
    if not serve_supports_workers():
        workers = [1]
    git = subprocess.run(["git", "-C", str(ROOT), "log", "-1", "--format=%h %s"], capture_output=True, text=True)
    workdir = Path(tempfile.mkdtemp(prefix="yibao-bench-webhook-"))
    lua = workdir / "walk.lua"
    lua.write_text(LUA)
    redis_url, redis_proc = start_redis(workdir)
    servers: dict[str, Server] = {}
    try:
        servers["botapi"] = start_server("botapi", workdir, ["botapi"])
        api = f"http://127.0.0.1:{servers['botapi'].port}"
        servers["ceiling"] = start_server("ceiling", workdir, ["ceiling", "--redis", redis_url])
        servers["aiogram webhook"] = start_server("aiogram webhook", workdir,
                                                  ["aiogram", "--redis", redis_url, "--reply", "webhook", "--api-base", api])
        servers["aiogram uvloop"] = start_server("aiogram uvloop", workdir, [
            "aiogram", "--redis", redis_url, "--reply", "webhook", "--api-base", api, "--loop", "uvloop"])
        servers["aiogram http"] = start_server("aiogram http", workdir,
                                               ["aiogram", "--redis", redis_url, "--reply", "http", "--api-base", api])
        project_env = {"REDIS_URL": redis_url, "TELEGRAM_BOT_TOKEN": TOKEN, "TELEGRAM_WEBHOOK_SECRET": SECRET,
                       "TELEGRAM_API_BASE": api, "WECHAT_TOKEN": WECHAT_TOKEN}
        for w in workers:
            extra = ["--workers", str(w)] if len(workers) > 1 or w != 1 else []
            servers["project" + ("" if w == 1 else f" {w}w")] = start_server(
                f"project-{w}w", workdir, ["project", "--", "serve", *extra], project_env)
        if args.before:
            tree = workdir / "before"
            tree.mkdir()
            archive = subprocess.run(["git", "-C", str(ROOT), "archive", args.before], capture_output=True, check=True)
            subprocess.run(["tar", "-x", "-C", str(tree)], input=archive.stdout, check=True)
            for w in workers:
                extra = ["--workers", str(w)] if len(workers) > 1 or w != 1 else []
                servers["project before" + ("" if w == 1 else f" {w}w")] = start_server(
                    f"project-before-{w}w", workdir, ["project", "--", "serve", *extra], project_env,
                    servers_py=str(tree / "bench" / "webhook_servers.py"))
        servers["project safe"] = start_server("project safe", workdir, ["project", "--", "serve"], {
            "REDIS_URL": redis_url, "WECHAT_TOKEN": WECHAT_TOKEN, "WECHAT_APPID": WECHAT_APPID,
            "WECHAT_AES_KEY": WECHAT_AES_KEY})
        ref = await reference_walks()
        for s in servers.values():
            await wait_ready(s, "/stats" if s.name == "botapi" else "/healthz" if s.name.startswith("project") else "/")
        redis = aioredis.from_url(redis_url, decode_responses=True)
        contenders = build_contenders(servers, ref, redis_url)
        if args.only:
            wanted = {n.strip() for n in args.only.split(",")} | {BASELINE}
            contenders = [c for c in contenders if c.name in wanted]
        memory = await conversation_memory(redis, contenders)
        # Warm-up (not reported): first requests load lazily; the rate seen sizes the request files.
        estimate: dict[str, float] = {}
        for c in contenders:
            r = await run_cell(c, 16, 1, 400, workdir, redis, lua)
            estimate[c.name] = max(r["rate"], 200.0)
        results: dict[tuple[str, int], list[dict]] = {}
        started = time.monotonic()
        for _ in range(args.repeats):
            for users in users_list:
                for c in contenders:
                    per_user = int(estimate[c.name] * 2.5 * args.duration / users) + 40
                    r = await run_cell(c, users, args.duration, per_user, workdir, redis, lua)
                    results.setdefault((c.name, users), []).append(r)
                    estimate[c.name] = max(estimate[c.name], r["rate"])
        elapsed = time.monotonic() - started
        print(f"webhook benchmark — {git.stdout.strip()[:100]}")
        if args.before:
            before = subprocess.run(["git", "-C", str(ROOT), "log", "-1", "--format=%h %s", args.before],
                                    capture_output=True, text=True)
            print(f"'… before' rows: the project as of {args.before} = {before.stdout.strip()[:100]}")
        print(f"{args.repeats} repeat(s) × {args.duration:g} s per cell, contenders interleaved, {elapsed:.0f} s; "
              f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs; wrk, 1 connection per user")
        print(f"× aiogram = median of same-repeat ratios to '{BASELINE}' (reply in the webhook response); "
              f"RT = Redis round trips, cmds = Redis commands (INFO commandstats), CPU = server process(es)")
        for users in users_list:
            print()
            print("\n".join(fmt_table(contenders, results, users, args.repeats)))
        print()
        print("Bot API calls per message (median repeat, by method), and the stand-in's CPU per call (it shares the machine):")
        for c in contenders:
            if c.bot_api is not None:
                rs = results[(c.name, users_list[-1])]
                d = rs[len(rs) // 2]["api_detail"]
                msgs = max(rs[len(rs) // 2]["ok"], 1)
                cost = f"   ({rs[len(rs) // 2]['api_cpu_us']:.0f} µs CPU per call)" if d else ""
                print(f"  {c.name:15s} " + (", ".join(f"{m} {v / msgs:.2f}" for m, v in sorted(d.items())) or "none") + cost)
        print()
        print("Redis memory left by one 8-message refund conversation (MEMORY USAGE of every key it created):")
        for ln in memory:
            print("  " + ln)
        problems = [(k, p) for k, rs in results.items() for r in rs for p in r["problems"]]
        if problems:
            print(f"\nSESSION CHECK FAILED in {len(problems)} user(s); first ones:")
            for (name, users), p in problems[:10]:
                print(f"  {name} @{users}: {p}")
        await redis.aclose()
        if problems:
            sys.exit(1)
    finally:
        for s in servers.values():
            s.proc.terminate()
        for s in servers.values():
            try:
                s.proc.wait(10)
            except subprocess.TimeoutExpired:
                s.proc.kill()
        redis_proc.terminate()
        redis_proc.wait(10)
        if args.keep:
            print(f"work directory kept: {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    asyncio.run(main())
