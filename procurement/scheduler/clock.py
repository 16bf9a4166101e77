"""The scheduler's sense of time, injectable so a test drives a day in microseconds.

The loop asks a clock for the time and asks it to sleep; it never calls `datetime.now()` or
`time.sleep()` itself. The system clock sleeps on an event, so a stop request (SIGTERM) wakes
it at once; a manual clock moves its hands instead of waiting.
"""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from typing import Protocol


class Clock(Protocol):
    """What the scheduler needs from time."""

    def now(self) -> datetime:
        """Return the current time, timezone-aware."""
        ...

    def sleep(self, seconds: float, wake: threading.Event) -> None:
        """Wait this long, or less if `wake` is set."""
        ...


class SystemClock:
    """Real time."""

    def now(self) -> datetime:
        """Return the current time in UTC."""
        return datetime.now(UTC)

    def sleep(self, seconds: float, wake: threading.Event) -> None:
        """Wait on the event, so a signal handler that sets it ends the wait."""
        wake.wait(max(0.0, seconds))


class ManualClock:
    """A clock whose time moves only when told to (or when the scheduler sleeps on it)."""

    def __init__(self, start: datetime) -> None:
        if start.tzinfo is None:
            raise ValueError("a clock's time must carry a time zone")
        self.current = start
        self.slept: list[float] = []

    def now(self) -> datetime:
        """Return the clock's time."""
        return self.current

    def set(self, moment: datetime) -> None:
        """Move the hands to this moment."""
        self.current = moment

    def advance(self, **delta: float) -> datetime:
        """Move the hands forward, e.g. advance(minutes=1); return the new time."""
        self.current += timedelta(**delta)
        return self.current

    def sleep(self, seconds: float, wake: threading.Event) -> None:
        """Record the sleep and jump ahead by it, unless the scheduler is stopping."""
        self.slept.append(seconds)
        if not wake.is_set():
            self.current += timedelta(seconds=seconds)
