from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.retention_hold_reason_enum import RetentionHoldReasonEnum

T = TypeVar("T", bound="PlaceHoldRequest")


@_attrs_define
class PlaceHoldRequest:
    """
    Attributes:
        reason (RetentionHoldReasonEnum): * `authority_complaint` - Complaint with the supervisory authority
            * `court_proceedings` - Court proceedings
            * `other` - Other
        explanation (str): Why the records must be kept, e.g. the authority's or the court's file number. Kept as an
            internal note; the audit trail records only the reason's code.
    """

    reason: RetentionHoldReasonEnum
    explanation: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        reason = self.reason.value

        explanation = self.explanation

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "reason": reason,
                "explanation": explanation,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        reason = RetentionHoldReasonEnum(d.pop("reason"))

        explanation = d.pop("explanation")

        place_hold_request = cls(
            reason=reason,
            explanation=explanation,
        )

        place_hold_request.additional_properties = d
        return place_hold_request

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
