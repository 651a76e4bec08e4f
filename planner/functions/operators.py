"""Operators and conditional functions: arithmetic, comparison, logic, NULL tests, CASE and friends.

Flink semantics that differ from DuckDB's and are decided here: integer arithmetic wraps around in
two's complement as Java's does (`2147483647 + 1` is -2147483648; DuckDB would raise), integer `/`
truncates (INT / INT is INT), `%` takes the sign of the dividend and the divisor's type, DECIMAL
division is exact and rounds HALF_UP to Flink's scale (DuckDB divides DECIMALs in DOUBLE), a string
is compared with a number or a date by casting it, and a BOOLEAN is never equal to a string.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from sqlglot import exp

from planner import types as T
from planner.binder.context import CALCITE_VALIDATOR
from planner.expr import Expr, Lit, Symbol
from planner.functions.cast_sql import bind
from planner.functions.coercion import (
    CoercionError,
    any_nullable,
    arithmetic_type,
    common_type,
    comparison_casts,
    merged_type,
)
from planner.functions.registry import FunctionDef, FunctionError, arity, register
from planner.types import FlinkType, calcite_name, to_duckdb

_DIVISION_BY_ZERO = "error('java.lang.ArithmeticException: Division by zero')"


def calcite_error(message: str) -> FunctionError:
    """A FunctionError that Flink reports through Calcite's validator (SqlValidatorException)."""
    error = FunctionError(message)
    error.java_class = CALCITE_VALIDATOR  # type: ignore[attr-defined]
    return error


def _types(args: Sequence[Expr]) -> list[FlinkType]:
    return [a.type for a in args]


def cast_sql(sql: str, t: FlinkType) -> str:
    return f"CAST({sql} AS {to_duckdb(t)})"


def _reject_untyped_null(args: Sequence[Expr]) -> None:
    if any(a.type.name == "NULL" for a in args):
        raise calcite_error("Illegal use of 'NULL'")


# ---------------------------------------------------------------- arithmetic

_ARITH_FORMS = {
    "+": (
        "'<NUMERIC> + <NUMERIC>'\n'<DATETIME_INTERVAL> + <DATETIME_INTERVAL>'\n"
        "'<DATETIME> + <DATETIME_INTERVAL>'\n'<DATETIME_INTERVAL> + <DATETIME>'"
    ),
    "-": (
        "'<NUMERIC> - <NUMERIC>'\n'<DATETIME_INTERVAL> - <DATETIME_INTERVAL>'\n"
        "'<DATETIME> - <DATETIME_INTERVAL>'"
    ),
    "*": (
        "'<NUMERIC> * <NUMERIC>'\n'<DATETIME_INTERVAL> * <NUMERIC>'\n"
        "'<NUMERIC> * <DATETIME_INTERVAL>'"
    ),
    "/": "'<NUMERIC> / <NUMERIC>'\n'<DATETIME_INTERVAL> / <NUMERIC>'",
    "%": "'<EXACT_NUMERIC> % <EXACT_NUMERIC>'",
    "MOD": "'MOD(<EXACT_NUMERIC>, <EXACT_NUMERIC>)'",
}


def _arith_infer(op: str):
    shown = "MOD" if op == "%" else op

    def infer(args: Sequence[Expr]) -> FlinkType:
        arity(args, shown, 2)
        a, b = _types(args)
        _reject_untyped_null(args)
        if op in "+-" and (a.is_temporal or b.is_temporal or a.is_interval or b.is_interval):
            return _datetime_plus_type(op, a, b)
        try:
            return arithmetic_type(op, a, b)
        except CoercionError:
            raise calcite_error(_cannot_apply(shown, a, b)) from None

    return infer


def _cannot_apply(op: str, a: FlinkType, b: FlinkType) -> str:
    if op == "MOD":
        used = f"MOD(<{calcite_name(a)}>, <{calcite_name(b)}>)"
    else:
        used = f"<{calcite_name(a)}> {op} <{calcite_name(b)}>"
    return (
        f"Cannot apply '{op}' to arguments of type '{used}'. Supported form(s): {_ARITH_FORMS[op]}"
    )


def _mod_infer(symbol: str):
    inner = _arith_infer("%")

    def infer(args: Sequence[Expr]) -> FlinkType:
        try:
            return inner(args)
        except FunctionError as e:
            if symbol == "%" and str(e).startswith("Cannot apply"):
                a, b = _types(args)
                raise calcite_error(_cannot_apply("%", a, b)) from None
            raise

    return infer


def _datetime_plus_type(op: str, a: FlinkType, b: FlinkType) -> FlinkType:
    nullable = a.nullable or b.nullable
    if a.is_temporal and b.is_interval:
        return a.without_time_attr().with_nullable(nullable)
    if op == "+" and a.is_interval and b.is_temporal:
        return b.without_time_attr().with_nullable(nullable)
    if a.is_interval and b.is_interval and a.name == b.name:
        return a.with_nullable(nullable)
    raise calcite_error(_cannot_apply(op, a, b))


_WIDER = {"TINYINT": "INTEGER", "SMALLINT": "INTEGER", "INT": "BIGINT", "BIGINT": "HUGEINT"}
_BITS = {"TINYINT": 8, "SMALLINT": 16, "INT": 32, "BIGINT": 64}


def wrap_to(wide_sql: str, t: FlinkType) -> str:
    """Fold an exact result computed in a wider type back into `t`, two's complement like Java."""
    bits = _BITS[t.name]
    wide = _WIDER[t.name]
    half, mask = 1 << (bits - 1), (1 << bits) - 1
    return (
        f"CAST(((({wide_sql}) + CAST({half} AS {wide})) & CAST({mask} AS {wide})) "
        f"- CAST({half} AS {wide}) AS {to_duckdb(t)})"
    )


def _widened(sql: str, t: FlinkType) -> str:
    return f"CAST({sql} AS {_WIDER[t.name]})"


def _arith_lower(op: str):
    def lower(sql: Sequence[str], args: Sequence[Expr], rt: FlinkType) -> str:
        a, b = sql
        if rt.name == "DECIMAL":
            if op == "/":
                return decimal_divide(a, b, args[0].type, args[1].type, rt)
            if op == "%":
                return f"(CASE WHEN {b} = 0 THEN {_DIVISION_BY_ZERO} ELSE {cast_sql(f'{a} % {b}', rt)} END)"
            if (rt.precision or 0) > 18:
                # DuckDB computes a product of small DECIMALs in 64 bits and raises on overflow.
                a, b = _wide_decimal(a, args[0].type), _wide_decimal(b, args[1].type)
            return cast_sql(f"{a} {op} {b}", rt)
        if rt.is_integer and op == "%":
            wide = max((args[0].type, args[1].type), key=lambda t: _BITS[t.name])
            return cast_sql(f"{_widened(a, wide)} % {_widened(b, wide)}", rt)
        if rt.is_integer:
            duck_op = "//" if op == "/" else op
            return wrap_to(f"{_widened(a, rt)} {duck_op} {_widened(b, rt)}", rt)
        if rt.is_approx:
            return cast_sql(f"{cast_sql(a, rt)} {op} {cast_sql(b, rt)}", rt)
        return f"({a} {op} {b})"

    return lower


def _wide_decimal(sql: str, t: FlinkType) -> str:
    return f"CAST({sql} AS DECIMAL(38, {t.scale or 0 if t.name == 'DECIMAL' else 0}))"


def _unscaled(sql: str, t: FlinkType) -> tuple[str, int]:
    """An exact number as (HUGEINT of its digits, scale): 7.25 is (725, 2)."""
    if t.name != "DECIMAL":
        return f"CAST({sql} AS HUGEINT)", 0
    scale = t.scale or 0
    if scale == 0:
        return f"CAST({sql} AS HUGEINT)", 0
    factor = 10**scale
    return (
        bind(
            sql,
            lambda v: (
                f"(CAST(trunc({v}) AS HUGEINT) * {factor} "
                f"+ CAST(({v} - trunc({v})) * {factor} AS HUGEINT))"
            ),
        ),
        scale,
    )


def decimal_divide(a: str, b: str, ta: FlinkType, tb: FlinkType, rt: FlinkType) -> str:
    """Flink's exact DECIMAL quotient, rounded HALF_UP to the result's scale, in HUGEINT digits."""
    numerator, sa = _unscaled(a, ta)
    denominator, sb = _unscaled(b, tb)
    scale = rt.scale or 0
    shift = scale + sb - sa
    if shift >= 0:
        numerator = f"({numerator} * CAST({10**shift} AS HUGEINT))"
    else:
        denominator = f"({denominator} * CAST({10**-shift} AS HUGEINT))"
    digits = f"0.{'0' * (scale - 1)}1" if scale else "1"
    unit = f"CAST('{digits}' AS DECIMAL({min(scale + 1, 38)}, {scale}))"

    def body(n: str, d: str) -> str:
        rem = f"abs({n} % {d})"
        rounded = (
            f"({n} // {d} + CASE WHEN {rem} >= abs({d}) - {rem} "
            f"THEN sign({n}) * sign({d}) ELSE 0 END)"
        )
        return (
            f"CASE WHEN {d} = 0 THEN {_DIVISION_BY_ZERO} "
            f"ELSE {cast_sql(f'CAST({rounded} AS DECIMAL(38, 0)) * {unit}', rt)} END"
        )

    return bind(numerator, lambda n: bind(denominator, lambda d: body(n, d)))


register(
    FunctionDef("+", _arith_infer("+"), _arith_lower("+"), nodes=(exp.Add,)),
    FunctionDef("-", _arith_infer("-"), _arith_lower("-"), nodes=(exp.Sub,)),
    FunctionDef("*", _arith_infer("*"), _arith_lower("*"), nodes=(exp.Mul,)),
    FunctionDef("/", _arith_infer("/"), _arith_lower("/"), nodes=(exp.Div,)),
    FunctionDef("%", _mod_infer("%"), _arith_lower("%"), nodes=(exp.Mod,)),
    FunctionDef("MOD", _mod_infer("MOD"), _arith_lower("%")),
)


def _neg_infer(args: Sequence[Expr]) -> FlinkType:
    arity(args, "-", 1)
    _reject_untyped_null(args)
    (arg,) = args
    t = arg.type
    if not (t.is_numeric or t.is_interval):
        raise calcite_error(
            f"Cannot apply '-' to arguments of type '-<{calcite_name(t)}>'. "
            "Supported form(s): '-<NUMERIC>'\n'-<DATETIME_INTERVAL>'"
        )
    if isinstance(arg, Lit) and t.is_integer and isinstance(arg.value, int):
        # Calcite folds `-(literal)` into a literal, typed by its value: -(-2147483648) is BIGINT.
        value = -arg.value
        if not -(2**31) <= value < 2**31:
            return T.bigint(False) if -(2**63) <= value < 2**63 else T.decimal(19, 0, False)
    return t.without_time_attr()


def _neg_lower(sql: Sequence[str], args: Sequence[Expr], rt: FlinkType) -> str:
    (x,) = sql
    if rt.is_integer and rt.name == args[0].type.name:
        return wrap_to(f"-{_widened(x, rt)}", rt)
    if rt != args[0].type.with_nullable(rt.nullable):
        return f"(-{cast_sql(x, rt)})"
    return f"(-({x}))"


register(FunctionDef("NEGATE", _neg_infer, _neg_lower, nodes=(exp.Neg,)))


# ---------------------------------------------------------------- comparison


def _coerce_operands(op: str, args: Sequence[Expr]) -> tuple[FlinkType | None, FlinkType | None]:
    a, b = _types(args)
    try:
        return comparison_casts(op, a, b)
    except CoercionError as e:
        text = str(e)
        if text.startswith("implicit type conversion"):
            raise FunctionError(text) from None
        if text.startswith("Comparable type expected"):
            error = FunctionError(text)
            error.java_class = "org.apache.flink.table.planner.codegen.CodeGenException"  # type: ignore[attr-defined]
            raise error from None
        raise calcite_error(
            f"Cannot apply '{op}' to arguments of type '<{calcite_name(a)}> {op} "
            f"<{calcite_name(b)}>'. Supported form(s): '<COMPARABLE_TYPE> {op} <COMPARABLE_TYPE>'"
        ) from None


def _compare_infer(op: str):
    def infer(args: Sequence[Expr]) -> FlinkType:
        arity(args, op, 2)
        _coerce_operands(op, args)
        nullable = any_nullable(_types(args))
        return T.boolean(nullable and op not in ("IS DISTINCT FROM", "IS NOT DISTINCT FROM"))

    return infer


def _cast_operand(sql: str, arg: Expr, target: FlinkType | None) -> str:
    if target is None:
        return sql
    from planner.functions.casts import lower_cast

    # Flink's implicit string-to-date/time conversion yields NULL for unparsable text (a literal
    # fails at plan time); to a number it fails.
    safe = target.is_temporal and not isinstance(arg, Lit)
    return lower_cast(sql, arg.type, target.with_nullable(True), safe=safe)


def _compare_lower(op: str):
    def lower(sql: Sequence[str], args: Sequence[Expr], rt: FlinkType) -> str:
        a, b = _types(args)
        if "BOOLEAN" in (a.name, b.name) and (a.is_character or b.is_character):
            return _boolean_vs_text(op, sql)
        ca, cb = _coerce_operands(op, args)
        left, right = _cast_operand(sql[0], args[0], ca), _cast_operand(sql[1], args[1], cb)
        return f"({left} {op} {right})"

    return lower


def _boolean_vs_text(op: str, sql: Sequence[str]) -> str:
    """Flink never finds a BOOLEAN equal to a string ('true' included), nor ordered before one."""
    a, b = sql
    if op == "IS DISTINCT FROM":
        return f"({a} IS NOT NULL OR {b} IS NOT NULL)"
    if op == "IS NOT DISTINCT FROM":
        return f"({a} IS NULL AND {b} IS NULL)"
    verdict = "TRUE" if op == "<>" else "FALSE"
    return f"(CASE WHEN {a} IS NULL OR {b} IS NULL THEN NULL ELSE {verdict} END)"


_COMPARISONS = {
    "=": exp.EQ,
    "<>": exp.NEQ,
    "<": exp.LT,
    "<=": exp.LTE,
    ">": exp.GT,
    ">=": exp.GTE,
    "IS DISTINCT FROM": exp.NullSafeNEQ,
    "IS NOT DISTINCT FROM": exp.NullSafeEQ,
}
register(
    *(
        FunctionDef(op, _compare_infer(op), _compare_lower(op), nodes=(node,))
        for op, node in _COMPARISONS.items()
    )
)


def _between_infer(args: Sequence[Expr]) -> FlinkType:
    values = [a for a in args if not isinstance(a, Symbol)]
    arity(values, "BETWEEN", 3)
    for bound in values[1:]:
        _coerce_operands("<=", [values[0], bound])
    return T.boolean(any_nullable(_types(values)))


def _between_args(node: exp.Expr) -> list[exp.Expr | Symbol]:
    args: list[exp.Expr | Symbol] = [node.this, node.args["low"], node.args["high"]]
    return [*args, Symbol("SYMMETRIC")] if node.args.get("symmetric") else args


def _between_lower(negated: bool) -> Callable[[Sequence[str], Sequence[Expr], FlinkType], str]:
    ge, le = _compare_lower(">="), _compare_lower("<=")

    def lower(sql: Sequence[str], args: Sequence[Expr], rt: FlinkType) -> str:
        symmetric = isinstance(args[-1], Symbol)
        x = args[0]

        def within(lo: int, hi: int) -> str:
            above = ge([sql[0], sql[lo]], [x, args[lo]], rt)
            below = le([sql[0], sql[hi]], [x, args[hi]], rt)
            return f"({above} AND {below})"

        test = within(1, 2)
        if symmetric:
            test = f"({test} OR {within(2, 1)})"
        return f"(NOT {test})" if negated else test

    return lower


register(
    FunctionDef(
        "BETWEEN", _between_infer, _between_lower(False), nodes=(exp.Between,), args=_between_args
    ),
    FunctionDef("NOT BETWEEN", _between_infer, _between_lower(True)),
)


def _in_infer(args: Sequence[Expr]) -> FlinkType:
    types = _types(args)
    try:
        common_type(types[1:])
    except CoercionError:
        raise calcite_error("Values in expression list must have compatible types") from None
    try:
        common_type(types)
    except CoercionError:
        if not all(_in_comparable(types[0], t) for t in types[1:]):
            raise calcite_error("Values passed to IN operator must have compatible types") from None
    return T.boolean(any_nullable(types))


def _in_comparable(a: FlinkType, b: FlinkType) -> bool:
    try:
        comparison_casts("<", a, b)
    except CoercionError:
        return False
    return True


def _in_item_type(value: FlinkType, item: FlinkType) -> FlinkType | None:
    """Flink casts list items to the tested value's type where the two are string and non-string."""
    if item.name == "NULL" or value.is_character == item.is_character:
        return None
    if value.is_character:
        return T.string()
    return value.without_time_attr()


def _in_lower(negated: bool):
    def lower(sql: Sequence[str], args: Sequence[Expr], rt: FlinkType) -> str:
        value = args[0].type
        items = []
        for s, a in zip(sql[1:], args[1:], strict=True):
            items.append(_cast_operand(s, a, _in_item_type(value, a.type)))
        word = "NOT IN" if negated else "IN"
        return f"({sql[0]} {word} ({', '.join(items)}))"

    return lower


register(
    FunctionDef("IN", _in_infer, _in_lower(False)),
    FunctionDef("NOT IN", _in_infer, _in_lower(True)),
)


# ---------------------------------------------------------------- logic


def _bool_infer(name: str):
    def infer(args: Sequence[Expr]) -> FlinkType:
        _reject_untyped_null(args)
        if any(a.type.name != "BOOLEAN" for a in args):
            if name == "NOT":
                used, form = f"NOT<{calcite_name(args[0].type)}>", "NOT<BOOLEAN>"
            else:
                used = f" {name} ".join(f"<{calcite_name(a.type)}>" for a in args)
                form = f"<BOOLEAN> {name} <BOOLEAN>"
            raise calcite_error(
                f"Cannot apply '{name}' to arguments of type '{used}'. Supported form(s): '{form}'"
            )
        return T.boolean(any_nullable(_types(args)))

    return infer


register(
    FunctionDef(
        "AND", _bool_infer("AND"), lambda s, a, rt: f"({' AND '.join(s)})", nodes=(exp.And,)
    ),
    FunctionDef("OR", _bool_infer("OR"), lambda s, a, rt: f"({' OR '.join(s)})", nodes=(exp.Or,)),
    FunctionDef("NOT", _bool_infer("NOT"), lambda s, a, rt: f"(NOT {s[0]})", nodes=(exp.Not,)),
)


def _is_infer(name: str):
    def infer(args: Sequence[Expr]) -> FlinkType:
        t = args[0].type
        if "NULL" in name:
            return T.boolean(False)
        # The binder calls this directly (not through `call`), so raise its own error type.
        from planner.binder.context import invalid

        if t.name == "NULL":
            raise invalid("Illegal use of 'NULL'")
        if t.name != "BOOLEAN":
            raise invalid(
                f"Cannot apply '{name}' to arguments of type '<{calcite_name(t)}> {name}'. "
                f"Supported form(s): '<BOOLEAN> {name}'"
            )
        return T.boolean(False)

    return infer


_IS_TESTS = {
    "IS NULL": "IS NULL",
    "IS NOT NULL": "IS NOT NULL",
    "IS TRUE": "IS TRUE",
    "IS NOT TRUE": "IS NOT TRUE",
    "IS FALSE": "IS FALSE",
    "IS NOT FALSE": "IS NOT FALSE",
    "IS UNKNOWN": "IS NULL",
    "IS NOT UNKNOWN": "IS NOT NULL",
}
register(
    *(
        FunctionDef(name, _is_infer(name), lambda s, a, rt, duck=duck: f"({s[0]} {duck})")
        for name, duck in _IS_TESTS.items()
    )
)


# ---------------------------------------------------------------- conditionals


def coerce_to(sql: str, t: FlinkType, target: FlinkType) -> str:
    """A branch value as the conditional's result type (no padding: Flink's VARCHAR result of
    CHAR branches keeps each value's own length)."""
    if t.without_time_attr().with_nullable(target.nullable) == target:
        return sql
    if t.name == "NULL":
        return f"CAST(NULL AS {to_duckdb(target)})"
    if target.name == "VARCHAR" and t.is_character:
        return sql
    from planner.functions.casts import lower_cast

    return lower_cast(sql, t, target.with_nullable(True), safe=False)


def _case_infer(args: Sequence[Expr]) -> FlinkType:
    """args: cond1, value1, cond2, value2, ..., else_value (ELSE NULL is added by the binder)."""
    conditions = [args[i] for i in range(0, len(args) - 1, 2)]
    values = [args[i] for i in range(1, len(args) - 1, 2)] + [args[-1]]
    if any(c.type.name != "BOOLEAN" for c in conditions):
        raise calcite_error("Expected a boolean type")
    if all(v.type.name == "NULL" for v in values):
        raise calcite_error("ELSE clause or at least one THEN clause must be non-NULL")
    try:
        return common_type(_types(values))
    except CoercionError:
        raise calcite_error("Illegal mixing of types in CASE or COALESCE statement") from None


def _case_lower(sql: Sequence[str], args: Sequence[Expr], rt: FlinkType) -> str:
    parts = ["(CASE"]
    for i in range(0, len(sql) - 1, 2):
        parts.append(f"WHEN {sql[i]} THEN {coerce_to(sql[i + 1], args[i + 1].type, rt)}")
    parts.append(f"ELSE {coerce_to(sql[-1], args[-1].type, rt)} END)")
    return " ".join(parts)


register(FunctionDef("CASE", _case_infer, _case_lower))


def _invalid_call(name: str, args: Sequence[Expr]) -> FunctionError:
    shown = ", ".join(a.type.summary() for a in args)
    return FunctionError(f"Invalid function call:\n{name}({shown})")


def _merged(name: str, args: Sequence[Expr]) -> FlinkType:
    try:
        return merged_type(_types(args))
    except CoercionError:
        raise _invalid_call(name, args) from None


def _coalesce_infer(args: Sequence[Expr]) -> FlinkType:
    if not args:
        raise calcite_error(
            "Invalid number of arguments to function 'COALESCE'. Was expecting 1 arguments"
        )
    t = _merged("COALESCE", args)
    return t.with_nullable(all(a.type.nullable for a in args))


def _coalesce_lower(sql: Sequence[str], args: Sequence[Expr], rt: FlinkType) -> str:
    inner = ", ".join(coerce_to(s, a.type, rt) for s, a in zip(sql, args, strict=True))
    return f"COALESCE({inner})"


def _ifnull_infer(args: Sequence[Expr]) -> FlinkType:
    if len(args) != 2:
        shown = ", ".join(f"<{_family(a.type)}>" for a in args)
        raise calcite_error(
            f"No match found for function signature IFNULL({shown}). "
            "Supported signatures are: IFNULL(input <COMMON>, null_replacement <COMMON>)"
        )
    common = _merged("IFNULL", args)
    first = args[0].type
    if not first.nullable and first.is_character:
        # Flink drops IFNULL of a NOT NULL string, keeping that string's own type.
        return first.without_time_attr()
    return common.with_nullable(first.nullable and args[1].type.nullable)


def _family(t: FlinkType) -> str:
    if t.is_numeric:
        return "NUMERIC"
    return "CHARACTER" if t.is_character else t.name


register(
    FunctionDef("COALESCE", _coalesce_infer, _coalesce_lower, nodes=(exp.Coalesce,)),
    FunctionDef("IFNULL", _ifnull_infer, _coalesce_lower),
)

_IF_FORMS = (
    "'IF(<ANY_TYPE>, <NUMERIC_TYPE>, <NUMERIC_TYPE>)'\n'IF(<BOOLEAN>, <CHARACTER>, <CHARACTER>)'\n"
    "'IF(<BOOLEAN>, <BOOLEAN>, <BOOLEAN>)'\n'IF(<BOOLEAN>, <CHARACTER>, <CHARACTER>)'\n"
    "'IF(<BOOLEAN>, <BINARY>, <BINARY>)'\n'IF(<BOOLEAN>, <DATE>, <DATE>)'\n"
    "'IF(<BOOLEAN>, <TIMESTAMP>, <TIMESTAMP>)'\n'IF(<BOOLEAN>, <TIME>, <TIME>)'"
)


def _if_family(t: FlinkType) -> str:
    if t.is_numeric:
        return "NUMERIC"
    if t.is_character or t.is_binary:
        return "CHARACTER" if t.is_character else "BINARY"
    return t.name if t.name in ("BOOLEAN", "DATE", "TIMESTAMP", "TIME") else ""


def _if_infer(args: Sequence[Expr]) -> FlinkType:
    arity(args, "IF", 3)
    _reject_untyped_null(args)
    cond, a, b = _types(args)
    family = _if_family(a)
    if not family or family != _if_family(b) or (cond.name != "BOOLEAN" and family != "NUMERIC"):
        shown = ", ".join(f"<{calcite_name(t)}>" for t in (cond, a, b))
        raise calcite_error(
            f"Cannot apply 'IF' to arguments of type 'IF({shown})'. Supported form(s): {_IF_FORMS}"
        )
    if cond.name != "BOOLEAN":
        raise calcite_error("Expected a boolean type")
    t = common_type([a, b])
    if a.name == b.name == "TIMESTAMP":
        t = a.without_time_attr().with_nullable(t.nullable)  # IF keeps the first precision
    return t.with_nullable(cond.nullable or t.nullable)


def _if_lower(sql: Sequence[str], args: Sequence[Expr], rt: FlinkType) -> str:
    a, b = coerce_to(sql[1], args[1].type, rt), coerce_to(sql[2], args[2].type, rt)
    return f"(CASE WHEN {sql[0]} THEN {a} ELSE {b} END)"


def _if_args(node: exp.Expr) -> list[exp.Expr | Symbol]:
    return [node.this, node.args["true"], node.args.get("false") or exp.Null()]


register(FunctionDef("IF", _if_infer, _if_lower, nodes=(exp.If,), args=_if_args))


def _nullif_infer(args: Sequence[Expr]) -> FlinkType:
    arity(args, "NULLIF", 2)
    if args[0].type.name == "NULL":
        raise calcite_error("ELSE clause or at least one THEN clause must be non-NULL")
    _coerce_operands("=", args)
    return args[0].type.without_time_attr().with_nullable(True)


def _nullif_lower(sql: Sequence[str], args: Sequence[Expr], rt: FlinkType) -> str:
    equal = _compare_lower("=")(sql, args, T.boolean())
    return f"(CASE WHEN {equal} THEN NULL ELSE {sql[0]} END)"


register(FunctionDef("NULLIF", _nullif_infer, _nullif_lower, nodes=(exp.Nullif,)))


def _extreme_infer(name: str):
    def infer(args: Sequence[Expr]) -> FlinkType:
        if not args:
            raise calcite_error(
                f"No match found for function signature {name}(). "
                f"Supported signatures are: {name}(<COMPARABLE>...)"
            )
        _reject_untyped_null(args)
        t = _merged(name, args)
        if t.name in ("ARRAY", "MAP", "MULTISET", "ROW", "RAW"):
            error = FunctionError(f"Comparable type expected, but was '{t.with_nullable(False)}'.")
            error.java_class = "org.apache.flink.table.planner.codegen.CodeGenException"  # type: ignore[attr-defined]
            raise error
        return t

    return infer


def _extreme_lower(duck: str):
    def lower(sql: Sequence[str], args: Sequence[Expr], rt: FlinkType) -> str:
        values = [coerce_to(s, a.type, rt) for s, a in zip(sql, args, strict=True)]
        nullable = [v for v, a in zip(values, args, strict=True) if a.type.nullable]
        result = f"{duck}({', '.join(values)})"
        if not nullable:
            return result
        # Flink's GREATEST/LEAST are NULL when any argument is; DuckDB's skip NULLs.
        any_null = " OR ".join(f"{v} IS NULL" for v in nullable)
        return f"(CASE WHEN {any_null} THEN NULL ELSE {result} END)"

    return lower


register(
    FunctionDef(
        "GREATEST", _extreme_infer("GREATEST"), _extreme_lower("greatest"), nodes=(exp.Greatest,)
    ),
    FunctionDef("LEAST", _extreme_infer("LEAST"), _extreme_lower("least"), nodes=(exp.Least,)),
)


def _char_test_infer(name: str):
    def infer(args: Sequence[Expr]) -> FlinkType:
        arity(args, name, 1)
        return T.boolean(False)

    return infer


def _char_test_lower(pattern: str):
    """IS_ALPHA / IS_DIGIT / IS_DECIMAL: FALSE for NULL; the value's text must match entirely."""

    def lower(sql: Sequence[str], args: Sequence[Expr], rt: FlinkType) -> str:
        t = args[0].type
        text = sql[0] if t.is_character else coerce_to(sql[0], t, T.string())
        return f"coalesce(regexp_full_match({text}, '{pattern}'), FALSE)"

    return lower


_JAVA_TRIM = r"[\x00-\x20]*"
register(
    FunctionDef("IS_ALPHA", _char_test_infer("IS_ALPHA"), _char_test_lower(r"\p{L}+")),
    FunctionDef("IS_DIGIT", _char_test_infer("IS_DIGIT"), _char_test_lower(r"\p{Nd}+")),
    FunctionDef(
        "IS_DECIMAL",
        _char_test_infer("IS_DECIMAL"),
        _char_test_lower(
            _JAVA_TRIM + r"[+-]?(\p{Nd}+\.?\p{Nd}*|\.\p{Nd}+)([eE][+-]?\p{Nd}+)?" + _JAVA_TRIM
        ),
    ),
)


def _concat_infer(args: Sequence[Expr]) -> FlinkType:
    for a in args:
        if not (a.type.is_character or a.type.name == "NULL"):
            raise calcite_error(
                f"Cannot apply '||' to arguments of type '<{calcite_name(args[0].type)}> || "
                f"<{calcite_name(args[-1].type)}>'. Supported form(s): '<STRING> || <STRING>'"
            )
    length = sum(T.char_length(a.type) for a in args if a.type.name != "NULL")
    nullable = any_nullable(_types(args))
    if all(a.type.name == "CHAR" for a in args):
        return T.char(min(length, T.MAX_LENGTH), nullable)
    return T.varchar(min(length, T.MAX_LENGTH), nullable)


register(
    FunctionDef("||", _concat_infer, lambda s, a, rt: f"({' || '.join(s)})", nodes=(exp.DPipe,))
)
