from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.portability_format_enum import PortabilityFormatEnum
from ..types import UNSET, Unset

T = TypeVar("T", bound="PortabilityDetails")


@_attrs_define
class PortabilityDetails:
    """Portability (Art. 20).

    Attributes:
        format_ (PortabilityFormatEnum): * `json` - json
            * `csv` - csv
        target_controller (str): The organisation to send the data to directly (Art. 20(2)); empty when none.
        target_controller_email (str | Unset): That organisation's address, if given.
    """

    format_: PortabilityFormatEnum
    target_controller: str
    target_controller_email: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        format_ = self.format_.value

        target_controller = self.target_controller

        target_controller_email = self.target_controller_email

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "format": format_,
                "target_controller": target_controller,
            }
        )
        if target_controller_email is not UNSET:
            field_dict["target_controller_email"] = target_controller_email

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        format_ = PortabilityFormatEnum(d.pop("format"))

        target_controller = d.pop("target_controller")

        target_controller_email = d.pop("target_controller_email", UNSET)

        portability_details = cls(
            format_=format_,
            target_controller=target_controller,
            target_controller_email=target_controller_email,
        )

        portability_details.additional_properties = d
        return portability_details

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
