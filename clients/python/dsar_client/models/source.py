from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.operation_enum import OperationEnum
from ..models.source_status_enum import SourceStatusEnum

T = TypeVar("T", bound="Source")


@_attrs_define
class Source:
    """
    Attributes:
        source (str): For POST .../sources/{source}/retry/.
        name (str):
        operation (OperationEnum): * `access` - Find the subject's records
            * `erase` - Erase or mask
            * `rectify` - Rectify
            * `restrict` - Restrict
            * `stop_processing` - Stop a processing (objection, withdrawal)
        status (SourceStatusEnum): * `pending` - Pending
            * `running` - Running
            * `waiting` - Waiting for a person
            * `done` - Done
            * `failed` - Failed
        attempts (int):
        started_at (datetime.datetime | None):
        finished_at (datetime.datetime | None):
        error (str):
        records (int): Records gathered from this source.
        excluded (int): Of those, left out of the copy (Art. 15(4)).
        can_retry (bool): Whether you may search this source again now.
    """

    source: str
    name: str
    operation: OperationEnum
    status: SourceStatusEnum
    attempts: int
    started_at: datetime.datetime | None
    finished_at: datetime.datetime | None
    error: str
    records: int
    excluded: int
    can_retry: bool
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        source = self.source

        name = self.name

        operation = self.operation.value

        status = self.status.value

        attempts = self.attempts

        started_at: None | str
        if isinstance(self.started_at, datetime.datetime):
            started_at = self.started_at.isoformat()
        else:
            started_at = self.started_at

        finished_at: None | str
        if isinstance(self.finished_at, datetime.datetime):
            finished_at = self.finished_at.isoformat()
        else:
            finished_at = self.finished_at

        error = self.error

        records = self.records

        excluded = self.excluded

        can_retry = self.can_retry

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "source": source,
                "name": name,
                "operation": operation,
                "status": status,
                "attempts": attempts,
                "started_at": started_at,
                "finished_at": finished_at,
                "error": error,
                "records": records,
                "excluded": excluded,
                "can_retry": can_retry,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        source = d.pop("source")

        name = d.pop("name")

        operation = OperationEnum(d.pop("operation"))

        status = SourceStatusEnum(d.pop("status"))

        attempts = d.pop("attempts")

        def _parse_started_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                started_at_type_0 = datetime.datetime.fromisoformat(data)

                return started_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        started_at = _parse_started_at(d.pop("started_at"))

        def _parse_finished_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                finished_at_type_0 = datetime.datetime.fromisoformat(data)

                return finished_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        finished_at = _parse_finished_at(d.pop("finished_at"))

        error = d.pop("error")

        records = d.pop("records")

        excluded = d.pop("excluded")

        can_retry = d.pop("can_retry")

        source = cls(
            source=source,
            name=name,
            operation=operation,
            status=status,
            attempts=attempts,
            started_at=started_at,
            finished_at=finished_at,
            error=error,
            records=records,
            excluded=excluded,
            can_retry=can_retry,
        )

        source.additional_properties = d
        return source

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
