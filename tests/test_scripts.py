"""Scripts against Flink's own SQL client output.

Every `tests/fixtures/scripts/**/NAME.sql` with a `NAME.out` beside it is run as `freshet -f` would run
it; `NAME.out` is what Apache Flink's SQL client printed for the same script (generated with the
reference Flink, never by hand). `${DATA}` in a script stands for the `data/` folder beside it, `${TMP}` for a fresh empty directory.

Both outputs are normalized before comparison: the client's prompt echo and banner are dropped,
blank-line runs collapse, and an error block is compared by its header and exception class (the
messages are checked by dedicated tests; ours also carry a caret and a hint that Flink has not).
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest

from engine.config import Configuration
from engine.session import Session
from sql_client.runner import run_text

ROOT = Path(__file__).parent / "fixtures" / "scripts"
MARKERS = ("[INFO]", "[ERROR]", "+-", "Empty set", "Job ID:")


def _scripts() -> list[Path]:
    return sorted(p for p in ROOT.rglob("*.sql") if p.with_suffix(".out").exists())


def script_text(path: Path, scratch: Path) -> str:
    text = path.read_text().replace("${DATA}", str(path.parent / "data"))
    return text.replace("${TMP}", str(scratch))


def normalize(text: str) -> list[str]:
    lines: list[str] = []
    in_error = False
    for raw in text.splitlines():
        line: str | None = raw.rstrip()
        if line.startswith(("[INFO] Executing SQL from file.", "Command history file path:")):
            continue
        if line in ("Flink SQL>", ">"):
            continue
        # The client echoes statements after its prompt (and '> ' on continuation lines); the
        # statement's output may follow the echo on the same line.
        for prompt in ("Flink SQL> ", "> "):
            if line.startswith(prompt):
                rest = line[len(prompt) :]
                hits = [rest.find(m) for m in MARKERS if m in rest]
                line = rest[min(hits) :] if hits else None
                break
        if line is None:
            continue
        if line.startswith("Job ID:"):
            line = "Job ID: <id>"
        if in_error:
            if line.startswith("[") or line.startswith("+-"):
                in_error = False
            else:
                continue
        if line.startswith("[ERROR]"):
            lines.append(line)
            in_error = True
            continue
        if not line and (not lines or not lines[-1]):
            continue
        lines.append(line)
    while lines and not lines[-1]:
        lines.pop()
    return lines


def error_classes(text: str) -> list[str]:
    """The exception class printed under each [ERROR] header."""
    lines = [line.removeprefix("Flink SQL> ") for line in text.splitlines()]
    found = []
    for i, line in enumerate(lines[:-1]):
        if "[ERROR] Could not execute SQL statement." in line:
            match = re.match(r"([\w.$]+)", lines[i + 1])
            found.append(match.group(1) if match else "")
    return found


@pytest.mark.parametrize("path", _scripts(), ids=lambda p: str(p.relative_to(ROOT)))
def test_script(path: Path, tmp_path: Path) -> None:
    expected = path.with_suffix(".out").read_text()
    out = io.StringIO()
    run_text(Session(Configuration()), script_text(path, tmp_path), out, source=path.name)
    actual = out.getvalue()
    assert "\n".join(normalize(actual)) == "\n".join(normalize(expected))
    assert error_classes(actual) == error_classes(expected)
