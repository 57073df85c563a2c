from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="TranslatedTextSchema")


@_attrs_define
class TranslatedTextSchema:
    """
    Attributes:
        en (str | Unset):
        nl (str | Unset):
        fr (str | Unset):
        de (str | Unset):
    """

    en: str | Unset = UNSET
    nl: str | Unset = UNSET
    fr: str | Unset = UNSET
    de: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        en = self.en

        nl = self.nl

        fr = self.fr

        de = self.de

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if en is not UNSET:
            field_dict["en"] = en
        if nl is not UNSET:
            field_dict["nl"] = nl
        if fr is not UNSET:
            field_dict["fr"] = fr
        if de is not UNSET:
            field_dict["de"] = de

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        en = d.pop("en", UNSET)

        nl = d.pop("nl", UNSET)

        fr = d.pop("fr", UNSET)

        de = d.pop("de", UNSET)

        translated_text_schema = cls(
            en=en,
            nl=nl,
            fr=fr,
            de=de,
        )

        translated_text_schema.additional_properties = d
        return translated_text_schema

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
