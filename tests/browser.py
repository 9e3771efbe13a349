"""Real Chromium for the browser tests: Debian's /usr/bin/chromium driven by Playwright (no browser download),
and the bot served on a free local port from a thread of its own (Playwright's sync API cannot run inside
the tests' asyncio loop)."""
from __future__ import annotations

import asyncio
import os
import shutil
import threading
from pathlib import Path

from aiohttp import web

from adapters.app import create_app
from bot.config import Settings

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
PHONE = {"width": 375, "height": 667}
ROOT = Path(__file__).resolve().parent.parent
# Screenshots are test artefacts; UPDATE_SCREENSHOTS=1 also refreshes the copies the README shows.
ARTEFACTS = Path(os.environ.get("TEST_ARTEFACTS", ROOT / "build" / "test-artefacts"))
README_IMAGES = ROOT / "docs" / "img"


def chromium_path() -> str | None:
    return CHROMIUM if os.access(CHROMIUM, os.X_OK) else shutil.which("chromium")


def save_screenshot(page, name: str) -> Path:
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTEFACTS / name
    page.screenshot(path=str(path), full_page=False)
    if os.environ.get("UPDATE_SCREENSHOTS"):
        README_IMAGES.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, README_IMAGES / name)
    return path


class LiveServer:
    """``create_app(settings)`` on 127.0.0.1:<free port>, in a thread with its own event loop."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self._run, name="live-server", daemon=True)
        self.started = threading.Event()
        self.error: BaseException | None = None
        self.port = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def _run(self) -> None:
        asyncio.set_event_loop(self.loop)
        try:
            self.loop.run_until_complete(self._start())
        except BaseException as e:  # reported to the starting thread
            self.error = e
            self.started.set()
            return
        self.started.set()
        self.loop.run_forever()

    async def _start(self) -> None:
        self.app = create_app(self.settings)
        self.runner = web.AppRunner(self.app, shutdown_timeout=5)
        await self.runner.setup()
        site = web.TCPSite(self.runner, "127.0.0.1", 0)
        await site.start()
        self.port = self.runner.addresses[0][1]

    def start(self) -> "LiveServer":
        self.thread.start()
        if not self.started.wait(60):
            raise RuntimeError("the live server did not start within 60 s")
        if self.error is not None:
            raise self.error
        return self

    def call(self, coro):
        """Run a coroutine on the server's loop (e.g. to read its Redis) and return its result."""
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(30)

    def stop(self) -> None:
        self.call(self.runner.cleanup())
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(30)
        self.loop.close()
