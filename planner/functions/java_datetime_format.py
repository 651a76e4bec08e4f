"""Java `DateTimeFormatter` patterns ('yyyy-MM-dd HH:mm:ss', 'EEE', 'SSS', quoted text) as DuckDB SQL.

Flink formats and parses date-time strings with java.time's DateTimeFormatter (US locale, SMART
resolver), whose pattern letters differ from strftime's: 'u' is the year, 'w'/'Y' are the US
week-of-year (weeks start on Sunday, week 1 holds January 1), 'S..S' truncates the fraction to as
many digits as letters, 'M' prints 1 but 'MM' 01. A pattern is split into tokens once, then each
token becomes a strftime directive or a small SQL expression. Some Flink functions (FROM_UNIXTIME,
DATE_FORMAT of a string, UNIX_TIMESTAMP) still use the legacy java.text.SimpleDateFormat, whose
letters mean other things ('u' is the ISO day of the week, 'S' the milliseconds, counts only pad):
`legacy=True` selects those rules. Patterns must be constants: they are compiled at plan time.
"""

from __future__ import annotations

from dataclasses import dataclass

from planner.functions.registry import FunctionError


@dataclass(frozen=True)
class Field:
    """A run of one pattern letter, e.g. 'yyyy' is Field('y', 4)."""

    letter: str
    count: int


Token = Field | str
"""A pattern token: a field, or literal text to copy."""

_MAX_COUNT = {
    "G": 5, "u": 19, "y": 19, "Y": 19, "Q": 5, "q": 5, "M": 5, "L": 5, "w": 2, "W": 1, "d": 2,
    "D": 3, "F": 1, "E": 5, "e": 5, "c": 5, "a": 1, "h": 2, "K": 2, "k": 2, "H": 2, "m": 2, "s": 2,
    "S": 9, "A": 19, "n": 19, "N": 19,
}  # fmt: skip
_ZONE_LETTERS = set("VvzOXxZ")
_RESERVED = set("#{}")


_LEGACY_LETTERS = set("GyYMLwWDdFEuaHkKhmsS")


def tokenize(pattern: str, legacy: bool = False) -> list[Token]:
    """Split a pattern; raise FunctionError where Java's ofPattern (or SimpleDateFormat) would throw."""
    tokens: list[Token] = []
    i, n = 0, len(pattern)
    while i < n:
        ch = pattern[i]
        if ch == "'":
            end = i + 1
            text = []
            while True:
                if end >= n:
                    raise FunctionError(
                        f"Pattern ends with an incomplete string literal: {pattern}"
                    )
                if pattern[end] == "'":
                    if end + 1 < n and pattern[end + 1] == "'":
                        text.append("'")
                        end += 2
                        continue
                    break
                text.append(pattern[end])
                end += 1
            tokens.append("".join(text) if end > i + 1 else "'")
            i = end + 1
        elif ch.isascii() and ch.isalpha():
            j = i
            while j < n and pattern[j] == ch:
                j += 1
            count = j - i
            if legacy:
                if ch in "zZX":
                    raise FunctionError(
                        f"Time zone pattern letter '{ch}' is not supported: {pattern}"
                    )
                if ch not in _LEGACY_LETTERS:
                    raise FunctionError(f"Illegal pattern character '{ch}' in '{pattern}'")
                tokens.append(Field(ch, count))
                i = j
                continue
            if ch in _ZONE_LETTERS:
                raise FunctionError(
                    f"Pattern letter '{ch}' needs a time zone, which a TIMESTAMP does not have: {pattern}"
                )
            if ch not in _MAX_COUNT:
                raise FunctionError(f"Unknown pattern letter: {ch} in '{pattern}'")
            if count > _MAX_COUNT[ch] or (ch in "dhHkKmsw" and count > 2):
                raise FunctionError(f"Too many pattern letters: {ch} in '{pattern}'")
            tokens.append(Field(ch, count))
            i = j
        elif ch in _RESERVED:
            raise FunctionError(f"Pattern includes reserved character: '{ch}' in '{pattern}'")
        elif ch in "[]" and not legacy:
            i += 1  # optional sections: every field of a timestamp is present, so they always print
        else:
            tokens.append(ch)
            i += 1
    return tokens


# ---------------------------------------------------------------- formatting

_STRFTIME = {
    ("M", 1): "%-m", ("M", 2): "%m", ("M", 3): "%b", ("M", 4): "%B",
    ("L", 1): "%-m", ("L", 2): "%m", ("L", 3): "%b", ("L", 4): "%B",
    ("d", 1): "%-d", ("d", 2): "%d", ("D", 1): "%-j", ("D", 3): "%j",
    ("E", 1): "%a", ("E", 2): "%a", ("E", 3): "%a", ("E", 4): "%A",
    ("e", 3): "%a", ("e", 4): "%A", ("c", 3): "%a", ("c", 4): "%A",
    ("a", 1): "%p", ("h", 1): "%-I", ("h", 2): "%I", ("H", 1): "%-H", ("H", 2): "%H",
    ("m", 1): "%-M", ("m", 2): "%M", ("s", 1): "%-S", ("s", 2): "%S", ("y", 2): "%y", ("u", 2): "%y",
}  # fmt: skip


def format_sql(ts: str, tokens: list[Token], legacy: bool = False) -> str:
    """SQL text of a VARCHAR: the local date-time `ts` (DuckDB TIMESTAMP) written as the pattern says."""
    parts: list[str] = []
    directives: list[str] = []

    def flush() -> None:
        if directives:
            parts.append(f"strftime({ts}, '{''.join(directives)}')")
            directives.clear()

    for tok in tokens:
        if isinstance(tok, str):
            directives.append(tok.replace("%", "%%").replace("'", "''"))
            continue
        directive = _legacy_directive(tok) if legacy else _STRFTIME.get((tok.letter, tok.count))
        if directive is not None:
            directives.append(directive)
            continue
        flush()
        parts.append(_legacy_field_text(ts, tok) if legacy else _field_text(ts, tok))
    flush()
    if not parts:
        return "''"
    return " || ".join(parts)


def _padded(value_sql: str, width: int) -> str:
    text = f"CAST({value_sql} AS VARCHAR)"
    return text if width <= 1 else f"lpad({text}, {width}, '0')"


def _us_week_saturday(ts: str) -> str:
    """The Saturday ending the US week (Sunday..Saturday) that holds `ts`: it names the week's year."""
    return f"(CAST({ts} AS DATE) + CAST(6 - dayofweek({ts}) AS INTEGER))"


def _field_text(ts: str, f: Field) -> str:
    letter, count = f.letter, f.count
    first_letter = "left(strftime({ts}, '{d}'), 1)"
    match letter:
        case "G":
            long_form = count == 4
            ad, bc = ("Anno Domini", "Before Christ") if long_form else ("AD", "BC")
            if count == 5:
                ad, bc = "A", "B"
            return f"CASE WHEN year({ts}) > 0 THEN '{ad}' ELSE '{bc}' END"
        case "y" | "u":
            return _padded(f"year({ts})", count)
        case "Y":
            year = f"year({_us_week_saturday(ts)})"
            if count == 2:
                return _padded(f"{year} % 100", 2)
            return _padded(year, count)
        case "w":
            return _padded(f"(dayofyear({_us_week_saturday(ts)}) - 1) // 7 + 1", count)
        case "W":
            return (
                f"CAST((day({ts}) + dayofweek(date_trunc('month', {ts})) - 1) // 7 + 1 AS VARCHAR)"
            )
        case "F":
            return f"CAST((day({ts}) - 1) % 7 + 1 AS VARCHAR)"
        case "Q" | "q":
            if count <= 2:
                return _padded(f"quarter({ts})", count)
            if count == 3:
                return f"'Q' || quarter({ts})"
            if count == 4:
                return f"['1st', '2nd', '3rd', '4th'][quarter({ts})] || ' quarter'"
            return f"CAST(quarter({ts}) AS VARCHAR)"
        case "M" | "L":
            return first_letter.format(ts=ts, d="%B")
        case "D":
            return _padded(f"dayofyear({ts})", count)
        case "E":
            return first_letter.format(ts=ts, d="%A")
        case "e" | "c":
            if count <= 2:
                return _padded(f"dayofweek({ts}) + 1", count)
            return first_letter.format(ts=ts, d="%A")
        case "K":
            return _padded(f"hour({ts}) % 12", count)
        case "k":
            return _padded(f"CASE WHEN hour({ts}) = 0 THEN 24 ELSE hour({ts}) END", count)
        case "S":
            micros = f"lpad(CAST(microsecond({ts}) % 1000000 AS VARCHAR), 6, '0')"
            if count <= 6:
                return f"left({micros}, {count})"
            return f"rpad({micros}, {count}, '0')"
        case "n":
            return _padded(f"(microsecond({ts}) % 1000000) * 1000", count)
        case "N":
            return _padded(f"(epoch_us({ts}) - epoch_us(date_trunc('day', {ts}))) * 1000", count)
        case "A":
            return _padded(f"(epoch_us({ts}) - epoch_us(date_trunc('day', {ts}))) // 1000", count)
        case "D" | "d" | "h" | "H" | "m" | "s" | "a":
            pass
    raise FunctionError(f"Unsupported pattern letters '{letter * count}'")


def _legacy_directive(f: Field) -> str | None:
    """SimpleDateFormat: a count >= 4 means the full name, else counts are the minimum digits."""
    letter, count = f.letter, f.count
    if letter in "ML" and count >= 3:
        return "%B" if count >= 4 else "%b"
    if letter == "E":
        return "%A" if count >= 4 else "%a"
    if letter == "a":
        return "%p"
    if letter in "yY" and count == 2:
        return "%y" if letter == "y" else None
    simple = {"M": ("%-m", "%m"), "L": ("%-m", "%m"), "d": ("%-d", "%d"), "H": ("%-H", "%H"),
              "h": ("%-I", "%I"), "m": ("%-M", "%M"), "s": ("%-S", "%S")}  # fmt: skip
    if letter in simple and count <= 2:
        return simple[letter][count - 1]
    return None


def _legacy_field_text(ts: str, f: Field) -> str:
    letter, count = f.letter, f.count
    match letter:
        case "G":
            return f"CASE WHEN year({ts}) > 0 THEN 'AD' ELSE 'BC' END"
        case "y":
            return _padded(f"year({ts})", count)
        case "u":
            return _padded(f"isodow({ts})", count)
        case "S":
            return _padded(f"millisecond({ts}) % 1000", count)
        case "F":
            return _padded(f"(day({ts}) - 1) // 7 + 1", count)
        case "M" | "L":
            return _padded(f"month({ts})", count)
        case "d":
            return _padded(f"day({ts})", count)
        case "H":
            return _padded(f"hour({ts})", count)
        case "h":
            return _padded(f"CASE WHEN hour({ts}) % 12 = 0 THEN 12 ELSE hour({ts}) % 12 END", count)
        case "m":
            return _padded(f"minute({ts})", count)
        case "s":
            return _padded(f"second({ts})", count)
    return _field_text(ts, f)
