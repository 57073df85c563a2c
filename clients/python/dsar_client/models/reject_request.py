from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.rejection_reason_enum import RejectionReasonEnum
from ..types import UNSET, Unset

T = TypeVar("T", bound="RejectRequest")


@_attrs_define
class RejectRequest:
    """
    Attributes:
        reason (RejectionReasonEnum): * `manifestly_unfounded` - Manifestly unfounded (Art. 12(5))
            * `excessive` - Excessive, in particular repetitive (Art. 12(5))
            * `identity_not_confirmed` - Identity could not be confirmed (Art. 12(6))
            * `no_right_applies` - The right does not apply to this processing
            * `not_controller` - We are not the controller of this data
            * `no_data_held` - We hold no personal data on the subject
        details (str | Unset):  Default: ''.
    """

    reason: RejectionReasonEnum
    details: str | Unset = ""
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        reason = self.reason.value

        details = self.details

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "reason": reason,
            }
        )
        if details is not UNSET:
            field_dict["details"] = details

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        reason = RejectionReasonEnum(d.pop("reason"))

        details = d.pop("details", UNSET)

        reject_request = cls(
            reason=reason,
            details=details,
        )

        reject_request.additional_properties = d
        return reject_request

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
