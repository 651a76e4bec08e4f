"""Java `DateTimeFormatter` patterns ('yyyy-MM-dd HH:mm:ss', 'EEE', 'SSS', quoted text) as DuckDB SQL.

Flink formats and parses date-time strings with java.time's DateTimeFormatter (US locale, SMART
resolver), whose pattern letters differ from strftime's: 'u' is the year, 'w'/'Y' are the US
week-of-year (weeks start on Sunday, week 1 holds January 1), 'S..S' truncates the fraction to as
many digits as letters, 'M' prints 1 but 'MM' 01. A pattern is split into tokens once, then each
token becomes a strftime directive or a small SQL expression (formatting), or a regular-expression
group plus a field to resolve (parsing). Patterns must be constants: they are compiled at plan time.
"""

from __future__ import annotations

import re
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


def tokenize(pattern: str) -> list[Token]:
    """Split a DateTimeFormatter pattern; raise FunctionError where Java's ofPattern would throw."""
    tokens: list[Token] = []
    i, n = 0, len(pattern)
    while i < n:
        ch = pattern[i]
        if ch == "'":
            end = i + 1
            text = []
            while True:
                if end >= n:
                    raise FunctionError(f"Pattern ends with an incomplete string literal: {pattern}")
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
        elif ch in "[]":
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


def format_sql(ts: str, tokens: list[Token]) -> str:
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
        directive = _STRFTIME.get((tok.letter, tok.count))
        if directive is not None:
            directives.append(directive)
            continue
        flush()
        parts.append(_field_text(ts, tok))
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
            return f"CAST((day({ts}) + dayofweek(date_trunc('month', {ts})) - 1) // 7 + 1 AS VARCHAR)"
        case "F":
            return f"CAST((day({ts}) - 1) % 7 + 1 AS VARCHAR)"
        case "Q" | "q":
            if count <= 2:
                return _padded(f"quarter({ts})", count)
            if count == 3:
                return f"'Q' || quarter({ts})"
            if count == 4:
                return (
                    f"['1st', '2nd', '3rd', '4th'][quarter({ts})] || ' quarter'"
                )
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


# ---------------------------------------------------------------- parsing

_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"]  # fmt: skip
_DAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]


@dataclass(frozen=True)
class ParsePlan:
    """A pattern compiled for parsing: an anchored regex and the field each capture group fills."""

    regex: str
    groups: tuple[Field, ...]


def parse_plan(tokens: list[Token], pattern: str) -> ParsePlan:
    regex: list[str] = ["^"]
    groups: list[Field] = []
    for tok in tokens:
        if isinstance(tok, str):
            regex.append(re.escape(tok))
            continue
        piece = _field_regex(tok, pattern)
        if piece is None:
            regex.append(r"\S+")  # parsed by Java but not used to build the value (day names, era)
            continue
        regex.append(f"({piece})")
        groups.append(tok)
    regex.append("$")
    return ParsePlan("".join(regex), tuple(groups))


def _field_regex(f: Field, pattern: str) -> str | None:
    letter, count = f.letter, f.count
    if letter in "yu":
        if count == 2:
            return r"\d{2}"
        return rf"[+-]?\d{{{max(count, 1)},19}}" if count >= 4 else rf"\d{{{count},19}}"
    if letter in "ML":
        if count == 3:
            return "|".join(m[:3] for m in _MONTHS)
        if count == 4:
            return "|".join(_MONTHS)
        if count == 5:
            return None
        return r"\d{2}" if count == 2 else r"\d{1,19}"
    if letter in "dHhKkmsD":
        return rf"\d{{{count}}}" if count >= 2 else r"\d{1,19}"
    if letter == "S":
        return rf"\d{{{count}}}"
    if letter == "a":
        return "AM|PM"
    if letter in "EG":
        return None
    raise FunctionError(f"Pattern letters '{letter * count}' are not supported for parsing in '{pattern}'")


def parsed_timestamp_sql(text: str, plan: ParsePlan, lenient: bool = False) -> str:
    """SQL text of a TIMESTAMP parsed from VARCHAR `text`, or NULL where Java's parse would fail.

    Missing fields default as Flink's fromTemporalAccessor does (1970-01-01 00:00:00). Java's SMART
    resolver clamps a day past the month's end to it and reads 24:00:00 as the next midnight; other
    out-of-range fields fail. `lenient` is java.sql.Timestamp.valueOf's rule instead: day 1..31 rolls
    over into the next month, and the time fields are not range-checked.
    """
    names = [f"g{i}" for i in range(len(plan.groups))]
    if not names:
        return f"CASE WHEN regexp_full_match({text}, {_quote(plan.regex)}) THEN TIMESTAMP '1970-01-01' END"
    extract = f"regexp_extract({text}, {_quote(plan.regex)}, [{', '.join(_quote(n) for n in names)}])"
    value: dict[str, str] = {}
    fraction = "0"
    for name, f in zip(names, plan.groups, strict=True):
        ref = f"_p.{name}"
        if f.letter == "S":
            fraction = f"CAST(left(rpad({ref}, 6, '0'), 6) AS BIGINT)"
            continue
        key = f.letter + ("2" if f.letter in "yu" and f.count == 2 else "")
        value[key] = _group_value(ref, f)
    year = value.get("y") or value.get("u")
    if year is None and ("y2" in value or "u2" in value):
        year = f"(2000 + {value.get('y2') or value.get('u2')})"
    year = year or "1970"
    month = value.get("M") or value.get("L") or "1"
    day = value.get("d") or "1"
    checks = [f"_p.{names[0]} <> ''"]
    if "a" in value:
        twelve = value.get("h") or value.get("K") or "0"
        hour = f"(({twelve}) % 12 + CASE WHEN {value['a']} = 'PM' THEN 12 ELSE 0 END)"
    elif "h" in value or "K" in value:
        hour = f"(({value.get('h') or value.get('K')}) % 12)"
    elif "k" in value:
        hour = f"(({value['k']}) % 24)"
    else:
        hour = value.get("H") or "0"
    minute = value.get("m") or "0"
    second = value.get("s") or "0"
    checks += [f"{month} BETWEEN 1 AND 12", f"{day} BETWEEN 1 AND 31"]
    if not lenient:
        midnight = f"({hour} = 24 AND {minute} = 0 AND {second} = 0 AND {fraction} = 0)"
        checks += [
            f"({hour} BETWEEN 0 AND 23 OR {midnight})",
            f"{minute} BETWEEN 0 AND 59",
            f"{second} BETWEEN 0 AND 59",
        ]
        checks += [f"{v} BETWEEN 1 AND 12" for k, v in value.items() if k == "h"]
        checks += [f"{v} BETWEEN 1 AND 24" for k, v in value.items() if k == "k"]
        checks += [f"{v} BETWEEN 0 AND 11" for k, v in value.items() if k == "K"]
    first = f"make_date(CAST({year} AS BIGINT), CAST({month} AS BIGINT), 1)"
    if "D" in value and "d" not in value:
        date = f"(make_date(CAST({year} AS BIGINT), 1, 1) + CAST({value['D']} - 1 AS INTEGER))"
        checks.append(f"{value['D']} BETWEEN 1 AND 366")
    elif lenient:
        date = f"({first} + CAST({day} - 1 AS INTEGER))"
    else:
        date = f"least({first} + CAST({day} - 1 AS INTEGER), last_day({first}))"
    stamp = (
        f"CAST({date} AS TIMESTAMP) + to_microseconds("
        f"(({hour}) * 3600 + ({minute}) * 60 + ({second})) * 1000000 + {fraction})"
    )
    body = f"CASE WHEN {' AND '.join(checks)} THEN {stamp} END"
    return f"list_transform([{extract}], lambda _p: {body})[1]"


def _group_value(ref: str, f: Field) -> str:
    if f.letter in "ML" and f.count in (3, 4):
        names = [m[:3] if f.count == 3 else m for m in _MONTHS]
        return f"list_position([{', '.join(_quote(n) for n in names)}], {ref})"
    if f.letter == "a":
        return ref
    return f"COALESCE(TRY_CAST({ref} AS BIGINT), 0)"


def _quote(s: str) -> str:
    return "'" + s.replace("'", "''") + "'"
