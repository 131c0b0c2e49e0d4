"""The Zalo OA bot: verify and deduplicate webhook events, answer in the background.

The webhook route calls `accept(raw_body, signature)` synchronously (cheap: signature check and a
msg_id insert) and schedules `process(event)` after the 200 response, as Zalo expects an answer
within about 2 seconds. Follow-ups are kept per Zalo user: conversation id "zalo:<user id>".
"""
from __future__ import annotations

import logging

from assistant.api.schemas import MAX_QUESTION, clean_text
from assistant.api.state import AppState
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

    def accept(self, raw_body: bytes, signature: str | None) -> dict | None:
        """Verify the event (BadSignature -> 401); return it if it needs a reply, else None."""
        event = verify_event(raw_body, signature, self.state.settings.zalo_oa_secret)
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
        event = event | {"message": message | {"text": text}}
        # Without a msg_id the signature (a digest of the whole body) identifies a replay.
        msg_id = str(message.get("msg_id") or "") or f"sig:{signature.strip()}"
        if not self.state.store.first_seen(msg_id[:200]):
            log.info("zalo duplicate delivery ignored")
            return None
        return event

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

    def process(self, event: dict) -> None:
        user_id = str(event["sender"]["id"])
        text = str(event["message"]["text"])
        try:
            self.client.send_reply(user_id, self.reply_text(user_id, text))
        except Exception as exc:  # background task: log (redacted) instead of crashing silently
            log.error("zalo reply failed: %s", redact(str(exc)))
