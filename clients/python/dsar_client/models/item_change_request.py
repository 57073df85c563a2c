from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.blank_enum import BlankEnum
from ..models.keep_reason_enum import KeepReasonEnum
from ..models.plan_item_change_enum import PlanItemChangeEnum
from ..types import UNSET, Unset

T = TypeVar("T", bound="ItemChangeRequest")


@_attrs_define
class ItemChangeRequest:
    """
    Attributes:
        change (PlanItemChangeEnum): * `keep` - keep
            * `leave_out` - leave_out
            * `include` - include
            * `fields` - fields
        reason (BlankEnum | KeepReasonEnum | Unset):  Default: BlankEnum.EMPTY.
        note (str | Unset):  Default: ''.
        fields (list[str] | Unset):
    """

    change: PlanItemChangeEnum
    reason: BlankEnum | KeepReasonEnum | Unset = BlankEnum.EMPTY
    note: str | Unset = ""
    fields: list[str] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        change = self.change.value

        reason: str | Unset
        if isinstance(self.reason, Unset):
            reason = UNSET
        elif isinstance(self.reason, KeepReasonEnum):
            reason = self.reason.value
        else:
            reason = self.reason.value

        note = self.note

        fields: list[str] | Unset = UNSET
        if not isinstance(self.fields, Unset):
            fields = self.fields

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "change": change,
            }
        )
        if reason is not UNSET:
            field_dict["reason"] = reason
        if note is not UNSET:
            field_dict["note"] = note
        if fields is not UNSET:
            field_dict["fields"] = fields

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        change = PlanItemChangeEnum(d.pop("change"))

        def _parse_reason(data: object) -> BlankEnum | KeepReasonEnum | Unset:
            if isinstance(data, Unset):
                return data
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

        reason = _parse_reason(d.pop("reason", UNSET))

        note = d.pop("note", UNSET)

        fields = cast(list[str], d.pop("fields", UNSET))

        item_change_request = cls(
            change=change,
            reason=reason,
            note=note,
            fields=fields,
        )

        item_change_request.additional_properties = d
        return item_change_request

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
