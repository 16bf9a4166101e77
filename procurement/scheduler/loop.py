"""The scheduler's loop: APScheduler's cron triggers for the fire times, our loop for the rest.

Why not APScheduler's BlockingScheduler: its clock cannot be controlled, so a test of "fires at
06:00, not again at 06:00:30, again tomorrow" would have to sleep or patch its internals; and
its memory job store forgets, at each restart, the runs missed while the process was down (a
database job store would remember the job, not which fire times ran). Both guarantees the issue
asks for, a missed run caught up once and each fire time run once across schedulers, need the
database (`job_run`, unique per job and fire time, checked under the job's lock) anyway. So we
keep APScheduler's `CronTrigger`, which knows cron and time zones and daylight saving, and
write the twenty lines of loop around it: ask the injected clock the time, run what is due,
sleep until the next fire time (at most a minute, so SIGTERM is noticed promptly even if the
sleep is not woken).
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Callable
from datetime import date, datetime, timedelta
from types import FrameType
from typing import Any

from apscheduler.triggers.cron import CronTrigger

from procurement.models.schedule import CATCH_UP, SCHEDULED
from procurement.scheduler.clock import Clock, SystemClock
from procurement.scheduler.lock import LockBusy
from procurement.scheduler.runs import JobRunner, RunResult, error_text

MAX_SLEEP = 60.0
BUSY, ERROR = "busy", "error"  # another process had the lock; the database could not be reached
_LOOKBACKS = (timedelta(hours=2), timedelta(days=1), timedelta(days=8), timedelta(days=32),
              timedelta(days=367))  # fmt: skip


def latest_fire_time(trigger: CronTrigger, now: datetime) -> datetime | None:
    """Return the trigger's last fire time at or before `now` (None if none in a year).

    CronTrigger only looks forward, so step forward from a little while back, widening the
    window until it holds a fire time.
    """
    for lookback in _LOOKBACKS:
        latest, moment = None, trigger.get_next_fire_time(None, now - lookback)
        while moment is not None and moment <= now:
            latest, moment = moment, trigger.get_next_fire_time(moment, moment)
        if latest is not None:
            return latest
    return None


class Scheduler:
    """Fires the configured jobs at their cron times, each fire time once across processes."""

    def __init__(
        self,
        runner: JobRunner,
        clock: Clock | None = None,
        echo: Callable[[str], Any] | None = None,
    ) -> None:
        self.runner = runner
        self.clock: Clock = clock or SystemClock()
        self.echo = echo or (lambda _line: None)
        self.timezone = runner.config.timezone
        self.triggers = {
            job.name: job.trigger(self.timezone) for job in runner.config.enabled_jobs()
        }
        now = self.clock.now()
        self.next_fire: dict[str, datetime | None] = {
            name: trigger.get_next_fire_time(None, now) for name, trigger in self.triggers.items()
        }
        self._stop = threading.Event()

    def catch_up(self) -> list[RunResult]:
        """Run, once, each job's latest fire time that passed without a recorded run."""
        now = self.clock.now()
        results = []
        for name, trigger in self.triggers.items():
            missed = latest_fire_time(trigger, now)
            self.next_fire[name] = trigger.get_next_fire_time(None, now + timedelta(microseconds=1))
            if missed is not None and not self._ran(name, missed):
                results.append(self._run(name, CATCH_UP, missed))
        return results

    def tick(self, now: datetime | None = None) -> list[RunResult]:
        """Run the jobs whose fire time has come; several passed fire times make one run."""
        now = now or self.clock.now()
        results = []
        for name, trigger in self.triggers.items():
            due = self.next_fire[name]
            if due is None or due > now:
                continue
            fire = latest_fire_time(trigger, now) or due
            self.next_fire[name] = trigger.get_next_fire_time(None, now + timedelta(microseconds=1))
            results.append(self._run(name, SCHEDULED, fire))
        return results

    def run_forever(self) -> None:
        """Catch up, then tick and sleep until stopped (SIGTERM, SIGINT or `stop()`)."""
        restore = self._handle_signals()
        try:
            self.catch_up()
            while not self._stop.is_set():
                self.tick()
                self.clock.sleep(self.seconds_to_next(), self._stop)
        finally:
            restore()

    def stop(self) -> None:
        """Ask the loop to end after the run in progress, if any."""
        self._stop.set()

    def seconds_to_next(self) -> float:
        """Return how long to sleep: until the next fire time, but never more than a minute."""
        upcoming = [moment for moment in self.next_fire.values() if moment is not None]
        if not upcoming:
            return MAX_SLEEP
        wait = (min(upcoming) - self.clock.now()).total_seconds()
        return min(MAX_SLEEP, max(0.0, wait))

    def today(self) -> date:
        """Return the clock's date in the scheduler's time zone: the day the checks judge for."""
        return self.clock.now().astimezone(self.timezone).date()

    def _ran(self, name: str, fire: datetime) -> bool:
        try:
            return self.runner.already_ran(name, fire)
        except Exception:  # the run itself will meet the same database error and report it
            return False

    def _run(self, name: str, trigger: str, fire: datetime) -> RunResult:
        """Run one job; whatever goes wrong is reported and the loop goes on."""
        try:
            result = self.runner.run(name, trigger, fire, self.today())
        except LockBusy as busy:
            result = RunResult(name, trigger, fire, BUSY, error=busy.sentence(self.timezone))
            self.echo(f"{name} ({trigger}): skipped, {result.error}")
            return result
        except Exception as exc:  # the database is down, the lock table is missing, ...
            result = RunResult(name, trigger, fire, ERROR, error=error_text(exc))
            self.echo(f"{name} ({trigger}): could not run: {type(exc).__name__}: {exc}")
            return result
        self.echo(result.line(self.timezone))
        return result

    def _handle_signals(self) -> Callable[[], None]:
        """Stop cleanly on SIGTERM and SIGINT (only the main thread may install handlers)."""
        if threading.current_thread() is not threading.main_thread():
            return lambda: None

        def handler(_signum: int, _frame: FrameType | None) -> None:
            self.stop()

        previous = {sig: signal.signal(sig, handler) for sig in (signal.SIGTERM, signal.SIGINT)}

        def restore() -> None:
            for sig, old in previous.items():
                signal.signal(sig, old)

        return restore
