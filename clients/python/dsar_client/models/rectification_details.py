from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.correction_asked import CorrectionAsked


T = TypeVar("T", bound="RectificationDetails")


@_attrs_define
class RectificationDetails:
    """Rectification (Art. 16).

    Attributes:
        items (list[CorrectionAsked]): 1 to 5 corrections.
        tell_recipients (bool | Unset): The subject asks which recipients were told (Art. 19).
        restrict_meanwhile (bool | Unset): Restrict the data while the correction is checked (Art. 18(1)(a)).
    """

    items: list[CorrectionAsked]
    tell_recipients: bool | Unset = UNSET
    restrict_meanwhile: bool | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        items = []
        for items_item_data in self.items:
            items_item = items_item_data.to_dict()
            items.append(items_item)

        tell_recipients = self.tell_recipients

        restrict_meanwhile = self.restrict_meanwhile

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "items": items,
            }
        )
        if tell_recipients is not UNSET:
            field_dict["tell_recipients"] = tell_recipients
        if restrict_meanwhile is not UNSET:
            field_dict["restrict_meanwhile"] = restrict_meanwhile

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.correction_asked import CorrectionAsked  # noqa: PLC0415

        d = dict(src_dict)
        items = []
        _items = d.pop("items")
        for items_item_data in _items:
            items_item = CorrectionAsked.from_dict(items_item_data)

            items.append(items_item)

        tell_recipients = d.pop("tell_recipients", UNSET)

        restrict_meanwhile = d.pop("restrict_meanwhile", UNSET)

        rectification_details = cls(
            items=items,
            tell_recipients=tell_recipients,
            restrict_meanwhile=restrict_meanwhile,
        )

        rectification_details.additional_properties = d
        return rectification_details

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
