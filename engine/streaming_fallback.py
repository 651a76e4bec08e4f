"""Streaming mode before the incremental engine: bounded inputs run to completion, unbounded ones fail.

Until the streaming core lands, a query in streaming mode over bounded sources is answered by the
batch engine (its final table is the streaming result's final table, emitted as inserts). A query
over an unbounded source would never finish, so it is refused with a clear message instead.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from connectors.api import ConnectorError
from engine.batch_runner import scans, table_spec
from engine.inline_tables import INLINE_CONNECTOR
from planner import plan as P
from planner.binder.context import ValidationError

if TYPE_CHECKING:
    from engine.session import Session


def require_bounded(session: Session, plan: P.PlanNode) -> None:
    from connectors.registry import create_source

    for scan in scans(plan):
        if dict(scan.table.options).get("connector") == INLINE_CONNECTOR:
            continue
        spec = table_spec(scan.table, "streaming")
        try:
            bounded = create_source(spec).bounded
        except ConnectorError:
            continue  # the run reports connector errors with their own message
        if not bounded:
            raise ValidationError(
                f"Table '{spec.name}' is unbounded: continuous streaming queries are not available yet "
                "in this build. Set 'number-of-rows' (datagen) or run in batch mode "
                "(SET 'execution.runtime-mode' = 'batch')."
            )
