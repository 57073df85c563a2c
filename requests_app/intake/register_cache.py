"""What the intake form reads from the configuration, read once per process.

The form offers the register's processing activities (Art. 21 objections,
Art. 7(3) withdrawals) and data categories (Art. 17, 18(1)(a)), and asks for
the national number only where the controller's profile says so. Querying
them on every submission was a quarter of the intake's time (issue 17), and
they change only when the DPO edits the configuration.

Each process keeps a snapshot with the configuration's version, a counter in
the shared cache that every save or delete of an activity, a category or the
controller's profile bumps (signals connected in ``RequestsAppConfig.ready``):
one cache read per form instead of four queries, and a change made in any
process is seen by the next form in every other. A change that bypasses the
signals (a bulk ``update()``, SQL by hand) is seen within ``MAX_AGE`` seconds.
When the cache is unreachable the form reads the database, as before.

The version is bumped when the change commits, and a snapshot read in a
transaction that changed the configuration is not kept: a rolled-back edit
never lingers in a process (``dsar.core.kept``).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models.signals import post_delete, post_save

from dsar.core.kept import UNREAD, KeptPerProcess
from dsar.models import DataCategory, ProcessingActivity
from requests_app.models import ControllerProfile

VERSION_KEY = "intake:register-version"
MAX_AGE = 300.0


@dataclass(frozen=True)
class Activity:
    code: str
    names: dict
    objectionable: bool
    consent_based: bool


@dataclass(frozen=True)
class Category:
    code: str
    names: dict


@dataclass(frozen=True)
class Snapshot:
    activities: tuple[Activity, ...]  # the active ones, by code
    categories: tuple[Category, ...]  # the active ones, by code
    controller: ControllerProfile


def _read() -> Snapshot:
    return Snapshot(
        activities=tuple(
            Activity(a.code, dict(a.names or {}), a.objectionable, a.consent_based)
            for a in ProcessingActivity.objects.filter(active=True).order_by("code")
        ),
        categories=tuple(
            Category(c.code, dict(c.names or {})) for c in DataCategory.objects.filter(active=True).order_by("code")
        ),
        controller=ControllerProfile.current(),
    )


_kept = KeptPerProcess(VERSION_KEY, _read, what="Configuration", max_age=MAX_AGE)


def snapshot(*, version=UNREAD) -> Snapshot:
    """The configuration the form needs, fresh as of the last change.

    ``version``: the value of ``VERSION_KEY`` (0 when absent, None when the
    cache is unavailable) when the caller read it already, in a round trip of
    its own (``services.count_ahead``: the API and the web form)."""
    return _kept.get(version=version)


def connect() -> None:
    for model in (ProcessingActivity, DataCategory, ControllerProfile):
        post_save.connect(_kept.changed, sender=model, dispatch_uid=f"intake-register-{model.__name__}")
        post_delete.connect(_kept.changed, sender=model, dispatch_uid=f"intake-register-del-{model.__name__}")
