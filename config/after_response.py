"""Work that may wait until the visitor has their answer.

A view wrapped in ``answer_first`` sends its response before the work that
its committed transaction handed to ``soon``: the effects of its events and
the messages to the broker (issue 17: a third of a submission's time, none of
which the answer depends on). The same process does that work right after
the response is written (the server calls the response's ``close()`` once it
has sent it), so it waits no longer than the writing of the response; the
database already holds everything it acts on (the request, its events, its
e-mails in the outbox, which the periodic sweep sends if the process dies in
between). Outside such a view, ``soon`` runs the work at once.

Only for a view whose answer does not depend on that work: the intake's
submission (its answer is "check your mailbox"). Never for a workspace action,
whose next page, served by another process, shows what the effects did.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from contextvars import ContextVar

log = logging.getLogger(__name__)

_pending: ContextVar[list[Callable[[], None]] | None] = ContextVar("after_response_pending", default=None)


def soon(work: Callable[[], None]) -> None:
    """Run ``work`` after the current response if the view answers first, else now."""
    pending = _pending.get()
    if pending is None:
        work()
    else:
        pending.append(work)


def answer_first(view):
    """Send the view's response before the work handed to ``soon`` meanwhile."""

    @functools.wraps(view)
    def wrapped(*args, **kwargs):
        pending: list[Callable[[], None]] = []
        token = _pending.set(pending)
        try:
            response = view(*args, **kwargs)
        except BaseException:
            _pending.reset(token)
            _run(pending)  # committed before the error: still done
            raise
        _pending.reset(token)
        if pending:
            close = response.close

            def run_then_close():
                # Once, however often the server (or a middleware) closes the
                # response: a second run would send every message twice.
                work = pending.copy()
                pending.clear()
                try:
                    _run(work)
                finally:
                    close()

            response.close = run_then_close
        return response

    return wrapped


def _run(pending: list[Callable[[], None]]) -> None:
    for work in pending:
        try:
            work()
        except Exception:
            log.exception("Work after the response failed: %s", getattr(work, "__name__", work))
