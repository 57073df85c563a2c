from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.job_progress_status_enum import JobProgressStatusEnum
from ..models.operation_enum import OperationEnum
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.source_progress import SourceProgress


T = TypeVar("T", bound="JobProgress")


@_attrs_define
class JobProgress:
    """
    Attributes:
        id (UUID):
        operation (OperationEnum): * `access` - Find the subject's records
            * `erase` - Erase or mask
            * `rectify` - Rectify
            * `restrict` - Restrict
            * `stop_processing` - Stop a processing (objection, withdrawal)
        sources (list[SourceProgress]):
        status (JobProgressStatusEnum | Unset): * `pending` - Pending
            * `running` - Running
            * `done` - Done
            * `partial` - Done with failures
            * `failed` - Failed
        created_at (datetime.datetime | Unset):
        finished_at (datetime.datetime | None | Unset):
    """

    id: UUID
    operation: OperationEnum
    sources: list[SourceProgress]
    status: JobProgressStatusEnum | Unset = UNSET
    created_at: datetime.datetime | Unset = UNSET
    finished_at: datetime.datetime | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = str(self.id)

        operation = self.operation.value

        sources = []
        for sources_item_data in self.sources:
            sources_item = sources_item_data.to_dict()
            sources.append(sources_item)

        status: str | Unset = UNSET
        if not isinstance(self.status, Unset):
            status = self.status.value

        created_at: str | Unset = UNSET
        if not isinstance(self.created_at, Unset):
            created_at = self.created_at.isoformat()

        finished_at: None | str | Unset
        if isinstance(self.finished_at, Unset):
            finished_at = UNSET
        elif isinstance(self.finished_at, datetime.datetime):
            finished_at = self.finished_at.isoformat()
        else:
            finished_at = self.finished_at

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "operation": operation,
                "sources": sources,
            }
        )
        if status is not UNSET:
            field_dict["status"] = status
        if created_at is not UNSET:
            field_dict["created_at"] = created_at
        if finished_at is not UNSET:
            field_dict["finished_at"] = finished_at

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.source_progress import SourceProgress  # noqa: PLC0415

        d = dict(src_dict)
        id = UUID(d.pop("id"))

        operation = OperationEnum(d.pop("operation"))

        sources = []
        _sources = d.pop("sources")
        for sources_item_data in _sources:
            sources_item = SourceProgress.from_dict(sources_item_data)

            sources.append(sources_item)

        _status = d.pop("status", UNSET)
        status: JobProgressStatusEnum | Unset
        if isinstance(_status, Unset):
            status = UNSET
        else:
            status = JobProgressStatusEnum(_status)

        _created_at = d.pop("created_at", UNSET)
        created_at: datetime.datetime | Unset
        if isinstance(_created_at, Unset):
            created_at = UNSET
        else:
            created_at = datetime.datetime.fromisoformat(_created_at)

        def _parse_finished_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                finished_at_type_0 = datetime.datetime.fromisoformat(data)

                return finished_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        finished_at = _parse_finished_at(d.pop("finished_at", UNSET))

        job_progress = cls(
            id=id,
            operation=operation,
            sources=sources,
            status=status,
            created_at=created_at,
            finished_at=finished_at,
        )

        job_progress.additional_properties = d
        return job_progress

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
