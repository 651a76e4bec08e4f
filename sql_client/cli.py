"""The `freshet` command: Flink's SQL client options (-f, -i, -D) plus our -e.

Start-up must stay well under half a second, so this module imports only the standard library at
module level; the engine is imported once there is a statement to run.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="freshet",
        description="Flink SQL without a JVM: an interactive shell, or a script in batch or streaming mode.",
    )
    p.add_argument("-f", "--file", help="run the statements of a SQL script and exit")
    p.add_argument(
        "-i",
        "--init",
        action="append",
        default=[],
        help="an init script (DDL, SET, RESET, USE only) run before the shell or -f script; repeatable",
    )
    p.add_argument(
        "-D",
        dest="defines",
        action="append",
        default=[],
        metavar="key=value",
        help="set a configuration key, e.g. -D execution.runtime-mode=batch; repeatable",
    )
    p.add_argument("-e", "--execute", help="run the statements given on the command line and exit")
    return p


def _read(path: str) -> str:
    try:
        return Path(path).read_text(encoding="utf-8")
    except OSError as e:
        raise SystemExit(f"[ERROR] Cannot read SQL file '{path}': {e.strerror}") from None


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    config_values: dict[str, str] = {}
    for item in args.defines:
        key, sep, value = item.partition("=")
        if not sep or not key:
            print(f"[ERROR] Invalid -D option '{item}': expected key=value", file=sys.stderr)
            return 2
        config_values[key.strip()] = value.strip()

    from engine.config import Configuration
    from engine.session import Session
    from sql_client.runner import run_text

    session = Session(Configuration(config_values))
    out = sys.stdout
    for init in args.init:
        for part in init.split(","):
            if not run_text(session, _read(part), out, init=True, source=part).ok:
                return 1
    if args.file is not None or args.execute is not None:
        text = _read(args.file) if args.file is not None else args.execute
        source = args.file if args.file is not None else "<command line>"
        try:
            if not run_text(session, text, out, source=source).ok:
                _cancel_jobs(session)
                return 1
            return _wait_for_jobs(session)
        except KeyboardInterrupt:
            _cancel_jobs(session)
            print("\n[INFO] Interrupted: running jobs were cancelled.", file=sys.stderr)
            return 130
    from sql_client.shell import run_shell

    return run_shell(session)


def _wait_for_jobs(session) -> int:
    """The jobs a script started run in this process: wait until they end (bounded sources) or
    until Ctrl-C (unbounded ones). A failed job makes the exit status non-zero."""
    status = 0
    for job in list(session.jobs):
        while not job._done.wait(0.2):
            pass
        if job.error is not None:
            print(f"[ERROR] Job {job.job_id} failed: {job.error}", file=sys.stderr)
            status = 1
    return status


def _cancel_jobs(session) -> None:
    for job in list(session.jobs):
        job.cancel()
    for job in list(session.jobs):
        job._done.wait(5)


if __name__ == "__main__":
    raise SystemExit(main())
