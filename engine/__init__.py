"""Freshet's engine and its embedding API (mirrors `pyflink.table`).

Names are imported on first use (PEP 562), so `import engine.session` from the command line does
not pay for the whole embedding API at start-up.
"""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS = {
    "DataTypes": "engine.python_udf",
    "EnvironmentSettings": "engine.table_environment",
    "ResultKind": "engine.table_result",
    "Row": "engine.row",
    "RowKind": "engine.row",
    "ScalarFunction": "engine.python_udf",
    "TableConfig": "engine.table_environment",
    "TableEnvironment": "engine.table_environment",
    "TableFunction": "engine.python_udtf",
    "TableResult": "engine.table_result",
    "udf": "engine.python_udf",
    "udtf": "engine.python_udtf",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'engine' has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)
