"""Annotated dependency aliases: routes declare what they need, the app state provides it."""
from __future__ import annotations

import hmac
from typing import Annotated

from fastapi import Depends, Header, Request

from assistant.api.errors import http_error
from assistant.service import AppState
from assistant.settings import Settings
from assistant.storage import AppStore


def get_state(request: Request) -> AppState:
    return request.app.state.assistant_state


def get_settings(state: Annotated[AppState, Depends(get_state)]) -> Settings:
    return state.settings


def get_index(state: Annotated[AppState, Depends(get_state)]):
    return state.index  # raises IndexNotReady (503) when nothing is built


def get_store(state: Annotated[AppState, Depends(get_state)]) -> AppStore:
    return state.store


def require_admin(
    settings: Annotated[Settings, Depends(get_settings)],
    x_admin_key: Annotated[str | None, Header(description="Khóa quản trị (ASSISTANT_ADMIN_KEY)")] = None,
) -> None:
    if not settings.admin_key:
        raise http_error(403, "Admin routes are disabled: set ASSISTANT_ADMIN_KEY to enable them.")
    if not x_admin_key:
        raise http_error(401, "Send the admin key in the X-Admin-Key header.")
    if not hmac.compare_digest(x_admin_key.encode(), settings.admin_key.encode()):
        raise http_error(403, "Wrong admin key.")


def require_api_key(
    settings: Annotated[Settings, Depends(get_settings)],
    authorization: Annotated[str | None, Header(description="Bearer <ASSISTANT_OPENAI_API_KEY>, when one is set")] = None,
) -> None:
    if not settings.openai_api_key:
        return
    scheme, _, key = (authorization or "").partition(" ")
    if scheme.lower() != "bearer" or not key.strip():
        raise http_error(401, "Send the API key as 'Authorization: Bearer <key>'.", "invalid_api_key")
    if not hmac.compare_digest(key.strip().encode(), settings.openai_api_key.encode()):
        raise http_error(401, "Wrong API key.", "invalid_api_key")


StateDep = Annotated[AppState, Depends(get_state)]
SettingsDep = Annotated[Settings, Depends(get_settings)]
IndexDep = Annotated[object, Depends(get_index)]
StoreDep = Annotated[AppStore, Depends(get_store)]
AdminDep = Annotated[None, Depends(require_admin)]
ApiKeyDep = Annotated[None, Depends(require_api_key)]
