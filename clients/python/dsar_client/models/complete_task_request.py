from __future__ import annotations

from collections.abc import Mapping
from io import BytesIO
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from .. import types
from ..types import UNSET, File, FileTypes, Unset

T = TypeVar("T", bound="CompleteTaskRequest")


@_attrs_define
class CompleteTaskRequest:
    """The same limits as the request page's forms (``plan_task`` in the context: the plan panel's).

    Attributes:
        findings (str | Unset): What you found, or that nothing was found and what you searched; for a task of an
            execution plan, what you did (required). Default: ''.
        files (list[File] | Unset): Files found (a task of a gathering only).
        nothing_found (bool | Unset): The person searched and found nothing about the subject (a task of a gathering
            only): the task is completed with that answer alone, the source has 0 records and the subject's copy says
            "searched, nothing found"; findings, if given, stay with the task as the note of what was searched. Default:
            False.
    """

    findings: str | Unset = ""
    files: list[File] | Unset = UNSET
    nothing_found: bool | Unset = False
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        findings = self.findings

        files: list[FileTypes] | Unset = UNSET
        if not isinstance(self.files, Unset):
            files = []
            for files_item_data in self.files:
                files_item = files_item_data.to_tuple()

                files.append(files_item)

        nothing_found = self.nothing_found

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if findings is not UNSET:
            field_dict["findings"] = findings
        if files is not UNSET:
            field_dict["files"] = files
        if nothing_found is not UNSET:
            field_dict["nothing_found"] = nothing_found

        return field_dict

    def to_multipart(self) -> types.RequestFiles:
        files: types.RequestFiles = []

        if not isinstance(self.findings, Unset):
            files.append(("findings", (None, str(self.findings).encode(), "text/plain")))

        if not isinstance(self.files, Unset):
            for files_item_element in self.files:
                files.append(("files", files_item_element.to_tuple()))

        if not isinstance(self.nothing_found, Unset):
            files.append(("nothing_found", (None, str(self.nothing_found).encode(), "text/plain")))

        for prop_name, prop in self.additional_properties.items():
            files.append((prop_name, (None, str(prop).encode(), "text/plain")))

        return files

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        findings = d.pop("findings", UNSET)

        _files = d.pop("files", UNSET)
        files: list[File] | Unset = UNSET
        if _files is not UNSET:
            files = []
            for files_item_data in _files:
                files_item = File(payload=BytesIO(files_item_data))

                files.append(files_item)

        nothing_found = d.pop("nothing_found", UNSET)

        complete_task_request = cls(
            findings=findings,
            files=files,
            nothing_found=nothing_found,
        )

        complete_task_request.additional_properties = d
        return complete_task_request

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
