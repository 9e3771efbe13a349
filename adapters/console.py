"""Terminal chat: interactive, or `--jsonl` (one user message per stdin line, one JSON object per turn)."""
from __future__ import annotations

import json
import logging
import uuid
from typing import TextIO

from redis.exceptions import RedisError

from bot.engine import Engine, SessionBusy
from bot.i18n import Translator
from bot.messages import Incoming, Text, Turn


def turn_record(turn: Turn, tr: Translator) -> dict:
    """The JSON shape of one bot turn (documented in the README)."""
    rendered = [tr.render(r, turn.locale) for r in turn.replies]
    return {
        "text": "\n\n".join(r.text for r in rendered),
        "options": [label for r in rendered for _, label in r.options],
        "values": [value for r in rendered for value, _ in r.options],
        "flow": turn.flow,
        "state": turn.state,
        "slots": dict(turn.slots),
        "intent": turn.intent,
        "handoff": turn.handoff,
        "step": turn.step,
    }


log = logging.getLogger(__name__)


class StoreDown(Exception):
    """Redis did not answer; the message was not processed (nothing saved)."""


class ConsoleChat:
    def __init__(self, engine: Engine, translator: Translator, user: str, lang: str | None) -> None:
        self.engine = engine
        self.tr = translator
        self.user = user
        self.lang = lang

    async def say(self, text: str) -> Turn | None:
        msg = Incoming(
            channel="console", user_id=self.user, chat_id=self.user, message_id=uuid.uuid4().hex,
            text=text, locale=self.lang,
        )
        try:
            return await self.engine.handle(msg)
        except SessionBusy:
            return None
        except RedisError as e:  # one clear line on stderr (the engine logged which message), no traceback
            log.error("Redis unavailable (%s): the message was not processed; send it again", e.__class__.__name__)
            raise StoreDown from None

    def busy_text(self) -> str:
        return self.tr.text(Text("common-busy"), self.lang or self.tr.default)

    def store_down_text(self) -> str:
        return self.tr.text(Text("common-store-down"), self.lang or self.tr.default)

    async def run_jsonl(self, stdin: TextIO, stdout: TextIO) -> None:
        for line in stdin:
            line = line.rstrip("\n")
            if not line.strip():
                continue
            try:
                turn = await self.say(line)
            except StoreDown:
                record = {"text": self.store_down_text(), "options": [], "error": "store_unavailable"}
                stdout.write(json.dumps(record, ensure_ascii=False) + "\n")
                stdout.flush()
                continue
            record = turn_record(turn, self.tr) if turn else {"text": self.busy_text(), "options": [], "error": "busy"}
            stdout.write(json.dumps(record, ensure_ascii=False) + "\n")
            stdout.flush()

    async def run_interactive(self, stdin: TextIO, stdout: TextIO) -> None:
        stdout.write("医保办事助手 — 输入您的问题,Ctrl-D 退出 / type your question, Ctrl-D to quit\n")
        while True:
            stdout.write("\n> ")
            stdout.flush()
            line = stdin.readline()
            if not line:
                stdout.write("\n")
                return
            if not line.strip():
                continue
            try:
                turn = await self.say(line.strip())
            except StoreDown:
                stdout.write(self.store_down_text() + "\n")
                continue
            if turn is None:
                stdout.write(self.busy_text() + "\n")
                continue
            for reply in turn.replies:
                stdout.write(self.tr.render(reply, turn.locale).numbered() + "\n")
