"""Alerts against a local SMTP server and a local HTTP receiver, both on loopback.

The job stores flags through the engine's store_outcome, as the STK rules would: two
stock-outs and one projected stock-out (high), one below-minimum (medium, not alerted) and one
high price flag (not a stock flag, not alerted).
"""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Iterator
from datetime import date
from email import message_from_bytes, policy
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from procurement.models import Flag
from procurement.models.schedule import MANUAL, SUCCEEDED
from procurement.scheduler.config import AlertSettings, SmtpSettings, WebhookSettings
from procurement.scheduler.jobs import JOBS
from procurement.scheduler.runs import JobRunner
from rules.engine.result import Finding
from tests.procurement.scheduler_world import FlagJob, config, runs, stock_finding

BASE = "https://monitor.example.vn"
HUNG_NGUYEN = "Bệnh viện huyện Hưng Nguyên"
PRICE = Finding("award_line", "7", 420.0, 400.0, "above-plan", {}, "price", "giá", year=2026)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class _Inbox:
    """aiosmtpd handler: keep every message received."""

    def __init__(self) -> None:
        self.messages: list[tuple[str, list[str], EmailMessage]] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        message: Any = message_from_bytes(envelope.original_content, policy=policy.default)
        self.messages.append((envelope.mail_from, list(envelope.rcpt_tos), message))
        return "250 Message accepted for delivery"


@pytest.fixture
def inbox() -> Iterator[tuple[_Inbox, int]]:
    handler, port = _Inbox(), _free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    yield handler, port
    controller.stop()


@pytest.fixture
def receiver() -> Iterator[tuple[list[dict[str, Any]], str]]:
    received: list[dict[str, Any]] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers["Content-Length"])
            received.append(
                {
                    "type": self.headers["Content-Type"],
                    "body": json.loads(self.rfile.read(length).decode("utf-8")),
                }
            )
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield received, f"http://127.0.0.1:{server.server_port}/hooks/stock"
    server.shutdown()
    server.server_close()
    thread.join()


def _smtp(port: int) -> SmtpSettings:
    return SmtpSettings(
        "127.0.0.1",
        ("duoc@soyte.example.vn", "kho@soyte.example.vn"),
        "alerts@monitor.example.vn",
        port,
        timeout=10,
    )


@pytest.fixture
def stock_job(monkeypatch: pytest.MonkeyPatch) -> FlagJob:
    job = FlagJob(
        {
            ("STK-01", "high"): [
                stock_finding("PARA500", "Paracetamol 500 mg"),
                stock_finding(
                    "AMOX250", "Amoxicillin 250 mg", facility="Bệnh viện huyện Hưng Nguyên"
                ),
            ],
            ("STK-04", "high"): [stock_finding("BCG", "Vắc xin BCG", stockout_month="2026-12")],
            ("STK-03", "medium"): [stock_finding("ORS", "Oresol 245")],
            ("PRC-01", "high"): [PRICE],
        }
    )
    monkeypatch.setitem(JOBS, "stock", job)
    return job


def _run(sessions: sessionmaker[Session], alerts: AlertSettings) -> Any:
    runner = JobRunner(sessions, config(alerts, stock="0 6 * * *"))
    return runner.run("stock", MANUAL, None, date(2026, 11, 24))


def test_one_digest_by_email_and_webhook_lists_the_new_high_stock_flags(
    sessions: sessionmaker[Session],
    stock_job: FlagJob,
    inbox: tuple[_Inbox, int],
    receiver: tuple[list[dict[str, Any]], str],
) -> None:
    handler, port = inbox
    received, url = receiver
    alerts = AlertSettings(_smtp(port), WebhookSettings(url, 10), BASE, ("high",))
    result = _run(sessions, alerts)
    assert result.status == SUCCEEDED and result.new == 5
    [(sender, recipients, message)] = handler.messages
    assert sender == "alerts@monitor.example.vn"
    assert recipients == ["duoc@soyte.example.vn", "kho@soyte.example.vn"]
    assert message["Subject"] == (
        "[Procurement Monitor] 3 new stock alerts: 2 stock-outs, 1 projected"
    )
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    with sessions() as session:
        ids = {key: id_ for key, id_ in session.execute(select(Flag.subject_key, Flag.id))}
    para = ids["Trung tâm Y tế huyện Nam Đàn|PARA500"]
    assert "- Trung tâm Y tế huyện Nam Đàn | PARA500 Paracetamol 500 mg | 2026-10-01" in text
    assert "Paracetamol 500 mg hết hàng tại Trung tâm Y tế huyện Nam Đàn tháng 10/2026" in text
    assert "Paracetamol 500 mg is out of stock at" in text
    assert f"{BASE}/review/flags/{para}" in text
    assert "Bệnh viện huyện Hưng Nguyên | AMOX250 Amoxicillin 250 mg" in text
    assert text.index("STK-01") < text.index("STK-04")  # grouped by rule
    assert "Oresol" not in text and "giá" not in text  # medium, and not a stock flag
    assert f"href='{BASE}/review/flags/{para}'" in html and "Vắc xin BCG" in html
    [post] = received
    assert post["type"] == "application/json; charset=utf-8"
    body = post["body"]
    assert body["count"] == 3 and body["generated_at"]
    assert body["flags"][0] == {
        "id": para,
        "rule": "STK-01",
        "severity": "high",
        "facility": "Trung tâm Y tế huyện Nam Đàn",
        "product_code": "PARA500",
        "product_name": "Paracetamol 500 mg",
        "period": "2026-10-01",
        "message_en": "Paracetamol 500 mg is out of stock at Trung tâm Y tế huyện Nam Đàn "
        "in October 2026",
        "message_vi": "Paracetamol 500 mg hết hàng tại Trung tâm Y tế huyện Nam Đàn tháng 10/2026",
        "url": f"{BASE}/review/flags/{para}",
    }
    assert [f["rule"] for f in body["flags"]] == ["STK-01", "STK-01", "STK-04"]
    [run] = runs(sessions)
    assert run.alerts == (
        "e-mail sent to 2 recipient(s) (3 flags); webhook sent (HTTP 204, 3 flags)"
    )


def test_no_new_flag_sends_nothing(
    sessions: sessionmaker[Session],
    stock_job: FlagJob,
    inbox: tuple[_Inbox, int],
    receiver: tuple[list[dict[str, Any]], str],
) -> None:
    handler, port = inbox
    received, url = receiver
    alerts = AlertSettings(_smtp(port), WebhookSettings(url, 10), BASE, ("high",))
    _run(sessions, alerts)
    second = _run(sessions, alerts)  # the same findings: every flag unchanged
    assert (second.status, second.new, second.unchanged) == (SUCCEEDED, 0, 5)
    assert len(handler.messages) == 1 and len(received) == 1
    assert runs(sessions)[-1].alerts is None


def test_an_smtp_server_that_is_down_is_recorded_and_the_run_still_succeeds(
    sessions: sessionmaker[Session],
    stock_job: FlagJob,
    receiver: tuple[list[dict[str, Any]], str],
) -> None:
    received, url = receiver
    alerts = AlertSettings(_smtp(_free_port()), WebhookSettings(url, 10), BASE, ("high",))
    result = _run(sessions, alerts)
    assert result.status == SUCCEEDED
    [run] = runs(sessions)
    assert run.status == SUCCEEDED and run.error is None
    assert run.alerts is not None
    assert run.alerts.startswith("e-mail failed: ConnectionRefusedError: ")
    assert run.alerts.endswith("; webhook sent (HTTP 204, 3 flags)")  # the other channel went
    assert received[0]["body"]["count"] == 3


def test_medium_flags_are_sent_when_the_settings_ask_for_them(
    sessions: sessionmaker[Session],
    stock_job: FlagJob,
    receiver: tuple[list[dict[str, Any]], str],
) -> None:
    received, url = receiver
    _run(sessions, AlertSettings(None, WebhookSettings(url, 10), BASE, ("high", "medium")))
    rules = [f["rule"] for f in received[0]["body"]["flags"]]
    assert rules == ["STK-01", "STK-01", "STK-03", "STK-04"]


def test_a_flag_that_reopens_is_news_again(
    sessions: sessionmaker[Session],
    stock_job: FlagJob,
    receiver: tuple[list[dict[str, Any]], str],
) -> None:
    received, url = receiver
    alerts = AlertSettings(None, WebhookSettings(url, 10), BASE, ("high",))
    _run(sessions, alerts)
    everything = dict(stock_job.findings)
    stock_job.findings = {key: [] for key in everything}  # stock recovered: all flags close
    _run(sessions, alerts)
    stock_job.findings = {("STK-01", "high"): everything[("STK-01", "high")][:1]}
    _run(sessions, alerts)  # Nam Đàn runs out of paracetamol again
    assert [post["body"]["count"] for post in received] == [3, 1]
    assert received[1]["body"]["flags"][0]["product_code"] == "PARA500"
