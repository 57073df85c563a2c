from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.identity_check_enum import IdentityCheckEnum
from ..types import UNSET, Unset

T = TypeVar("T", bound="IdentityCheckRequest")


@_attrs_define
class IdentityCheckRequest:
    """
    Attributes:
        method (IdentityCheckEnum): * `known_contact` - Came from the e-mail address, phone number or postal address we
            hold
            * `id_document` - Identity document seen
            * `in_person` - Met in person and recognised, or identity document shown at the desk
            * `known_facts` - Answered questions only the subject could (customer number, recent invoice)
            * `other` - Other (explained in the note)
        note (str | Unset): What was seen or asked: kept as an internal note. Required with `other`. Default: ''.
    """

    method: IdentityCheckEnum
    note: str | Unset = ""
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        method = self.method.value

        note = self.note

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "method": method,
            }
        )
        if note is not UNSET:
            field_dict["note"] = note

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        method = IdentityCheckEnum(d.pop("method"))

        note = d.pop("note", UNSET)

        identity_check_request = cls(
            method=method,
            note=note,
        )

        identity_check_request.additional_properties = d
        return identity_check_request

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
