from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.blank_enum import BlankEnum
from ..models.event_kind_enum import EventKindEnum
from ..models.request_status_enum import RequestStatusEnum
from ..types import UNSET, Unset

T = TypeVar("T", bound="Event")


@_attrs_define
class Event:
    """
    Attributes:
        seq (int):
        kind (EventKindEnum): * `action.refused` - action.refused
            * `attachment.deleted` - attachment.deleted
            * `attachment.downloaded` - attachment.downloaded
            * `email.not_sent` - email.not_sent
            * `erasure.deferred_done` - erasure.deferred_done
            * `evidence.exported` - evidence.exported
            * `export.downloaded` - export.downloaded
            * `export.downloaded_by_organisation` - export.downloaded_by_organisation
            * `export.failed` - export.failed
            * `export.fields_given_back` - export.fields_given_back
            * `export.fields_withheld` - export.fields_withheld
            * `export.files_deleted` - export.files_deleted
            * `export.generated` - export.generated
            * `export.previewed` - export.previewed
            * `export.records_excluded` - export.records_excluded
            * `export.records_included` - export.records_included
            * `export.records_read` - export.records_read
            * `export.records_unconfirmed` - export.records_unconfirmed
            * `export.transmission_decided` - export.transmission_decided
            * `export.transmitted` - export.transmitted
            * `fee.announced` - fee.announced
            * `forwarding.acknowledged` - forwarding.acknowledged
            * `forwarding.reminded` - forwarding.reminded
            * `identity.checked` - identity.checked
            * `inbox.attached` - inbox.attached
            * `inbox.converted` - inbox.converted
            * `mandate.accepted` - mandate.accepted
            * `mandate.downloaded` - mandate.downloaded
            * `mandate.refused` - mandate.refused
            * `national_number.revealed` - national_number.revealed
            * `note.added` - note.added
            * `plan.approved` - plan.approved
            * `plan.categories_chosen` - plan.categories_chosen
            * `plan.correction_mapped` - plan.correction_mapped
            * `plan.executed` - plan.executed
            * `plan.fields_approved` - plan.fields_approved
            * `plan.item_included` - plan.item_included
            * `plan.item_kept` - plan.item_kept
            * `plan.item_left_out` - plan.item_left_out
            * `plan.items_unconfirmed` - plan.items_unconfirmed
            * `plan.recomputed` - plan.recomputed
            * `plan.resumed` - plan.resumed
            * `plan.task_completed` - plan.task_completed
            * `recipient.acknowledged` - recipient.acknowledged
            * `recipient.not_notified` - recipient.not_notified
            * `recipient.notified_other_means` - recipient.notified_other_means
            * `recipient.reminded` - recipient.reminded
            * `recipients.notified` - recipients.notified
            * `recipients.told` - recipients.told
            * `release.approved` - release.approved
            * `release.incomplete` - release.incomplete
            * `release.requested` - release.requested
            * `release.withdrawn` - release.withdrawn
            * `representation.recorded` - representation.recorded
            * `representation.subject_informed` - representation.subject_informed
            * `request.approve` - request.approve
            * `request.assigned` - request.assigned
            * `request.cancel` - request.cancel
            * `request.close` - request.close
            * `request.created` - request.created
            * `request.double_joined` - request.double_joined
            * `request.expire` - request.expire
            * `request.extended` - request.extended
            * `request.forwarded` - request.forwarded
            * `request.forwarding_closed` - request.forwarding_closed
            * `request.fulfilled` - request.fulfilled
            * `request.in_review` - request.in_review
            * `request.processing_started` - request.processing_started
            * `request.purged` - request.purged
            * `request.records_deleted` - request.records_deleted
            * `request.rejected` - request.rejected
            * `request.related` - request.related
            * `request.request_info` - request.request_info
            * `request.subject_reply` - request.subject_reply
            * `request.type_changed` - request.type_changed
            * `request.verify` - request.verify
            * `restriction.lift_cancelled` - restriction.lift_cancelled
            * `restriction.lift_scheduled` - restriction.lift_scheduled
            * `restriction.lifted` - restriction.lifted
            * `retention_hold.lifted` - retention_hold.lifted
            * `retention_hold.placed` - retention_hold.placed
            * `source.manual_task_completed` - source.manual_task_completed
            * `source.retried` - source.retried
        label (str): The kind in words, in the language asked for with Accept-Language (nl, fr, de, en).
        actor (str):
        status_before (BlankEnum | RequestStatusEnum): Empty when the event did not change the status.

            * `unverified` - Unverified
            * `new` - New
            * `awaiting_subject` - Awaiting the subject
            * `approved` - Approved
            * `processing` - Processing
            * `in_review` - In review
            * `forwarded` - Forwarded, awaiting the provider
            * `fulfilled` - Fulfilled
            * `closed` - Closed
            * `rejected` - Rejected
            * `cancelled` - Cancelled
            * `expired` - Expired
        status_after (BlankEnum | RequestStatusEnum): Empty when the event did not change the status.

            * `unverified` - Unverified
            * `new` - New
            * `awaiting_subject` - Awaiting the subject
            * `approved` - Approved
            * `processing` - Processing
            * `in_review` - In review
            * `forwarded` - Forwarded, awaiting the provider
            * `fulfilled` - Fulfilled
            * `closed` - Closed
            * `rejected` - Rejected
            * `cancelled` - Cancelled
            * `expired` - Expired
        created_at (datetime.datetime | Unset):
        details (Any | Unset):
        public (bool | Unset):
    """

    seq: int
    kind: EventKindEnum
    label: str
    actor: str
    status_before: BlankEnum | RequestStatusEnum
    status_after: BlankEnum | RequestStatusEnum
    created_at: datetime.datetime | Unset = UNSET
    details: Any | Unset = UNSET
    public: bool | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        seq = self.seq

        kind = self.kind.value

        label = self.label

        actor = self.actor

        status_before: str
        if isinstance(self.status_before, RequestStatusEnum):
            status_before = self.status_before.value
        else:
            status_before = self.status_before.value

        status_after: str
        if isinstance(self.status_after, RequestStatusEnum):
            status_after = self.status_after.value
        else:
            status_after = self.status_after.value

        created_at: str | Unset = UNSET
        if not isinstance(self.created_at, Unset):
            created_at = self.created_at.isoformat()

        details = self.details

        public = self.public

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "seq": seq,
                "kind": kind,
                "label": label,
                "actor": actor,
                "status_before": status_before,
                "status_after": status_after,
            }
        )
        if created_at is not UNSET:
            field_dict["created_at"] = created_at
        if details is not UNSET:
            field_dict["details"] = details
        if public is not UNSET:
            field_dict["public"] = public

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        seq = d.pop("seq")

        kind = EventKindEnum(d.pop("kind"))

        label = d.pop("label")

        actor = d.pop("actor")

        def _parse_status_before(data: object) -> BlankEnum | RequestStatusEnum:
            try:
                if not isinstance(data, str):
                    raise TypeError()
                status_before_type_0 = RequestStatusEnum(data)

                return status_before_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            if not isinstance(data, str):
                raise TypeError()
            status_before_type_1 = BlankEnum(data)

            return status_before_type_1

        status_before = _parse_status_before(d.pop("status_before"))

        def _parse_status_after(data: object) -> BlankEnum | RequestStatusEnum:
            try:
                if not isinstance(data, str):
                    raise TypeError()
                status_after_type_0 = RequestStatusEnum(data)

                return status_after_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            if not isinstance(data, str):
                raise TypeError()
            status_after_type_1 = BlankEnum(data)

            return status_after_type_1

        status_after = _parse_status_after(d.pop("status_after"))

        _created_at = d.pop("created_at", UNSET)
        created_at: datetime.datetime | Unset
        if isinstance(_created_at, Unset):
            created_at = UNSET
        else:
            created_at = datetime.datetime.fromisoformat(_created_at)

        details = d.pop("details", UNSET)

        public = d.pop("public", UNSET)

        event = cls(
            seq=seq,
            kind=kind,
            label=label,
            actor=actor,
            status_before=status_before,
            status_after=status_after,
            created_at=created_at,
            details=details,
            public=public,
        )

        event.additional_properties = d
        return event

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
