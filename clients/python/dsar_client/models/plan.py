from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.operation_enum import OperationEnum
from ..models.plan_allowed_action_enum import PlanAllowedActionEnum
from ..models.plan_status_enum import PlanStatusEnum
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.correction import Correction
    from ..models.plan_notice import PlanNotice
    from ..models.plan_recipient import PlanRecipient
    from ..models.plan_source import PlanSource
    from ..models.plan_warning import PlanWarning
    from ..models.scheduled_lift import ScheduledLift


T = TypeVar("T", bound="Plan")


@_attrs_define
class Plan:
    """
    Attributes:
        id (int):
        status (PlanStatusEnum): * `planning` - Being computed
            * `ready` - Waiting for approval
            * `approved` - Approved
            * `executing` - Being executed
            * `waiting` - Waiting for manual tasks
            * `done` - Executed
            * `partial` - Executed with failures
            * `failed` - Could not be computed
        operation (OperationEnum): * `access` - Find the subject's records
            * `erase` - Erase or mask
            * `rectify` - Rectify
            * `restrict` - Restrict
            * `stop_processing` - Stop a processing (objection, withdrawal)
        error (str):
        created_at (datetime.datetime):
        computed_at (datetime.datetime | None):
        approved_at (datetime.datetime | None):
        executed_at (datetime.datetime | None):
        recipients_notified_at (datetime.datetime | None):
        editable (bool): Items may be changed and the plan approved.
        restrict_meanwhile (bool): The subject asked for a restriction while the accuracy is checked (Art. 18(1)(a)).
        warnings (list[PlanWarning]):
        sources (list[PlanSource]):
        corrections (list[Correction]): Rectification: the corrections the subject asked for.
        correction_fields (list[str]): Rectification: the fields a correction can be mapped onto.
        approval_blocked (str): Why the plan cannot be approved as it stands (what must be decided first); empty when it
            can.
        scheduled_lift (None | ScheduledLift): The restriction's lifting scheduled after telling the subject (Art.
            18(3)), if any.
        recipients_to_notify (list[PlanRecipient]): Recipients to notify once the plan is executed (Art. 19).
        recipients_notified (list[PlanNotice]):
        allowed_actions (list[PlanAllowedActionEnum]): The plan actions (POST .../plan/{action}/) you may take now.
        approved_by (None | str | Unset):
    """

    id: int
    status: PlanStatusEnum
    operation: OperationEnum
    error: str
    created_at: datetime.datetime
    computed_at: datetime.datetime | None
    approved_at: datetime.datetime | None
    executed_at: datetime.datetime | None
    recipients_notified_at: datetime.datetime | None
    editable: bool
    restrict_meanwhile: bool
    warnings: list[PlanWarning]
    sources: list[PlanSource]
    corrections: list[Correction]
    correction_fields: list[str]
    approval_blocked: str
    scheduled_lift: None | ScheduledLift
    recipients_to_notify: list[PlanRecipient]
    recipients_notified: list[PlanNotice]
    allowed_actions: list[PlanAllowedActionEnum]
    approved_by: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.scheduled_lift import ScheduledLift  # noqa: PLC0415

        id = self.id

        status = self.status.value

        operation = self.operation.value

        error = self.error

        created_at = self.created_at.isoformat()

        computed_at: None | str
        if isinstance(self.computed_at, datetime.datetime):
            computed_at = self.computed_at.isoformat()
        else:
            computed_at = self.computed_at

        approved_at: None | str
        if isinstance(self.approved_at, datetime.datetime):
            approved_at = self.approved_at.isoformat()
        else:
            approved_at = self.approved_at

        executed_at: None | str
        if isinstance(self.executed_at, datetime.datetime):
            executed_at = self.executed_at.isoformat()
        else:
            executed_at = self.executed_at

        recipients_notified_at: None | str
        if isinstance(self.recipients_notified_at, datetime.datetime):
            recipients_notified_at = self.recipients_notified_at.isoformat()
        else:
            recipients_notified_at = self.recipients_notified_at

        editable = self.editable

        restrict_meanwhile = self.restrict_meanwhile

        warnings = []
        for warnings_item_data in self.warnings:
            warnings_item = warnings_item_data.to_dict()
            warnings.append(warnings_item)

        sources = []
        for sources_item_data in self.sources:
            sources_item = sources_item_data.to_dict()
            sources.append(sources_item)

        corrections = []
        for corrections_item_data in self.corrections:
            corrections_item = corrections_item_data.to_dict()
            corrections.append(corrections_item)

        correction_fields = self.correction_fields

        approval_blocked = self.approval_blocked

        scheduled_lift: dict[str, Any] | None
        if isinstance(self.scheduled_lift, ScheduledLift):
            scheduled_lift = self.scheduled_lift.to_dict()
        else:
            scheduled_lift = self.scheduled_lift

        recipients_to_notify = []
        for recipients_to_notify_item_data in self.recipients_to_notify:
            recipients_to_notify_item = recipients_to_notify_item_data.to_dict()
            recipients_to_notify.append(recipients_to_notify_item)

        recipients_notified = []
        for recipients_notified_item_data in self.recipients_notified:
            recipients_notified_item = recipients_notified_item_data.to_dict()
            recipients_notified.append(recipients_notified_item)

        allowed_actions = []
        for allowed_actions_item_data in self.allowed_actions:
            allowed_actions_item = allowed_actions_item_data.value
            allowed_actions.append(allowed_actions_item)

        approved_by: None | str | Unset
        if isinstance(self.approved_by, Unset):
            approved_by = UNSET
        else:
            approved_by = self.approved_by

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "status": status,
                "operation": operation,
                "error": error,
                "created_at": created_at,
                "computed_at": computed_at,
                "approved_at": approved_at,
                "executed_at": executed_at,
                "recipients_notified_at": recipients_notified_at,
                "editable": editable,
                "restrict_meanwhile": restrict_meanwhile,
                "warnings": warnings,
                "sources": sources,
                "corrections": corrections,
                "correction_fields": correction_fields,
                "approval_blocked": approval_blocked,
                "scheduled_lift": scheduled_lift,
                "recipients_to_notify": recipients_to_notify,
                "recipients_notified": recipients_notified,
                "allowed_actions": allowed_actions,
            }
        )
        if approved_by is not UNSET:
            field_dict["approved_by"] = approved_by

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.correction import Correction  # noqa: PLC0415
        from ..models.plan_notice import PlanNotice  # noqa: PLC0415
        from ..models.plan_recipient import PlanRecipient  # noqa: PLC0415
        from ..models.plan_source import PlanSource  # noqa: PLC0415
        from ..models.plan_warning import PlanWarning  # noqa: PLC0415
        from ..models.scheduled_lift import ScheduledLift  # noqa: PLC0415

        d = dict(src_dict)
        id = d.pop("id")

        status = PlanStatusEnum(d.pop("status"))

        operation = OperationEnum(d.pop("operation"))

        error = d.pop("error")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        def _parse_computed_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                computed_at_type_0 = datetime.datetime.fromisoformat(data)

                return computed_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        computed_at = _parse_computed_at(d.pop("computed_at"))

        def _parse_approved_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                approved_at_type_0 = datetime.datetime.fromisoformat(data)

                return approved_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        approved_at = _parse_approved_at(d.pop("approved_at"))

        def _parse_executed_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                executed_at_type_0 = datetime.datetime.fromisoformat(data)

                return executed_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        executed_at = _parse_executed_at(d.pop("executed_at"))

        def _parse_recipients_notified_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                recipients_notified_at_type_0 = datetime.datetime.fromisoformat(data)

                return recipients_notified_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        recipients_notified_at = _parse_recipients_notified_at(d.pop("recipients_notified_at"))

        editable = d.pop("editable")

        restrict_meanwhile = d.pop("restrict_meanwhile")

        warnings = []
        _warnings = d.pop("warnings")
        for warnings_item_data in _warnings:
            warnings_item = PlanWarning.from_dict(warnings_item_data)

            warnings.append(warnings_item)

        sources = []
        _sources = d.pop("sources")
        for sources_item_data in _sources:
            sources_item = PlanSource.from_dict(sources_item_data)

            sources.append(sources_item)

        corrections = []
        _corrections = d.pop("corrections")
        for corrections_item_data in _corrections:
            corrections_item = Correction.from_dict(corrections_item_data)

            corrections.append(corrections_item)

        correction_fields = cast(list[str], d.pop("correction_fields"))

        approval_blocked = d.pop("approval_blocked")

        def _parse_scheduled_lift(data: object) -> None | ScheduledLift:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                scheduled_lift_type_0 = ScheduledLift.from_dict(data)

                return scheduled_lift_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | ScheduledLift, data)

        scheduled_lift = _parse_scheduled_lift(d.pop("scheduled_lift"))

        recipients_to_notify = []
        _recipients_to_notify = d.pop("recipients_to_notify")
        for recipients_to_notify_item_data in _recipients_to_notify:
            recipients_to_notify_item = PlanRecipient.from_dict(recipients_to_notify_item_data)

            recipients_to_notify.append(recipients_to_notify_item)

        recipients_notified = []
        _recipients_notified = d.pop("recipients_notified")
        for recipients_notified_item_data in _recipients_notified:
            recipients_notified_item = PlanNotice.from_dict(recipients_notified_item_data)

            recipients_notified.append(recipients_notified_item)

        allowed_actions = []
        _allowed_actions = d.pop("allowed_actions")
        for allowed_actions_item_data in _allowed_actions:
            allowed_actions_item = PlanAllowedActionEnum(allowed_actions_item_data)

            allowed_actions.append(allowed_actions_item)

        def _parse_approved_by(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        approved_by = _parse_approved_by(d.pop("approved_by", UNSET))

        plan = cls(
            id=id,
            status=status,
            operation=operation,
            error=error,
            created_at=created_at,
            computed_at=computed_at,
            approved_at=approved_at,
            executed_at=executed_at,
            recipients_notified_at=recipients_notified_at,
            editable=editable,
            restrict_meanwhile=restrict_meanwhile,
            warnings=warnings,
            sources=sources,
            corrections=corrections,
            correction_fields=correction_fields,
            approval_blocked=approval_blocked,
            scheduled_lift=scheduled_lift,
            recipients_to_notify=recipients_to_notify,
            recipients_notified=recipients_notified,
            allowed_actions=allowed_actions,
            approved_by=approved_by,
        )

        plan.additional_properties = d
        return plan

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
