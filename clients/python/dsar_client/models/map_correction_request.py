from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.map_correction_request_fields import MapCorrectionRequestFields


T = TypeVar("T", bound="MapCorrectionRequest")


@_attrs_define
class MapCorrectionRequest:
    """
    Attributes:
        field (str | Unset): The one source field the subject's correction is about (see `correction_fields`), with the
            subject's value. Or use `fields`. Default: ''.
        fields (MapCorrectionRequestFields | Unset): Several source fields the correction is about, each with its new
            value, e.g. `{"street": "Neustraße 12", "postal_code": "4700", "city": "Eupen"}` (since 1.3.0).
    """

    field: str | Unset = ""
    fields: MapCorrectionRequestFields | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        field = self.field

        fields: dict[str, Any] | Unset = UNSET
        if not isinstance(self.fields, Unset):
            fields = self.fields.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if field is not UNSET:
            field_dict["field"] = field
        if fields is not UNSET:
            field_dict["fields"] = fields

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.map_correction_request_fields import MapCorrectionRequestFields  # noqa: PLC0415

        d = dict(src_dict)
        field = d.pop("field", UNSET)

        _fields = d.pop("fields", UNSET)
        fields: MapCorrectionRequestFields | Unset
        if isinstance(_fields, Unset):
            fields = UNSET
        else:
            fields = MapCorrectionRequestFields.from_dict(_fields)

        map_correction_request = cls(
            field=field,
            fields=fields,
        )

        map_correction_request.additional_properties = d
        return map_correction_request

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
