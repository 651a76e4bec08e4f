"""The interactive shell, minimal form: read statements ending in `;`, run them, print results.

A line-based loop on standard input; the full prompt-toolkit shell (completion, highlighting,
history, result modes) is its own piece of work. QUIT; / EXIT; / end of input leave.
"""

from __future__ import annotations

import sys

from engine.session import Session

PROMPT = "Freshet SQL> "
CONTINUATION = "           > "


def run_shell(session: Session) -> int:
    from planner.dialect import split_statements
    from sql_client.runner import run_text

    interactive = sys.stdin.isatty()
    if interactive:
        print("Welcome to Freshet. Enter 'HELP;' to list commands, 'QUIT;' to exit.\n")
    buffer = ""
    while True:
        try:
            line = (
                input(CONTINUATION if buffer else PROMPT) if interactive else sys.stdin.readline()
            )
        except (EOFError, KeyboardInterrupt):
            print()
            return 0
        if not interactive and line == "":
            return 0
        buffer += line + ("\n" if interactive else "")
        statements = split_statements(buffer)
        complete = buffer.rstrip().endswith(";")
        if not complete or not statements:
            continue
        text, buffer = buffer, ""
        words = text.strip().rstrip(";").strip().upper()
        if words in ("QUIT", "EXIT"):
            return 0
        if words == "HELP":
            print("Statements end with ';'. QUIT; or EXIT; leaves the shell.\n")
            continue
        run_text(session, text, sys.stdout)
