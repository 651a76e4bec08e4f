"""Python table functions with PyFlink's API (`udtf`, `TableFunction`).

A table function turns one input row into zero or more rows. Rather than a new operator, a call
`LATERAL TABLE(f(x))` binds to a `Correlate` whose call is an ordinary `UdfCall` typed
`ARRAY<ROW<f0, f1, ...>>`: the function is registered in DuckDB as a vectorized Python function
that returns, for each input row, the list of rows the Python function produced, and the existing
Correlate lowering unnests that list. Batch and streaming (which runs the same lowering on each
change batch) therefore share one semantics, and a LEFT correlate pads an empty list with NULLs.

What a Python function may produce follows PyFlink (`normalize_table_function_result`): `None`
means no rows; a list, range or generator is iterated, each item being one row; anything else is
one row. A row is a tuple or `Row` (its fields in order) or a bare value (a one-field row).
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Generator, Iterator
from dataclasses import dataclass
from typing import Any

from engine.python_udf import UserDefinedFunction
from planner import types as T
from planner.types import FlinkType, parse_type, to_duckdb


class TableFunction(UserDefinedFunction):
    """Base class of class-based table functions: override `eval` (a generator, or a method
    returning a list); `open`/`close` are optional, as in PyFlink."""


@dataclass(eq=False)
class UserDefinedTableFunction:
    """A table function ready to register: the callable, its result columns and declared inputs.

    `field_names` are the default column names (`f0, f1, ...` unless the result type was given as
    ROW text with names, as PyFlink passes it on); `AS T(a, b)` renames them in the query.
    """

    func: Callable[..., Any]
    field_names: tuple[str, ...]
    field_types: tuple[FlinkType, ...]
    input_types: tuple[FlinkType, ...] | None = None
    deterministic: bool = True
    name: str = "udtf"

    @property
    def row_type(self) -> FlinkType:
        """The type of one produced row."""
        return T.row(list(zip(self.field_names, self.field_types, strict=True)))

    @property
    def call_type(self) -> FlinkType:
        """The type of the call inside a Correlate: the list of rows produced per input row."""
        return T.array(self.row_type)

    @property
    def result_type(self) -> FlinkType:
        """A table function has no scalar result: reaching for one means it was called as a scalar
        (`SELECT f(x)`), which Flink rejects. (The scalar binder reads `result_type` of whatever
        Python function a name resolves to, so this is where that call is refused.)"""
        raise _called_as_scalar(self.name)

    def __call__(self, *args: Any) -> list[tuple[Any, ...]]:
        """The rows of one call, normalized as PyFlink does (handy in tests and in Python code)."""
        return list(rows_of(self.func(*args), len(self.field_types), self.name))


def _called_as_scalar(name: str) -> Exception:
    """Flink's error for a table function called where a scalar is expected (no position)."""
    from planner.binder.context import FLINK_VALIDATION, ValidationError

    return ValidationError(
        f"Cannot call table function here: '{name}'", java_class=FLINK_VALIDATION
    )


def _as_type(t: FlinkType | str) -> FlinkType:
    return parse_type(t) if isinstance(t, str) else t


def _result_columns(
    result_types: list[FlinkType | str] | FlinkType | str | None,
) -> tuple[tuple[str, ...], tuple[FlinkType, ...]]:
    """Column names and types of `result_types` as PyFlink reads it.

    A list gives `f0, f1, ...`; a single type is a one-column list; a ROW data type contributes its
    field types (PyFlink drops the names); ROW *text* keeps its field names.
    """
    if result_types is None:
        raise TypeError("Invalid result_types: result_types should be DataType, str or a list")
    if isinstance(result_types, str):
        parsed = parse_type(result_types)
        if parsed.name == "ROW":
            return tuple(parsed.field_names), tuple(parsed.children)
        return ("f0",), (parsed,)
    if isinstance(result_types, FlinkType):
        types = list(result_types.children) if result_types.name == "ROW" else [result_types]
    else:
        listed = list(result_types)
        for t in listed:
            if not isinstance(t, FlinkType | str):
                raise TypeError(
                    f"Invalid result_type: result_type should be DataType or str but contains {t}"
                )
        types = [_as_type(t) for t in listed]
    if not types:
        raise TypeError("Invalid result_types: a table function needs at least one column")
    return tuple(f"f{i}" for i in range(len(types))), tuple(types)


def _input_types(
    input_types: list[FlinkType | str] | FlinkType | str | None,
) -> tuple[FlinkType, ...] | None:
    if input_types is None:
        return None
    if isinstance(input_types, FlinkType) and input_types.name == "ROW":
        return tuple(input_types.children)
    listed = input_types if isinstance(input_types, list | tuple) else [input_types]
    return tuple(_as_type(t) for t in listed)


def udtf(
    f: Callable[..., Any] | TableFunction | None = None,
    input_types: list[FlinkType | str] | FlinkType | str | None = None,
    result_types: list[FlinkType | str] | FlinkType | str | None = None,
    deterministic: bool | None = None,
    name: str | None = None,
) -> Any:
    """PyFlink's `udtf` decorator/factory: `@udtf(result_types=[DataTypes.STRING(), ...])` on a
    generator function, or `udtf(MyTableFunction(), result_types=...)`."""

    def wrap(fn: Callable[..., Any] | TableFunction) -> UserDefinedTableFunction:
        if inspect.isclass(fn) or (not isinstance(fn, TableFunction) and not callable(fn)):
            raise TypeError(
                "Invalid function: not a function or callable (__call__ is not defined): "
                f"{type(fn)}"
            )
        names, types = _result_columns(result_types)
        is_class = isinstance(fn, TableFunction)
        if deterministic is not None and is_class and deterministic != fn.is_deterministic():
            raise ValueError(
                f"Inconsistent deterministic: {deterministic} and {fn.is_deterministic()}"
            )
        det = deterministic
        if det is None:
            det = fn.is_deterministic() if is_class else True
        if is_class:
            fn.open(None)
        return UserDefinedTableFunction(
            fn.eval if is_class else fn,
            names,
            types,
            _input_types(input_types),
            det,
            name or getattr(fn, "__name__", type(fn).__name__),
        )

    if f is None:
        return wrap
    return wrap(f)


# ---------------------------------------------------------------- running


def rows_of(result: Any, width: int, name: str) -> Iterator[tuple[Any, ...]]:
    """The rows of one call's result, as PyFlink normalizes them (see the module docstring)."""
    if result is None:
        return
    items = result if isinstance(result, list | range | Generator) else (result,)
    for item in items:
        row = tuple(item) if isinstance(item, tuple) else (item,)
        if len(row) != width:
            raise TypeError(
                f"Table function '{name}' produced a row of {len(row)} fields; "
                f"its result type has {width}"
            )
        yield row


def register_in_duckdb(cursor: Any, name: str, call: Any) -> None:
    """Register a table function call site on a DuckDB cursor as a function returning, per input
    row, the LIST of STRUCTs the Python function produced.

    With arguments it is vectorized (Arrow in, Arrow out: one Python call per batch, the user
    function called per row inside it); without arguments DuckDB has no batch to size the result
    by, so it is a row-at-a-time function. NULL arguments reach the function as None (PyFlink).
    """
    import duckdb
    from duckdb.func import ARROW, NATIVE, SPECIAL

    fn: UserDefinedTableFunction = call.function
    params = [duckdb.sqltype(to_duckdb(a.type)) for a in call.args]
    ret = duckdb.sqltype(to_duckdb(fn.call_type))
    width = len(fn.field_types)
    if not call.args:

        def row_at_a_time() -> list[dict[str, Any]]:
            return [_struct(r, fn.field_names) for r in rows_of(fn.func(), width, fn.name)]

        cursor.create_function(
            name,
            row_at_a_time,
            [],
            ret,
            type=NATIVE,
            null_handling=SPECIAL,
            side_effects=not fn.deterministic,
        )
        return
    cursor.create_function(
        name,
        _vectorized(fn, [a.type for a in call.args], _time_zone(cursor)),
        params,
        ret,
        type=ARROW,
        null_handling=SPECIAL,
        side_effects=not fn.deterministic,
    )


def _struct(row: tuple[Any, ...], names: tuple[str, ...]) -> dict[str, Any]:
    return dict(zip(names, row, strict=True))


def _time_zone(cursor: Any) -> str:
    """The session time zone set on the cursor (TIMESTAMP_LTZ arguments arrive as local times)."""
    try:
        return str(cursor.execute("SELECT current_setting('TimeZone')").fetchall()[0][0])
    except Exception:
        return "UTC"


def _vectorized(
    fn: UserDefinedTableFunction, arg_types: list[FlinkType], tz: str
) -> Callable[..., Any]:
    import pyarrow as pa

    from engine.values import converter
    from planner.arrow_types import to_arrow

    result_arrow = to_arrow(fn.call_type)
    convs = [converter(t, tz) for t in arg_types]
    width = len(fn.field_types)

    def call(*arrays: Any) -> Any:
        columns = []
        for array, conv in zip(arrays, convs, strict=True):
            values = array.to_pylist()
            columns.append([conv(v) for v in values] if conv is not None else values)
        out = [
            [_struct(r, fn.field_names) for r in rows_of(fn.func(*args), width, fn.name)]
            for args in zip(*columns, strict=True)
        ]
        return pa.array(out, type=result_arrow)

    # DuckDB checks the parameter count of the Python function against the call's
    call.__signature__ = inspect.Signature(  # type: ignore[attr-defined]
        [
            inspect.Parameter(f"a{i}", inspect.Parameter.POSITIONAL_ONLY)
            for i in range(len(arg_types))
        ]
    )
    return call
