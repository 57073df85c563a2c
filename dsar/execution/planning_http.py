"""Planning for HTTP and manual sources: one API call per operation where the
source's API has one, a task for a person otherwise. ``planning.compute_plan``
calls ``plan_http`` and ``plan_manual`` with its ``PlanBuilder``.
"""

from __future__ import annotations

import string

from dsar.execution.config import http_call, http_calls, http_rectify_fields
from dsar.execution.models import LIFT, MEANWHILE, Action
from dsar.execution.scope import (
    all_correction_changes,
    erasure_scope,
    is_mandatory,
    mapped_field,
    settled_correction_changes,
)
from dsar.models import Operation

_HTTP_CALL = {Operation.ERASE: "erase", Operation.RECTIFY: "rectify", Operation.RESTRICT: "restrict"}


def plan_http(builder, run, connector, job, identity, activities) -> None:
    """One API call per operation (per activity for an objection or a
    withdrawal). The subject is first looked up through the connector's
    resources, as gathering does: a source that holds nothing of them gets no
    call, and the plan says what the call will touch."""
    found = _http_found(connector, identity)
    if found is not None and not any(found.values()):
        return
    calls = http_calls(connector.config)
    if job.operation == Operation.STOP_PROCESSING:
        stops = calls.get("stop_processing") or {}
        linked = {a.code for a in connector.activities.all()}
        for code in job.options.get("activities") or []:
            activity = activities.get(code)
            common = {"activity": activity, "mandatory": is_mandatory(job, activity)}
            if code in stops:
                _add_call(builder, run, connector, identity, f"stop_processing.{code}", found, entity=code, **common)
            elif code in linked:
                builder.add(
                    run, entity="*", action=Action.MANUAL, note="The API has no call for this activity.", **common
                )
        return
    name = _HTTP_CALL[job.operation]
    scope = erasure_scope(job)
    if scope is not None:
        held = set(connector.categories.values_list("code", flat=True))
        if held and not held & scope:
            return  # holds none of the categories to erase
        if not held or not held <= scope:
            # The erase call takes all the subject's data there, more than was asked: a person does it.
            plan_manual(builder, run, connector, job, activities)
            return
    if name not in calls:
        plan_manual(builder, run, connector, job, activities)
        return
    changes = None
    if job.operation == Operation.RECTIFY:
        changes = _http_changes(connector, job)
        if not http_rectify_fields(connector.config) and not _holds_corrected_data(connector, job):
            # An API taking the fields as named: the register says whether it holds that kind of data at all.
            changes = {}
        if not changes:
            return  # none of the corrected fields is held by this source
    _add_call(builder, run, connector, identity, name, found, entity=name, changes=changes)
    if job.operation == Operation.RECTIFY and job.options.get("restrict_meanwhile"):
        if "restrict" not in calls:
            plan_manual_meanwhile(builder, run)
            return
        _add_call(builder, run, connector, identity, "restrict", found, entity="restrict", note=MEANWHILE)
        if "unrestrict" in calls:
            _add_call(builder, run, connector, identity, "unrestrict", found, entity="unrestrict", note=LIFT)
        else:
            builder.add(run, entity="*", action=Action.MANUAL, note=LIFT)


def plan_manual_meanwhile(builder, run, *, categories=None) -> None:
    """Art. 18(1)(a) where the source cannot restrict by itself: a person
    restricts at once (the task is created before any approval) and lifts the
    restriction once the approved corrections are applied. With
    ``categories`` (a SQL source), only the data of those categories."""
    fields = {"categories": sorted(categories)} if categories else {}
    builder.add(run, entity="*", action=Action.MANUAL, note=MEANWHILE, fields=fields)
    builder.add(run, entity="*", action=Action.MANUAL, note=LIFT)


def _add_call(builder, run, connector, identity, name, found, *, entity, changes=None, **common) -> None:
    call = http_call(connector.config, name) or {}
    # The call as the DPO reads it: its template, never the subject's values
    # (plan items are kept after an erasure).
    fields = {
        "call": name,
        "request": f"{call.get('method', 'POST').upper()} {call.get('path', '')}",
        "description": call.get("description") or "",
    }
    if found:
        fields["found"] = found
    missing = sorted(_call_placeholders(call) - set(identity.available(sorted(_call_placeholders(call)))))
    if missing:
        # A restriction-meanwhile or lift step keeps its marker: the panel and
        # the execution read it; the missing identity is then the task's to find.
        marker = common.pop("note", None)
        builder.add(
            run,
            entity="*",
            action=Action.MANUAL,
            note=marker or f"The API call needs the subject's {', '.join(missing)}, which is not known."[:500],
            **common,
        )
        return
    if changes is not None:
        fields["changes"] = changes
    builder.add(
        run,
        entity=entity,
        action=Action.API_CALL,
        fields=fields,
        approved_fields=[],
        # The API finds the subject by the identifiers the call carries.
        matched_on=sorted(_call_placeholders(call)),
        **common,
    )


def _call_placeholders(call: dict) -> set[str]:
    """The identity fields a call's path and body need."""
    from dsar.connectors.http import PLACEHOLDERS

    texts = [call.get("path") or ""]
    pending = [call.get("json")]
    while pending:
        value = pending.pop()
        if isinstance(value, str):
            texts.append(value)
        elif isinstance(value, dict):
            pending.extend(value.values())
        elif isinstance(value, list):
            pending.extend(value)
    names = {name for text in texts for _, name, _, _ in string.Formatter().parse(text) if name}
    return names & PLACEHOLDERS


def _http_changes(connector, job) -> dict[str, str]:
    """The corrections as the API's fields: through the rectify call's
    ``fields`` when it names them (corrections of other fields are not for
    this source), as the subject named them otherwise."""
    mapping = http_rectify_fields(connector.config)
    changes = {}
    for field, value in all_correction_changes(job).items():
        target = mapped_field(mapping, field) if mapping else field
        if target:
            changes[target] = value
    return changes


def _http_found(connector, identity) -> dict[str, int] | None:
    """How many of the subject's records each resource holds; None when the
    connector reads nothing (a write-only API)."""
    from dsar.connectors import connector_for

    if not connector.config.get("resources"):
        return None
    result = connector_for(connector).find(identity)
    counts: dict[str, int] = {
        resource["name"]: 0 for resource in connector.config["resources"] if isinstance(resource, dict)
    }
    for record in result.records:
        counts[record.entity] = counts.get(record.entity, 0) + 1
    return counts


def _holds_corrected_data(connector, job) -> bool:
    """Whether a source may hold the data a rectification corrects: the
    register's categories of the source against those of the corrected fields
    (as the SQL sources classify them). When either is unknown, it may."""
    from dsar.execution.recipients import field_categories

    by_field = field_categories()
    corrected = {by_field.get(str(name).strip().lower(), "") for name in all_correction_changes(job)}
    if not corrected or "" in corrected:
        return True
    held = set(connector.categories.values_list("code", flat=True))
    return not held or bool(held & corrected)


def plan_manual(builder, run, connector, job, activities) -> None:
    if job.operation == Operation.RECTIFY and not _holds_corrected_data(connector, job):
        # Nothing to correct there, nor to restrict while the correction is checked.
        return
    if job.operation == Operation.STOP_PROCESSING:
        linked = {a.code for a in connector.activities.all()}
        for code in job.options.get("activities") or []:
            if code in linked:
                activity = activities.get(code)
                builder.add(
                    run, entity="*", action=Action.MANUAL, activity=activity, mandatory=is_mandatory(job, activity)
                )
        return
    fields: dict[str, object] = {}
    if job.operation == Operation.RECTIFY:
        changes = settled_correction_changes(job)
        # Every correction awaiting the DPO's mapping: no task yet (the restriction meanwhile still is one).
        if changes:
            builder.add(run, entity="*", action=Action.MANUAL, fields={"changes": changes})
        if job.options.get("restrict_meanwhile"):
            plan_manual_meanwhile(builder, run)
        return
    scope = erasure_scope(job)
    if scope is not None:
        held = set(connector.categories.values_list("code", flat=True))
        if held and not held & scope:
            return  # holds none of the categories to erase
        # What the person erases: the categories asked for that the source holds (all asked, when unknown).
        fields = {"categories": sorted(held & scope if held else scope)}
    builder.add(run, entity="*", action=Action.MANUAL, fields=fields)
