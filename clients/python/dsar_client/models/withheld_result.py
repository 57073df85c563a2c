from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.withheld_field import WithheldField


T = TypeVar("T", bound="WithheldResult")


@_attrs_define
class WithheldResult:
    """
    Attributes:
        changed (int): How many fields changed (the others already were so).
        withheld_fields (list[WithheldField]): The record's fields withheld now.
    """

    changed: int
    withheld_fields: list[WithheldField]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        changed = self.changed

        withheld_fields = []
        for withheld_fields_item_data in self.withheld_fields:
            withheld_fields_item = withheld_fields_item_data.to_dict()
            withheld_fields.append(withheld_fields_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "changed": changed,
                "withheld_fields": withheld_fields,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.withheld_field import WithheldField  # noqa: PLC0415

        d = dict(src_dict)
        changed = d.pop("changed")

        withheld_fields = []
        _withheld_fields = d.pop("withheld_fields")
        for withheld_fields_item_data in _withheld_fields:
            withheld_fields_item = WithheldField.from_dict(withheld_fields_item_data)

            withheld_fields.append(withheld_fields_item)

        withheld_result = cls(
            changed=changed,
            withheld_fields=withheld_fields,
        )

        withheld_result.additional_properties = d
        return withheld_result

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
