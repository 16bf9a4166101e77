"""The scheduler's configuration file: defaults, the alert settings, and strict refusals."""

from __future__ import annotations

from pathlib import Path

import pytest

from procurement.scheduler.config import ConfigError, load_config


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "scheduler.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_without_a_file_stock_runs_at_six_and_the_full_pack_at_one_in_vietnam(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PROCUREMENT_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("PROCUREMENT_SCHEDULER_CONFIG", raising=False)
    config = load_config()
    assert config.timezone.key == "Asia/Ho_Chi_Minh"
    assert [(j.name, j.cron, j.enabled) for j in config.jobs] == [
        ("stock", "0 6 * * *", True),
        ("full", "0 1 * * *", True),
    ]
    assert config.lease_hours == 6 and not config.alerts.any_channel


def test_the_instance_file_sets_jobs_and_alerts_and_the_password_comes_from_the_env(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PROCUREMENT_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("PROCUREMENT_SCHEDULER_CONFIG", raising=False)
    monkeypatch.setenv("PROCUREMENT_SMTP_PASSWORD", "s3cret")
    (tmp_path / "instance").mkdir()
    _write(
        tmp_path / "instance",
        "timezone: Asia/Bangkok\n"
        "lease_hours: 2\n"
        "jobs:\n  stock: {cron: '30 5 * * 1-5'}\n  full: {enabled: false}\n"
        "alerts:\n"
        "  base_url: https://monitor.example.vn/\n"
        "  severities: [high, medium]\n"
        "  smtp: {host: smtp.example.vn, port: 587, starttls: true, username: alerts,\n"
        "         from: alerts@example.vn, to: duoc@soyte.example.vn}\n"
        "  webhook: {url: 'https://chat.example.vn/hooks/abc', timeout: 5}\n",
    )
    config = load_config()
    assert config.timezone.key == "Asia/Bangkok" and config.lease_hours == 2
    assert [(j.name, j.cron) for j in config.enabled_jobs()] == [("stock", "30 5 * * 1-5")]
    smtp = config.alerts.smtp
    assert smtp is not None
    assert (smtp.host, smtp.port, smtp.starttls, smtp.username, smtp.password) == (
        "smtp.example.vn",
        587,
        True,
        "alerts",
        "s3cret",
    )
    assert smtp.to == ("duoc@soyte.example.vn",) and smtp.sender == "alerts@example.vn"
    assert config.alerts.webhook is not None and config.alerts.webhook.timeout == 5
    assert config.alerts.base_url == "https://monitor.example.vn"
    assert config.alerts.severities == ("high", "medium")


@pytest.mark.parametrize(
    ("text", "sentence"),
    [
        ("alerts:\n  severites: [high]\n", "key 'alerts.severites': unknown key"),
        ("jobs:\n  stock: {cron: '0 25 * * *'}\n", "key 'jobs.stock.cron': "),
        ("jobs:\n  weekly: {cron: '0 6 * * 1'}\n", "key 'jobs.weekly': unknown job"),
        ("timezone: Asia/Hanoi\n", "key 'timezone': unknown time zone 'Asia/Hanoi'"),
        ("alerts:\n  smtp: {host: x}\n", "key 'alerts.smtp.from': missing"),
        ("alerts:\n  webhook: {url: 'file:///etc/passwd'}\n", "key 'alerts.webhook.url'"),
        ("alerts:\n  severities: [urgent]\n", "'urgent' is not one of low, medium, high"),
        ("lease_hours: 0\n", "key 'lease_hours': must be more than 0"),
    ],
    ids=[
        "misspelt-key",
        "bad-cron",
        "unknown-job",
        "unknown-zone",
        "smtp-without-from",
        "webhook-not-http",
        "unknown-severity",
        "no-lease",
    ],
)
def test_a_bad_file_is_refused_naming_the_file_and_key(
    tmp_path: Path, text: str, sentence: str
) -> None:
    path = _write(tmp_path, text)
    with pytest.raises(ConfigError) as refused:
        load_config(path, known_jobs={"stock", "full"})
    assert str(refused.value).startswith(f"{path}: ")
    assert sentence in str(refused.value)
