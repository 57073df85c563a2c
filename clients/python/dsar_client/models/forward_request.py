from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="ForwardRequest")


@_attrs_define
class ForwardRequest:
    """
    Attributes:
        controller_name (str): The controller the request belongs to.
        controller_email (str): Receives the request and a link to acknowledge it.
        note (str | Unset):  Default: ''.
    """

    controller_name: str
    controller_email: str
    note: str | Unset = ""
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        controller_name = self.controller_name

        controller_email = self.controller_email

        note = self.note

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "controller_name": controller_name,
                "controller_email": controller_email,
            }
        )
        if note is not UNSET:
            field_dict["note"] = note

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        controller_name = d.pop("controller_name")

        controller_email = d.pop("controller_email")

        note = d.pop("note", UNSET)

        forward_request = cls(
            controller_name=controller_name,
            controller_email=controller_email,
            note=note,
        )

        forward_request.additional_properties = d
        return forward_request

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
