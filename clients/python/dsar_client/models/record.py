from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.record_data import RecordData
    from ..models.withheld_field import WithheldField


T = TypeVar("T", bound="Record")


@_attrs_define
class Record:
    """
    Attributes:
        id (int):
        source (str):
        entity (str): The table or resource.
        category (str):
        excluded (bool):
        exclusion_note (str):
        matched_on (list[str]): The identifiers the source found the record by (email, phone, customer_number,
            national_number, full_name; unknown when they could not be compared). Found only by unverified ones, it is left
            out of the copy until the DPO puts it back.
        withheld_fields (list[WithheldField]): The record's fields withheld from the copy (Art. 15(4)); the rest of the
            record stays in it.
        data (RecordData | Unset): The record's data, only when asked with `data=true`.
    """

    id: int
    source: str
    entity: str
    category: str
    excluded: bool
    exclusion_note: str
    matched_on: list[str]
    withheld_fields: list[WithheldField]
    data: RecordData | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        source = self.source

        entity = self.entity

        category = self.category

        excluded = self.excluded

        exclusion_note = self.exclusion_note

        matched_on = self.matched_on

        withheld_fields = []
        for withheld_fields_item_data in self.withheld_fields:
            withheld_fields_item = withheld_fields_item_data.to_dict()
            withheld_fields.append(withheld_fields_item)

        data: dict[str, Any] | Unset = UNSET
        if not isinstance(self.data, Unset):
            data = self.data.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "source": source,
                "entity": entity,
                "category": category,
                "excluded": excluded,
                "exclusion_note": exclusion_note,
                "matched_on": matched_on,
                "withheld_fields": withheld_fields,
            }
        )
        if data is not UNSET:
            field_dict["data"] = data

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.record_data import RecordData  # noqa: PLC0415
        from ..models.withheld_field import WithheldField  # noqa: PLC0415

        d = dict(src_dict)
        id = d.pop("id")

        source = d.pop("source")

        entity = d.pop("entity")

        category = d.pop("category")

        excluded = d.pop("excluded")

        exclusion_note = d.pop("exclusion_note")

        matched_on = cast(list[str], d.pop("matched_on"))

        withheld_fields = []
        _withheld_fields = d.pop("withheld_fields")
        for withheld_fields_item_data in _withheld_fields:
            withheld_fields_item = WithheldField.from_dict(withheld_fields_item_data)

            withheld_fields.append(withheld_fields_item)

        _data = d.pop("data", UNSET)
        data: RecordData | Unset
        if isinstance(_data, Unset):
            data = UNSET
        else:
            data = RecordData.from_dict(_data)

        record = cls(
            id=id,
            source=source,
            entity=entity,
            category=category,
            excluded=excluded,
            exclusion_note=exclusion_note,
            matched_on=matched_on,
            withheld_fields=withheld_fields,
            data=data,
        )

        record.additional_properties = d
        return record

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
