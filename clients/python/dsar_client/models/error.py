from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.error_additional_property_item_type_1 import ErrorAdditionalPropertyItemType1


T = TypeVar("T", bound="Error")


@_attrs_define
class Error:
    """An error: ``detail`` says what went wrong; on invalid input, each field
    that was wrong has its own list of messages.

        Attributes:
            detail (str | Unset): What went wrong, in plain words.
    """

    detail: str | Unset = UNSET
    additional_properties: dict[str, list[ErrorAdditionalPropertyItemType1 | str]] = _attrs_field(
        init=False, factory=dict
    )

    def to_dict(self) -> dict[str, Any]:
        from ..models.error_additional_property_item_type_1 import ErrorAdditionalPropertyItemType1  # noqa: PLC0415

        detail = self.detail

        field_dict: dict[str, Any] = {}
        for prop_name, prop in self.additional_properties.items():
            field_dict[prop_name] = []
            for additional_property_item_data in prop:
                additional_property_item: dict[str, Any] | str
                if isinstance(additional_property_item_data, ErrorAdditionalPropertyItemType1):
                    additional_property_item = additional_property_item_data.to_dict()
                else:
                    additional_property_item = additional_property_item_data
                field_dict[prop_name].append(additional_property_item)

        field_dict.update({})
        if detail is not UNSET:
            field_dict["detail"] = detail

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.error_additional_property_item_type_1 import ErrorAdditionalPropertyItemType1  # noqa: PLC0415

        d = dict(src_dict)
        detail = d.pop("detail", UNSET)

        error = cls(
            detail=detail,
        )

        additional_properties = {}
        for prop_name, prop_dict in d.items():
            additional_property = []
            _additional_property = prop_dict
            for additional_property_item_data in _additional_property:

                def _parse_additional_property_item(data: object) -> ErrorAdditionalPropertyItemType1 | str:
                    try:
                        if not isinstance(data, dict):
                            raise TypeError()
                        additional_property_item_type_1 = ErrorAdditionalPropertyItemType1.from_dict(data)

                        return additional_property_item_type_1
                    except (TypeError, ValueError, AttributeError, KeyError):
                        pass
                    return cast(ErrorAdditionalPropertyItemType1 | str, data)

                additional_property_item = _parse_additional_property_item(additional_property_item_data)

                additional_property.append(additional_property_item)

            additional_properties[prop_name] = additional_property

        error.additional_properties = additional_properties
        return error

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> list[ErrorAdditionalPropertyItemType1 | str]:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: list[ErrorAdditionalPropertyItemType1 | str]) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
