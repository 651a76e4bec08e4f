"""Splitting a script into statements, the way Flink's SQL client does, but keeping positions.

A `;` ends a statement unless it is inside a string, a quoted identifier, a comment, or an
`EXECUTE STATEMENT SET BEGIN ... END` block (whose INSERTs are themselves separated by `;`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_WORD = re.compile(r"[A-Za-z_][A-Za-z_0-9$]*")
_BLOCK_OPENING = ("STATEMENT", "SET", "BEGIN")


@dataclass(frozen=True)
class StatementText:
    """One statement of a script: its text (without the `;`) and where it starts (1-based; offset 0-based)."""

    sql: str
    line: int
    col: int
    offset: int


def split_statements(script: str) -> list[StatementText]:
    """The script's statements in order; empty ones (only whitespace or comments) are dropped."""
    statements: list[StatementText] = []
    start = 0
    words: list[str] = []  # upper-cased words of the current statement, outside strings/comments
    case_depth = 0
    in_block = False
    i = 0
    n = len(script)
    while i < n:
        ch = script[i]
        if ch in "'`\"":
            i = _skip_quoted(script, i, ch)
            words.append("<lit>")
            continue
        if script.startswith("--", i):
            end = script.find("\n", i)
            i = n if end < 0 else end
            continue
        if script.startswith("/*", i):
            end = script.find("*/", i + 2)
            i = n if end < 0 else end + 2
            continue
        match = _WORD.match(script, i)
        if match and (i == 0 or not (script[i - 1].isalnum() or script[i - 1] in "_$")):
            word = match.group().upper()
            words.append(word)
            if tuple(words[-3:]) == _BLOCK_OPENING:
                in_block = True
            elif word == "CASE":
                case_depth += 1
            elif word == "END":
                if case_depth:
                    case_depth -= 1
                else:
                    in_block = False
            i = match.end()
            continue
        if ch == ";" and not in_block:
            _append(statements, script, start, i)
            start, words, case_depth = i + 1, [], 0
        i += 1
    _append(statements, script, start, n)
    return statements


def _skip_quoted(script: str, i: int, quote: str) -> int:
    """Index after the quoted text starting at i (a doubled quote escapes itself)."""
    j = i + 1
    while j < len(script):
        if script[j] == quote:
            if j + 1 < len(script) and script[j + 1] == quote:
                j += 2
                continue
            return j + 1
        j += 1
    return len(script)


def _append(statements: list[StatementText], script: str, start: int, end: int) -> None:
    first = _first_code_offset(script, start, end)
    if first is None:
        return
    text = script[first:end].rstrip()
    line = script.count("\n", 0, first) + 1
    col = first - (script.rfind("\n", 0, first) + 1) + 1
    statements.append(StatementText(sql=text, line=line, col=col, offset=first))


def _first_code_offset(script: str, start: int, end: int) -> int | None:
    """Offset of the first character that is not whitespace or comment, or None if there is none."""
    i = start
    while i < end:
        if script[i].isspace():
            i += 1
        elif script.startswith("--", i):
            nl = script.find("\n", i)
            i = end if nl < 0 or nl > end else nl
        elif script.startswith("/*", i) and not script.startswith("/*+", i):
            close = script.find("*/", i + 2)
            i = end if close < 0 or close >= end else close + 2
        else:
            return i
    return None
