"""Python user-defined functions with PyFlink's API (`udf`, `ScalarFunction`, `DataTypes`).

A scalar UDF runs inside the DuckDB query that evaluates its expression: a row-at-a-time function is
registered as a native DuckDB Python function (values arrive as PyFlink would pass them), a vectorized
one (`func_type='pandas'`, or our `'arrow'`) is called once per batch with whole columns. Either way
there is no cross-runtime cost: the function runs in this process on the batch's memory.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from planner import types as T
from planner.types import FlinkType, parse_type, to_duckdb


class DataTypes:
    """Type constructors with PyFlink's names; they return Flink types."""

    TINYINT = staticmethod(lambda nullable=True: T.tinyint(nullable))
    SMALLINT = staticmethod(lambda nullable=True: T.smallint(nullable))
    INT = staticmethod(lambda nullable=True: T.int_(nullable))
    BIGINT = staticmethod(lambda nullable=True: T.bigint(nullable))
    FLOAT = staticmethod(lambda nullable=True: T.float_(nullable))
    DOUBLE = staticmethod(lambda nullable=True: T.double(nullable))
    BOOLEAN = staticmethod(lambda nullable=True: T.boolean(nullable))
    STRING = staticmethod(lambda nullable=True: T.string(nullable))
    BYTES = staticmethod(lambda nullable=True: T.bytes_(nullable))
    DATE = staticmethod(lambda nullable=True: T.date(nullable))
    NULL = staticmethod(lambda: T.NULL)

    @staticmethod
    def DECIMAL(precision: int, scale: int, nullable: bool = True) -> FlinkType:
        return T.decimal(precision, scale, nullable)

    @staticmethod
    def CHAR(length: int, nullable: bool = True) -> FlinkType:
        return T.char(length, nullable)

    @staticmethod
    def VARCHAR(length: int, nullable: bool = True) -> FlinkType:
        return T.varchar(length, nullable)

    @staticmethod
    def BINARY(length: int, nullable: bool = True) -> FlinkType:
        return T.binary(length, nullable)

    @staticmethod
    def VARBINARY(length: int, nullable: bool = True) -> FlinkType:
        return FlinkType("VARBINARY", nullable, length)

    @staticmethod
    def TIME(precision: int = 0, nullable: bool = True) -> FlinkType:
        return T.time(precision, nullable)

    @staticmethod
    def TIMESTAMP(precision: int = 6, nullable: bool = True) -> FlinkType:
        return T.timestamp(precision, nullable)

    @staticmethod
    def TIMESTAMP_LTZ(precision: int = 6, nullable: bool = True) -> FlinkType:
        return T.timestamp_ltz(precision, nullable)

    TIMESTAMP_WITH_LOCAL_TIME_ZONE = TIMESTAMP_LTZ

    @staticmethod
    def ARRAY(element: FlinkType, nullable: bool = True) -> FlinkType:
        return T.array(element, nullable)

    @staticmethod
    def MULTISET(element: FlinkType, nullable: bool = True) -> FlinkType:
        return T.multiset(element, nullable)

    @staticmethod
    def MAP(key: FlinkType, value: FlinkType, nullable: bool = True) -> FlinkType:
        return T.map_(key, value, nullable)

    @staticmethod
    def FIELD(
        name: str, data_type: FlinkType, description: str | None = None
    ) -> tuple[str, FlinkType]:
        return (name, data_type)

    @staticmethod
    def ROW(fields: list[tuple[str, FlinkType]] | None = None, nullable: bool = True) -> FlinkType:
        return T.row(list(fields or []), nullable)

    @staticmethod
    def INTERVAL(*args: Any) -> FlinkType:
        return T.interval_dt()


def as_type(t: FlinkType | str) -> FlinkType:
    return parse_type(t) if isinstance(t, str) else t


class UserDefinedFunction:
    """What every class-based Python function has, as in PyFlink: `eval` to override, optional
    `open`/`close` around its use, and whether it is deterministic."""

    def open(self, function_context: Any = None) -> None:
        pass

    def close(self) -> None:
        pass

    def eval(self, *args: Any) -> Any:
        raise NotImplementedError

    def is_deterministic(self) -> bool:
        return True


class ScalarFunction(UserDefinedFunction):
    """Base class of class-based scalar functions (override `eval`: one value per call)."""


@dataclass(eq=False)
class UserDefinedScalarFunction:
    """A registered scalar UDF: the callable, its declared types, and how it is called."""

    func: Callable[..., Any]
    result_type: FlinkType
    input_types: list[FlinkType] | None = None
    func_type: str = "general"
    deterministic: bool = True
    name: str = "udf"
    extra: dict[str, Any] = field(default_factory=dict)

    def __call__(self, *args: Any) -> Any:
        return self.func(*args)


def udf(
    f: Callable[..., Any] | ScalarFunction | None = None,
    input_types: list[FlinkType | str] | FlinkType | str | None = None,
    result_type: FlinkType | str | None = None,
    deterministic: bool | None = None,
    name: str | None = None,
    func_type: str = "general",
    udf_type: str | None = None,
) -> Any:
    """PyFlink's `udf` decorator/factory (`@udf(result_type=DataTypes.BIGINT())`)."""
    if udf_type is not None:
        func_type = udf_type

    def wrap(fn: Callable[..., Any] | ScalarFunction) -> UserDefinedScalarFunction:
        if result_type is None:
            raise TypeError("Invalid returnType: returnType should be DataType but is None")
        callable_ = fn.eval if isinstance(fn, ScalarFunction) else fn
        if isinstance(fn, ScalarFunction):
            fn.open(None)
        inputs = None
        if input_types is not None:
            listed = input_types if isinstance(input_types, list) else [input_types]
            inputs = [as_type(t) for t in listed]
        det = deterministic
        if det is None:
            det = fn.is_deterministic() if isinstance(fn, ScalarFunction) else True
        return UserDefinedScalarFunction(
            callable_,
            as_type(result_type),
            inputs,
            func_type,
            det,
            name or getattr(fn, "__name__", type(fn).__name__),
        )

    if f is None:
        return wrap
    return wrap(f)


def register_in_duckdb(cursor: Any, name: str, call: Any) -> None:
    """Register one UDF call site's function on a DuckDB cursor, typed from the call's arguments."""
    import duckdb
    from duckdb.func import ARROW, NATIVE, SPECIAL

    fn: UserDefinedScalarFunction = call.function
    params = [duckdb.sqltype(to_duckdb(a.type)) for a in call.args]
    ret = duckdb.sqltype(to_duckdb(fn.result_type))
    vectorized = fn.func_type in ("pandas", "arrow")
    cursor.create_function(
        name,
        _vectorized(fn) if vectorized else fn.func,
        params,
        ret,
        type=ARROW if vectorized else NATIVE,
        null_handling=SPECIAL,
        side_effects=not fn.deterministic,
    )


def _vectorized(fn: UserDefinedScalarFunction) -> Callable[..., Any]:
    import pyarrow as pa

    result_arrow = T.to_arrow(fn.result_type)

    def call(*arrays: Any) -> Any:
        if fn.func_type == "pandas":
            series = [a.to_pandas() for a in arrays]
            out = fn.func(*series)
            return pa.array(out, type=result_arrow)
        out = fn.func(*arrays)
        return (
            out if isinstance(out, pa.Array | pa.ChunkedArray) else pa.array(out, type=result_arrow)
        )

    return call
