from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.restriction_ground_enum import RestrictionGroundEnum
from ..types import UNSET, Unset

T = TypeVar("T", bound="RestrictionDetails")


@_attrs_define
class RestrictionDetails:
    """Restriction (Art. 18).

    Attributes:
        ground (RestrictionGroundEnum): * `contested_accuracy` - (a) The data is inaccurate: restrict it while it is
            checked
            * `unlawful_processing` - (b) The processing is unlawful, but the subject wants restriction instead of erasure
            * `legal_claims` - (c) No longer needed by us, but needed by the subject for a legal claim
            * `pending_objection` - (d) The subject objected (Art. 21(1)); restrict while our legitimate grounds are
            verified
        tell_recipients (bool | Unset): The subject asks which recipients were told (Art. 19).
        contested_categories (list[str] | Unset): On (a): data category codes contested.
        contested_fields (list[str] | Unset): On (a): the fields contested, in the subject's words.
    """

    ground: RestrictionGroundEnum
    tell_recipients: bool | Unset = UNSET
    contested_categories: list[str] | Unset = UNSET
    contested_fields: list[str] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        ground = self.ground.value

        tell_recipients = self.tell_recipients

        contested_categories: list[str] | Unset = UNSET
        if not isinstance(self.contested_categories, Unset):
            contested_categories = self.contested_categories

        contested_fields: list[str] | Unset = UNSET
        if not isinstance(self.contested_fields, Unset):
            contested_fields = self.contested_fields

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "ground": ground,
            }
        )
        if tell_recipients is not UNSET:
            field_dict["tell_recipients"] = tell_recipients
        if contested_categories is not UNSET:
            field_dict["contested_categories"] = contested_categories
        if contested_fields is not UNSET:
            field_dict["contested_fields"] = contested_fields

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        ground = RestrictionGroundEnum(d.pop("ground"))

        tell_recipients = d.pop("tell_recipients", UNSET)

        contested_categories = cast(list[str], d.pop("contested_categories", UNSET))

        contested_fields = cast(list[str], d.pop("contested_fields", UNSET))

        restriction_details = cls(
            ground=ground,
            tell_recipients=tell_recipients,
            contested_categories=contested_categories,
            contested_fields=contested_fields,
        )

        restriction_details.additional_properties = d
        return restriction_details

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
