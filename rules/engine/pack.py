"""Rule packs: which rules run, at what severity, with which parameters.

The pack switches rules on and overrides parameter values; the parameter types, defaults and
descriptions live in each rule's params dataclass. Loading is strict (Cardinal's
deny_unknown_fields): an unknown rule or key, a wrong type or a missing parameter is refused
with a sentence naming the file, the rule and the key.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from procurement.domestic import check_targets
from procurement.yamlfile import read_yaml
from rules.engine.registry import REGISTRY, SEVERITIES, RuleSpec

DEFAULT_PACK = Path(__file__).resolve().parent.parent / "pack.yaml"
_RULE_KEYS = {"enabled", "severity", "params", "categories"}
_TOP_KEYS = {"name", "version", "description", "rules", "targets"}


class PackError(ValueError):
    """A rule pack that cannot be used; the message names the file, rule and key."""


@dataclass(frozen=True)
class RuleSettings:
    """A rule as the pack configures it."""

    spec: RuleSpec
    enabled: bool
    severity: str
    params: Any
    categories: Mapping[str, Any] = field(default_factory=dict)

    def params_for(self, category: str | None) -> Any:
        """Return the parameters for a product category (the rule's own when none is set)."""
        return self.categories.get(category or "", self.params)


@dataclass(frozen=True)
class RulePack:
    """A loaded pack: its rules and the domestic-share targets."""

    name: str
    path: str
    rules: Mapping[str, RuleSettings]
    targets: Mapping[str, Any]

    def enabled(self, codes: set[str] | None = None) -> list[RuleSettings]:
        """Return the enabled rules, optionally only those with the given codes."""
        return [
            settings
            for code, settings in sorted(self.rules.items())
            if settings.enabled and (codes is None or code in codes)
        ]


def load_pack(path: str | Path | None = None) -> RulePack:
    """Load the default pack, or a user's pack by path."""
    source = Path(path) if path else DEFAULT_PACK
    return parse_pack(read_yaml(source, PackError, "rule pack"), str(source))


def parse_pack(data: Any, source: str) -> RulePack:
    """Validate a pack's parsed YAML and build it."""
    if not isinstance(data, dict):
        raise PackError(f"{source}: a rule pack must be a mapping")
    _no_unknown(source, "", data, _TOP_KEYS)
    rules_data = data.get("rules") or {}
    if not isinstance(rules_data, dict):
        raise PackError(f"{source}: key 'rules' must map rule codes to settings")
    settings = {}
    for code, entry in rules_data.items():
        if code not in REGISTRY:
            raise PackError(f"{source}: rule {code}: unknown rule (known: {', '.join(REGISTRY)})")
        settings[code] = _rule_settings(source, REGISTRY[code], entry or {})
    for code, spec in REGISTRY.items():
        settings.setdefault(code, _rule_settings(source, spec, {"enabled": False}))
    targets = data.get("targets") or {}
    if not isinstance(targets, dict):
        raise PackError(f"{source}: key 'targets' must be a mapping")
    try:
        check_targets(targets)
    except ValueError as exc:
        raise PackError(f"{source}: key 'targets': {exc}") from None
    return RulePack(str(data.get("name") or Path(source).stem), source, settings, targets)


def _rule_settings(source: str, spec: RuleSpec, entry: Any) -> RuleSettings:
    where = f"{source}: rule {spec.code}"
    if not isinstance(entry, dict):
        raise PackError(f"{where}: settings must be a mapping")
    _no_unknown(source, f"rule {spec.code}: ", entry, _RULE_KEYS)
    enabled = entry.get("enabled", True)
    if not isinstance(enabled, bool):
        raise PackError(f"{where}: key 'enabled' must be true or false")
    severity = entry.get("severity", spec.severity)
    if severity not in SEVERITIES:
        raise PackError(f"{where}: key 'severity' must be one of {', '.join(SEVERITIES)}")
    params = build_params(where, spec.params, entry.get("params") or {})
    categories = entry.get("categories") or {}
    if not isinstance(categories, dict):
        raise PackError(f"{where}: key 'categories' must map a category to parameters")
    by_category = {
        name: build_params(
            f"{where}: category {name}",
            spec.params,
            {**dataclasses.asdict(params), **(values or {})},
        )
        for name, values in categories.items()
    }
    return RuleSettings(spec, enabled, severity, params, by_category)


def build_params(where: str, params_type: type, values: Mapping[str, Any]) -> Any:
    """Build a rule's params dataclass from YAML values, checking names and types."""
    if not isinstance(values, Mapping):
        raise PackError(f"{where}: key 'params' must be a mapping")
    fields = {f.name: f for f in dataclasses.fields(params_type)}
    for name, value in values.items():
        if name not in fields:
            raise PackError(
                f"{where}: key 'params.{name}': unknown parameter "
                f"(known: {', '.join(fields) or 'none'})"
            )
        expected = typing.get_type_hints(params_type)[name]
        if not _is_instance(value, expected):
            raise PackError(
                f"{where}: key 'params.{name}': expected {_type_name(expected)}, got {value!r}"
            )
    try:
        return params_type(**values)
    except ValueError as exc:
        raise PackError(f"{where}: key 'params': {exc}") from None
    except TypeError as exc:
        missing = [n for n, f in fields.items() if n not in values and _required(f)]
        raise PackError(
            f"{where}: key 'params.{missing[0] if missing else '?'}': missing parameter ({exc})"
        ) from None


def _required(item: dataclasses.Field[Any]) -> bool:
    return item.default is dataclasses.MISSING and item.default_factory is dataclasses.MISSING


def _is_instance(value: Any, expected: Any) -> bool:
    origin = typing.get_origin(expected)
    if origin in (types.UnionType, typing.Union):
        return any(_is_instance(value, option) for option in typing.get_args(expected))
    if expected is type(None):
        return value is None
    if expected is float:
        return isinstance(value, int | float) and not isinstance(value, bool)
    if origin in (tuple, list):
        inner = typing.get_args(expected)[0]
        return isinstance(value, list | tuple) and all(_is_instance(v, inner) for v in value)
    if isinstance(expected, type):
        return isinstance(value, expected) and not (expected is int and isinstance(value, bool))
    return True


def _type_name(expected: Any) -> str:
    return getattr(expected, "__name__", str(expected))


def _no_unknown(source: str, prefix: str, data: Mapping[str, Any], known: set[str]) -> None:
    for key in data:
        if key not in known:
            raise PackError(
                f"{source}: {prefix}key '{key}': unknown key (known: {', '.join(sorted(known))})"
            )
