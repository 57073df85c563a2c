from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.erasure_scope_enum import ErasureScopeEnum
from ..types import UNSET, Unset

T = TypeVar("T", bound="ErasureDetails")


@_attrs_define
class ErasureDetails:
    """Erasure (Art. 17).

    Attributes:
        scope (ErasureScopeEnum): * `all` - all
            * `specific` - specific
        tell_recipients (bool | Unset): The subject asks which recipients were told (Art. 19).
        specific (str | Unset): The data to erase, in the subject's words.
        categories (list[str] | Unset): Data category codes (scope `specific`).
    """

    scope: ErasureScopeEnum
    tell_recipients: bool | Unset = UNSET
    specific: str | Unset = UNSET
    categories: list[str] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        scope = self.scope.value

        tell_recipients = self.tell_recipients

        specific = self.specific

        categories: list[str] | Unset = UNSET
        if not isinstance(self.categories, Unset):
            categories = self.categories

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "scope": scope,
            }
        )
        if tell_recipients is not UNSET:
            field_dict["tell_recipients"] = tell_recipients
        if specific is not UNSET:
            field_dict["specific"] = specific
        if categories is not UNSET:
            field_dict["categories"] = categories

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        scope = ErasureScopeEnum(d.pop("scope"))

        tell_recipients = d.pop("tell_recipients", UNSET)

        specific = d.pop("specific", UNSET)

        categories = cast(list[str], d.pop("categories", UNSET))

        erasure_details = cls(
            scope=scope,
            tell_recipients=tell_recipients,
            specific=specific,
            categories=categories,
        )

        erasure_details.additional_properties = d
        return erasure_details

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
