"""The scheduler's configuration: cron schedules, the lease length and the alert channels.

One YAML file (`procurement scheduler --config PATH`, else $PROCUREMENT_SCHEDULER_CONFIG, else
`var/instance/scheduler.yaml` when it exists, else the defaults below). Loading is strict, like
the rule pack: an unknown key, a wrong type or a cron expression that does not parse is refused
with a sentence naming the file and the key, because a typo in `severites:` must not silently
send no alerts for months.

    timezone: Asia/Ho_Chi_Minh
    lease_hours: 6            # SQLite only: a lock left by a dead process frees itself after this
    jobs:
      stock: {cron: "0 6 * * *"}
      full: {cron: "0 1 * * *", enabled: false}
    alerts:
      base_url: https://monitor.example.vn
      severities: [high]
      smtp: {host: smtp.example.vn, port: 587, starttls: true, username: alerts,
             from: alerts@example.vn, to: [duoc@soyte.example.vn]}
      webhook: {url: https://chat.example.vn/hooks/abc, timeout: 10}

The SMTP password may be left out of the file and given as $PROCUREMENT_SMTP_PASSWORD.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from apscheduler.triggers.cron import CronTrigger

from procurement.config import data_dir
from procurement.yamlfile import read_yaml

ENV_CONFIG = "PROCUREMENT_SCHEDULER_CONFIG"
ENV_SMTP_PASSWORD = "PROCUREMENT_SMTP_PASSWORD"
DEFAULT_TIMEZONE = "Asia/Ho_Chi_Minh"
DEFAULT_CRONS = {"stock": "0 6 * * *", "full": "0 1 * * *"}
SEVERITIES = ("low", "medium", "high")

_TOP_KEYS = {"timezone", "lease_hours", "jobs", "alerts"}
_JOB_KEYS = {"cron", "enabled"}
_ALERT_KEYS = {"smtp", "webhook", "base_url", "severities"}
_SMTP_KEYS = {"host", "port", "username", "password", "starttls", "ssl", "from", "to", "timeout"}
_WEBHOOK_KEYS = {"url", "timeout"}


class ConfigError(ValueError):
    """A scheduler configuration that cannot be used; the message names the file and key."""


@dataclass(frozen=True)
class JobSchedule:
    """When one job fires: a five-field cron expression in the scheduler's time zone."""

    name: str
    cron: str
    enabled: bool = True

    def trigger(self, timezone: ZoneInfo) -> CronTrigger:
        """Return APScheduler's trigger for this expression (it computes the fire times)."""
        return CronTrigger.from_crontab(self.cron, timezone=timezone)


@dataclass(frozen=True)
class SmtpSettings:
    """Where the e-mail digest goes and how to log in to send it."""

    host: str
    to: tuple[str, ...]
    sender: str
    port: int = 25
    username: str | None = None
    password: str | None = None
    starttls: bool = False
    ssl: bool = False
    timeout: float = 30.0


@dataclass(frozen=True)
class WebhookSettings:
    """Where the JSON digest is posted."""

    url: str
    timeout: float = 10.0


@dataclass(frozen=True)
class AlertSettings:
    """The alert channels (each optional) and which new flags are worth a message."""

    smtp: SmtpSettings | None = None
    webhook: WebhookSettings | None = None
    base_url: str = "http://localhost:5000"
    severities: tuple[str, ...] = ("high",)

    @property
    def any_channel(self) -> bool:
        """Return whether there is anywhere to send a digest."""
        return self.smtp is not None or self.webhook is not None


@dataclass(frozen=True)
class SchedulerConfig:
    """A loaded configuration; `source` names the file it came from (or "defaults")."""

    timezone: ZoneInfo = field(default_factory=lambda: ZoneInfo(DEFAULT_TIMEZONE))
    jobs: tuple[JobSchedule, ...] = tuple(JobSchedule(n, c) for n, c in DEFAULT_CRONS.items())
    alerts: AlertSettings = field(default_factory=AlertSettings)
    lease_hours: float = 6.0
    source: str = "defaults"

    def enabled_jobs(self) -> list[JobSchedule]:
        """Return the jobs that fire."""
        return [job for job in self.jobs if job.enabled]


def default_config_path() -> Path | None:
    """Return $PROCUREMENT_SCHEDULER_CONFIG, or var/instance/scheduler.yaml when it exists."""
    if os.environ.get(ENV_CONFIG):
        return Path(os.environ[ENV_CONFIG])
    path = data_dir() / "instance" / "scheduler.yaml"
    return path if path.is_file() else None


def load_config(
    path: str | Path | None = None, known_jobs: set[str] | None = None
) -> SchedulerConfig:
    """Load a configuration file (or the default one, or the defaults); refuse a bad one."""
    source = Path(path) if path else default_config_path()
    if source is None:
        return SchedulerConfig()
    data = read_yaml(source, ConfigError, "scheduler configuration")
    return parse_config(data or {}, str(source), known_jobs)


def parse_config(data: Any, source: str, known_jobs: set[str] | None = None) -> SchedulerConfig:
    """Validate a configuration's parsed YAML and build it."""
    where = _Where(source)
    mapping = where.mapping("", data, _TOP_KEYS)
    name = where.typed("timezone", mapping.get("timezone", DEFAULT_TIMEZONE), str)
    try:
        timezone = ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(f"{source}: key 'timezone': unknown time zone {name!r}") from None
    lease = where.number("lease_hours", mapping.get("lease_hours", 6))
    if lease <= 0:
        raise ConfigError(f"{source}: key 'lease_hours': must be more than 0")
    jobs = _jobs(where, mapping.get("jobs"), timezone, known_jobs)
    alerts = _alerts(where, mapping.get("alerts"))
    return SchedulerConfig(timezone, jobs, alerts, float(lease), source)


def _jobs(
    where: _Where, data: Any, timezone: ZoneInfo, known: set[str] | None
) -> tuple[JobSchedule, ...]:
    entries = dict(DEFAULT_CRONS)
    given = where.mapping("jobs", data or {}, None)
    schedules = {n: JobSchedule(n, c) for n, c in entries.items()}
    for name, entry in given.items():
        key = f"jobs.{name}"
        if known is not None and name not in known:
            raise ConfigError(
                f"{where.source}: key '{key}': unknown job (known: {', '.join(sorted(known))})"
            )
        fields = where.mapping(key, entry or {}, _JOB_KEYS)
        cron = where.typed(f"{key}.cron", fields.get("cron", entries.get(name)), str)
        enabled = where.typed(f"{key}.enabled", fields.get("enabled", True), bool)
        try:
            CronTrigger.from_crontab(cron, timezone=timezone)
        except (ValueError, TypeError) as exc:
            raise ConfigError(f"{where.source}: key '{key}.cron': {exc}") from None
        schedules[name] = JobSchedule(name, cron, enabled)
    return tuple(schedules.values())


def _alerts(where: _Where, data: Any) -> AlertSettings:
    fields = where.mapping("alerts", data or {}, _ALERT_KEYS)
    severities = tuple(where.typed("alerts.severities", fields.get("severities", ["high"]), list))
    for severity in severities:
        if severity not in SEVERITIES:
            raise ConfigError(
                f"{where.source}: key 'alerts.severities': {severity!r} is not one of "
                f"{', '.join(SEVERITIES)}"
            )
    base_url = where.typed("alerts.base_url", fields.get("base_url", AlertSettings.base_url), str)
    smtp = _smtp(where, fields["smtp"]) if fields.get("smtp") else None
    webhook = None
    if fields.get("webhook"):
        hook = where.mapping("alerts.webhook", fields["webhook"], _WEBHOOK_KEYS)
        url = where.required("alerts.webhook", hook, "url", str)
        if not url.startswith(("http://", "https://")):
            raise where.fail("alerts.webhook.url", f"expected an http(s) URL, got {url!r}")
        timeout = where.number("alerts.webhook.timeout", hook.get("timeout", 10))
        webhook = WebhookSettings(url, float(timeout))
    return AlertSettings(smtp, webhook, base_url.rstrip("/"), severities)


def _smtp(where: _Where, data: Any) -> SmtpSettings:
    key = "alerts.smtp"
    fields = where.mapping(key, data, _SMTP_KEYS)
    host = where.required(key, fields, "host", str)
    sender = where.required(key, fields, "from", str)
    to = fields.get("to")
    recipients = [to] if isinstance(to, str) else where.typed(f"{key}.to", to or [], list)
    if not recipients or not all(isinstance(r, str) for r in recipients):
        raise ConfigError(f"{where.source}: key '{key}.to': give one or more e-mail addresses")
    ssl = where.typed(f"{key}.ssl", fields.get("ssl", False), bool)
    starttls = where.typed(f"{key}.starttls", fields.get("starttls", False), bool)
    port = where.typed(f"{key}.port", fields.get("port", 465 if ssl else 25), int)
    password = fields.get("password") or os.environ.get(ENV_SMTP_PASSWORD) or None
    return SmtpSettings(
        host=host,
        to=tuple(recipients),
        sender=sender,
        port=port,
        username=where.typed(f"{key}.username", fields.get("username"), str, optional=True),
        password=where.typed(f"{key}.password", password, str, optional=True),
        starttls=starttls,
        ssl=ssl,
        timeout=float(where.number(f"{key}.timeout", fields.get("timeout", 30))),
    )


@dataclass(frozen=True)
class _Where:
    """Checks that name the file and key of whatever they refuse."""

    source: str

    def fail(self, key: str, sentence: str) -> ConfigError:
        return ConfigError(f"{self.source}: key '{key}': {sentence}")

    def mapping(self, key: str, data: Any, known: set[str] | None) -> Mapping[str, Any]:
        if not isinstance(data, Mapping):
            raise ConfigError(f"{self.source}: {f'key {key!r}' if key else 'the file'} "
                              "must be a mapping")  # fmt: skip
        for name in data:
            if known is not None and name not in known:
                full = f"{key}.{name}" if key else str(name)
                raise self.fail(full, f"unknown key (known: {', '.join(sorted(known))})")
        return data

    def typed(self, key: str, value: Any, kind: type, optional: bool = False) -> Any:
        if value is None and optional:
            return None
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            raise self.fail(key, f"expected {kind.__name__}, got {value!r}")
        return value

    def number(self, key: str, value: Any) -> float:
        if not isinstance(value, int | float) or isinstance(value, bool):
            raise self.fail(key, f"expected a number, got {value!r}")
        return float(value)

    def required(self, key: str, fields: Mapping[str, Any], name: str, kind: type) -> Any:
        if fields.get(name) is None:
            raise self.fail(f"{key}.{name}", "missing")
        return self.typed(f"{key}.{name}", fields[name], kind)
