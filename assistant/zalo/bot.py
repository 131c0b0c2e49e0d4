"""The Zalo OA bot: verify, store and deduplicate webhook events; the reply text of a message.

The webhook route calls `accept(raw_body, signature)` synchronously (cheap: signature and
freshness checks, one insert into the inbox, which is also the msg_id dedupe) and returns 200, as
Zalo expects an answer within about 2 seconds; assistant.zalo.delivery answers and sends from the
inbox. Follow-ups are kept per Zalo user: conversation id "zalo:<user id>".
"""
from __future__ import annotations

import logging

from assistant.user_text import MAX_QUESTION, clean_text
from assistant.service import AppState
from assistant.errors import AssistantError, IndexNotReady
from assistant.redact import redact
from assistant.zalo.client import ZaloClient
from assistant.zalo.commands import run_command
from assistant.zalo.signature import verify_event
from assistant.zalo.text import format_answer

log = logging.getLogger("assistant.zalo")

NOT_READY = "Hệ thống đang cập nhật dữ liệu kế hoạch, anh/chị vui lòng hỏi lại sau ít phút."
FAILED = "Xin lỗi, trợ lý chưa trả lời được câu hỏi này. Anh/chị vui lòng thử lại sau."


class ZaloBot:
    def __init__(self, state: AppState, client: ZaloClient):
        if not state.settings.zalo_oa_secret:
            raise ValueError("ZaloBot needs settings.zalo_oa_secret (ASSISTANT_ZALO_OA_SECRET)")
        self.state = state
        self.client = client

    def accept(self, raw_body: bytes, signature: str | None) -> str | None:
        """Verify the event (BadSignature -> 401, StaleEvent -> 400) and store it; the msg_id when
        it needs a reply, None for events to ignore and for redeliveries."""
        event = verify_event(raw_body, signature, self.state.settings.zalo_oa_secret,
                             self.state.settings.zalo_event_window_seconds)
        if not isinstance(event, dict) or event.get("event_name") != "user_send_text":
            return None  # follow, seen, received …: acknowledged and ignored
        message, sender = event.get("message"), event.get("sender")
        if not isinstance(message, dict) or not isinstance(sender, dict):
            return None  # a signed but malformed event: nothing to answer
        user, text = sender.get("id"), message.get("text")
        if not isinstance(user, (str, int)) or not str(user).strip() \
                or not isinstance(text, str) or not text.strip():
            return None
        try:
            text = clean_text(text)[:MAX_QUESTION]
        except ValueError:
            return None  # only invisible characters
        # Without a msg_id the signature (a digest of the whole body) identifies a replay.
        msg_id = (str(message.get("msg_id") or "") or f"sig:{signature.strip()}")[:200]
        if not self.state.store.enqueue_zalo(msg_id, str(user)[:200], text):
            log.info("zalo duplicate delivery ignored")
            return None
        return msg_id

    def reply_text(self, user_id: str, text: str) -> str:
        """The text to send back for one user message."""
        try:
            command = run_command(text, lambda: self.state.index)
            if command is not None:
                return command
            result = self.state.ask(text, conversation_id=f"zalo:{user_id}", channel="zalo")
            return format_answer(result.to_json())
        except IndexNotReady:
            return NOT_READY
        except AssistantError as exc:
            log.warning("zalo answer failed: %s", redact(exc.message))
            return FAILED
