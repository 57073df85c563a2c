from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.transmission_decision_enum import TransmissionDecisionEnum
from ..types import UNSET, Unset

T = TypeVar("T", bound="TransmissionDecisionRequest")


@_attrs_define
class TransmissionDecisionRequest:
    """Art. 20(2): send the copy to the organisation the subject named, or say why that is not feasible.

    Attributes:
        decision (TransmissionDecisionEnum): * `send` - send
            * `not_feasible` - not_feasible
        email (str | Unset): Required to send: the organisation's address (its link and codes go there).
        reason (str | Unset): Required when not feasible: told to the subject in their e-mail. Default: ''.
    """

    decision: TransmissionDecisionEnum
    email: str | Unset = UNSET
    reason: str | Unset = ""
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        decision = self.decision.value

        email: str | Unset
        if isinstance(self.email, Unset):
            email = UNSET
        else:
            email = self.email

        reason = self.reason

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "decision": decision,
            }
        )
        if email is not UNSET:
            field_dict["email"] = email
        if reason is not UNSET:
            field_dict["reason"] = reason

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        decision = TransmissionDecisionEnum(d.pop("decision"))

        def _parse_email(data: object) -> str | Unset:
            if isinstance(data, Unset):
                return data
            return cast(str | Unset, data)

        email = _parse_email(d.pop("email", UNSET))

        reason = d.pop("reason", UNSET)

        transmission_decision_request = cls(
            decision=decision,
            email=email,
            reason=reason,
        )

        transmission_decision_request.additional_properties = d
        return transmission_decision_request

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
