from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.error_additional_property_type_0_item_type_1 import ErrorAdditionalPropertyType0ItemType1
    from ..models.error_additional_property_type_1 import ErrorAdditionalPropertyType1


T = TypeVar("T", bound="Error")


@_attrs_define
class Error:
    """An error: ``detail`` says what went wrong; on invalid input, each field
    that was wrong has its own list of messages.

        Attributes:
            detail (str | Unset): What went wrong, in plain words.
    """

    detail: str | Unset = UNSET
    additional_properties: dict[
        str, ErrorAdditionalPropertyType1 | list[ErrorAdditionalPropertyType0ItemType1 | str]
    ] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.error_additional_property_type_0_item_type_1 import ErrorAdditionalPropertyType0ItemType1  # noqa: PLC0415

        detail = self.detail

        field_dict: dict[str, Any] = {}
        for prop_name, prop in self.additional_properties.items():
            if isinstance(prop, list):
                field_dict[prop_name] = []
                for additional_property_type_0_item_data in prop:
                    additional_property_type_0_item: dict[str, Any] | str
                    if isinstance(additional_property_type_0_item_data, ErrorAdditionalPropertyType0ItemType1):
                        additional_property_type_0_item = additional_property_type_0_item_data.to_dict()
                    else:
                        additional_property_type_0_item = additional_property_type_0_item_data
                    field_dict[prop_name].append(additional_property_type_0_item)

            else:
                field_dict[prop_name] = prop.to_dict()

        field_dict.update({})
        if detail is not UNSET:
            field_dict["detail"] = detail

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.error_additional_property_type_0_item_type_1 import ErrorAdditionalPropertyType0ItemType1  # noqa: PLC0415
        from ..models.error_additional_property_type_1 import ErrorAdditionalPropertyType1  # noqa: PLC0415

        d = dict(src_dict)
        detail = d.pop("detail", UNSET)

        error = cls(
            detail=detail,
        )

        additional_properties = {}
        for prop_name, prop_dict in d.items():

            def _parse_additional_property(
                data: object,
            ) -> ErrorAdditionalPropertyType1 | list[ErrorAdditionalPropertyType0ItemType1 | str]:
                try:
                    if not isinstance(data, list):
                        raise TypeError()
                    additional_property_type_0 = []
                    _additional_property_type_0 = data
                    for additional_property_type_0_item_data in _additional_property_type_0:

                        def _parse_additional_property_type_0_item(
                            data: object,
                        ) -> ErrorAdditionalPropertyType0ItemType1 | str:
                            try:
                                if not isinstance(data, dict):
                                    raise TypeError()
                                additional_property_type_0_item_type_1 = (
                                    ErrorAdditionalPropertyType0ItemType1.from_dict(data)
                                )

                                return additional_property_type_0_item_type_1
                            except (TypeError, ValueError, AttributeError, KeyError):
                                pass
                            return cast(ErrorAdditionalPropertyType0ItemType1 | str, data)

                        additional_property_type_0_item = _parse_additional_property_type_0_item(
                            additional_property_type_0_item_data
                        )

                        additional_property_type_0.append(additional_property_type_0_item)

                    return additional_property_type_0
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                if not isinstance(data, dict):
                    raise TypeError()
                additional_property_type_1 = ErrorAdditionalPropertyType1.from_dict(data)

                return additional_property_type_1

            additional_property = _parse_additional_property(prop_dict)

            additional_properties[prop_name] = additional_property

        error.additional_properties = additional_properties
        return error

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> ErrorAdditionalPropertyType1 | list[ErrorAdditionalPropertyType0ItemType1 | str]:
        return self.additional_properties[key]

    def __setitem__(
        self, key: str, value: ErrorAdditionalPropertyType1 | list[ErrorAdditionalPropertyType0ItemType1 | str]
    ) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
