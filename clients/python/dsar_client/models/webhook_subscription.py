from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="WebhookSubscription")


@_attrs_define
class WebhookSubscription:
    """
    Attributes:
        id (int):
        url (str):
        events (list[str]): Event kinds to receive ("request.approve"), families ("export.*"), or ["*"] for every event.
            Known kinds: request.created, request.verify, request.expire, request.cancel, request.subject_reply,
            request.assigned, request.type_changed, request.request_info, request.approve, request.processing_started,
            request.in_review, request.fulfilled, request.rejected, request.extended, request.close, request.forwarded,
            inbox.converted, inbox.attached, forwarding.acknowledged, forwarding.reminded, note.added,
            national_number.revealed, request.purged, request.records_deleted, retention_hold.placed, retention_hold.lifted,
            attachment.deleted, attachment.downloaded, action.refused, email.not_sent, source.retried,
            source.manual_task_completed, export.generated, export.failed, release.incomplete, release.requested,
            release.approved, release.withdrawn, export.records_excluded, export.records_included, export.fields_withheld,
            export.fields_given_back, export.records_unconfirmed, export.previewed, export.records_read, export.downloaded,
            export.transmission_decided, export.transmitted, export.downloaded_by_organisation, export.files_deleted,
            plan.approved, plan.executed, plan.recomputed, plan.resumed, plan.item_kept, plan.item_left_out,
            plan.item_included, plan.items_unconfirmed, plan.correction_mapped, plan.fields_approved, plan.task_completed,
            plan.categories_chosen, erasure.deferred_done, recipients.notified, recipient.reminded, recipient.acknowledged,
            recipients.told, restriction.lifted, restriction.lift_scheduled, restriction.lift_cancelled,
            recipient.not_notified, recipient.notified_other_means, request.double_joined, request.related,
            request.forwarding_closed, identity.checked, fee.announced, evidence.exported, representation.recorded,
            mandate.accepted, mandate.refused, mandate.downloaded, representation.subject_informed.
        created_at (datetime.datetime):
        name (str | Unset):
        active (bool | Unset):
    """

    id: int
    url: str
    events: list[str]
    created_at: datetime.datetime
    name: str | Unset = UNSET
    active: bool | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        url = self.url

        events = self.events

        created_at = self.created_at.isoformat()

        name = self.name

        active = self.active

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "url": url,
                "events": events,
                "created_at": created_at,
            }
        )
        if name is not UNSET:
            field_dict["name"] = name
        if active is not UNSET:
            field_dict["active"] = active

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        url = d.pop("url")

        events = cast(list[str], d.pop("events"))

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        name = d.pop("name", UNSET)

        active = d.pop("active", UNSET)

        webhook_subscription = cls(
            id=id,
            url=url,
            events=events,
            created_at=created_at,
            name=name,
            active=active,
        )

        webhook_subscription.additional_properties = d
        return webhook_subscription

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
