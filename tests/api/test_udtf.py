"""Python table functions (`udtf`, `TableFunction`) and `LATERAL TABLE(...)`, batch and streaming.

Expected rows, column names and types, and error messages are what PyFlink 2.3 gives for the same
functions and queries (run with the reference at /work/flinkref, batch and streaming mode): the
produced rows come in input order then yield order, columns default to f0, f1, ..., a LEFT join
pads an input row without output with NULLs.
"""

from __future__ import annotations

import datetime as dt
import decimal

import pytest

from engine import (
    DataTypes,
    EnvironmentSettings,
    Row,
    TableEnvironment,
    TableFunction,
    udf,
    udtf,
)
from engine.errors import TableException, ValidationException
from engine.python_udtf import UserDefinedTableFunction

# ---------------------------------------------------------------- functions


@udtf(result_types=[DataTypes.STRING(), DataTypes.INT()])
def split_words(s):
    if s is None:
        yield "null-arg", -1
        return
    for w in s.split(" "):
        yield w, len(w)


@udtf(result_types=DataTypes.STRING())
def chars(s):
    if s:
        yield from s


@udtf(result_types=[DataTypes.BIGINT()])
def rng(n):
    return range(n)


class RowEmit(TableFunction):
    def eval(self, a, b):
        yield Row(a, b)
        yield Row(b, a)


row_emit = udtf(RowEmit(), result_types=[DataTypes.INT(), DataTypes.INT()])


@udtf(result_types=DataTypes.INT())
def single_tuple(x):
    return (x,)


@udtf(result_types=DataTypes.INT())
def nothing(x):
    return None


@udtf(result_types=[DataTypes.INT()])
def twice_list(x):
    return [x, x]


@udtf(result_types="ROW<a BIGINT, b STRING>")
def named(x):
    yield x, str(x)


@udtf(
    result_types=DataTypes.ROW(
        [DataTypes.FIELD("p", DataTypes.INT()), DataTypes.FIELD("q", DataTypes.INT())]
    )
)
def row_typed(x):
    yield x, x


@udtf(result_types=DataTypes.INT(), input_types=[DataTypes.INT()])
def typed_in(x):
    yield x


@udtf(result_types=DataTypes.BIGINT(), input_types=[DataTypes.BIGINT()])
def typed_big(x):
    yield x


@udtf(result_types=DataTypes.STRING(), input_types=[DataTypes.STRING(), DataTypes.INT()])
def typed_two(x, n):
    yield None if x is None else x * n


@udtf(result_types=[DataTypes.INT(False)])
def not_null(x):
    yield x


@udtf(result_types=[DataTypes.STRING(), DataTypes.STRING()])
def kinds_of(*args):
    for a in args:
        yield type(a).__name__, str(a)


@udtf(result_types=[DataTypes.DATE(), DataTypes.DECIMAL(10, 2), DataTypes.ARRAY(DataTypes.INT())])
def echo(d, x, arr):
    yield d, x, arr


@udf(result_type=DataTypes.INT())
def scalar(x):
    return x


FUNCTIONS = {
    name: f
    for name, f in dict(globals()).items()
    if isinstance(f, UserDefinedTableFunction) or name == "scalar"
}

VIEW = (
    "CREATE TEMPORARY VIEW t AS SELECT * FROM (VALUES (1, 'a bb'), (2, CAST(NULL AS STRING)), "
    "(3, '')) AS v(id, s)"
)


def make_env(mode: str) -> TableEnvironment:
    settings = (
        EnvironmentSettings.in_batch_mode()
        if mode == "batch"
        else EnvironmentSettings.in_streaming_mode()
    )
    env = TableEnvironment.create(settings)
    env.get_config().set("table.local-time-zone", "UTC")
    for name, f in FUNCTIONS.items():
        env.create_temporary_system_function(name, f)
    env.execute_sql(VIEW)
    return env


@pytest.fixture(params=["batch", "streaming"])
def t_env(request: pytest.FixtureRequest) -> TableEnvironment:
    return make_env(request.param)


@pytest.fixture
def batch_env() -> TableEnvironment:
    return make_env("batch")


def rows(env: TableEnvironment, query: str) -> list[tuple]:
    return [tuple(r) for r in env.execute_sql(query).collect()]


def schema(env: TableEnvironment, query: str) -> list[tuple[str, str]]:
    s = env.execute_sql(query).get_resolved_schema()
    return [
        (n, t.summary())
        for n, t in zip(s.get_column_names(), s.get_column_data_types(), strict=True)
    ]


# ---------------------------------------------------------------- declaring


def test_declared_columns_follow_pyflink() -> None:
    # a list names its columns f0, f1 ...; one type is one column; a ROW data type gives its
    # field types (PyFlink drops the names); ROW text keeps its names
    assert split_words.field_names == ("f0", "f1")
    assert [t.summary() for t in split_words.field_types] == ["STRING", "INT"]
    assert chars.field_names == ("f0",)
    assert row_typed.field_names == ("f0", "f1")
    assert named.field_names == ("a", "b")
    assert [t.summary() for t in named.field_types] == ["BIGINT", "STRING"]
    assert row_emit.name == "RowEmit" and split_words.name == "split_words"


def test_results_are_normalized_as_pyflink_does() -> None:
    # None: no rows; list/range/generator: one row per item; anything else: one row;
    # a bare value is a one-field row, a tuple or Row its fields
    assert nothing(1) == []
    assert rng(3) == [(0,), (1,), (2,)]
    assert twice_list(4) == [(4,), (4,)]
    assert single_tuple(7) == [(7,)]
    assert row_emit(1, 2) == [(1, 2), (2, 1)]
    with pytest.raises(TypeError, match="produced a row of 1 fields; its result type has 2"):
        udtf(lambda x: [(x,)], result_types=["INT", "INT"])(1)


def test_bad_declarations() -> None:
    with pytest.raises(TypeError, match="Invalid function: not a function or callable"):
        udtf(RowEmit, result_types=DataTypes.INT())
    with pytest.raises(TypeError, match="result_types"):
        udtf(lambda x: x)
    with pytest.raises(ValueError, match="Inconsistent deterministic: False and True"):
        udtf(RowEmit(), result_types=["INT", "INT"], deterministic=False)


# ---------------------------------------------------------------- queries, both modes


def test_lateral_table_default_names_and_rows(t_env: TableEnvironment) -> None:
    q = "SELECT id, s, f0, f1 FROM t, LATERAL TABLE(split_words(t.s))"
    assert schema(t_env, q) == [
        ("id", "INT NOT NULL"),
        ("s", "STRING"),
        ("f0", "STRING"),
        ("f1", "INT"),
    ]
    assert rows(t_env, q) == [
        (1, "a bb", "a", 1),
        (1, "a bb", "bb", 2),
        (2, None, "null-arg", -1),  # a NULL argument reaches the function as None
        (3, "", "", 0),
    ]


def test_alias_renames_columns(t_env: TableEnvironment) -> None:
    q = "SELECT id, w, l FROM t, LATERAL TABLE(split_words(s)) AS T(w, l)"
    assert schema(t_env, q) == [("id", "INT NOT NULL"), ("w", "STRING"), ("l", "INT")]
    assert rows(t_env, q) == [(1, "a", 1), (1, "bb", 2), (2, "null-arg", -1), (3, "", 0)]
    q = "SELECT id, T.w FROM t, LATERAL TABLE(split_words(s)) AS T(w, l)"
    assert rows(t_env, q) == [(1, "a"), (1, "bb"), (2, "null-arg"), (3, "")]
    q = "SELECT id, T.f0 FROM t, LATERAL TABLE(split_words(s)) AS T"
    assert rows(t_env, q) == [(1, "a"), (1, "bb"), (2, "null-arg"), (3, "")]


def test_cross_join_and_join_on(t_env: TableEnvironment) -> None:
    expected = [(1, "a"), (1, " "), (1, "b"), (1, "b")]
    assert rows(t_env, "SELECT id, f0 FROM t CROSS JOIN LATERAL TABLE(chars(s))") == expected
    q = "SELECT id, c FROM t JOIN LATERAL TABLE(chars(s)) AS T(c) ON TRUE"
    assert rows(t_env, q) == expected
    q = "SELECT id, c FROM t JOIN LATERAL TABLE(chars(s)) AS T(c) ON c = 'b'"
    assert rows(t_env, q) == [(1, "b"), (1, "b")]
    q = "SELECT id, f0 FROM t, LATERAL TABLE(split_words(s)) WHERE f1 > 1"
    assert rows(t_env, q) == [(1, "bb")]


def test_left_join_pads_rows_without_output(t_env: TableEnvironment) -> None:
    q = "SELECT id, c FROM t LEFT JOIN LATERAL TABLE(chars(s)) AS T(c) ON TRUE"
    assert rows(t_env, q) == [(1, "a"), (1, " "), (1, "b"), (1, "b"), (2, None), (3, None)]
    q = "SELECT id, f0 FROM t LEFT JOIN LATERAL TABLE(nothing(id)) ON TRUE"
    assert rows(t_env, q) == [(1, None), (2, None), (3, None)]
    # LEFT makes a NOT NULL result column nullable
    inner = "SELECT id, x FROM t, LATERAL TABLE(not_null(id)) AS T(x)"
    left = "SELECT id, x FROM t LEFT JOIN LATERAL TABLE(not_null(id)) AS T(x) ON TRUE"
    assert schema(t_env, inner)[1] == ("x", "INT NOT NULL")
    assert schema(t_env, left)[1] == ("x", "INT")
    assert rows(t_env, left) == [(1, 1), (2, 2), (3, 3)]


def test_what_a_function_may_produce(t_env: TableEnvironment) -> None:
    assert rows(t_env, "SELECT id, f0, f1 FROM t, LATERAL TABLE(row_emit(id, 10))") == [
        (1, 1, 10),
        (1, 10, 1),
        (2, 2, 10),
        (2, 10, 2),
        (3, 3, 10),
        (3, 10, 3),
    ]
    assert rows(t_env, "SELECT id, f0 FROM t, LATERAL TABLE(single_tuple(id))") == [
        (1, 1),
        (2, 2),
        (3, 3),
    ]
    assert rows(t_env, "SELECT id, f0 FROM t, LATERAL TABLE(twice_list(id))") == [
        (1, 1),
        (1, 1),
        (2, 2),
        (2, 2),
        (3, 3),
        (3, 3),
    ]
    q = "SELECT id, a, b FROM t, LATERAL TABLE(named(id))"
    assert schema(t_env, q) == [("id", "INT NOT NULL"), ("a", "BIGINT"), ("b", "STRING")]
    assert rows(t_env, q) == [(1, 1, "1"), (2, 2, "2"), (3, 3, "3")]
    q = "SELECT id, f0, f1 FROM t, LATERAL TABLE(row_typed(id))"
    assert [n for n, _ in schema(t_env, q)] == ["id", "f0", "f1"]


def test_arguments_arrive_as_pyflink_values(t_env: TableEnvironment) -> None:
    q = (
        "SELECT id, f0, f1 FROM (VALUES (1, DATE '2024-02-29', CAST(1.50 AS DECIMAL(10, 2)), "
        "TIMESTAMP '2024-01-01 10:00:00.123', ARRAY[1, 2], MAP['k', 1], ROW(1, 'x'), "
        "CAST(NULL AS INT), TRUE, CAST(2.5 AS DOUBLE), X'0102')) "
        "AS v(id, d, x, ts, arr, m, r, n, b, dbl, bin), "
        "LATERAL TABLE(kinds_of(d, x, ts, arr, m, r, n, b, dbl, bin))"
    )
    assert rows(t_env, q) == [
        (1, "date", "2024-02-29"),
        (1, "Decimal", "1.50"),
        (1, "datetime", "2024-01-01 10:00:00.123000"),
        (1, "list", "[1, 2]"),
        (1, "dict", "{'k': 1}"),
        (1, "Row", "Row(EXPR$0=1, EXPR$1='x')"),
        (1, "NoneType", "None"),
        (1, "bool", "True"),
        (1, "float", "2.5"),
        (1, "bytes", "b'\\x01\\x02'"),
    ]
    q = (
        "SELECT id, a, b, c FROM (VALUES (1, DATE '2024-02-29', CAST(1.50 AS DECIMAL(10, 2)), "
        "ARRAY[1, 2])) AS v(id, d, x, arr), LATERAL TABLE(echo(d, x, arr)) AS T(a, b, c)"
    )
    assert schema(t_env, q)[1:] == [("a", "DATE"), ("b", "DECIMAL(10, 2)"), ("c", "ARRAY<INT>")]
    assert rows(t_env, q) == [(1, dt.date(2024, 2, 29), decimal.Decimal("1.50"), [1, 2])]


def test_declared_input_types_cast_implicitly(t_env: TableEnvironment) -> None:
    q = "SELECT id, x FROM t, LATERAL TABLE(typed_big(id)) AS T(x)"
    assert schema(t_env, q)[1] == ("x", "BIGINT")
    assert rows(t_env, q) == [(1, 1), (2, 2), (3, 3)]
    q = "SELECT id, x FROM t, LATERAL TABLE(typed_two(s, CAST(2 AS TINYINT))) AS T(x)"
    assert rows(t_env, q) == [(1, "a bba bb"), (2, None), (3, "")]


def test_table_function_feeds_an_aggregate(t_env: TableEnvironment) -> None:
    q = "SELECT w, COUNT(*) FROM t, LATERAL TABLE(split_words(s)) AS T(w, l) GROUP BY w"
    final: dict[str, int] = {}
    for r in t_env.execute_sql(q).collect():
        if r.get_row_kind().name in ("INSERT", "UPDATE_AFTER"):
            final[r[0]] = r[1]
    assert final == {"a": 1, "bb": 1, "null-arg": 1, "": 1}


def test_same_function_in_several_queries(batch_env: TableEnvironment) -> None:
    q = "SELECT id, f0 FROM t, LATERAL TABLE(single_tuple(id))"
    assert rows(batch_env, q) == rows(batch_env, q) == [(1, 1), (2, 2), (3, 3)]


# ---------------------------------------------------------------- registration


@pytest.mark.parametrize("mode", ["batch", "streaming"])
def test_registration_forms(mode: str) -> None:
    env = make_env(mode)
    env.create_temporary_function("words", split_words)
    env.execute_sql(
        "CREATE TEMPORARY FUNCTION items AS 'tests.streaming.udtfs.parse_items' LANGUAGE PYTHON"
    )
    env.execute_sql(
        "CREATE TEMPORARY SYSTEM FUNCTION rep AS 'tests.streaming.udtfs.repeat' LANGUAGE PYTHON"
    )
    assert rows(env, "SELECT id, f0 FROM t, LATERAL TABLE(words(s)) WHERE id = 1") == [
        (1, "a"),
        (1, "bb"),
    ]
    q = "SELECT i, q FROM (VALUES ('apple:2,pear')) AS v(x), LATERAL TABLE(items(x)) AS T(i, q)"
    assert rows(env, q) == [("apple", 2), ("pear", None)]
    assert rows(env, "SELECT id, f0 FROM t, LATERAL TABLE(rep(s, id)) WHERE id < 3") == [
        (1, "a bb"),
        (2, None),
        (2, None),
    ]
    assert {"words", "items", "rep"} <= set(env.list_user_defined_functions())


def test_registering_something_else_is_an_error(batch_env: TableEnvironment) -> None:
    with pytest.raises(TypeError, match="udtf"):
        batch_env.create_temporary_function("f", lambda x: x)
    with pytest.raises(ValidationException, match="must be wrapped with udtf"):
        batch_env.execute_sql(
            "CREATE TEMPORARY FUNCTION r AS 'tests.streaming.udtfs.Repeat' LANGUAGE PYTHON"
        )


# ---------------------------------------------------------------- errors (Flink's messages)


def test_table_function_called_as_scalar(batch_env: TableEnvironment) -> None:
    with pytest.raises(
        ValidationException, match=r"^Cannot call table function here: 'split_words'$"
    ):
        batch_env.execute_sql("SELECT split_words(s) FROM t")


def test_unknown_and_non_table_functions(batch_env: TableEnvironment) -> None:
    with pytest.raises(
        ValidationException, match=r"^No match found for function signature nosuch\(<CHARACTER>\)$"
    ):
        batch_env.execute_sql("SELECT id, f0 FROM t, LATERAL TABLE(nosuch(s))")
    with pytest.raises(
        ValidationException, match=r"^Function 'scalar' cannot be used as a table function\.$"
    ):
        batch_env.execute_sql("SELECT id, x FROM t, LATERAL TABLE(scalar(id)) AS T(x)")
    with pytest.raises(ValidationException, match=r"^Argument must be a table function: CONCAT$"):
        batch_env.execute_sql("SELECT id, f0 FROM t, LATERAL TABLE(concat(s, s))")


def test_alias_list_of_the_wrong_degree(batch_env: TableEnvironment) -> None:
    with pytest.raises(ValidationException) as info:
        batch_env.execute_sql("SELECT * FROM t, LATERAL TABLE(split_words(s)) AS T(w)")
    assert info.value.message == (
        "List of column aliases must have same degree as table; table has 2 columns "
        "('f0', 'f1'), whereas alias list has 1 columns"
    )
    assert (info.value.line, info.value.col) == (1, 53)


def test_wrong_arguments(batch_env: TableEnvironment) -> None:
    # no declared input types: Flink accepts the call and Python fails when it runs
    with pytest.raises(
        TableException, match=r"TypeError: split_words\(\) takes 1 positional argument but 2"
    ):
        batch_env.execute_sql("SELECT id, f0 FROM t, LATERAL TABLE(split_words(s, s))")
    # declared input types: validated with the call
    with pytest.raises(ValidationException) as info:
        batch_env.execute_sql("SELECT id, x FROM t, LATERAL TABLE(typed_in(id, id)) AS T(x)")
    assert info.value.message == (
        "No match found for function signature typed_in(<NUMERIC>, <NUMERIC>).\n"
        "Supported signatures are:\ntyped_in(arg0 => INT)"
    )
    with pytest.raises(ValidationException) as info:
        batch_env.execute_sql("SELECT id, x FROM t, LATERAL TABLE(typed_two(s)) AS T(x)")
    assert info.value.message == (
        "No match found for function signature typed_two(<CHARACTER>).\n"
        "Supported signatures are:\ntyped_two(arg0 => STRING, arg1 => INT)"
    )
    with pytest.raises(
        ValidationException,
        match=r"^Invalid argument type at position 0\. Data type INT expected but STRING passed\.$",
    ):
        batch_env.execute_sql("SELECT id, x FROM t, LATERAL TABLE(typed_in(s)) AS T(x)")
    with pytest.raises(
        ValidationException,
        match=r"^Invalid argument type at position 1\. Data type INT expected but "
        r"DECIMAL\(2, 1\) NOT NULL passed\.$",
    ):
        batch_env.execute_sql("SELECT id, x FROM t, LATERAL TABLE(typed_two(s, 2.5)) AS T(x)")


def test_left_join_conditions(batch_env: TableEnvironment) -> None:
    with pytest.raises(
        TableException,
        match=r"^Currently Python correlate does not support conditions in left join\.$",
    ):
        batch_env.execute_sql(
            "SELECT id, c FROM t LEFT JOIN LATERAL TABLE(chars(s)) AS T(c) ON c = 'a'"
        )
    with pytest.raises(ValidationException, match="join requires a condition"):
        batch_env.execute_sql(
            "SELECT id, c FROM t LEFT JOIN LATERAL TABLE(split_words(s)) AS T(c, l)"
        )
