"""Read a YAML settings file (rule pack, column profile, scheduler configuration) or say why not.

Each of those files is validated strictly by its own parser; reading it is the same everywhere:
a missing file or broken YAML is refused with a sentence naming the file, in the caller's own
error type so each command reports it as its own.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml


def read_yaml(source: Path, error: type[ValueError], what: str) -> Any:
    """Return a YAML file's parsed content; raise `error` naming the file when it cannot be."""
    if not source.is_file():
        raise error(f"{source}: {what} not found")
    try:
        return yaml.safe_load(source.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise error(f"{source}: not valid YAML: {exc}") from None
