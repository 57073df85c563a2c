from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.blank_enum import BlankEnum
from ..models.settle_notice_reason_enum import SettleNoticeReasonEnum
from ..types import UNSET, Unset

T = TypeVar("T", bound="SettleNoticeRequest")


@_attrs_define
class SettleNoticeRequest:
    """
    Attributes:
        reason (BlankEnum | SettleNoticeReasonEnum | Unset): Empty: the recipient was told by other means (letter,
            phone). Otherwise why it was not (Art. 19).

            * `impossible` - Impossible (Art. 19)
            * `disproportionate` - Disproportionate effort (Art. 19)
            * `no_longer_recipient` - No longer a recipient of the data
        note (str | Unset): Required with a reason.
    """

    reason: BlankEnum | SettleNoticeReasonEnum | Unset = UNSET
    note: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        reason: str | Unset
        if isinstance(self.reason, Unset):
            reason = UNSET
        elif isinstance(self.reason, SettleNoticeReasonEnum):
            reason = self.reason.value
        else:
            reason = self.reason.value

        note = self.note

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if reason is not UNSET:
            field_dict["reason"] = reason
        if note is not UNSET:
            field_dict["note"] = note

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_reason(data: object) -> BlankEnum | SettleNoticeReasonEnum | Unset:
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                reason_type_0 = SettleNoticeReasonEnum(data)

                return reason_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            if not isinstance(data, str):
                raise TypeError()
            reason_type_1 = BlankEnum(data)

            return reason_type_1

        reason = _parse_reason(d.pop("reason", UNSET))

        note = d.pop("note", UNSET)

        settle_notice_request = cls(
            reason=reason,
            note=note,
        )

        settle_notice_request.additional_properties = d
        return settle_notice_request

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
