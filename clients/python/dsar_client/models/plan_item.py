from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.blank_enum import BlankEnum
from ..models.keep_reason_enum import KeepReasonEnum
from ..models.plan_action_enum import PlanActionEnum
from ..models.plan_item_status_enum import PlanItemStatusEnum

if TYPE_CHECKING:
    from ..models.plan_item_before import PlanItemBefore


T = TypeVar("T", bound="PlanItem")


@_attrs_define
class PlanItem:
    """
    Attributes:
        id (int):
        source (str):
        seq (int):
        entity (str):
        record_key (str):
        category (str):
        action (PlanActionEnum): * `delete` - Delete the record
            * `mask` - Mask fields
            * `keep` - Keep
            * `rectify` - Correct fields
            * `restrict` - Mark restricted
            * `unrestrict` - Lift the restriction
            * `stop` - Stop the processing
            * `api_call` - Call the source's API
            * `manual` - Manual task
        status (PlanItemStatusEnum): * `planned` - Planned
            * `done` - Done
            * `failed` - Failed
            * `skipped` - Left out by the DPO
            * `waiting` - Waiting for a person
        fields (Any): What the action writes: the columns and their operation, the corrected values of a rectification
            (under `changes` for a system's interface), or `planned_action` of a record kept.
        approved_fields (list[str]): Rectification: the corrected fields approved (only they are written).
        activity (None | str):
        reason (BlankEnum | KeepReasonEnum):
        note (str):
        keep_until (datetime.date | None):
        mandatory (bool):
        matched_on (list[str]): The identifiers the record was found by (as the records' `matched_on`). Found only by
            unverified ones, the step is left out (`skipped`) until the DPO puts it back.
        before (PlanItemBefore): Rectification: the record's values of the corrected fields when the plan was computed
            (the record before the change; `fields` is after). Empty for other actions.
        changed (int):
        executed_at (datetime.datetime | None):
        error (str):
    """

    id: int
    source: str
    seq: int
    entity: str
    record_key: str
    category: str
    action: PlanActionEnum
    status: PlanItemStatusEnum
    fields: Any
    approved_fields: list[str]
    activity: None | str
    reason: BlankEnum | KeepReasonEnum
    note: str
    keep_until: datetime.date | None
    mandatory: bool
    matched_on: list[str]
    before: PlanItemBefore
    changed: int
    executed_at: datetime.datetime | None
    error: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        source = self.source

        seq = self.seq

        entity = self.entity

        record_key = self.record_key

        category = self.category

        action = self.action.value

        status = self.status.value

        fields = self.fields

        approved_fields = self.approved_fields

        activity: None | str
        activity = self.activity

        reason: str
        if isinstance(self.reason, KeepReasonEnum):
            reason = self.reason.value
        else:
            reason = self.reason.value

        note = self.note

        keep_until: None | str
        if isinstance(self.keep_until, datetime.date):
            keep_until = self.keep_until.isoformat()
        else:
            keep_until = self.keep_until

        mandatory = self.mandatory

        matched_on = self.matched_on

        before = self.before.to_dict()

        changed = self.changed

        executed_at: None | str
        if isinstance(self.executed_at, datetime.datetime):
            executed_at = self.executed_at.isoformat()
        else:
            executed_at = self.executed_at

        error = self.error

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "source": source,
                "seq": seq,
                "entity": entity,
                "record_key": record_key,
                "category": category,
                "action": action,
                "status": status,
                "fields": fields,
                "approved_fields": approved_fields,
                "activity": activity,
                "reason": reason,
                "note": note,
                "keep_until": keep_until,
                "mandatory": mandatory,
                "matched_on": matched_on,
                "before": before,
                "changed": changed,
                "executed_at": executed_at,
                "error": error,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.plan_item_before import PlanItemBefore  # noqa: PLC0415

        d = dict(src_dict)
        id = d.pop("id")

        source = d.pop("source")

        seq = d.pop("seq")

        entity = d.pop("entity")

        record_key = d.pop("record_key")

        category = d.pop("category")

        action = PlanActionEnum(d.pop("action"))

        status = PlanItemStatusEnum(d.pop("status"))

        fields = d.pop("fields")

        approved_fields = cast(list[str], d.pop("approved_fields"))

        def _parse_activity(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        activity = _parse_activity(d.pop("activity"))

        def _parse_reason(data: object) -> BlankEnum | KeepReasonEnum:
            try:
                if not isinstance(data, str):
                    raise TypeError()
                reason_type_0 = KeepReasonEnum(data)

                return reason_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            if not isinstance(data, str):
                raise TypeError()
            reason_type_1 = BlankEnum(data)

            return reason_type_1

        reason = _parse_reason(d.pop("reason"))

        note = d.pop("note")

        def _parse_keep_until(data: object) -> datetime.date | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                keep_until_type_0 = datetime.date.fromisoformat(data)

                return keep_until_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.date | None, data)

        keep_until = _parse_keep_until(d.pop("keep_until"))

        mandatory = d.pop("mandatory")

        matched_on = cast(list[str], d.pop("matched_on"))

        before = PlanItemBefore.from_dict(d.pop("before"))

        changed = d.pop("changed")

        def _parse_executed_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                executed_at_type_0 = datetime.datetime.fromisoformat(data)

                return executed_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        executed_at = _parse_executed_at(d.pop("executed_at"))

        error = d.pop("error")

        plan_item = cls(
            id=id,
            source=source,
            seq=seq,
            entity=entity,
            record_key=record_key,
            category=category,
            action=action,
            status=status,
            fields=fields,
            approved_fields=approved_fields,
            activity=activity,
            reason=reason,
            note=note,
            keep_until=keep_until,
            mandatory=mandatory,
            matched_on=matched_on,
            before=before,
            changed=changed,
            executed_at=executed_at,
            error=error,
        )

        plan_item.additional_properties = d
        return plan_item

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
