from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="PlanRecipient")


@_attrs_define
class PlanRecipient:
    """A recipient of the data (Art. 19) and why it is concerned.

    Attributes:
        recipient (str):
        name (str):
        has_email (bool):
        categories (list[str]):
        activities (list[str]):
        unclassified (bool):
    """

    recipient: str
    name: str
    has_email: bool
    categories: list[str]
    activities: list[str]
    unclassified: bool
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        recipient = self.recipient

        name = self.name

        has_email = self.has_email

        categories = self.categories

        activities = self.activities

        unclassified = self.unclassified

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "recipient": recipient,
                "name": name,
                "has_email": has_email,
                "categories": categories,
                "activities": activities,
                "unclassified": unclassified,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        recipient = d.pop("recipient")

        name = d.pop("name")

        has_email = d.pop("has_email")

        categories = cast(list[str], d.pop("categories"))

        activities = cast(list[str], d.pop("activities"))

        unclassified = d.pop("unclassified")

        plan_recipient = cls(
            recipient=recipient,
            name=name,
            has_email=has_email,
            categories=categories,
            activities=activities,
            unclassified=unclassified,
        )

        plan_recipient.additional_properties = d
        return plan_recipient

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
