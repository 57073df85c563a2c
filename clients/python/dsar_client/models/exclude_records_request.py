from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="ExcludeRecordsRequest")


@_attrs_define
class ExcludeRecordsRequest:
    """
    Attributes:
        records (list[int]): The ids of the records (from `records/`).
        excluded (bool): `true`: leave these records out of the copy (Art. 15(4)); `false`: put them back.
        note (str | Unset): Why they are left out (required with `excluded`): kept for the DPO, not sent to the subject.
            Default: ''.
    """

    records: list[int]
    excluded: bool
    note: str | Unset = ""
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        records = self.records

        excluded = self.excluded

        note = self.note

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "records": records,
                "excluded": excluded,
            }
        )
        if note is not UNSET:
            field_dict["note"] = note

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        records = cast(list[int], d.pop("records"))

        excluded = d.pop("excluded")

        note = d.pop("note", UNSET)

        exclude_records_request = cls(
            records=records,
            excluded=excluded,
            note=note,
        )

        exclude_records_request.additional_properties = d
        return exclude_records_request

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
