from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.mandate_check_decision_enum import MandateCheckDecisionEnum
from ..types import UNSET, Unset

T = TypeVar("T", bound="MandateCheckRequest")


@_attrs_define
class MandateCheckRequest:
    """
    Attributes:
        decision (MandateCheckDecisionEnum): * `accepted` - accepted
            * `refused` - refused
        reason (str | Unset): What is missing, sent to the representative; required with `refused`. Default: ''.
    """

    decision: MandateCheckDecisionEnum
    reason: str | Unset = ""
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        decision = self.decision.value

        reason = self.reason

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "decision": decision,
            }
        )
        if reason is not UNSET:
            field_dict["reason"] = reason

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        decision = MandateCheckDecisionEnum(d.pop("decision"))

        reason = d.pop("reason", UNSET)

        mandate_check_request = cls(
            decision=decision,
            reason=reason,
        )

        mandate_check_request.additional_properties = d
        return mandate_check_request

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
