"""Run blocking client calls off the GUI thread and deliver the outcome by Qt signals.

    call = bridge.call(api.accounts)
    call.succeeded.connect(show_accounts)
    call.failed.connect(show_problem)     # always a client.errors.CalmPayError

The GUI thread never waits on the network. A worker reports back through one queued
signal on the bridge; the bridge then emits the call's own signals in the GUI thread, so
screens never see a signal from another thread.
"""

from __future__ import annotations

import itertools
import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

from client.errors import CalmPayError

log = logging.getLogger("calmpay.ui.bridge")


class ApiCall(QObject):
    """One call in flight. Emits exactly one of succeeded/failed, then finished."""

    succeeded = Signal(object)
    failed = Signal(object)
    finished = Signal()

    def __init__(self, description: str) -> None:
        super().__init__()
        self.description = description
        self.done = False


class _Relay(QObject):
    """Lives in the GUI thread; workers emit on it, Qt queues the delivery."""

    outcome = Signal(int, bool, object)


def _done() -> None:
    """What a job holds once it has run."""


class _Job(QRunnable):
    def __init__(self, relay: _Relay, number: int, function: Callable[..., Any], args: Any, kwargs: Any) -> None:
        super().__init__()
        self.relay, self.number, self.function, self.args, self.kwargs = relay, number, function, args, kwargs

    def run(self) -> None:  # in a pool thread
        # Nothing of the call (a sign-in's card number and PIN) is kept past it: the job object itself
        # may outlive its outcome (PySide holds a reference to a runnable the pool ran).
        function, args, kwargs = self.function, self.args, self.kwargs
        self.function, self.args, self.kwargs = _done, (), {}
        try:
            result = function(*args, **kwargs)
        except CalmPayError as error:
            self.relay.outcome.emit(self.number, False, error)
        except Exception as error:  # a bug, not a customer problem: log it, report a calm failure
            log.exception("unexpected error in %s", getattr(function, "__name__", "call"))
            self.relay.outcome.emit(self.number, False, CalmPayError(f"{type(error).__name__}: {error}"))
        else:
            self.relay.outcome.emit(self.number, True, result)


class ApiBridge(QObject):
    """Submits calls to its own thread pool and hands the outcomes back in the GUI thread."""

    def __init__(self, parent: QObject | None = None, *, max_threads: int = 2) -> None:
        super().__init__(parent)
        # Created before the relay, so destroyed first: the pool waits for running jobs,
        # and no job can emit on a relay that is already gone.
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(max_threads)
        self._relay = _Relay(self)
        self._relay.outcome.connect(self._deliver)
        self._pending: dict[int, tuple[ApiCall, _Job]] = {}
        self._numbers = itertools.count()

    def call(self, function: Callable[..., Any], *args: Any, **kwargs: Any) -> ApiCall:
        number = next(self._numbers)
        call = ApiCall(getattr(function, "__name__", "call"))
        job = _Job(self._relay, number, function, args, kwargs)
        job.setAutoDelete(False)  # Python owns it (held in _pending) until its outcome is delivered
        self._pending[number] = (call, job)
        self._pool.start(job)
        return call

    @Slot(int, bool, object)
    def _deliver(self, number: int, ok: bool, payload: object) -> None:
        call, _job = self._pending.pop(number)
        call.done = True
        (call.succeeded if ok else call.failed).emit(payload)
        call.finished.emit()

    @property
    def busy(self) -> bool:
        return bool(self._pending)

    def wait_for_done(self, msecs: int = 5000) -> bool:
        """Block until running calls end (at shutdown only; never from a screen)."""
        return self._pool.waitForDone(msecs)
