"""Applying a plan to one source. One executor per connector kind.

Idempotent by construction: an item already done is skipped, and every write
first reads the current value and changes only what differs, so that a second
run (or a run resumed after a crash between the source's commit and ours)
changes nothing more. A masked value carries ``erased:``, so it is never
hashed twice.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from collections import defaultdict
from typing import TYPE_CHECKING
from urllib.parse import quote

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from dsar.connectors.base import ConnectorError, TransientConnectorError
from dsar.execution import sqlsource
from dsar.execution.config import HASH_PREFIX, http_call, table_writes
from dsar.execution.models import Action, PlanItem
from dsar.models import Connector, ManualTask, SourceRun
from dsar.netpolicy import AddressRefused, policy_transport

if TYPE_CHECKING:
    import sqlalchemy as sa

# SQLAlchemy and httpx are imported by the functions that use them: this
# module is reached by the workflow's imports in every web process, which
# never runs a plan and need not hold them (issue 17: the web worker's memory).

_executors: dict[str, type[BaseExecutor]] = {}


def register(cls):
    _executors[cls.kind] = cls
    return cls


def executor_for(run: SourceRun) -> BaseExecutor:
    kind = run.connector.kind
    has_automatic = run.plan_items.exclude(action__in=[Action.MANUAL, Action.KEEP]).exists()
    if kind not in _executors or not has_automatic:
        return ManualExecutor(run)
    return _executors[kind](run)


def keyed_hash(value) -> str:
    """HMAC-SHA256 with the erasure key (DSAR_ERASURE_HASH_KEY): the same value
    always gives the same hash (duplicates stay recognisable) and it cannot be
    reversed without the key."""
    digest = hmac.new(settings.DSAR_ERASURE_HASH_KEY.encode(), str(value).encode(), hashlib.sha256).hexdigest()
    return f"{HASH_PREFIX}{digest[:32]}"


class BaseExecutor:
    kind = ""

    def __init__(self, run: SourceRun):
        self.run = run
        self.connector = run.connector
        self.config = run.connector.config or {}

    def open_items(self):
        return (
            self.run.plan_items.filter(status__in=[PlanItem.Status.PLANNED, PlanItem.Status.FAILED])
            .exclude(action=Action.KEEP)
            .order_by("seq")
        )

    def execute(self, items: list[PlanItem] | None = None) -> None:
        raise NotImplementedError


def _now_for(column: sa.Column):
    """Now, as the column stores dates (text columns get ISO 8601)."""
    now = timezone.now()
    try:
        python_type = column.type.python_type
    except NotImplementedError:
        return now.isoformat()
    if python_type is str:
        return now.isoformat(timespec="seconds")
    if python_type is dt.date:
        return timezone.localdate()
    return now


@register
class SqlExecutor(BaseExecutor):
    kind = Connector.Kind.SQL

    def execute(self, items=None) -> None:
        items = list(items if items is not None else self.open_items())
        manual = [item for item in items if item.action == Action.MANUAL]
        if manual:
            ManualExecutor(self.run).execute(manual)
        items = [item for item in items if item.action != Action.MANUAL]
        tables = table_writes(self.config)
        order = {spec.name: index for index, spec in enumerate(tables)}
        keys = {spec.name: spec.key for spec in tables}
        by_table: dict[str, list[PlanItem]] = defaultdict(list)
        for item in items:
            by_table[item.entity].append(item)
        schema = self.config.get("schema")
        engine = sqlsource.engine_for(self.config)
        parents = {spec.name: (spec.parent or {}).get("table") for spec in tables}
        blocked: set[str] = set()  # parents of a failed table: they wait for it
        errors: list[ConnectorError] = []
        # Children before parents, so that foreign keys never block a delete.
        for name in sorted(by_table, key=lambda n: -order.get(n, 0)):
            table_items = by_table[name]
            if name in blocked:
                _block_ancestors(name, parents, blocked)
                continue
            try:
                changed = apply_to_table(engine, schema, name, keys[name], table_items)
            except Exception as exc:
                error = sqlsource.wrap_error(exc, f"{self.connector.name}, table {name}")
                PlanItem.objects.filter(pk__in=[i.pk for i in table_items]).update(
                    status=PlanItem.Status.FAILED, error=str(error)[:2000]
                )
                errors.append(error)
                _block_ancestors(name, parents, blocked)
                continue
            now = timezone.now()
            # Grouped by count (0 or 1 row, mostly): a few UPDATEs instead of one per item.
            by_count: dict[int, list[int]] = defaultdict(list)
            for item in table_items:
                by_count[changed[item.pk]].append(item.pk)
            for count, pks in by_count.items():
                for first in range(0, len(pks), 900):
                    PlanItem.objects.filter(pk__in=pks[first : first + 900]).update(
                        status=PlanItem.Status.DONE, changed=count, executed_at=now, error=""
                    )
        if errors:
            error_class = TransientConnectorError if all(e.transient for e in errors) else ConnectorError
            raise error_class(" ".join(str(e) for e in errors))


def apply_to_table(engine, schema, name: str, key_column: str, items) -> dict:
    """Apply ``items`` (plan items or deferred erasures) to one table in one
    transaction: the table is either fully applied or untouched. Returns rows
    changed per item."""
    with engine.begin() as connection:
        table = sqlsource.reflect(connection, name, schema)
        changed = delete_by_keys(connection, table, key_column, items)
        for item in items:
            if item.action != Action.DELETE:
                changed[item.pk] = apply_to_row(connection, table, key_column, item)
    return changed


def delete_by_keys(connection, table: sa.Table, key_column: str, items) -> dict:
    import sqlalchemy as sa

    """Deletes go by batches of keys: the rows still there are counted, then deleted.

    ``items`` are plan items or deferred erasures (``pk``, ``action``,
    ``record_key``); returns rows deleted per item."""
    key_col = table.c[key_column]
    deletes = {_typed_key(key_col, item.record_key): item for item in items if item.action == Action.DELETE}
    changed = {item.pk: 0 for item in deletes.values()}
    keys = list(deletes)
    for start in range(0, len(keys), 500):
        batch = keys[start : start + 500]
        present = {row[0] for row in connection.execute(sa.select(key_col).where(key_col.in_(batch)))}
        if present:
            connection.execute(sa.delete(table).where(key_col.in_(list(present))))
        for key in present:
            changed[deletes[key].pk] = 1
    return changed


def apply_to_row(connection, table: sa.Table, key_column: str, item) -> int:
    import sqlalchemy as sa

    """One item's write on its row (``action``, ``record_key``, ``fields``): only what differs changes."""
    key_col = table.c[key_column]
    where = key_col == _typed_key(key_col, item.record_key)
    if item.action == Action.DELETE:
        return connection.execute(sa.delete(table).where(where)).rowcount or 0
    row = connection.execute(sa.select(table).where(where)).mappings().first()
    if row is None:
        return 0  # already gone: nothing to change
    if item.action == Action.MASK:
        wanted = {}
        for column, op in item.fields.items():
            current = row[column]
            if op == "null":
                value = _emptied(table.c[column])
            elif op == "hash":
                if current is None or str(current).startswith(HASH_PREFIX):
                    continue
                value = keyed_hash(current)
            else:
                value = op.removeprefix("fixed:")
            wanted[column] = value
    elif item.action == Action.RECTIFY:
        wanted = {c: v for c, v in item.fields.items() if c in item.approved_fields}
    elif item.action in (Action.RESTRICT, Action.UNRESTRICT, Action.STOP):
        wanted = dict(item.fields)
    else:
        raise ConnectorError(f"Action {item.action} is not supported on SQL sources.")
    # Date columns ("@now") follow the flag they date: only when the flag changes.
    flags = {c: v for c, v in wanted.items() if v != "@now"}
    differing = {c: v for c, v in flags.items() if not _same(row[c], v)}
    if not differing:
        return 0
    values = {**differing, **{c: _now_for(table.c[c]) for c, v in wanted.items() if v == "@now"}}
    return connection.execute(sa.update(table).where(where).values(**values)).rowcount or 0


def _emptied(column: sa.Column):
    """What erasing a column's value writes: NULL, or where the column refuses
    NULL the type's empty value (a consent flag becomes 0: no consent)."""
    if column.nullable:
        return None
    try:
        python_type = column.type.python_type
    except NotImplementedError:
        return None  # unknown type: NULL, and the database says why it refuses
    if python_type is bool:
        return False
    if python_type in (int, float):
        return 0
    if python_type is str:
        return ""
    return None


def _typed_key(column: sa.Column, value: str):
    """The stored key (text) as the column's type, so that comparisons use the index."""
    try:
        return column.type.python_type(value)
    except (NotImplementedError, ValueError, TypeError):
        return value


def _block_ancestors(name: str, parents: dict, blocked: set[str]) -> None:
    parent = parents.get(name)
    while parent and parent not in blocked:
        blocked.add(parent)
        parent = parents.get(parent)


def _same(current, wanted) -> bool:
    if isinstance(wanted, bool):
        return current is not None and bool(current) == wanted
    if wanted is None:
        return current is None
    return current is not None and str(current) == str(wanted)


@register
class HttpExecutor(BaseExecutor):
    kind = Connector.Kind.HTTP
    #: Tests plug a mock transport here.
    transport = None

    def execute(self, items=None) -> None:
        from dsar.connectors.http import HTTPConnector
        from dsar.execution.scope import identity_of

        items = list(items if items is not None else self.open_items())
        manual = [item for item in items if item.action == Action.MANUAL]
        if manual:
            ManualExecutor(self.run).execute(manual)
        items = [item for item in items if item.action == Action.API_CALL]
        if not items:
            return
        identity = identity_of(self.run.job).as_dict()
        # The same base URL and secret headers as the connector's reading, so
        # that one token in the worker's environment serves both.
        reader = HTTPConnector(self.connector)
        headers = reader._headers()
        if self.config.get("token_env"):
            from dsar.connectors.secrets import read_secret

            token = read_secret(self.config["token_env"])
            if not token:
                raise ConnectorError(
                    f"{self.connector.name}: the environment variable {self.config['token_env']} (token_env) "
                    "is not set for the worker."
                )
            headers["Authorization"] = f"Bearer {token}"
        import httpx

        client = httpx.Client(
            base_url=reader._base_url(),
            headers=headers,
            timeout=self.connector.timeout_seconds,
            # Every connection is checked against the sources' address policy (dsar.netpolicy).
            transport=self.transport or policy_transport(),
            follow_redirects=False,
        )
        with client:
            for item in items:
                name = item.fields.get("call", "")
                call = http_call(self.config, name)
                if not call:
                    raise ConnectorError(f"{self.connector.name}: no '{name}' call is configured.")
                context = {**identity}
                if "changes" in item.fields:
                    context["changes"] = {k: v for k, v in item.fields["changes"].items() if k in item.approved_fields}
                    if not context["changes"]:
                        # The DPO approved none of the corrections: nothing to send.
                        self._done(item, changed=0)
                        continue
                self._call(client, call, context, item)

    def _call(self, client, call: dict, context: dict, item: PlanItem) -> None:
        # Identity values go into the path URL-encoded (an address may hold a "+" or a "/").
        path = (
            call.get("path", "")
            .lstrip("/")
            .format(**{k: quote(v, safe="@") for k, v in context.items() if isinstance(v, str)})
        )
        import httpx

        body = _fill(call.get("json"), context)
        method = call.get("method", "POST").upper()
        try:
            response = client.request(method, path, json=body)
        except AddressRefused as exc:
            item.status, item.error = PlanItem.Status.FAILED, str(exc)[:500]
            item.save(update_fields=["status", "error"])
            raise ConnectorError(f"{self.connector.name}: {exc}") from None
        except httpx.TransportError as exc:
            item.status, item.error = PlanItem.Status.FAILED, f"{type(exc).__name__}"
            item.save(update_fields=["status", "error"])
            raise TransientConnectorError(f"{self.connector.name}: the API could not be reached.") from exc
        # 404 on a delete: already gone, which is what was asked.
        ok = response.is_success or (response.status_code == 404 and method == "DELETE")
        if not ok:
            item.status, item.error = PlanItem.Status.FAILED, f"HTTP {response.status_code}"
            item.save(update_fields=["status", "error"])
            if response.status_code in (401, 403):
                raise ConnectorError(
                    f"{self.connector.name}: the API refused the credentials (HTTP {response.status_code}); "
                    "check the token's environment variable."
                )
            error_class = TransientConnectorError if response.status_code >= 500 else ConnectorError
            raise error_class(f"{self.connector.name}: the API answered HTTP {response.status_code}.")
        changed = 1 if response.is_success else 0
        if response.headers.get("content-type", "").startswith("application/json"):
            try:
                changed = int(response.json().get("changed", changed))
            except (ValueError, AttributeError, TypeError):
                pass
        self._done(item, changed=changed)

    def _done(self, item: PlanItem, *, changed: int) -> None:
        item.status, item.executed_at, item.error, item.changed = PlanItem.Status.DONE, timezone.now(), "", changed
        item.save(update_fields=["status", "executed_at", "error", "changed"])


def _fill(template, context):
    """Fill "{email}"-style placeholders in a JSON body; "{changes}" becomes the object."""
    if template is None:
        return None
    if isinstance(template, str):
        if template == "{changes}":
            return context.get("changes", {})
        return template.format(**{k: v for k, v in context.items() if isinstance(v, str)})
    if isinstance(template, dict):
        return {k: _fill(v, context) for k, v in template.items()}
    if isinstance(template, list):
        return [_fill(v, context) for v in template]
    return template


class ManualExecutor(BaseExecutor):
    """Sources without write support: one manual task with exact instructions;
    the run waits until a person marks it done."""

    kind = Connector.Kind.MANUAL

    def execute(self, items=None) -> None:
        from dsar.execution.instructions import manual_instructions

        items = [i for i in (items if items is not None else self.open_items()) if i.action != Action.KEEP]
        if not items:
            return
        # One task per source and job, created and its items marked in one
        # transaction: an item still planned next to a done task is new work.
        with transaction.atomic():
            task = ManualTask.objects.select_for_update().filter(run=self.run).first()
            if task is None:
                ManualTask.objects.create(
                    run=self.run,
                    instructions=manual_instructions(self.run, items),
                    assignee=self.connector.default_assignee,
                )
            elif task.status == ManualTask.Status.DONE:
                # A later step of the same request (the corrections after a restriction
                # applied at once, or the lifting of a restriction): the task opens again.
                task.status, task.instructions = ManualTask.Status.OPEN, manual_instructions(self.run, items)
                task.completed_at = task.completed_by = None
                task.save(update_fields=["status", "instructions", "completed_at", "completed_by"])
            else:
                # Still open: it now says everything that is left to do.
                pending = list(self.run.plan_items.filter(status=PlanItem.Status.WAITING).order_by("seq"))
                task.instructions = manual_instructions(self.run, pending + items)
                task.save(update_fields=["instructions"])
            PlanItem.objects.filter(pk__in=[i.pk for i in items]).update(status=PlanItem.Status.WAITING)


register(ManualExecutor)
