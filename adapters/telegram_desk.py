"""The operator desk: a Telegram supergroup with forum topics (OPERATOR_CHAT_ID), one topic per ticket.

User messages are posted into the ticket's topic; whatever an operator writes in that topic is relayed to
the user on their own channel; `/claim` and `/close` act on the ticket. Only members of the desk chat can
act. A deleted topic is re-created on the next post; topic creation is rate limited (Telegram allows
only a few per minute), and tickets that could not get a topic are announced in the General topic and
get one later.
https://core.telegram.org/bots/api#createforumtopic

The desk keeps only a membership cache and a topic-creation budget of its own; tickets and the topic map
belong to `bot.handoff` and are written through it (key layout: bot/keys.py). It keeps no desk ↔ user
message-id pairs: operators answer by writing in the ticket's topic, not by replying to a particular
message, and neither WeChat nor the web chat could show such a reply or an edit as one.
"""
from __future__ import annotations

import logging
import time

from aiogram.exceptions import TelegramAPIError, TelegramBadRequest
from aiogram.methods import CloseForumTopic, CreateForumTopic, GetChatMember, SendMessage
from aiogram.types import Message

from adapters.telegram import MAX_TEXT, TelegramChannel, split_text
from bot import keys
from bot.handoff import HandoffService, Ticket, UserBusy
from bot.privacy import mask

log = logging.getLogger(__name__)

MEMBER_STATUSES = {"creator", "administrator", "member"}
MAX_PIECES = 3  # a user message longer than this many desk posts is cut (and says so)
TOPIC_GONE = ("thread not found", "topic_deleted", "topic not found", "message thread not found")


class TelegramDesk:
    def __init__(self, channel: TelegramChannel, handoff: HandoffService, chat_id: int,
                 *, topics_per_minute: int = 20) -> None:
        self.channel = channel
        self.handoff = handoff
        self.redis = handoff.redis
        self.chat_id = chat_id
        self.topics_per_minute = topics_per_minute

    # -- bot → desk (the handoff service's Desk protocol) -------------------------------------------
    async def ticket_opened(self, ticket: Ticket, summary: str) -> None:
        await self._post(ticket, "🆕 " + summary + "\n\n/claim · /close")

    async def user_message(self, ticket: Ticket, text: str, user_msg_id: str) -> None:
        await self._post(ticket, f"👤 {text}")

    async def note(self, ticket: Ticket, text: str) -> None:
        await self._post(ticket, text)

    async def ticket_closed(self, ticket: Ticket, text: str) -> None:
        await self._post(ticket, "✅ " + text)
        if ticket.topic_id:
            try:
                await self.channel.call(CloseForumTopic(chat_id=self.chat_id, message_thread_id=int(ticket.topic_id)))
            except TelegramAPIError as e:  # already closed or deleted: nothing to do
                log.debug("desk: topic %s not closed: %s", ticket.topic_id, e)

    async def _topic(self, ticket: Ticket) -> int | None:
        """The ticket's topic, created if it has none (within the creation budget)."""
        if ticket.topic_id:
            return int(ticket.topic_id)
        bucket = keys.desk_topic_budget(self.chat_id, int(time.time() // 60))
        used = await self.redis.incr(bucket)
        await self.redis.expire(bucket, keys.TOPIC_BUDGET_TTL)
        if used > self.topics_per_minute:
            log.warning("desk: topic budget used up; ticket %s waits in the General topic", ticket.id)
            return None
        name = f"#{ticket.id} {ticket.channel} {ticket.context.get('flow') or ''}".strip()[:128]
        try:
            topic = await self.channel.call(CreateForumTopic(chat_id=self.chat_id, name=name))
        except TelegramAPIError as e:
            log.error("desk: could not create a topic for ticket %s: %s", ticket.id, e)
            return None
        await self.handoff.set_topic(ticket, topic.message_thread_id)
        return topic.message_thread_id

    async def _post(self, ticket: Ticket, text: str) -> Message | None:
        """Post ``text`` in the ticket's topic, split over several messages when long; beyond
        ``MAX_PIECES`` messages it is cut, and the post says so. Returns the first message sent."""
        for attempt in range(2):
            thread = await self._topic(ticket)
            body = text if thread is not None else f"[#{ticket.id}] {text}"
            pieces = split_text(body, MAX_TEXT - 100)
            if len(pieces) > MAX_PIECES:
                shown = sum(len(p) for p in pieces[:MAX_PIECES])
                pieces = pieces[:MAX_PIECES]
                pieces[-1] += (f"\n\n✂ cut: {shown} of {len(body)} characters shown here; the whole message is "
                               f"in the ticket's transcript (GET /operator/tickets/{ticket.id}).")
            try:
                first = None
                for piece in pieces:
                    sent = await self.channel.call(SendMessage(chat_id=self.chat_id, text=piece,
                                                               message_thread_id=thread))
                    first = first or sent
                return first
            except TelegramBadRequest as e:
                if thread is None or not any(s in e.message.lower() for s in TOPIC_GONE) or attempt:
                    log.error("desk: post for ticket %s failed: %s", ticket.id, e.message)
                    return None
                log.warning("desk: topic %s of ticket %s was deleted; re-creating it", thread, ticket.id)
                await self.handoff.forget_topic(ticket)
        return None

    # -- desk → bot: messages operators write in the desk chat ---------------------------------------
    async def handle(self, m: Message) -> None:
        user = m.from_user
        if user is None or user.is_bot or m.text is None:
            return
        if not await self._is_member(user.id):
            log.warning("desk: ignoring a message from %s, who is not a member of the desk", user.id)
            return
        thread = m.message_thread_id if m.is_topic_message else None
        ticket = await self.handoff.ticket_for_topic(thread) if thread is not None else None
        if ticket is None:
            return  # the General topic is for the team's own talk
        operator = f"tg:{user.id}" + (f" ({user.username})" if user.username else "")
        command = m.text.strip().split()[0].split("@")[0].lower() if m.text.startswith("/") else ""
        if command == "/close":  # "/close 感谢您的耐心" sends those words before the closing line
            words = m.text.strip().split(None, 1)[1] if len(m.text.strip().split(None, 1)) > 1 else None
            try:
                result = await self.handoff.close(ticket.id, by=operator, text=words)
            except UserBusy:
                await self.note(ticket, "ℹ not closed: the user's message is being handled; send /close again.")
                return
            if not result:
                await self.note(ticket, "ℹ this ticket is already closed.")
            return
        if command == "/claim":
            result = await self.handoff.claim(ticket.id, operator)
            await self.note(ticket, {"ok": f"👤 claimed by {operator}", "closed": "ℹ this ticket is closed."}
                            .get(result, f"ℹ already assigned to {result[6:]}" if result.startswith("taken:") else result))
            return
        result = await self.handoff.reply(ticket.id, operator, m.text)
        if result == "closed":
            await self.note(ticket, "ℹ not sent: this ticket is closed. The user is back with the bot.")
        elif result.startswith("taken:"):
            await self.note(ticket, f"ℹ not sent: the ticket is assigned to {result[6:]}.")
        log.info("desk: operator reply on ticket %s: %s (%s)", ticket.id, result, mask(m.text)[:40])

    async def _is_member(self, user_id: int) -> bool:
        key = keys.desk_member(user_id)
        cached = await self.redis.get(key)
        if cached is not None:
            return cached == "1"
        try:
            member = await self.channel.call(GetChatMember(chat_id=self.chat_id, user_id=user_id))
            ok = member.status in MEMBER_STATUSES
        except TelegramAPIError:
            ok = False
        await self.redis.set(key, "1" if ok else "0", ex=keys.DESK_MEMBER_TTL)
        return ok
