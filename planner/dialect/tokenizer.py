"""Flink's lexical rules on top of sqlglot's tokenizer.

Flink (Calcite configured with BACK_TICK quoting) quotes identifiers with backticks and strings with single
quotes only, doubles a quote to escape it and has no backslash escapes. `/*+ .. */` is a hint after SELECT
and INSERT and also after a table name (`FROM t /*+ OPTIONS(..) */`), so a hint comment following a name
becomes a HINT token too.
"""

from __future__ import annotations

from typing import ClassVar

from sqlglot.tokens import Tokenizer, TokenType


class FlinkTokenizer(Tokenizer):
    IDENTIFIERS: ClassVar = ["`"]
    IDENTIFIER_ESCAPES: ClassVar = ["`"]
    QUOTES: ClassVar = ["'"]
    STRING_ESCAPES: ClassVar = ["'"]
    BIT_STRINGS: ClassVar = []
    HEX_STRINGS: ClassVar = [("X'", "'"), ("x'", "'")]
    BYTE_STRINGS: ClassVar = []

    # Every statement keyword is parsed by the Flink parser: nothing falls back to an opaque Command.
    COMMANDS: ClassVar = set()

    TOKENS_PRECEDING_HINT: ClassVar = {
        TokenType.SELECT,
        TokenType.INSERT,
        TokenType.VAR,
        TokenType.IDENTIFIER,
    }

    KEYWORDS: ClassVar = {
        **{k: v for k, v in Tokenizer.KEYWORDS.items() if k != "DIV"},
        "BYTES": TokenType.BLOB,
        "STRING": TokenType.TEXT,
        "DEC": TokenType.DECIMAL,
        "TIMESTAMP_LTZ": TokenType.TIMESTAMPLTZ,
        "MATCH_RECOGNIZE": TokenType.MATCH_RECOGNIZE,
    }
