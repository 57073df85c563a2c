from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.mapped_field import MappedField


T = TypeVar("T", bound="Correction")


@_attrs_define
class Correction:
    """
    Attributes:
        index (int):
        field (str):
        correct (str):
        matched (bool): Whether a source has a field of this name, or the DPO mapped it.
        fields (list[MappedField]): The fields the DPO mapped this correction onto, each with its value (empty: not
            split).
    """

    index: int
    field: str
    correct: str
    matched: bool
    fields: list[MappedField]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        index = self.index

        field = self.field

        correct = self.correct

        matched = self.matched

        fields = []
        for fields_item_data in self.fields:
            fields_item = fields_item_data.to_dict()
            fields.append(fields_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "index": index,
                "field": field,
                "correct": correct,
                "matched": matched,
                "fields": fields,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.mapped_field import MappedField  # noqa: PLC0415

        d = dict(src_dict)
        index = d.pop("index")

        field = d.pop("field")

        correct = d.pop("correct")

        matched = d.pop("matched")

        fields = []
        _fields = d.pop("fields")
        for fields_item_data in _fields:
            fields_item = MappedField.from_dict(fields_item_data)

            fields.append(fields_item)

        correction = cls(
            index=index,
            field=field,
            correct=correct,
            matched=matched,
            fields=fields,
        )

        correction.additional_properties = d
        return correction

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
