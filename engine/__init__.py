"""Freshet's engine and its embedding API (mirrors `pyflink.table`)."""

from engine.row import Row, RowKind
from engine.table_environment import EnvironmentSettings, TableConfig, TableEnvironment
from engine.table_result import ResultKind, TableResult
from engine.udf import DataTypes, ScalarFunction, udf

__all__ = [
    "DataTypes",
    "EnvironmentSettings",
    "ResultKind",
    "Row",
    "RowKind",
    "ScalarFunction",
    "TableConfig",
    "TableEnvironment",
    "TableResult",
    "udf",
]
