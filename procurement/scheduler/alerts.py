"""Alerts: the stock flags a run opened, sent as one digest by e-mail and to a webhook.

One message per run, never one per flag: a district that runs out of twelve products must get
one e-mail listing twelve lines, not twelve e-mails. Each channel is optional and fails on its
own: an SMTP server that is down is written into the run's record ("e-mail failed: ...") and
the webhook is still tried; the run itself still succeeds, because the flags are stored and the
review queue shows them whether or not the message went out.
"""

from __future__ import annotations

import html
import json
import smtplib
import ssl
import urllib.request
from collections import Counter
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from procurement.models import Buyer, Flag, FlagHistory
from procurement.models.flag import OPEN
from procurement.scheduler.config import AlertSettings, SmtpSettings, WebhookSettings

FAMILIES = ("STK",)
# How the subject line counts each rule's flags: "9 stock-outs, 3 projected".
LABELS: dict[str, tuple[str, str]] = {
    "STK-01": ("stock-out", "stock-outs"),
    "STK-02": ("below emergency order point", "below emergency order point"),
    "STK-03": ("below minimum", "below minimum"),
    "STK-04": ("projected", "projected"),
    "STK-05": ("overstock or expiry risk", "overstock or expiry risks"),
    "STK-06": ("under-delivery", "under-deliveries"),
    "STK-07": ("single source", "single sources"),
    "STK-08": ("balance error", "balance errors"),
}


@dataclass(frozen=True)
class AlertFlag:
    """One line of the digest: a flag with the facility and product it is about."""

    id: int
    rule: str
    severity: str
    facility: str | None
    product_code: str | None
    product_name: str | None
    period: str | None
    message_en: str
    message_vi: str
    url: str


@dataclass(frozen=True)
class Digest:
    """The flags of one run, ready to be written as an e-mail or a JSON body."""

    flags: list[AlertFlag]
    generated_at: datetime

    @property
    def subject(self) -> str:
        """Return e.g. "[Procurement Monitor] 12 new stock alerts: 9 stock-outs, 3 projected"."""
        counts = Counter(flag.rule for flag in self.flags)
        parts = []
        for rule, count in sorted(counts.items()):
            one, many = LABELS.get(rule, (rule, rule))
            parts.append(f"{count} {one if count == 1 else many}")
        noun = "alert" if len(self.flags) == 1 else "alerts"
        return f"[Procurement Monitor] {len(self.flags)} new stock {noun}: {', '.join(parts)}"

    def by_rule(self) -> list[tuple[str, list[AlertFlag]]]:
        """Return the flags grouped by rule, in code order."""
        groups: dict[str, list[AlertFlag]] = {}
        for flag in self.flags:
            groups.setdefault(flag.rule, []).append(flag)
        return sorted(groups.items())

    def text(self) -> str:
        """Return the plain-text body."""
        lines = [self.subject.removeprefix("[Procurement Monitor] ").capitalize(), ""]
        for rule, flags in self.by_rule():
            lines += [f"{rule} {rule_title(rule)} ({len(flags)})", ""]
            for flag in flags:
                lines.append(f"- {_where(flag)}")
                lines.append(f"  {flag.message_vi}")
                lines.append(f"  {flag.message_en}")
                lines.append(f"  {flag.url}")
            lines.append("")
        return "\n".join(lines)

    def html(self) -> str:
        """Return the HTML alternative: one table per rule."""
        e = html.escape
        parts = [f"<h2>{e(self.subject.removeprefix('[Procurement Monitor] '))}</h2>"]
        for rule, flags in self.by_rule():
            parts.append(f"<h3>{e(rule)} {e(rule_title(rule))} ({len(flags)})</h3>")
            parts.append(
                "<table border='1' cellpadding='4' cellspacing='0'><tr><th>Cơ sở / Facility</th>"
                "<th>Mã / Code</th><th>Sản phẩm / Product</th><th>Kỳ / Period</th>"
                "<th>Nội dung / Message</th><th></th></tr>"
            )
            for f in flags:
                parts.append(
                    f"<tr><td>{e(f.facility or '')}</td><td>{e(f.product_code or '')}</td>"
                    f"<td>{e(f.product_name or '')}</td><td>{e(f.period or '')}</td>"
                    f"<td>{e(f.message_vi)}<br><i>{e(f.message_en)}</i></td>"
                    f"<td><a href='{e(f.url)}'>#{f.id}</a></td></tr>"
                )
            parts.append("</table>")
        return "<html><body>" + "\n".join(parts) + "</body></html>"

    def payload(self) -> dict[str, Any]:
        """Return the webhook's JSON body."""
        return {
            "generated_at": self.generated_at.isoformat(),
            "count": len(self.flags),
            "flags": [asdict(flag) for flag in self.flags],
        }


def rule_title(code: str) -> str:
    """Return the rule's English title, or nothing if the rule is not registered."""
    from rules.engine.registry import REGISTRY

    spec = REGISTRY.get(code)
    return spec.title_en if spec is not None else ""


def new_flags(
    session: Session, since: datetime, settings: AlertSettings, families: Iterable[str] = FAMILIES
) -> list[AlertFlag]:
    """Return the open flags of these families and severities opened at or after `since`.

    A flag that closed when stock recovered and reopened in this run counts as new: the
    facility has run out again, and that is news.
    """
    reopened = select(FlagHistory.flag_id).where(
        FlagHistory.event == "reopened", FlagHistory.at >= since
    )
    query = (
        select(Flag, Buyer.name)
        .outerjoin(Buyer, Flag.buyer_id == Buyer.id)
        .where(
            or_(Flag.first_seen >= since, Flag.id.in_(reopened)),
            Flag.family.in_(list(families)),
            Flag.severity.in_(list(settings.severities)),
            Flag.status == OPEN,
        )
        .order_by(Flag.rule, Flag.id)
    )
    return [_alert_flag(flag, buyer, settings.base_url) for flag, buyer in session.execute(query)]


def _alert_flag(flag: Flag, buyer: str | None, base_url: str) -> AlertFlag:
    evidence = flag.evidence or {}

    def text(key: str) -> str | None:
        value = evidence.get(key)
        return None if value is None else str(value)

    return AlertFlag(
        id=flag.id,
        rule=flag.rule,
        severity=flag.severity,
        facility=text("facility") or buyer,
        product_code=text("product_code"),
        product_name=text("product_name"),
        period=text("period"),
        message_en=flag.message_en,
        message_vi=flag.message_vi,
        url=f"{base_url}/review/flags/{flag.id}",
    )


def send_alerts(session: Session, settings: AlertSettings, since: datetime) -> str | None:
    """Send the digest of the flags opened since `since`; return what happened, for the record.

    Returns None when there was nothing to send. Never raises: a failure is a sentence.
    """
    flags = new_flags(session, since, settings)
    if not flags:
        return None
    digest = Digest(flags, datetime.now(UTC))
    outcomes = []
    if settings.smtp is not None:
        outcomes.append(_attempt("e-mail", lambda: send_email(settings.smtp, digest)))  # type: ignore[arg-type]
    if settings.webhook is not None:
        outcomes.append(_attempt("webhook", lambda: post_webhook(settings.webhook, digest)))  # type: ignore[arg-type]
    return "; ".join(outcomes) or None


def _attempt(channel: str, send: Any) -> str:
    try:
        return f"{channel} {send()}"
    except Exception as exc:  # any failure to send is the record's news, not the run's
        return f"{channel} failed: {type(exc).__name__}: {exc}"


def send_email(settings: SmtpSettings, digest: Digest) -> str:
    """Send the digest as one e-mail (plain text and HTML); return "sent to N (M flags)"."""
    message = EmailMessage()
    message["Subject"] = digest.subject
    message["From"] = settings.sender
    message["To"] = ", ".join(settings.to)
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain=settings.sender.rpartition("@")[2] or None)
    message.set_content(digest.text())
    message.add_alternative(digest.html(), subtype="html")
    if settings.ssl:
        client: smtplib.SMTP = smtplib.SMTP_SSL(
            settings.host, settings.port, timeout=settings.timeout
        )
    else:
        client = smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout)
    with client:
        if settings.starttls and not settings.ssl:
            client.starttls(context=ssl.create_default_context())
        if settings.username:
            client.login(settings.username, settings.password or "")
        client.send_message(message)
    return f"sent to {len(settings.to)} recipient(s) ({len(digest.flags)} flags)"


def post_webhook(settings: WebhookSettings, digest: Digest) -> str:
    """POST the digest as JSON; return "sent (HTTP 200, M flags)"; an HTTP error raises."""
    body = json.dumps(digest.payload(), ensure_ascii=False).encode("utf-8")
    request = urllib.request.Request(
        settings.url,
        data=body,
        method="POST",
        headers={"Content-Type": "application/json; charset=utf-8"},
    )
    with urllib.request.urlopen(request, timeout=settings.timeout) as response:
        status = response.status
    return f"sent (HTTP {status}, {len(digest.flags)} flags)"


def _where(flag: AlertFlag) -> str:
    product = " ".join(p for p in (flag.product_code, flag.product_name) if p)
    parts = [p for p in (flag.facility, product, flag.period) if p]
    return " | ".join(parts) or f"flag #{flag.id}"
