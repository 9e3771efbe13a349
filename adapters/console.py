"""Terminal chat: interactive, or `--jsonl` (one user message per stdin line, one JSON object per turn)."""
from __future__ import annotations

import json
import logging
import uuid
from typing import TextIO

from redis.exceptions import RedisError

from bot.channels import Sent
from bot.engine import Engine, SessionBusy
from bot.handoff import HandoffService
from bot.i18n import Translator
from bot.messages import Incoming, Reply, Text, Turn
from bot.runtime import Services


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


class ConsoleOutput:
    """The console's `bot.channels.OutputChannel`. A terminal cannot be pushed to: what is sent waits in the
    handoff outbox and is shown with the user's next turn (`HandoffMiddleware` takes it)."""

    name = "console"
    pushes = False

    def __init__(self, handoff: HandoffService, translator: Translator) -> None:
        self.handoff = handoff
        self.tr = translator

    async def send(self, user: str, reply: Reply | str, *, locale: str | None = None, step: int | None = None,
                   chat: str | None = None) -> Sent:
        text = reply if isinstance(reply, str) else self.tr.render(reply, locale or self.tr.default).numbered()
        await self.handoff.queue_outbox(self.name, user, text)
        return Sent(chat or user)


def setup(app: object, services: Services) -> bool:
    """Register the console's output (operators' replies to console users); the console mounts no routes."""
    services.outputs.add(ConsoleOutput(services.handoff, services.translator))
    return False
