from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.identity_check_enum import IdentityCheckEnum
from ..models.language_enum import LanguageEnum
from ..models.request_type_enum import RequestTypeEnum
from ..types import UNSET, Unset

T = TypeVar("T", bound="InboxConvertRequest")


@_attrs_define
class InboxConvertRequest:
    """
    Attributes:
        request_type (RequestTypeEnum): * `access` - Access to my data (Art. 15)
            * `rectification` - Correction of my data (Art. 16)
            * `erasure` - Erasure of my data (Art. 17)
            * `restriction` - Restriction of processing (Art. 18)
            * `portability` - Data portability (Art. 20)
            * `objection` - Objection to processing (Art. 21)
            * `withdrawal` - Withdrawal of consent (Art. 7(3))
        full_name (str):
        language (LanguageEnum): * `nl` - Nederlands
            * `fr` - Français
            * `de` - Deutsch
            * `en` - English
        identity_check (IdentityCheckEnum): * `known_contact` - Came from the e-mail address, phone number or postal
            address we hold
            * `id_document` - Identity document seen
            * `in_person` - Met in person and recognised, or identity document shown at the desk
            * `known_facts` - Answered questions only the subject could (customer number, recent invoice)
            * `other` - Other (explained in the note)
        identity_note (str | Unset):  Default: ''.
    """

    request_type: RequestTypeEnum
    full_name: str
    language: LanguageEnum
    identity_check: IdentityCheckEnum
    identity_note: str | Unset = ""
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        request_type = self.request_type.value

        full_name = self.full_name

        language = self.language.value

        identity_check = self.identity_check.value

        identity_note = self.identity_note

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "request_type": request_type,
                "full_name": full_name,
                "language": language,
                "identity_check": identity_check,
            }
        )
        if identity_note is not UNSET:
            field_dict["identity_note"] = identity_note

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        request_type = RequestTypeEnum(d.pop("request_type"))

        full_name = d.pop("full_name")

        language = LanguageEnum(d.pop("language"))

        identity_check = IdentityCheckEnum(d.pop("identity_check"))

        identity_note = d.pop("identity_note", UNSET)

        inbox_convert_request = cls(
            request_type=request_type,
            full_name=full_name,
            language=language,
            identity_check=identity_check,
            identity_note=identity_note,
        )

        inbox_convert_request.additional_properties = d
        return inbox_convert_request

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
