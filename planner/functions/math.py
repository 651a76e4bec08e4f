"""Numeric functions: ROUND, TRUNCATE, ABS, SIGN, POWER, roots, logarithms, trigonometry, BIN/HEX.

Flink semantics decided here (each checked against Flink 2.3):
* ROUND/TRUNCATE keep integer and approximate types; a DECIMAL(p, s) rounded to a literal r digits
  becomes DECIMAL(1 + p - s + r, r) (0 <= r < s), DECIMAL(1 + p - s, 0) (r < 0) or stays (r >= s).
  Ties round half away from zero (Java's HALF_UP), and a DOUBLE is rounded on its shortest decimal
  text (`ROUND(2.675, 2)` is 2.68, not the binary 2.67), so DOUBLEs round through DECIMAL.
* ABS of the smallest integer wraps (Java), where DuckDB's abs overflows.
* The transcendental functions return DOUBLE and follow java.lang.Math: NaN and +-Infinity, no errors.
* BIN and HEX of an integer show its 64-bit two's complement; HEX of a string shows its UTF-8 bytes.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlglot import exp

from planner import types as T
from planner.expr import Call, Expr, Lit, Symbol
from planner.functions.coercion import MAX_PRECISION
from planner.functions.registry import FunctionDef, FunctionError, arity, register
from planner.types import FlinkType, calcite_name, to_duckdb


def cannot_apply(name: str, args: Sequence[Expr], *forms: str) -> FunctionError:
    shown = ", ".join(f"<{calcite_name(a.type)}>" for a in args)
    supported = " ".join(f"'{name}({f})'" for f in forms)
    return FunctionError(
        f"Cannot apply '{name}' to arguments of type '{name}({shown})'. Supported form(s): {supported}"
    )


def int_constant(e: Expr) -> int | None:
    """The value of an integer literal argument (`2`, `-1`), or None when it is not a constant."""
    if isinstance(e, Lit) and isinstance(e.value, int) and not isinstance(e.value, bool):
        return e.value
    if isinstance(e, Call) and e.name == "NEGATE" and len(e.args) == 1:
        inner = int_constant(e.args[0])
        return None if inner is None else -inner
    return None


def _numeric(t: FlinkType) -> bool:
    return t.is_numeric or t.name == "NULL"


def _nullable(args: Sequence[Expr]) -> bool:
    return any(a.type.nullable for a in args if not isinstance(a, Symbol))


def as_double(sql: str) -> str:
    return f"CAST({sql} AS DOUBLE)"


# ---------------------------------------------------------------- ROUND and TRUNCATE


def rounded_decimal(precision: int, scale: int, digits: int) -> tuple[int, int]:
    """Flink's LogicalTypeMerging.findRoundDecimalType: rounding may add one integer digit."""
    if digits >= scale:
        return precision, scale
    if digits < 0:
        return min(MAX_PRECISION, 1 + precision - scale), 0
    return 1 + precision - scale + digits, digits


def _round_infer(name: str):
    def infer(args: Sequence[Expr]) -> FlinkType:
        arity(args, name, 1, 2)
        t = args[0].type
        if not _numeric(t) or (
            len(args) == 2 and not (args[1].type.is_integer or args[1].type.name == "NULL")
        ):
            raise cannot_apply(name, args, "<NUMERIC>, <INTEGER>", "<NUMERIC>")
        nullable = _nullable(args)
        if t.name == "NULL":
            return T.NULL
        if t.name != "DECIMAL":
            return t.without_time_attr().with_nullable(nullable)
        digits = 0 if len(args) == 1 else int_constant(args[1])
        if digits is None:
            return t.with_nullable(nullable)
        p, s = rounded_decimal(t.precision or 10, t.scale or 0, digits)
        return T.decimal(p, s, nullable)

    return infer


def _round_lower(duck_fn: str):
    def lower(sql: Sequence[str], args: Sequence[Expr], rt: FlinkType) -> str:
        x = sql[0]
        digits_sql = sql[1] if len(sql) == 2 else "0"
        digits = 0 if len(args) == 1 else int_constant(args[1])
        t = args[0].type
        if rt.name == "NULL":
            return "NULL"
        if t.is_integer:
            if digits is not None and digits >= 0:
                return x
            return f"CAST({duck_fn}({x}, {digits_sql}) AS {to_duckdb(rt)})"
        if t.name == "DECIMAL":
            return _by_digits(lambda d: f"{duck_fn}({x}, {d})", digits, digits_sql, t, rt)
        # FLOAT/DOUBLE: round the shortest decimal text, as Java's BigDecimal.valueOf(double) does.
        exact = f"CAST(CAST({x} AS VARCHAR) AS DECIMAL(38, 18))"
        body = _by_digits(
            lambda d: f"CAST({duck_fn}({exact}, {d}) AS DOUBLE)",
            digits,
            digits_sql,
            T.decimal(38, 18),
            T.double(),
        )
        return (
            f"CAST(CASE WHEN NOT isfinite({x}) THEN error('{_name(duck_fn)} of NaN or Infinity: "
            f'Character N is neither a decimal digit number, decimal point, nor "e" notation '
            f"exponential mark.') WHEN abs({x}) >= 1e17 THEN {duck_fn}(CAST({x} AS DOUBLE), {digits_sql}) "
            f"ELSE {body} END AS {to_duckdb(rt)})"
        )

    return lower


def _name(duck_fn: str) -> str:
    return "ROUND" if duck_fn == "round" else "TRUNCATE"


def _by_digits(round_to, digits: int | None, digits_sql: str, t: FlinkType, rt: FlinkType) -> str:
    """DuckDB rounds DECIMALs only to constant digits: a non-constant count picks among them."""
    target = to_duckdb(rt)
    if digits is not None:
        return f"CAST({round_to(digits)} AS {target})"
    p, s = t.precision or 10, t.scale or 0
    low = -(p - s) - 1
    branches = " ".join(f"WHEN {d} THEN CAST({round_to(d)} AS {target})" for d in range(low + 1, s))
    return (
        f"CASE WHEN {digits_sql} >= {s} THEN CAST({round_to(s)} AS {target}) "
        f"WHEN {digits_sql} <= {low} THEN CAST(0 AS {target}) "
        f"ELSE CASE {digits_sql} {branches} END END"
    )


register(
    FunctionDef("ROUND", _round_infer("ROUND"), _round_lower("round"), nodes=(exp.Round,)),
    FunctionDef("TRUNCATE", _round_infer("TRUNCATE"), _round_lower("trunc"), nodes=(exp.Trunc,)),
)


# ---------------------------------------------------------------- ABS and SIGN

_INT_MIN = {"TINYINT": -(2**7), "SMALLINT": -(2**15), "INT": -(2**31), "BIGINT": -(2**63)}


def _same_type_infer(name: str):
    def infer(args: Sequence[Expr]) -> FlinkType:
        arity(args, name, 1)
        t = args[0].type
        if not (_numeric(t) or (name == "ABS" and t.is_interval)):
            forms = ("<NUMERIC>", "<DATETIME_INTERVAL>") if name == "ABS" else ("<NUMERIC>",)
            raise cannot_apply(name, args, *forms)
        return t.without_time_attr()

    return infer


def _abs_lower(sql: Sequence[str], args: Sequence[Expr], rt: FlinkType) -> str:
    x = sql[0]
    if rt.is_integer:
        # Java's Math.abs(MIN_VALUE) is MIN_VALUE; DuckDB raises an overflow instead.
        return f"CASE WHEN {x} = {_INT_MIN[rt.name]} THEN {x} ELSE abs({x}) END"
    if rt.is_interval:
        return f"CASE WHEN {x} < INTERVAL 0 SECOND THEN -({x}) ELSE {x} END"
    return f"abs({x})"


def _sign_lower(sql: Sequence[str], args: Sequence[Expr], rt: FlinkType) -> str:
    if rt.name == "NULL":
        return "NULL"
    return f"CAST(sign({sql[0]}) AS {to_duckdb(rt)})"


register(
    FunctionDef("ABS", _same_type_infer("ABS"), _abs_lower, nodes=(exp.Abs,)),
    FunctionDef("SIGN", _same_type_infer("SIGN"), _sign_lower, nodes=(exp.Sign,)),
)


# ---------------------------------------------------------------- DOUBLE-valued functions


def _double_infer(name: str, count: int, forms: tuple[str, ...] = ("<NUMERIC>",)):
    def infer(args: Sequence[Expr]) -> FlinkType:
        arity(args, name, count)
        if not all(_numeric(a.type) for a in args):
            raise cannot_apply(name, args, *forms)
        return T.double(_nullable(args))

    return infer


def _double_fn(duck: str):
    def lower(sql: Sequence[str], args: Sequence[Expr], rt: FlinkType) -> str:
        return f"{duck}({', '.join(as_double(s) for s in sql)})"

    return lower


_UNARY_DOUBLE = {
    "SQRT": ("sqrt", exp.Sqrt),
    "EXP": ("exp", exp.Exp),
    "LN": ("ln", exp.Ln),
    "SIN": ("sin", exp.Sin),
    "COS": ("cos", exp.Cos),
    "TAN": ("tan", exp.Tan),
    "COT": ("cot", exp.Cot),
    "ASIN": ("asin", exp.Asin),
    "ACOS": ("acos", exp.Acos),
    "ATAN": ("atan", exp.Atan),
    "SINH": ("sinh", exp.Sinh),
    "COSH": ("cosh", exp.Cosh),
    "TANH": ("tanh", exp.Tanh),
    "DEGREES": ("degrees", exp.Degrees),
    "RADIANS": ("radians", exp.Radians),
    "LOG10": ("log10", None),
    "LOG2": ("log2", None),
}

for _name_, (_duck, _node) in _UNARY_DOUBLE.items():
    register(
        FunctionDef(
            _name_,
            _double_infer(_name_, 1),
            _double_fn(_duck),
            nodes=(_node,) if _node is not None else (),
        )
    )

register(
    FunctionDef(
        "POWER",
        _double_infer("POWER", 2, ("<NUMERIC>, <NUMERIC>",)),
        _double_fn("pow"),
        nodes=(exp.Pow,),
    ),
    FunctionDef(
        "ATAN2",
        _double_infer("ATAN2", 2, ("<NUMERIC>, <NUMERIC>",)),
        _double_fn("atan2"),
        nodes=(exp.Atan2,),
    ),
)


def _log_args(node: exp.Expr) -> list[exp.Expr | Symbol]:
    """LOG(x), LOG(base, x); sqlglot also parses LOG10(x)/LOG2(x) as exp.Log with a synthetic base.

    The synthetic base carries no source position (parsed literals do); it must lower to log10/log2
    because Flink's LOG(10, x) divides natural logarithms and differs in the last digit.
    """
    base, x = node.this, node.args.get("expression")
    if x is None:
        return [base]
    if isinstance(base, exp.Literal) and "line" not in base.meta and base.name in ("10", "2"):
        return [Symbol(f"LOG{base.name}"), x]
    return [base, x]


def _log_infer(args: Sequence[Expr]) -> FlinkType:
    if args and isinstance(args[0], Symbol):
        return _double_infer(args[0].name, 1)(args[1:])
    arity(args, "LOG", 1, 2)
    return _double_infer("LOG", len(args), ("<NUMERIC>", "<NUMERIC>, <NUMERIC>"))(args)


def _log_lower(sql: Sequence[str], args: Sequence[Expr], rt: FlinkType) -> str:
    if isinstance(args[0], Symbol):
        return f"{args[0].name.lower()}({as_double(sql[1])})"
    if len(sql) == 1:
        return f"ln({as_double(sql[0])})"
    return f"ln({as_double(sql[1])}) / ln({as_double(sql[0])})"


register(FunctionDef("LOG", _log_infer, _log_lower, nodes=(exp.Log,), args=_log_args))


def _constant_infer(name: str):
    def infer(args: Sequence[Expr]) -> FlinkType:
        arity(args, name, 0)
        return T.double(False)

    return infer


register(
    FunctionDef("PI", _constant_infer("PI"), lambda s, a, rt: "pi()", nodes=(exp.Pi,)),
    FunctionDef("E", _constant_infer("E"), lambda s, a, rt: "exp(1::DOUBLE)"),
)


# ---------------------------------------------------------------- random numbers


def _rand_infer(args: Sequence[Expr]) -> FlinkType:
    arity(args, "RAND", 0, 1)
    if args and not args[0].type.is_integer:
        raise cannot_apply("RAND", args, "", "<INTEGER>")
    return T.double(False)


def _rand_integer_infer(args: Sequence[Expr]) -> FlinkType:
    arity(args, "RAND_INTEGER", 1, 2)
    if not all(a.type.is_integer for a in args):
        raise cannot_apply("RAND_INTEGER", args, "<INTEGER>", "<INTEGER>, <INTEGER>")
    return T.int_(False)


def _rand_integer_lower(sql: Sequence[str], args: Sequence[Expr], rt: FlinkType) -> str:
    bound = sql[-1]
    return f"CAST(floor(random() * {bound}) AS INTEGER)"


register(
    FunctionDef(
        "RAND", _rand_infer, lambda s, a, rt: "random()", nodes=(exp.Rand,), deterministic=False
    ),
    FunctionDef("RAND_INTEGER", _rand_integer_infer, _rand_integer_lower, deterministic=False),
)


# ---------------------------------------------------------------- BIN, HEX, UNHEX


def _bin_infer(args: Sequence[Expr]) -> FlinkType:
    arity(args, "BIN", 1)
    if not (args[0].type.is_integer or args[0].type.name == "NULL"):
        raise cannot_apply("BIN", args, "<INTEGER>")
    return T.string(_nullable(args))


def _hex_infer(args: Sequence[Expr]) -> FlinkType:
    arity(args, "HEX", 1)
    t = args[0].type
    if not (t.is_integer or t.is_character or t.name == "NULL"):
        raise cannot_apply("HEX", args, "<INTEGER>", "<CHARACTER>")
    return T.string(_nullable(args))


def _hex_lower(sql: Sequence[str], args: Sequence[Expr], rt: FlinkType) -> str:
    t = args[0].type
    if t.is_integer:
        return f"hex(CAST({sql[0]} AS BIGINT))"
    return f"hex({sql[0]})"


def _unhex_infer(args: Sequence[Expr]) -> FlinkType:
    arity(args, "UNHEX", 1)
    if not (args[0].type.is_character or args[0].type.name == "NULL"):
        raise cannot_apply("UNHEX", args, "<CHARACTER>")
    return T.bytes_(True)


def _unhex_lower(sql: Sequence[str], args: Sequence[Expr], rt: FlinkType) -> str:
    x = sql[0]
    # Flink returns NULL for text that is not hexadecimal, where DuckDB raises; of an odd-length
    # text it decodes all but the first digit, behind a zero byte.
    return (
        f"CASE WHEN NOT regexp_full_match({x}, '[0-9a-fA-F]*') THEN NULL "
        f"WHEN length({x}) % 2 = 1 THEN '\\x00'::BLOB || unhex(substr({x}, 2)) ELSE unhex({x}) END"
    )


register(
    FunctionDef("BIN", _bin_infer, lambda s, a, rt: f"bin(CAST({s[0]} AS BIGINT))"),
    FunctionDef("HEX", _hex_infer, _hex_lower, nodes=(exp.Hex,)),
    FunctionDef("UNHEX", _unhex_infer, _unhex_lower, nodes=(exp.Unhex,)),
)
