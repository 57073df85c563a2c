from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.fee_ground_enum import FeeGroundEnum

T = TypeVar("T", bound="FeeRequest")


@_attrs_define
class FeeRequest:
    """
    Attributes:
        reason (FeeGroundEnum): * `manifestly_unfounded` - Manifestly unfounded (Art. 12(5))
            * `excessive` - Excessive, in particular repetitive (Art. 12(5))
        amount (str): In euro, based on administrative costs.
        reasons (str): Sent to the subject with the amount.
    """

    reason: FeeGroundEnum
    amount: str
    reasons: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        reason = self.reason.value

        amount = self.amount

        reasons = self.reasons

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "reason": reason,
                "amount": amount,
                "reasons": reasons,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        reason = FeeGroundEnum(d.pop("reason"))

        amount = d.pop("amount")

        reasons = d.pop("reasons")

        fee_request = cls(
            reason=reason,
            amount=amount,
            reasons=reasons,
        )

        fee_request.additional_properties = d
        return fee_request

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
