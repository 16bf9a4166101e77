"""Import one file into a fresh SQLite database in this process and report time and peak memory.

Run as a separate process by the benchmarks, so each measurement's peak resident memory
(ru_maxrss) belongs to that import alone.
"""

from __future__ import annotations

import json
import resource
import sys
import time
from pathlib import Path

from importers.run import import_file
from procurement.db import session_factory
from procurement.migrate import upgrade


def measure(path: Path, database: Path) -> dict[str, object]:
    """Import `path` into a new database file; return lines, seconds, peak RSS and readers."""
    for suffix in ("", "-wal", "-shm"):
        Path(f"{database}{suffix}").unlink(missing_ok=True)
    url = f"sqlite:///{database}"
    upgrade(url)
    started = time.perf_counter()
    outcome = import_file(path, session_factory(url))
    seconds = time.perf_counter() - started
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {
        "status": outcome.status,
        "accepted": outcome.tally.accepted,
        "rejected": outcome.tally.rejected,
        "seconds": seconds,
        "peak_mib": peak_kib / 1024,
        "readers": sorted({s.reader or "" for s in outcome.sheets}),
    }


if __name__ == "__main__":
    print(json.dumps(measure(Path(sys.argv[1]), Path(sys.argv[2]))))
