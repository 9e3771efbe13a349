"""What an operator can do with tickets: one implementation shared by the JSON API (bot/operator_api.py)
and the web console (adapters/web_console.py), so both see the same queue, flags and results.

Results are the strings of `HandoffService` (ok, delivered, closed, taken:<op>, window_expired,
quota_exceeded, …);
`http_status` maps them to one status code for both front ends.
"""
from __future__ import annotations

from typing import Any, Callable

from bot.handoff import HandoffService, Ticket, UserBusy
from bot.i18n import Translator
from bot.messages import Text

# WeChat lets a bot write to a user only within 48 hours of the user's last message.
WECHAT_WINDOW = 48 * 3600
WINDOW_WARNING = 6 * 3600  # flag a WeChat ticket whose window closes within this time
STATUS = {"ok": 200, "delivered": 200, "queued_outbox": 200, "missing": 404, "closed": 409, "busy": 503}
FAILED_PREFIX = "delivery failed: "


def http_status(result: str) -> int:
    return 409 if result.startswith("taken:") else STATUS.get(result, 502)


class OperatorOps:
    def __init__(self, handoff: HandoffService, translator: Translator,
                 clock: Callable[[], float] | None = None) -> None:
        self.handoff = handoff
        self.tr = translator
        self.clock = clock or (lambda: handoff.clock())

    # -- reading ---------------------------------------------------------------------------------------
    async def queue(self) -> list[dict[str, Any]]:
        """Open tickets, oldest first: the ticket, its queue position, waiting time and flags."""
        now = self.clock()
        out = []
        for ticket in await self.handoff.open_tickets():
            transcript = await self.handoff.transcript(ticket.id)
            out.append({**self.view(ticket, transcript, now), "position": await self.handoff.position(ticket.id)})
        return out

    async def show(self, ticket_id: str) -> dict[str, Any] | None:
        ticket = await self.handoff.get(ticket_id)
        if ticket is None:
            return None
        transcript = await self.handoff.transcript(ticket.id)
        return {"ticket": self.view(ticket, transcript, self.clock()), "transcript": transcript}

    def view(self, ticket: Ticket, transcript: list[dict[str, Any]], now: float) -> dict[str, Any]:
        last_user = max((e["at"] for e in transcript if e.get("who") == "user"), default=ticket.created_at)
        return {**ticket.public(), "waited": max(0.0, now - ticket.created_at), "last_user_at": last_user,
                "flags": flags(ticket, transcript, last_user, now)}

    def quick_replies(self, locale: str) -> list[dict[str, str]]:
        """The FAQ answers, ready to send: what operators are asked most often, worded as the bot words it."""
        from flows.faq import FAQS  # the answers are the flows' data; only their text is used here

        return [{"id": f.id, "label": self.tr.text(f.question, locale),
                 "text": "\n\n".join(self.tr.text(Text(a), locale) for a in f.answer)} for f in FAQS]

    # -- acting ----------------------------------------------------------------------------------------
    async def claim(self, ticket_id: str, operator: str) -> str:
        return await self.handoff.claim(ticket_id, operator)

    async def reply(self, ticket_id: str, operator: str, text: str) -> str:
        return await self.handoff.reply(ticket_id, operator, text)

    async def close(self, ticket_id: str, operator: str, text: str = "") -> tuple[str, str | None]:
        """Close the ticket under the user's lock (bot/handoff.py); ``text``, the operator's last words, is
        sent before the standard closing sentence. Returns (result, how the text fared or None): result is
        ok | missing | closed | busy (the user's message is being handled: try again)."""
        if await self.handoff.get(ticket_id) is None:
            return "missing", None
        try:
            fared = await self.handoff.close(ticket_id, by=operator, text=text.strip() or None)
        except UserBusy:
            return "busy", None
        if not fared:
            return "closed", None
        return "ok", (fared if text.strip() else None)


def flags(ticket: Ticket, transcript: list[dict[str, Any]], last_user: float, now: float) -> list[dict[str, Any]]:
    """What an operator must know before answering: WeChat's 48-hour window (passed or closing soon) and
    deliveries that failed since the user last wrote (window, quota, blocked…)."""
    out: list[dict[str, Any]] = []
    if ticket.channel == "wechat":
        left = last_user + WECHAT_WINDOW - now
        if left <= 0:
            out.append({"kind": "window_expired"})
        elif left < WINDOW_WARNING:
            out.append({"kind": "window_closing", "seconds_left": int(left)})
    failed = [e["text"][len(FAILED_PREFIX):] for e in transcript
              if e.get("who") == "system" and e.get("at", 0) >= last_user and e.get("text", "").startswith(FAILED_PREFIX)]
    for reason in dict.fromkeys(failed):  # each reason once, in order
        if not any(f["kind"] == reason for f in out):
            kind = "quota" if reason == "quota_exceeded" else reason
            out.append({"kind": kind if kind in ("window_expired", "quota", "blocked") else "delivery_failed",
                        "detail": reason})
    return out
