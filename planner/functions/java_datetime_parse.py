"""Parsing date-time strings by a Java pattern, as DuckDB SQL (a regular expression plus arithmetic).

Three Java parsers decide what Flink accepts, and each is a `ParseMode`:
* SMART: java.time's DateTimeFormatter with its default SMART resolver (TO_TIMESTAMP, TO_DATE). The
  whole text must match; a day past the month's end is clamped to it, 24:00:00 is the next midnight,
  other out-of-range fields fail.
* STRICT: as SMART, but a day past the month's end fails (Flink's TO_DATE without a format).
* VALUEOF: java.sql.Timestamp.valueOf, Flink's fallback after a failed TO_TIMESTAMP parse. Month and
  day are range-checked, then everything rolls over (Feb 30 is Mar 2).
* LENIENT: java.text.SimpleDateFormat (UNIX_TIMESTAMP, DATE_FORMAT of a string): only a prefix must
  match, numbers take any number of digits unless two fields touch, and every field rolls over.
Fields the pattern lacks default as Flink's fromTemporalAccessor does: 1970-01-01 00:00:00.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from planner.functions.java_datetime_format import Field, Token
from planner.functions.registry import FunctionError

ParseMode = Literal["SMART", "STRICT", "VALUEOF", "LENIENT"]

_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"]  # fmt: skip


@dataclass(frozen=True)
class ParsePlan:
    """A pattern compiled for parsing: a regex and the field each capture group fills."""

    regex: str
    groups: tuple[Field, ...]
    mode: ParseMode = "SMART"


def parse_plan(tokens: list[Token], pattern: str, mode: ParseMode = "SMART") -> ParsePlan:
    regex: list[str] = ["^"]
    groups: list[Field] = []
    for k, tok in enumerate(tokens):
        if isinstance(tok, str):
            regex.append(re.escape(tok))
            continue
        touching = k + 1 < len(tokens) and isinstance(tokens[k + 1], Field)
        piece = _field_regex(tok, pattern, mode, touching)
        if piece is None:
            regex.append(r"[A-Za-z]+")  # read but unused to build the value (day names, era)
            continue
        regex.append(f"({piece})")
        groups.append(tok)
    if mode != "LENIENT":
        regex.append("$")
    return ParsePlan("".join(regex), tuple(groups), mode)


def _field_regex(f: Field, pattern: str, mode: ParseMode, touching: bool) -> str | None:
    letter, count = f.letter, f.count
    if letter in "ML" and count >= 3:
        names = (
            _MONTHS if count == 4 or (mode == "LENIENT" and count > 4) else [m[:3] for m in _MONTHS]
        )
        if count == 5 and mode != "LENIENT":
            return None
        return "|".join(names)
    if letter in "EG":
        return None
    if letter == "a":
        return "AM|PM"
    if letter not in "yuMLdHhKkmsDS":
        raise FunctionError(
            f"Pattern letters '{letter * count}' are not supported for parsing in '{pattern}'"
        )
    if mode == "LENIENT":
        if letter == "u":
            raise FunctionError(f"Pattern letter 'u' is not supported for parsing in '{pattern}'")
        return rf"\d{{{count}}}" if touching else r"\d+"
    if letter == "S":
        return rf"\d{{{count}}}"
    if letter in "yu":
        if count == 2:
            return r"\d{2}"
        return rf"[+-]?\d{{{count},19}}" if count >= 4 else rf"\d{{{count},19}}"
    return rf"\d{{{count}}}" if count >= 2 else r"\d{1,19}"


def parsed_timestamp_sql(text: str, plan: ParsePlan) -> str:
    """SQL text of a DuckDB TIMESTAMP parsed from VARCHAR `text`, or NULL where Java's parse fails."""
    names = [f"g{i}" for i in range(len(plan.groups))]
    regex = _quote(plan.regex)
    if not names:
        matches = f"regexp_matches({text}, {regex})"
        return f"CASE WHEN {matches} THEN TIMESTAMP '1970-01-01' END"
    extract = f"regexp_extract({text}, {regex}, [{', '.join(_quote(n) for n in names)}])"
    value: dict[str, str] = {}
    fraction = "0"
    for name, f in zip(names, plan.groups, strict=True):
        ref = f"_p.{name}"
        if f.letter == "S":
            fraction = (
                f"(CAST({ref} AS BIGINT) * 1000)"
                if plan.mode == "LENIENT"
                else f"CAST(left(rpad({ref}, 6, '0'), 6) AS BIGINT)"
            )
            continue
        key = f.letter + ("2" if f.letter in "yu" and f.count == 2 else "")
        value[key] = _group_value(ref, f)
    year = value.get("y") or value.get("u")
    two_digit = value.get("y2") or value.get("u2")
    if year is None and two_digit is not None:
        if plan.mode == "LENIENT":
            # SimpleDateFormat puts a 2-digit year within 80 years before and 20 after today
            year = f"(CASE WHEN 2000 + {two_digit} <= year(current_date) + 20 THEN 2000 ELSE 1900 END + {two_digit})"
        else:
            year = f"(2000 + {two_digit})"
    year = year or "1970"
    month = value.get("M") or value.get("L") or "1"
    day = value.get("d") or "1"
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
    checks = [f"_p.{names[0]} <> ''"]
    if plan.mode != "LENIENT":
        checks += [f"{month} BETWEEN 1 AND 12", f"{day} BETWEEN 1 AND 31"]
    if plan.mode in ("SMART", "STRICT"):
        midnight = f"({hour} = 24 AND {minute} = 0 AND {second} = 0 AND {fraction} = 0)"
        checks += [
            f"({hour} BETWEEN 0 AND 23 OR {midnight})",
            f"{minute} BETWEEN 0 AND 59",
            f"{second} BETWEEN 0 AND 59",
        ]
        checks += [f"{v} BETWEEN 1 AND 12" for k, v in value.items() if k == "h"]
        checks += [f"{v} BETWEEN 1 AND 24" for k, v in value.items() if k == "k"]
        checks += [f"{v} BETWEEN 0 AND 11" for k, v in value.items() if k == "K"]
    jan_first = f"make_date(CAST({year} AS BIGINT), 1, 1)"
    if "D" in value and "d" not in value:
        date = f"({jan_first} + CAST({value['D']} - 1 AS INTEGER))"
        if plan.mode in ("SMART", "STRICT"):
            checks.append(f"{value['D']} BETWEEN 1 AND 366")
    elif plan.mode == "SMART":
        first = f"make_date(CAST({year} AS BIGINT), CAST({month} AS BIGINT), 1)"
        date = f"least({first} + CAST({day} - 1 AS INTEGER), last_day({first}))"
    elif plan.mode == "STRICT":
        first = f"make_date(CAST({year} AS BIGINT), CAST({month} AS BIGINT), 1)"
        date = f"({first} + CAST({day} - 1 AS INTEGER))"
        checks.append(f"{day} <= day(last_day({first}))")
    else:
        date = f"(CAST({jan_first} + to_months(CAST({month} - 1 AS BIGINT)) AS DATE) + CAST({day} - 1 AS INTEGER))"
    stamp = (
        f"CAST({date} AS TIMESTAMP) + to_microseconds("
        f"(({hour}) * 3600 + ({minute}) * 60 + ({second})) * 1000000 + {fraction})"
    )
    body = f"CASE WHEN {' AND '.join(checks)} THEN {stamp} END"
    return f"list_transform([{extract}], lambda _p: {body})[1]"


def _group_value(ref: str, f: Field) -> str:
    if f.letter in "ML" and f.count >= 3:
        names = [m if f.count >= 4 else m[:3] for m in _MONTHS]
        return f"list_position([{', '.join(_quote(n) for n in names)}], {ref})"
    if f.letter == "a":
        return ref
    return f"COALESCE(TRY_CAST({ref} AS BIGINT), 0)"


def _quote(s: str) -> str:
    return "'" + s.replace("'", "''") + "'"
