"""The `freshet` command line: -f, -e, -i, -D, exit status, and the persistent catalog across processes."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def freshet(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "sql_client.cli", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize(
    "script",
    [ROOT / "queries" / "quickstart.sql", *sorted((ROOT / "queries" / "examples").glob("*.sql"))],
    ids=lambda p: p.name,
)
def test_shipped_scripts_run(script: Path) -> None:
    result = freshet("-f", str(script.relative_to(ROOT)))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "[ERROR]" not in result.stdout


def test_failing_statement_stops_the_script(tmp_path: Path) -> None:
    script = tmp_path / "job.sql"
    script.write_text(
        "SET 'execution.runtime-mode' = 'batch';\n"
        "SELECT 1 AS one;\n"
        "SELECT * FROM missing_table;\n"
        "SELECT 'not reached' AS marker;\n"
    )
    result = freshet("-f", str(script))
    assert result.returncode == 1
    assert "[ERROR] Could not execute SQL statement. Reason:" in result.stdout
    assert "Object 'missing_table' not found" in result.stdout
    assert "line 3, column 15" in result.stdout
    assert "not reached" not in result.stdout
    assert result.stdout.count("1 row in set") == 1


def test_define_sets_batch_mode() -> None:
    result = freshet("-D", "execution.runtime-mode=batch", "-e", "SELECT 1 AS x;")
    assert result.returncode == 0
    assert "1 row in set" in result.stdout
    assert "| op |" not in result.stdout


def test_streaming_mode_prints_row_kinds() -> None:
    result = freshet("-e", "SELECT 1 AS x;")
    assert result.returncode == 0
    assert "| op |" in result.stdout
    assert "Received a total of 1 row" in result.stdout


def test_parse_error_has_line_and_caret() -> None:
    result = freshet("-e", "SELECT 1;\nSELEC 2;")
    assert result.returncode == 1
    assert "line 2, column 1" in result.stdout
    assert "  SELEC 2;\n  ^" in result.stdout


def test_init_script_defines_tables_and_rejects_queries(tmp_path: Path) -> None:
    init = tmp_path / "init.sql"
    init.write_text(
        "SET 'execution.runtime-mode' = 'batch';\n"
        "CREATE TABLE t (a INT) WITH ('connector' = 'datagen', 'number-of-rows' = '3');\n"
    )
    result = freshet("-i", str(init), "-e", "SELECT COUNT(*) AS n FROM t;")
    assert result.returncode == 0, result.stdout
    assert "|  3 |" in result.stdout or "| 3 |" in result.stdout
    bad = tmp_path / "bad_init.sql"
    bad.write_text("SELECT 1;\n")
    result = freshet("-i", str(bad), "-e", "SELECT 2;")
    assert result.returncode == 1
    assert "Unsupported statement in init file" in result.stdout


def test_persistent_catalog_survives_a_restart(tmp_path: Path) -> None:
    store = tmp_path / "store"
    defines = [
        "-D",
        "table.catalog-store.kind=file",
        "-D",
        f"table.catalog-store.file.path={store}",
    ]
    first = freshet(
        *defines,
        "-e",
        f"CREATE CATALOG mine WITH ('type' = 'file', 'path' = '{tmp_path / 'mine.db'}');\n"
        "USE CATALOG mine;\n"
        "CREATE TABLE kept (id INT, name STRING, PRIMARY KEY (id) NOT ENFORCED) "
        "WITH ('connector' = 'blackhole');\n"
        "CREATE VIEW kept_ids AS SELECT id FROM kept;\n",
    )
    assert first.returncode == 0, first.stdout
    second = freshet(
        *defines, "-e", "USE CATALOG mine;\nSHOW TABLES;\nDESCRIBE kept;\nSHOW VIEWS;\n"
    )
    assert second.returncode == 0, second.stdout
    assert "|       kept |" in second.stdout
    assert "PRI(id)" in second.stdout
    assert "kept_ids" in second.stdout
