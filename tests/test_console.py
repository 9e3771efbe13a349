"""`python -m bot chat` as a user runs it: a real subprocess, stdin in, JSON lines out."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

from tests.conftest import user_id

ROOT = Path(__file__).resolve().parent.parent


def env(redis_url: str | None = None) -> dict[str, str]:
    e = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL",)}
    e["PYTHONUNBUFFERED"] = "1"
    if redis_url:
        e["REDIS_URL"] = redis_url
    return e


def run_jsonl(lines: list[str], *args: str, redis_url: str | None = None) -> list[dict]:
    proc = subprocess.run(
        [sys.executable, "-m", "bot", "chat", "--jsonl", *args],
        input="\n".join(lines) + "\n", capture_output=True, text=True, cwd=ROOT, env=env(redis_url), timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    return [json.loads(line) for line in proc.stdout.splitlines()]


def test_jsonl_walks_refund_to_guidance_with_back_and_restart():
    turns = run_jsonl(["我想退医保", "1", "1", "返回上一步", "1", "1", "2", "1", "1", "重新开始"])
    assert len(turns) == 10
    assert set(turns[0]) >= {"text", "options", "flow", "state", "slots", "handoff"}
    assert turns[2]["state"] == "ask_dup_scope"
    assert turns[3]["state"] == "ask_reason"  # 返回上一步 restores the previous question
    assert "您想退费的原因" in turns[3]["text"]
    leaf = turns[8]
    assert leaf["state"] == "done_online" and leaf["flow"] == "refund" and leaf["handoff"] is False
    assert "医保公众号" in leaf["text"] and "📋 要带的材料" in leaf["options"]  # channel; materials one tap away
    assert turns[9]["state"] == "menu" and turns[9]["flow"] is None and turns[9]["slots"] == {}


def test_jsonl_accepts_option_labels_and_english():
    turns = run_jsonl(["refund please", "Employee insurance", "I just don't want to pay any more"], "--lang", "en")
    assert turns[-1]["state"] == "done_not_refundable"
    assert "not refunded" in turns[-1]["text"]


def test_jsonl_ignores_blank_lines_and_keeps_stdout_clean():
    turns = run_jsonl(["", "你好", "   "])
    assert len(turns) == 1 and turns[0]["state"] == "menu" and "医保退费" in turns[0]["options"]


def test_killed_process_resumes_at_same_step_with_redis(redis_url):
    user = user_id()
    cmd = [sys.executable, "-m", "bot", "chat", "--jsonl", "--user", user]
    proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                            text=True, cwd=ROOT, env=env(redis_url))
    seen = []
    for line in ("我想退医保", "1", "1"):
        proc.stdin.write(line + "\n")
        proc.stdin.flush()
        seen.append(json.loads(proc.stdout.readline()))
    assert seen[-1]["state"] == "ask_dup_scope"
    proc.send_signal(signal.SIGKILL)
    proc.wait(10)

    resumed = run_jsonl(["1"], "--user", user, redis_url=redis_url)
    assert resumed[0]["state"] == "ask_used"
    assert resumed[0]["slots"] == {"ins_type": "居民", "reason": "重复缴费", "dup_scope": "同地区"}
    # a different user id starts fresh
    other = run_jsonl(["1"], "--user", user_id(), redis_url=redis_url)
    assert other[0]["flow"] is None


def test_interactive_mode_shows_numbered_options():
    proc = subprocess.run([sys.executable, "-m", "bot", "chat"], input="我想退医保\n", capture_output=True,
                          text=True, cwd=ROOT, env=env(), timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert "1. 城乡居民医保（含新农合）" in proc.stdout and "2. 职工医保" in proc.stdout
