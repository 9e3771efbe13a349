"""The built wheel is the bot: installed away from this checkout it still has its sentences, its vocabulary
and its web pages (the locales once stayed behind, and an installed copy showed message ids)."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.timeout(180)
def test_wheel_installed_elsewhere_answers_in_chinese(tmp_path):
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation",
                    "-w", str(tmp_path / "dist"), str(ROOT)], check=True, capture_output=True, timeout=150)
    [wheel] = (tmp_path / "dist").glob("yibao_bot-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    assert {"locales/zh-CN/common.ftl", "locales/en/common.ftl", "flows/data/intents.toml",
            "flows/data/soundalike.json", "adapters/web_static/chat.js"} <= names
    target = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(target), str(wheel)],
                   check=True, capture_output=True, timeout=120)
    # Run from elsewhere with the installed copy first on the path (the dependencies come from this venv).
    env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "YIBAO_LOCALES_DIR")}
    env["PYTHONPATH"] = str(target)
    script = ("import sys, bot; assert bot.__file__.startswith(sys.argv[1]), bot.__file__; "
              "from bot.__main__ import main; sys.argv = ['bot', 'chat', '--jsonl']; main()")
    proc = subprocess.run([sys.executable, "-c", script, str(target)], input="医保交重复了怎么退\n",
                          capture_output=True, text=True, cwd=tmp_path, env=env, timeout=60)
    assert proc.returncode == 0, proc.stderr
    turn = json.loads(proc.stdout.strip().splitlines()[-1])
    assert turn["flow"] == "refund" and "医保退费" in turn["text"] and "refund-" not in turn["text"]
    assert "不清楚" in turn["options"]  # option labels are sentences too, not ids
