"""Whether the local model is offered, and whether it is the default connection."""

from __future__ import annotations

from lib.config.settings import OPENAI_BASE_URL, Settings
from lib.config.text import is_plain_int
from lib.request.validate import Problem


def configured(settings: Settings) -> bool:
    """True when secrets or the environment name a server or a key."""
    return settings.source(OPENAI_BASE_URL) != "default" or bool(settings.api_key)


def offers_local(settings: Settings, installed: bool) -> bool:
    """Offer the local model when it is installed and the host has not chosen a server.

    A locked or configured instance is someone's hosted deployment: the local model (which
    costs the host CPU and memory) appears there only with ALLOW_LOCAL_MODEL = true.
    """
    if not installed:
        return False
    if settings.allow_local_model:
        return True
    return not settings.lock_base_url and not configured(settings)


def default_is_local(
    settings: Settings, installed: bool, sidebar_url: str | None, sidebar_key: str | None
) -> bool:
    """The local model is the default when it is offered and nothing names a server anywhere."""
    typed = any(isinstance(v, str) and v.strip() for v in (sidebar_url, sidebar_key))
    return offers_local(settings, installed) and not configured(settings) and not typed


def local_problems(body: dict) -> list[Problem]:
    """What the local server (llama.cpp) cannot do with this body, said before it is sent.

    It reads token-id prompts as nothing it knows and answers with a bare server error.
    """
    prompt = body.get("prompt")
    if (
        isinstance(prompt, list)
        and prompt
        and all(is_plain_int(p) or isinstance(p, list) for p in prompt)
    ):
        return [Problem.of("prompt", "local_token_prompt")]
    return []
