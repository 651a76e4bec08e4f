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
    if args.file is not None:
        return 0 if run_text(session, _read(args.file), out, source=args.file).ok else 1
    if args.execute is not None:
        return 0 if run_text(session, args.execute, out, source="<command line>").ok else 1
    from sql_client.shell import run_shell

    return run_shell(session)


if __name__ == "__main__":
    raise SystemExit(main())
