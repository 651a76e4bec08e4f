"""Start-up benchmark: wall time of `freshet -e "SELECT 1;"`, median of N runs (default 5).

Run: python -m engine.bench.startup [runs]. Prints each run and the median; the target is < 0.5 s.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time


def measure(runs: int = 5) -> list[float]:
    times = []
    cmd = [sys.executable, "-m", "sql_client.cli", "-e", "SELECT 1;"]
    # an installed package has its bytecode cached; a shell with PYTHONDONTWRITEBYTECODE set
    # would measure compiling every module instead
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    subprocess.run(cmd, capture_output=True, check=True, env=env)  # warm the bytecode cache
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(cmd, capture_output=True, check=True, env=env)
        times.append(time.perf_counter() - start)
    return times


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    times = measure(runs)
    for i, t in enumerate(times, 1):
        print(f"run {i}: {t:.3f} s")
    print(f"median of {runs}: {statistics.median(times):.3f} s  (target < 0.500 s)")


if __name__ == "__main__":
    main()
