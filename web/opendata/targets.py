"""The active rule pack's targets, which the published domestic shares are compared with."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from flask import current_app


def pack_targets() -> dict[str, Any]:
    """Return the targets of the app's rule pack (RULE_PACK, else the built-in one)."""
    return _targets(current_app.config.get("RULE_PACK"))


@lru_cache(maxsize=8)
def _targets(path: str | None) -> dict[str, Any]:
    from rules.engine.pack import load_pack

    return dict(load_pack(path).targets)
