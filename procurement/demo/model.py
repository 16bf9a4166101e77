"""What the demo builder returns: the files it wrote and the anomalies it planted."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class DemoFile:
    """A written demo file: its path, import kind, importer profile and fixed fields."""

    path: Path
    kind: str  # "awards" | "reference-prices" | "reference-list" | "framework-agreements"
    profile: str | None
    set_fields: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class PlantedAnomaly:
    """An anomaly planted on purpose, with the keys that find its lines."""

    family: str  # PRC | PLN | CMP | DOM | CEN | DQ | IMPORT
    rule: str  # e.g. "PRC-01"
    description: str
    keys: dict[str, str]
