"""What the scheduler tests share: a configuration, counting jobs and stock flags made by hand.

The STK rules are not needed: a fake job stores findings through the engine's `store_outcome`,
exactly as a rule's run would, so the alerts see real flags with the evidence the STK rules
write (facility, product code and name, period).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from procurement.models.schedule import JobRun
from procurement.scheduler.config import AlertSettings, JobSchedule, SchedulerConfig
from procurement.scheduler.jobs import JobContext
from rules.engine.flags import store_outcome
from rules.engine.result import Finding, RuleOutcome
from rules.engine.runner import RuleReport

HCM = ZoneInfo("Asia/Ho_Chi_Minh")
NAM_DAN = "Trung tâm Y tế huyện Nam Đàn"


def config(alerts: AlertSettings | None = None, **crons: str) -> SchedulerConfig:
    """Return a configuration with these jobs (name=cron) in Ho Chi Minh time."""
    jobs = tuple(JobSchedule(name, cron) for name, cron in crons.items())
    return SchedulerConfig(HCM, jobs, alerts or AlertSettings(), 6.0, "test")


@dataclass
class CountingJob:
    """A job that only counts its calls and the day each was for."""

    days: list[date] = field(default_factory=list)

    def __call__(self, session: Session, context: JobContext) -> Sequence[RuleReport]:
        self.days.append(context.as_of)
        return [RuleReport("STK-01", "high", new=2, unchanged=1, closed=1)]


def failing_job(session: Session, context: JobContext) -> Sequence[RuleReport]:
    """A job whose data is broken."""
    raise ZeroDivisionError("months of stock over no consumption")


def stock_finding(code: str, name: str, facility: str = NAM_DAN, **extra: Any) -> Finding:
    """Return a stock finding about one product of one facility in October 2026."""
    evidence = {
        "facility": facility,
        "product_code": code,
        "product_name": name,
        "item_key": f"code:{code.lower()}",
        "period": "2026-10-01",
        **extra,
    }
    return Finding(
        "stock_item",
        f"{facility}|{code}",
        0.0,
        None,
        "stock-out",
        evidence,
        f"{name} is out of stock at {facility} in October 2026",
        f"{name} hết hàng tại {facility} tháng 10/2026",
        year=2026,
    )


@dataclass
class FlagJob:
    """A job that stores the given findings per rule, like the rules engine would."""

    findings: dict[tuple[str, str], list[Finding]]  # (code, severity) -> findings

    def __call__(self, session: Session, context: JobContext) -> Sequence[RuleReport]:
        reports = []
        for (code, severity), found in self.findings.items():
            outcome = RuleOutcome(list(found), evaluated=len(found))
            counts = store_outcome(session, code, 1, severity, None, outcome)
            reports.append(
                RuleReport(
                    code, severity, len(found), new=counts.new, unchanged=counts.unchanged,
                    updated=counts.updated, closed=counts.closed,
                )
            )  # fmt: skip
        return reports


def runs(sessions: sessionmaker[Session], job: str | None = None) -> list[JobRun]:
    """Return the recorded runs in order (of one job if named)."""
    query = select(JobRun).order_by(JobRun.id)
    if job is not None:
        query = query.where(JobRun.job == job)
    with sessions() as session:
        return list(session.scalars(query))
