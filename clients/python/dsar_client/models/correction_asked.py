from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="CorrectionAsked")


@_attrs_define
class CorrectionAsked:
    """
    Attributes:
        field (str): Which data is wrong, in the subject's words.
        current (str): What the controller has now, if the subject knows (may be empty).
        correct (str): What is correct.
    """

    field: str
    current: str
    correct: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        field = self.field

        current = self.current

        correct = self.correct

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "field": field,
                "current": current,
                "correct": correct,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        field = d.pop("field")

        current = d.pop("current")

        correct = d.pop("correct")

        correction_asked = cls(
            field=field,
            current=current,
            correct=correct,
        )

        correction_asked.additional_properties = d
        return correction_asked

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
