"""Digests, Base64 and UUID: MD5, SHA1, SHA224/256/384/512, SHA2, TO_BASE64, FROM_BASE64, UUID.

Flink hashes the UTF-8 bytes of a string (or the bytes of a BYTES value) and returns lower-case hex
as CHAR(2 * digest bytes) (SHA2: VARCHAR(128)); NULL in, NULL out. DuckDB has MD5, SHA-1 and SHA-256
built in; the other SHA-2 digests are refused with a clear message rather than computed wrongly.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlglot import exp

from planner import types as T
from planner.expr import Expr, Lit
from planner.functions.registry import FunctionDef, FunctionError, arity, register
from planner.functions.string_args import (
    CHARACTER,
    INTEGER,
    STRING_OR_BINARY,
    any_nullable,
    check_args,
    null_if_any_null,
)
from planner.types import FlinkType

_DUCKDB_DIGESTS = {"MD5": "md5", "SHA1": "sha1", "SHA256": "sha256"}
_HEX_LENGTH = {"MD5": 32, "SHA1": 40, "SHA224": 56, "SHA256": 64, "SHA384": 96, "SHA512": 128}


def _unsupported_digest(name: str) -> FunctionError:
    return FunctionError(
        f"{name} is not available in batch mode yet (DuckDB has no built-in {name}); "
        "use SHA256, SHA1 or MD5"
    )


def _digest_infer(name: str):
    def infer(args: Sequence[Expr]) -> FlinkType:
        check_args(name, args, [[STRING_OR_BINARY]], [f"{name}(<STRING>)"])
        if name not in _DUCKDB_DIGESTS:
            raise _unsupported_digest(name)
        return T.char(_HEX_LENGTH[name], any_nullable(args))

    return infer


def _digest_lower(name: str):
    duck = _DUCKDB_DIGESTS.get(name, "")

    def lower(sql: Sequence[str], args: Sequence[Expr], rt: FlinkType) -> str:
        return f"{duck}({sql[0]})"

    return lower


register(
    FunctionDef("MD5", _digest_infer("MD5"), _digest_lower("MD5"), nodes=(exp.MD5,)),
    FunctionDef("SHA1", _digest_infer("SHA1"), _digest_lower("SHA1"), nodes=(exp.SHA,)),
    *(
        FunctionDef(name, _digest_infer(name), _digest_lower(name))
        for name in ("SHA224", "SHA256", "SHA384", "SHA512")
    ),
)


def _sha2_infer(args: Sequence[Expr]) -> FlinkType:
    check_args("SHA2", args, [[STRING_OR_BINARY, INTEGER]], ["SHA2(<STRING>, <INTEGER>)"])
    bits = args[1]
    if isinstance(bits, Lit) and bits.value is not None:
        if bits.value not in (224, 256, 384, 512):
            raise FunctionError(
                f"Unsupported algorithm: SHA2 hash length must be 224, 256, 384 or 512, was {bits.value}"
            )
        if bits.value != 256:
            raise _unsupported_digest(f"SHA{bits.value}")
    return T.varchar(128, any_nullable(args))


def _sha2_lower(sql: Sequence[str], args: Sequence[Expr], rt: FlinkType) -> str:
    bits = args[1]
    if isinstance(bits, Lit):
        return "CAST(NULL AS VARCHAR)" if bits.value is None else f"sha256({sql[0]})"
    body = (
        f"CASE WHEN {sql[1]} = 256 THEN sha256({sql[0]}) "
        f"ELSE error('SHA2 with ' || {sql[1]} || ' bits is not available in batch mode yet') END"
    )
    return null_if_any_null(sql, args, body)


register(FunctionDef("SHA2", _sha2_infer, _sha2_lower, nodes=(exp.SHA2,)))


# ---------------------------------------------------------------- Base64


def _to_base64_infer(args: Sequence[Expr]) -> FlinkType:
    check_args("TO_BASE64", args, [[STRING_OR_BINARY]], ["TO_BASE64(<STRING>)"])
    return T.string(any_nullable(args))


def _to_base64_lower(sql: Sequence[str], args: Sequence[Expr], rt: FlinkType) -> str:
    data = sql[0] if args[0].type.is_binary else f"encode({sql[0]})"
    return f"to_base64({data})"


def _from_base64_infer(args: Sequence[Expr]) -> FlinkType:
    check_args("FROM_BASE64", args, [[CHARACTER]], ["FROM_BASE64(<CHARACTER>)"])
    return T.string(any_nullable(args))


def _from_base64_lower(sql: Sequence[str], args: Sequence[Expr], rt: FlinkType) -> str:
    # Java's decoder accepts input without its '=' padding; DuckDB's wants it.
    padded = f"{sql[0]} || repeat('=', (4 - length({sql[0]}) % 4) % 4)"
    return f"decode(from_base64({padded}))"


register(
    FunctionDef("TO_BASE64", _to_base64_infer, _to_base64_lower, nodes=(exp.ToBase64,)),
    FunctionDef("FROM_BASE64", _from_base64_infer, _from_base64_lower, nodes=(exp.FromBase64,)),
)


# ---------------------------------------------------------------- UUID


def _uuid_infer(args: Sequence[Expr]) -> FlinkType:
    arity(args, "UUID", 0)
    return T.char(36, False)


register(
    FunctionDef(
        "UUID",
        _uuid_infer,
        lambda s, a, rt: "CAST(uuid() AS VARCHAR)",
        nodes=(exp.Uuid,),
        deterministic=False,
    )
)
