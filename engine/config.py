"""Session configuration: Flink's keys, their defaults, and their 1.x/2.x aliases.

Values are kept as the strings the user wrote (as Flink's client shows them in `SET;`); typed reads
parse on demand. Where Flink renamed a key between 1.x and 2.x, both names refer to one setting.
"""

from __future__ import annotations

from collections.abc import Iterator

DEFAULTS: dict[str, str] = {
    "execution.runtime-mode": "streaming",
    "parallelism.default": "1",
    "pipeline.max-parallelism": "128",
    "table.local-time-zone": "default",
    "table.dml-sync": "false",
    "table.exec.state.ttl": "0 ms",
    "table.exec.source.idle-timeout": "0 ms",
    "pipeline.auto-watermark-interval": "200 ms",
    "sql-client.execution.result-mode": "table",
    "sql-client.execution.max-table-result.rows": "1000000",
    "sql-client.display.max-column-width": "30",
    "table.display.max-column-width": "30",
}

# Flink 1.x name -> the 2.x name we store under (both are accepted everywhere).
ALIASES: dict[str, str] = {
    "state.checkpoints.dir": "execution.checkpointing.dir",
    "state.savepoints.dir": "execution.checkpointing.savepoint-dir",
    "execution.checkpointing.tolerable-failed-checkpoints": "execution.checkpointing.tolerable-failed-checkpoints",
    "state.backend": "state.backend.type",
    "state.backend.incremental": "execution.checkpointing.incremental",
    "restart-strategy": "restart-strategy.type",
    "table.exec.resource.default-parallelism": "table.exec.resource.default-parallelism",
    "sql-client.display.max-column-width": "table.display.max-column-width",
}


def canonical(key: str) -> str:
    return ALIASES.get(key, key)


class Configuration:
    """Keys set in this session on top of Flink's defaults."""

    def __init__(self, initial: dict[str, str] | None = None) -> None:
        self._values: dict[str, str] = {}
        for k, v in (initial or {}).items():
            self.set(k, v)

    def set(self, key: str, value: str) -> Configuration:
        self._values[canonical(key)] = str(value)
        return self

    def get(self, key: str, default: str | None = None) -> str | None:
        k = canonical(key)
        if k in self._values:
            return self._values[k]
        return DEFAULTS.get(k, default)

    def get_string(self, key: str, default: str) -> str:
        value = self.get(key)
        return default if value is None else value

    def get_bool(self, key: str, default: bool = False) -> bool:
        value = self.get(key)
        return default if value is None else value.strip().lower() == "true"

    def reset(self, key: str | None = None) -> None:
        if key is None:
            self._values.clear()
        else:
            self._values.pop(canonical(key), None)

    def explicit(self) -> dict[str, str]:
        return dict(self._values)

    def items(self) -> Iterator[tuple[str, str]]:
        """Every key with a value (set or defaulted to something Flink shows), sorted."""
        merged = {k: v for k, v in DEFAULTS.items() if k in _SHOWN_DEFAULTS}
        merged.update(self._values)
        yield from sorted(merged.items())

    @property
    def batch(self) -> bool:
        return self.get_string("execution.runtime-mode", "streaming").strip().lower() == "batch"

    def local_time_zone(self) -> str:
        tz = self.get_string("table.local-time-zone", "default")
        if tz == "default":
            import time

            try:
                from pathlib import Path

                link = Path("/etc/localtime").resolve()
                if "zoneinfo" in link.parts:
                    return "/".join(link.parts[link.parts.index("zoneinfo") + 1 :])
            except OSError:
                pass
            return time.tzname[0] if time.tzname[0] not in ("", "UTC") else "UTC"
        return tz


_SHOWN_DEFAULTS = {"execution.runtime-mode"}
