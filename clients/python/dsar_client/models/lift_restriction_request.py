from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.lift_reason_enum import LiftReasonEnum

T = TypeVar("T", bound="LiftRestrictionRequest")


@_attrs_define
class LiftRestrictionRequest:
    """
    Attributes:
        reason (LiftReasonEnum): * `accuracy_verified` - The accuracy of the data was verified (Art. 18(1)(a))
            * `claims_ended` - The subject no longer needs the data for legal claims (Art. 18(1)(c))
            * `objection_assessed` - The objection was assessed: our legitimate grounds override (Art. 18(1)(d))
            * `subject_consented` - The subject consented to the processing (Art. 18(2))
    """

    reason: LiftReasonEnum
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        reason = self.reason.value

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "reason": reason,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        reason = LiftReasonEnum(d.pop("reason"))

        lift_restriction_request = cls(
            reason=reason,
        )

        lift_restriction_request.additional_properties = d
        return lift_restriction_request

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
