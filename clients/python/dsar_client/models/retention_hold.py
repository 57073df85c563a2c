from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.retention_hold_reason_enum import RetentionHoldReasonEnum

T = TypeVar("T", bound="RetentionHold")


@_attrs_define
class RetentionHold:
    """The active retention hold: the request is kept as evidence, past the retention periods.

    Attributes:
        reason (RetentionHoldReasonEnum): * `authority_complaint` - Complaint with the supervisory authority
            * `court_proceedings` - Court proceedings
            * `other` - Other
        explanation (str): The DPO's explanation, as typed (an internal note of the request).
        placed_by (None | str): User name of the DPO who placed it.
        placed_at (datetime.datetime):
    """

    reason: RetentionHoldReasonEnum
    explanation: str
    placed_by: None | str
    placed_at: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        reason = self.reason.value

        explanation = self.explanation

        placed_by: None | str
        placed_by = self.placed_by

        placed_at = self.placed_at.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "reason": reason,
                "explanation": explanation,
                "placed_by": placed_by,
                "placed_at": placed_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        reason = RetentionHoldReasonEnum(d.pop("reason"))

        explanation = d.pop("explanation")

        def _parse_placed_by(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        placed_by = _parse_placed_by(d.pop("placed_by"))

        placed_at = datetime.datetime.fromisoformat(d.pop("placed_at"))

        retention_hold = cls(
            reason=reason,
            explanation=explanation,
            placed_by=placed_by,
            placed_at=placed_at,
        )

        retention_hold.additional_properties = d
        return retention_hold

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
