from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.lift_reason_enum import LiftReasonEnum
from ..models.scheduled_lift_status_enum import ScheduledLiftStatusEnum

T = TypeVar("T", bound="ScheduledLift")


@_attrs_define
class ScheduledLift:
    """Art. 18(3): a restriction's lifting, announced to the subject and waiting for its date.

    Attributes:
        id (int): For POST .../plan/lifts/{id}/cancel/.
        status (ScheduledLiftStatusEnum): * `scheduled` - Scheduled
            * `done` - Lifted
            * `cancelled` - Cancelled
        reason (LiftReasonEnum): * `accuracy_verified` - The accuracy of the data was verified (Art. 18(1)(a))
            * `claims_ended` - The subject no longer needs the data for legal claims (Art. 18(1)(c))
            * `objection_assessed` - The objection was assessed: our legitimate grounds override (Art. 18(1)(d))
            * `subject_consented` - The subject consented to the processing (Art. 18(2))
        not_before (datetime.date): The date announced to the subject; not lifted before it.
        notice_sent (bool): Whether the notice to the subject left the outbox; the lifting waits for it (Art. 18(3)).
        created_at (datetime.datetime):
        done_at (datetime.datetime | None):
    """

    id: int
    status: ScheduledLiftStatusEnum
    reason: LiftReasonEnum
    not_before: datetime.date
    notice_sent: bool
    created_at: datetime.datetime
    done_at: datetime.datetime | None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        status = self.status.value

        reason = self.reason.value

        not_before = self.not_before.isoformat()

        notice_sent = self.notice_sent

        created_at = self.created_at.isoformat()

        done_at: None | str
        if isinstance(self.done_at, datetime.datetime):
            done_at = self.done_at.isoformat()
        else:
            done_at = self.done_at

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "status": status,
                "reason": reason,
                "not_before": not_before,
                "notice_sent": notice_sent,
                "created_at": created_at,
                "done_at": done_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        status = ScheduledLiftStatusEnum(d.pop("status"))

        reason = LiftReasonEnum(d.pop("reason"))

        not_before = datetime.date.fromisoformat(d.pop("not_before"))

        notice_sent = d.pop("notice_sent")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        def _parse_done_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                done_at_type_0 = datetime.datetime.fromisoformat(data)

                return done_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        done_at = _parse_done_at(d.pop("done_at"))

        scheduled_lift = cls(
            id=id,
            status=status,
            reason=reason,
            not_before=not_before,
            notice_sent=notice_sent,
            created_at=created_at,
            done_at=done_at,
        )

        scheduled_lift.additional_properties = d
        return scheduled_lift

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
