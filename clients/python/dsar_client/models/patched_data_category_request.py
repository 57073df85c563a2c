from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.translated_text_schema_request import TranslatedTextSchemaRequest


T = TypeVar("T", bound="PatchedDataCategoryRequest")


@_attrs_define
class PatchedDataCategoryRequest:
    """Texts in several languages are validated as such.

    Attributes:
        code (str | Unset):
        names (TranslatedTextSchemaRequest | Unset):
        descriptions (TranslatedTextSchemaRequest | Unset):
        sensitive (bool | Unset):
        portable (bool | Unset):
        active (bool | Unset):
    """

    code: str | Unset = UNSET
    names: TranslatedTextSchemaRequest | Unset = UNSET
    descriptions: TranslatedTextSchemaRequest | Unset = UNSET
    sensitive: bool | Unset = UNSET
    portable: bool | Unset = UNSET
    active: bool | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        code = self.code

        names: dict[str, Any] | Unset = UNSET
        if not isinstance(self.names, Unset):
            names = self.names.to_dict()

        descriptions: dict[str, Any] | Unset = UNSET
        if not isinstance(self.descriptions, Unset):
            descriptions = self.descriptions.to_dict()

        sensitive = self.sensitive

        portable = self.portable

        active = self.active

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if code is not UNSET:
            field_dict["code"] = code
        if names is not UNSET:
            field_dict["names"] = names
        if descriptions is not UNSET:
            field_dict["descriptions"] = descriptions
        if sensitive is not UNSET:
            field_dict["sensitive"] = sensitive
        if portable is not UNSET:
            field_dict["portable"] = portable
        if active is not UNSET:
            field_dict["active"] = active

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.translated_text_schema_request import TranslatedTextSchemaRequest  # noqa: PLC0415

        d = dict(src_dict)
        code = d.pop("code", UNSET)

        _names = d.pop("names", UNSET)
        names: TranslatedTextSchemaRequest | Unset
        if isinstance(_names, Unset):
            names = UNSET
        else:
            names = TranslatedTextSchemaRequest.from_dict(_names)

        _descriptions = d.pop("descriptions", UNSET)
        descriptions: TranslatedTextSchemaRequest | Unset
        if isinstance(_descriptions, Unset):
            descriptions = UNSET
        else:
            descriptions = TranslatedTextSchemaRequest.from_dict(_descriptions)

        sensitive = d.pop("sensitive", UNSET)

        portable = d.pop("portable", UNSET)

        active = d.pop("active", UNSET)

        patched_data_category_request = cls(
            code=code,
            names=names,
            descriptions=descriptions,
            sensitive=sensitive,
            portable=portable,
            active=active,
        )

        patched_data_category_request.additional_properties = d
        return patched_data_category_request

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
