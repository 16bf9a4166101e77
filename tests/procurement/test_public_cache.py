"""The public aggregates' cache: one computation per data version, even for a crowd."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

from sqlalchemy.orm import Session, sessionmaker

from procurement.services import public_cache


def test_a_crowd_arriving_together_waits_for_one_computation(
    sessions: sessionmaker[Session],
) -> None:
    public_cache.clear()
    calls: list[int] = []
    lock = threading.Lock()

    def compute() -> int:
        with lock:
            calls.append(1)
        time.sleep(0.3)  # long enough for every request of the crowd to arrive
        return 42

    def request(_: int) -> int:
        with sessions() as session:
            return public_cache.cached(session, ("crowd",), compute)

    with ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(request, range(8)))
    assert answers == [42] * 8
    assert len(calls) == 1
