from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="MandateDocumentRequest")


@_attrs_define
class MandateDocumentRequest:
    """
    Attributes:
        name (str): The file's name, e.g. power-of-attorney.pdf.
        content_base64 (str): The file, base64-encoded: PDF, PNG, JPEG or plain text, recognised by its first bytes.
    """

    name: str
    content_base64: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        content_base64 = self.content_base64

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "name": name,
                "content_base64": content_base64,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        name = d.pop("name")

        content_base64 = d.pop("content_base64")

        mandate_document_request = cls(
            name=name,
            content_base64=content_base64,
        )

        mandate_document_request.additional_properties = d
        return mandate_document_request

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
