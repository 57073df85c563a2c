from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.export_format_enum import ExportFormatEnum

T = TypeVar("T", bound="Export")


@_attrs_define
class Export:
    """
    Attributes:
        id (UUID):
        format_ (ExportFormatEnum): * `json` - json
            * `pdf` - pdf
            * `csv` - csv
        filename (str):
        content_type (str):
        size (int): Bytes, as downloaded.
        sha256 (str): Of the file as downloaded, for integrity.
        record_count (int):
        created_at (datetime.datetime):
        download_url (str): Fetch it with your token (the download is recorded).
    """

    id: UUID
    format_: ExportFormatEnum
    filename: str
    content_type: str
    size: int
    sha256: str
    record_count: int
    created_at: datetime.datetime
    download_url: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = str(self.id)

        format_ = self.format_.value

        filename = self.filename

        content_type = self.content_type

        size = self.size

        sha256 = self.sha256

        record_count = self.record_count

        created_at = self.created_at.isoformat()

        download_url = self.download_url

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "format": format_,
                "filename": filename,
                "content_type": content_type,
                "size": size,
                "sha256": sha256,
                "record_count": record_count,
                "created_at": created_at,
                "download_url": download_url,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = UUID(d.pop("id"))

        format_ = ExportFormatEnum(d.pop("format"))

        filename = d.pop("filename")

        content_type = d.pop("content_type")

        size = d.pop("size")

        sha256 = d.pop("sha256")

        record_count = d.pop("record_count")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        download_url = d.pop("download_url")

        export = cls(
            id=id,
            format_=format_,
            filename=filename,
            content_type=content_type,
            size=size,
            sha256=sha256,
            record_count=record_count,
            created_at=created_at,
            download_url=download_url,
        )

        export.additional_properties = d
        return export

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
