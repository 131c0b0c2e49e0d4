"""HTTP API: `create_app(settings, assistant=None, index=None)` builds the FastAPI app."""
from assistant.api.app import create_app

__all__ = ["create_app"]
