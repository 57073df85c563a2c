from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.manual_task_status_enum import ManualTaskStatusEnum
from ..models.operation_enum import OperationEnum
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.manual_task_file import ManualTaskFile


T = TypeVar("T", bound="ManualTask")


@_attrs_define
class ManualTask:
    """
    Attributes:
        id (int):
        status (ManualTaskStatusEnum): * `open` - Open
            * `done` - Done
        connector (str):
        source (str):
        operation (OperationEnum): * `access` - Find the subject's records
            * `erase` - Erase or mask
            * `rectify` - Rectify
            * `restrict` - Restrict
            * `stop_processing` - Stop a processing (objection, withdrawal)
        instructions (str):
        created_at (datetime.datetime):
        completed_at (datetime.datetime | None):
        findings (str): What the person found or did (empty while open).
        files (list[ManualTaskFile]):
        nothing_found (bool): A search completed with nothing found about the subject (0 records: "searched, nothing
            found").
        assignee (None | str | Unset):
        completed_by (None | str | Unset):
    """

    id: int
    status: ManualTaskStatusEnum
    connector: str
    source: str
    operation: OperationEnum
    instructions: str
    created_at: datetime.datetime
    completed_at: datetime.datetime | None
    findings: str
    files: list[ManualTaskFile]
    nothing_found: bool
    assignee: None | str | Unset = UNSET
    completed_by: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        status = self.status.value

        connector = self.connector

        source = self.source

        operation = self.operation.value

        instructions = self.instructions

        created_at = self.created_at.isoformat()

        completed_at: None | str
        if isinstance(self.completed_at, datetime.datetime):
            completed_at = self.completed_at.isoformat()
        else:
            completed_at = self.completed_at

        findings = self.findings

        files = []
        for files_item_data in self.files:
            files_item = files_item_data.to_dict()
            files.append(files_item)

        nothing_found = self.nothing_found

        assignee: None | str | Unset
        if isinstance(self.assignee, Unset):
            assignee = UNSET
        else:
            assignee = self.assignee

        completed_by: None | str | Unset
        if isinstance(self.completed_by, Unset):
            completed_by = UNSET
        else:
            completed_by = self.completed_by

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "status": status,
                "connector": connector,
                "source": source,
                "operation": operation,
                "instructions": instructions,
                "created_at": created_at,
                "completed_at": completed_at,
                "findings": findings,
                "files": files,
                "nothing_found": nothing_found,
            }
        )
        if assignee is not UNSET:
            field_dict["assignee"] = assignee
        if completed_by is not UNSET:
            field_dict["completed_by"] = completed_by

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.manual_task_file import ManualTaskFile  # noqa: PLC0415

        d = dict(src_dict)
        id = d.pop("id")

        status = ManualTaskStatusEnum(d.pop("status"))

        connector = d.pop("connector")

        source = d.pop("source")

        operation = OperationEnum(d.pop("operation"))

        instructions = d.pop("instructions")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        def _parse_completed_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                completed_at_type_0 = datetime.datetime.fromisoformat(data)

                return completed_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        completed_at = _parse_completed_at(d.pop("completed_at"))

        findings = d.pop("findings")

        files = []
        _files = d.pop("files")
        for files_item_data in _files:
            files_item = ManualTaskFile.from_dict(files_item_data)

            files.append(files_item)

        nothing_found = d.pop("nothing_found")

        def _parse_assignee(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        assignee = _parse_assignee(d.pop("assignee", UNSET))

        def _parse_completed_by(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        completed_by = _parse_completed_by(d.pop("completed_by", UNSET))

        manual_task = cls(
            id=id,
            status=status,
            connector=connector,
            source=source,
            operation=operation,
            instructions=instructions,
            created_at=created_at,
            completed_at=completed_at,
            findings=findings,
            files=files,
            nothing_found=nothing_found,
            assignee=assignee,
            completed_by=completed_by,
        )

        manual_task.additional_properties = d
        return manual_task

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
