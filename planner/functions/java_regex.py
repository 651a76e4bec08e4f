"""Java regular expressions (Flink's dialect) rewritten for RE2 (DuckDB's engine).

Flink evaluates REGEXP, REGEXP_EXTRACT, REGEXP_REPLACE and SIMILAR TO with java.util.regex; DuckDB
with RE2. Most syntax is shared. Where Java spells something differently we rewrite it (named
groups `(?<n>..)`, POSIX classes `\\p{Alpha}`, quoting `\\Q..\\E`); where RE2 has no equivalent
(look-around, back-references, possessive quantifiers, atomic groups) we refuse the pattern with a
clear message instead of answering differently. Patterns that Java itself rejects are reported as
invalid, so each function can give Flink's answer for them (FALSE, NULL or an error).
This module registers no function.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Java's POSIX classes (ASCII only unless UNICODE_CHARACTER_CLASS) as RE2 class bodies.
_POSIX = {
    "Lower": "a-z",
    "Upper": "A-Z",
    "ASCII": "\\x00-\\x7F",
    "Alpha": "a-zA-Z",
    "Digit": "0-9",
    "Alnum": "a-zA-Z0-9",
    "Punct": "!-/:-@\\[-`{-~",
    "Graph": "!-~",
    "Print": " -~",
    "Blank": " \\t",
    "Cntrl": "\\x00-\\x1F\\x7F",
    "XDigit": "0-9a-fA-F",
    "Space": " \\t\\n\\x0B\\f\\r",
    "javaLowerCase": "\\p{Ll}",
    "javaUpperCase": "\\p{Lu}",
    "javaWhitespace": "\\s",
}


class UnsupportedRegex(ValueError):
    """A valid Java pattern that RE2 cannot express."""


@dataclass(frozen=True)
class Translation:
    """`re2` is the rewritten pattern when `valid`; `groups` counts its capturing groups."""

    valid: bool
    re2: str = ""
    groups: int = 0


def translate(pattern: str) -> Translation:
    """Rewrite a Java pattern for RE2; invalid Java patterns give `valid=False`.

    Raises UnsupportedRegex for constructs RE2 lacks.
    """
    try:
        python_form, re2_form = _rewrite(pattern)
        compiled = re.compile(python_form)
    except (re.error, _Invalid):
        return Translation(False)
    _refuse_unsupported(pattern)
    return Translation(True, re2_form, compiled.groups)


class _Invalid(Exception):
    pass


def _rewrite(pattern: str) -> tuple[str, str]:
    """The pattern in Python's `re` syntax (to validate it) and in RE2 syntax (to run it)."""
    py: list[str] = []
    re2: list[str] = []
    i, n = 0, len(pattern)
    in_class = 0
    while i < n:
        c = pattern[i]
        if c == "\\":
            if i + 1 >= n:
                raise _Invalid("trailing backslash")
            nxt = pattern[i + 1]
            if nxt == "Q":
                end = pattern.find("\\E", i + 2)
                literal = pattern[i + 2 :] if end < 0 else pattern[i + 2 : end]
                quoted = re.escape(literal)
                py.append(quoted)
                re2.append(quoted)
                i = n if end < 0 else end + 2
                continue
            if nxt in "pP" and i + 2 < n and pattern[i + 2] == "{":
                end = pattern.find("}", i + 3)
                if end < 0:
                    raise _Invalid("unclosed property")
                name = pattern[i + 3 : end]
                name = name[2:] if name.startswith("Is") else name
                body = _POSIX.get(name)
                if body is None:
                    text = pattern[i : end + 1]
                    py.append("." if not in_class else "a")  # validity only
                    re2.append(text)
                else:
                    negate = "^" if nxt == "P" else ""
                    piece = body if in_class and not negate else f"[{negate}{body}]"
                    py.append("a" if in_class else ".")
                    re2.append(piece)
                i = end + 1
                continue
            py.append(pattern[i : i + 2])
            re2.append("\\z" if nxt == "z" else pattern[i : i + 2])
            i += 2
            continue
        if c == "[":
            in_class += 1
        elif c == "]" and in_class:
            in_class -= 1
        elif (
            not in_class
            and pattern.startswith("(?<", i)
            and i + 3 < n
            and pattern[i + 3] not in "=!"
        ):
            py.append("(?P<")
            re2.append("(?P<")
            i += 3
            continue
        py.append(c)
        re2.append(c)
        i += 1
    return "".join(py), "".join(re2)


_UNSUPPORTED = [
    (re.compile(r"\(\?<?[=!]"), "look-around assertions"),
    (re.compile(r"\(\?>"), "atomic groups"),
    (re.compile(r"\\[1-9]|\\k<"), "back-references"),
    (re.compile(r"(?:[*+?}])\+"), "possessive quantifiers"),
]


def _refuse_unsupported(pattern: str) -> None:
    plain = _without_escapes_and_classes(pattern)
    for finder, what in _UNSUPPORTED:
        if finder.search(plain):
            raise UnsupportedRegex(
                f"The regular expression '{pattern}' uses {what}, which Java supports but this "
                "engine's regular expressions (RE2) do not; rewrite the pattern without them"
            )


def _without_escapes_and_classes(pattern: str) -> str:
    """Blank out escaped literals and class contents, keeping back-reference escapes visible."""
    out: list[str] = []
    i, n, in_class = 0, len(pattern), 0
    while i < n:
        c = pattern[i]
        if c == "\\" and i + 1 < n:
            nxt = pattern[i + 1]
            if nxt in "pPx" and i + 2 < n and pattern[i + 2] == "{":
                end = pattern.find("}", i + 3)
                end = n - 1 if end < 0 else end
                out.append("_" * (end + 1 - i))
                i = end + 1
                continue
            keep = not in_class and (nxt in "123456789" or nxt == "k")
            out.append(pattern[i : i + 2] if keep else "__")
            i += 2
            continue
        if c == "[":
            in_class += 1
        elif c == "]" and in_class:
            in_class -= 1
            out.append("_")
            i += 1
            continue
        out.append("_" if in_class else c)
        i += 1
    return "".join(out)
