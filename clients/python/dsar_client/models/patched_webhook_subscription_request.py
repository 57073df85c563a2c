from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="PatchedWebhookSubscriptionRequest")


@_attrs_define
class PatchedWebhookSubscriptionRequest:
    """
    Attributes:
        name (str | Unset):
        url (str | Unset):
        events (list[str] | Unset): Event kinds to receive ("request.approve"), families ("export.*"), or ["*"] for
            every event. Known kinds: request.created, request.verify, request.expire, request.cancel,
            request.subject_reply, request.assigned, request.type_changed, request.request_info, request.approve,
            request.processing_started, request.in_review, request.fulfilled, request.rejected, request.extended,
            request.close, request.forwarded, inbox.converted, inbox.attached, forwarding.acknowledged, forwarding.reminded,
            note.added, national_number.revealed, request.purged, request.records_deleted, retention_hold.placed,
            retention_hold.lifted, attachment.deleted, attachment.downloaded, action.refused, email.not_sent,
            source.retried, source.manual_task_completed, export.generated, export.failed, release.incomplete,
            release.requested, release.approved, release.withdrawn, export.records_excluded, export.records_included,
            export.fields_withheld, export.fields_given_back, export.records_unconfirmed, export.previewed,
            export.records_read, export.downloaded, export.transmission_decided, export.transmitted,
            export.downloaded_by_organisation, export.files_deleted, plan.approved, plan.executed, plan.recomputed,
            plan.resumed, plan.item_kept, plan.item_left_out, plan.item_included, plan.items_unconfirmed,
            plan.correction_mapped, plan.fields_approved, plan.task_completed, plan.categories_chosen,
            erasure.deferred_done, recipients.notified, recipient.reminded, recipient.acknowledged, recipients.told,
            restriction.lifted, restriction.lift_scheduled, restriction.lift_cancelled, recipient.not_notified,
            recipient.notified_other_means, request.double_joined, request.related, request.forwarding_closed,
            identity.checked, fee.announced, evidence.exported, representation.recorded, mandate.accepted, mandate.refused,
            mandate.downloaded, representation.subject_informed.
        active (bool | Unset):
    """

    name: str | Unset = UNSET
    url: str | Unset = UNSET
    events: list[str] | Unset = UNSET
    active: bool | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        url = self.url

        events: list[str] | Unset = UNSET
        if not isinstance(self.events, Unset):
            events = self.events

        active = self.active

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if name is not UNSET:
            field_dict["name"] = name
        if url is not UNSET:
            field_dict["url"] = url
        if events is not UNSET:
            field_dict["events"] = events
        if active is not UNSET:
            field_dict["active"] = active

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        name = d.pop("name", UNSET)

        url = d.pop("url", UNSET)

        events = cast(list[str], d.pop("events", UNSET))

        active = d.pop("active", UNSET)

        patched_webhook_subscription_request = cls(
            name=name,
            url=url,
            events=events,
            active=active,
        )

        patched_webhook_subscription_request.additional_properties = d
        return patched_webhook_subscription_request

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
