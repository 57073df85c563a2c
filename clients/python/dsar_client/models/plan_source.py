from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.source_status_enum import SourceStatusEnum

if TYPE_CHECKING:
    from ..models.plan_item import PlanItem
    from ..models.plan_task import PlanTask


T = TypeVar("T", bound="PlanSource")


@_attrs_define
class PlanSource:
    """
    Attributes:
        source (str):
        name (str):
        status (SourceStatusEnum): * `pending` - Pending
            * `running` - Running
            * `waiting` - Waiting for a person
            * `done` - Done
            * `failed` - Failed
        attempts (int):
        error (str):
        notes (list[str]): Why the plan covers this source's data as it does (a restriction: all the subject's data, or
            on Art. 18(1)(a) only the tables holding the contested data), in the language asked for.
        items (list[PlanItem]):
        manual_task (None | PlanTask): The manual task of this source, if any.
    """

    source: str
    name: str
    status: SourceStatusEnum
    attempts: int
    error: str
    notes: list[str]
    items: list[PlanItem]
    manual_task: None | PlanTask
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.plan_task import PlanTask  # noqa: PLC0415

        source = self.source

        name = self.name

        status = self.status.value

        attempts = self.attempts

        error = self.error

        notes = self.notes

        items = []
        for items_item_data in self.items:
            items_item = items_item_data.to_dict()
            items.append(items_item)

        manual_task: dict[str, Any] | None
        if isinstance(self.manual_task, PlanTask):
            manual_task = self.manual_task.to_dict()
        else:
            manual_task = self.manual_task

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "source": source,
                "name": name,
                "status": status,
                "attempts": attempts,
                "error": error,
                "notes": notes,
                "items": items,
                "manual_task": manual_task,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.plan_item import PlanItem  # noqa: PLC0415
        from ..models.plan_task import PlanTask  # noqa: PLC0415

        d = dict(src_dict)
        source = d.pop("source")

        name = d.pop("name")

        status = SourceStatusEnum(d.pop("status"))

        attempts = d.pop("attempts")

        error = d.pop("error")

        notes = cast(list[str], d.pop("notes"))

        items = []
        _items = d.pop("items")
        for items_item_data in _items:
            items_item = PlanItem.from_dict(items_item_data)

            items.append(items_item)

        def _parse_manual_task(data: object) -> None | PlanTask:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                manual_task_type_0 = PlanTask.from_dict(data)

                return manual_task_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | PlanTask, data)

        manual_task = _parse_manual_task(d.pop("manual_task"))

        plan_source = cls(
            source=source,
            name=name,
            status=status,
            attempts=attempts,
            error=error,
            notes=notes,
            items=items,
            manual_task=manual_task,
        )

        plan_source.additional_properties = d
        return plan_source

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
