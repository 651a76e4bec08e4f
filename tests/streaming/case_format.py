"""The streaming case format: a query, its inputs fed step by step, the expected changes and table.

```
# what the case shows
source orders (k STRING, v INT)          -- a CREATE TABLE column list; PRIMARY KEY allowed
statement                                 -- optional: more DDL (views ...) before the query
CREATE TEMPORARY VIEW big AS SELECT * FROM orders WHERE v > 10
config table.exec.state.ttl = 1 h         -- optional: SET before planning
query
SELECT k, COUNT(*) AS c FROM orders GROUP BY k

step
orders +I a | 1                           -- table, row kind (+I when left out), cells split by |
orders b | 2
changes                                   -- optional: the changes this step emits, in order
+I a | 1
+I b | 1

final                                     -- optional: the final table (any order)
a | 1
b | 1
```
A cell `NULL` is SQL NULL; other cells are parsed by the column's type. Expected rows are compared as
the text Flink's tableau prints for each value. `batch-differs: <reason>` skips the batch comparison.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

KINDS = ("+I", "-U", "+U", "-D")


@dataclass
class Step:
    rows: list[tuple[str, str, list[str]]] = field(default_factory=list)  # (table, kind, cells)
    changes: list[tuple[str, list[str]]] | None = None  # expected (kind, cells)


@dataclass
class Case:
    path: Path
    sources: list[tuple[str, str]] = field(default_factory=list)  # (name, column list text)
    statements: list[str] = field(default_factory=list)
    config: list[tuple[str, str]] = field(default_factory=list)
    query: str = ""
    steps: list[Step] = field(default_factory=list)
    final: list[list[str]] | None = None
    batch_differs: str | None = None

    @property
    def name(self) -> str:
        return self.path.stem


def split_cells(text: str) -> list[str]:
    return [c.strip() for c in text.split("|")] if text.strip() else []


def parse_case(path: Path) -> Case:
    case = Case(path)
    lines = path.read_text().splitlines()
    i = 0
    section: str | None = None
    block: list[str] = []

    def flush() -> None:
        nonlocal block
        text = "\n".join(block).strip()
        if section == "statement" and text:
            case.statements.append(text)
        elif section == "query":
            case.query = text
        block = []

    while i < len(lines):
        raw = lines[i]
        line = raw.strip()
        i += 1
        if line.startswith("#") and section not in ("query", "statement"):
            continue
        if line.startswith("source "):
            flush()
            section = None
            name, _, columns = line[len("source ") :].partition(" ")
            case.sources.append((name, columns.strip()))
        elif line.startswith("config "):
            flush()
            section = None
            key, _, value = line[len("config ") :].partition("=")
            case.config.append((key.strip(), value.strip()))
        elif line.startswith("batch-differs:"):
            case.batch_differs = line.partition(":")[2].strip()
        elif line in ("statement", "query"):
            flush()
            section = line
        elif line == "step":
            flush()
            section = "step"
            case.steps.append(Step())
        elif line == "changes":
            flush()
            section = "changes"
            case.steps[-1].changes = []
        elif line == "final":
            flush()
            section = "final"
            case.final = []
        elif section in ("statement", "query"):
            if line == "" and section == "statement":
                flush()
                section = None
            else:
                block.append(raw)
        elif not line or line.startswith("#"):
            continue
        elif section == "step":
            table, _, rest = line.partition(" ")
            kind = "+I"
            if rest[:2] in KINDS and (len(rest) == 2 or rest[2] == " "):
                kind, rest = rest[:2], rest[3:]
            case.steps[-1].rows.append((table, kind, split_cells(rest)))
        elif section == "changes":
            kind, _, rest = line.partition(" ")
            if kind not in KINDS:
                raise ValueError(f"{path}:{i}: a change starts with +I, -U, +U or -D: {line!r}")
            case.steps[-1].changes.append((kind, split_cells(rest)))  # type: ignore[union-attr]
        elif section == "final":
            case.final.append(split_cells(line))  # type: ignore[union-attr]
        else:
            raise ValueError(f"{path}:{i}: unexpected line {line!r}")
    flush()
    if not case.query:
        raise ValueError(f"{path}: no query")
    return case
