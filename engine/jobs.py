"""Jobs: what an INSERT (or statement set) runs as, with an id, a status and a handle to wait on."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class JobClient:
    """A running or finished job (PyFlink's JobClient: id, status, wait, cancel)."""

    name: str
    job_id: str = field(default_factory=lambda: uuid.uuid4().hex)
    status: str = "CREATED"
    error: BaseException | None = None
    _done: threading.Event = field(default_factory=threading.Event)
    _cancel: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None

    def get_job_id(self) -> str:
        return self.job_id

    def get_job_status(self) -> str:
        return self.status

    @property
    def cancel_requested(self) -> bool:
        return self._cancel.is_set()

    def cancel(self) -> None:
        self._cancel.set()
        if self._thread is None and not self._done.is_set():
            self.status = "CANCELED"
            self._done.set()

    def wait(self, timeout: float | None = None) -> None:
        """Block until the job ends; re-raise its failure, as PyFlink's `wait()` does."""
        if not self._done.wait(timeout):
            raise TimeoutError(f"Job {self.job_id} did not finish within {timeout} s")
        if self.error is not None:
            raise self.error

    def get_job_execution_result(self) -> JobClient:
        self.wait()
        return self


def run_job(name: str, body: Callable[[JobClient], None], *, background: bool) -> JobClient:
    """Run `body` as a job, in a thread when `background`, else now (errors are recorded and re-raised)."""
    job = JobClient(name)

    def target() -> None:
        job.status = "RUNNING"
        try:
            body(job)
            job.status = "CANCELED" if job.cancel_requested else "FINISHED"
        except BaseException as e:  # recorded for wait(); the thread must not die silently
            job.error = e
            job.status = "FAILED"
        finally:
            job._done.set()

    if background:
        job._thread = threading.Thread(target=target, name=f"job-{job.job_id[:8]}", daemon=True)
        job._thread.start()
    else:
        target()
        if job.error is not None:
            raise job.error
    return job
