from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.blank_enum import BlankEnum
from ..models.channel_enum import ChannelEnum
from ..models.language_enum import LanguageEnum
from ..models.rejection_reason_enum import RejectionReasonEnum
from ..models.request_action_enum import RequestActionEnum
from ..models.request_status_enum import RequestStatusEnum
from ..models.request_type_enum import RequestTypeEnum

if TYPE_CHECKING:
    from ..models.access_details import AccessDetails
    from ..models.erasure_details import ErasureDetails
    from ..models.forwarding import Forwarding
    from ..models.job_progress import JobProgress
    from ..models.objection_details import ObjectionDetails
    from ..models.portability_details import PortabilityDetails
    from ..models.rectification_details import RectificationDetails
    from ..models.representation import Representation
    from ..models.restriction_details import RestrictionDetails
    from ..models.retention_hold import RetentionHold
    from ..models.transmission import Transmission
    from ..models.withdrawal_details import WithdrawalDetails


T = TypeVar("T", bound="RequestDetail")


@_attrs_define
class RequestDetail:
    """
    Attributes:
        reference (str):
        request_type (RequestTypeEnum): * `access` - Access to my data (Art. 15)
            * `rectification` - Correction of my data (Art. 16)
            * `erasure` - Erasure of my data (Art. 17)
            * `restriction` - Restriction of processing (Art. 18)
            * `portability` - Data portability (Art. 20)
            * `objection` - Objection to processing (Art. 21)
            * `withdrawal` - Withdrawal of consent (Art. 7(3))
        status (RequestStatusEnum): * `unverified` - Unverified
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
        channel (ChannelEnum): * `web` - Web form
            * `api` - API
            * `email` - E-mail
            * `letter` - Letter
            * `phone` - Phone
            * `in_person` - In person
        language (LanguageEnum): * `nl` - Nederlands
            * `fr` - Français
            * `de` - Deutsch
            * `en` - English
        full_name (str):
        email (str): Empty for a request logged from a letter or a call: the subject is answered by post.
        received_at (datetime.datetime):
        due_date (datetime.date):
        internal_target_date (datetime.date):
        days_left (int): Calendar days to the legal deadline (negative: overdue).
        overdue (bool):
        assignee (None | str): Required. 150 characters or fewer. Letters, digits and @/./+/-/_ only.
        phone (str):
        postal_address (str):
        customer_number (str):
        national_number (str): Masked; a DPO reveals it in the workspace.
        details (str):
        type_details (AccessDetails | ErasureDetails | ObjectionDetails | PortabilityDetails | RectificationDetails |
            RestrictionDetails | WithdrawalDetails):
        verified_at (datetime.datetime | None):
        original_due_date (datetime.date):
        extended_at (datetime.datetime | None):
        extension_reason (str):
        rejection_reason (BlankEnum | RejectionReasonEnum):
        rejection_details (str):
        closed_at (datetime.datetime | None):
        closing_reason (str):
        answered_at (datetime.datetime | None):
        forwardings (list[Forwarding]): Where the request was forwarded (Art. 28), and whether it was acknowledged.
        outcome_summary (str):
        purged_at (datetime.datetime | None):
        retention_hold (None | RetentionHold): The active retention hold, or null: while held, the retention periods
            neither purge nor delete it.
        representative (None | Representation): Who made the request for the subject, with the mandate and its check;
            null when they asked themselves.
        allowed_actions (list[RequestActionEnum]): The actions (POST .../{action}/) you may take now.
        jobs (list[JobProgress]): Gathering and execution per source, newest job first.
        transmission (None | Transmission): Portability: the other organisation the subject asked us to send the copy
            to, or null.
    """

    reference: str
    request_type: RequestTypeEnum
    status: RequestStatusEnum
    channel: ChannelEnum
    language: LanguageEnum
    full_name: str
    email: str
    received_at: datetime.datetime
    due_date: datetime.date
    internal_target_date: datetime.date
    days_left: int
    overdue: bool
    assignee: None | str
    phone: str
    postal_address: str
    customer_number: str
    national_number: str
    details: str
    type_details: (
        AccessDetails
        | ErasureDetails
        | ObjectionDetails
        | PortabilityDetails
        | RectificationDetails
        | RestrictionDetails
        | WithdrawalDetails
    )
    verified_at: datetime.datetime | None
    original_due_date: datetime.date
    extended_at: datetime.datetime | None
    extension_reason: str
    rejection_reason: BlankEnum | RejectionReasonEnum
    rejection_details: str
    closed_at: datetime.datetime | None
    closing_reason: str
    answered_at: datetime.datetime | None
    forwardings: list[Forwarding]
    outcome_summary: str
    purged_at: datetime.datetime | None
    retention_hold: None | RetentionHold
    representative: None | Representation
    allowed_actions: list[RequestActionEnum]
    jobs: list[JobProgress]
    transmission: None | Transmission
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.erasure_details import ErasureDetails  # noqa: PLC0415
        from ..models.objection_details import ObjectionDetails  # noqa: PLC0415
        from ..models.portability_details import PortabilityDetails  # noqa: PLC0415
        from ..models.rectification_details import RectificationDetails  # noqa: PLC0415
        from ..models.representation import Representation  # noqa: PLC0415
        from ..models.restriction_details import RestrictionDetails  # noqa: PLC0415
        from ..models.retention_hold import RetentionHold  # noqa: PLC0415
        from ..models.transmission import Transmission  # noqa: PLC0415
        from ..models.withdrawal_details import WithdrawalDetails  # noqa: PLC0415

        reference = self.reference

        request_type = self.request_type.value

        status = self.status.value

        channel = self.channel.value

        language = self.language.value

        full_name = self.full_name

        email = self.email

        received_at = self.received_at.isoformat()

        due_date = self.due_date.isoformat()

        internal_target_date = self.internal_target_date.isoformat()

        days_left = self.days_left

        overdue = self.overdue

        assignee: None | str
        assignee = self.assignee

        phone = self.phone

        postal_address = self.postal_address

        customer_number = self.customer_number

        national_number = self.national_number

        details = self.details

        type_details: dict[str, Any]
        if isinstance(self.type_details, RectificationDetails):
            type_details = self.type_details.to_dict()
        elif isinstance(self.type_details, RestrictionDetails):
            type_details = self.type_details.to_dict()
        elif isinstance(self.type_details, ErasureDetails):
            type_details = self.type_details.to_dict()
        elif isinstance(self.type_details, ObjectionDetails):
            type_details = self.type_details.to_dict()
        elif isinstance(self.type_details, WithdrawalDetails):
            type_details = self.type_details.to_dict()
        elif isinstance(self.type_details, PortabilityDetails):
            type_details = self.type_details.to_dict()
        else:
            type_details = self.type_details.to_dict()

        verified_at: None | str
        if isinstance(self.verified_at, datetime.datetime):
            verified_at = self.verified_at.isoformat()
        else:
            verified_at = self.verified_at

        original_due_date = self.original_due_date.isoformat()

        extended_at: None | str
        if isinstance(self.extended_at, datetime.datetime):
            extended_at = self.extended_at.isoformat()
        else:
            extended_at = self.extended_at

        extension_reason = self.extension_reason

        rejection_reason: str
        if isinstance(self.rejection_reason, RejectionReasonEnum):
            rejection_reason = self.rejection_reason.value
        else:
            rejection_reason = self.rejection_reason.value

        rejection_details = self.rejection_details

        closed_at: None | str
        if isinstance(self.closed_at, datetime.datetime):
            closed_at = self.closed_at.isoformat()
        else:
            closed_at = self.closed_at

        closing_reason = self.closing_reason

        answered_at: None | str
        if isinstance(self.answered_at, datetime.datetime):
            answered_at = self.answered_at.isoformat()
        else:
            answered_at = self.answered_at

        forwardings = []
        for forwardings_item_data in self.forwardings:
            forwardings_item = forwardings_item_data.to_dict()
            forwardings.append(forwardings_item)

        outcome_summary = self.outcome_summary

        purged_at: None | str
        if isinstance(self.purged_at, datetime.datetime):
            purged_at = self.purged_at.isoformat()
        else:
            purged_at = self.purged_at

        retention_hold: dict[str, Any] | None
        if isinstance(self.retention_hold, RetentionHold):
            retention_hold = self.retention_hold.to_dict()
        else:
            retention_hold = self.retention_hold

        representative: dict[str, Any] | None
        if isinstance(self.representative, Representation):
            representative = self.representative.to_dict()
        else:
            representative = self.representative

        allowed_actions = []
        for allowed_actions_item_data in self.allowed_actions:
            allowed_actions_item = allowed_actions_item_data.value
            allowed_actions.append(allowed_actions_item)

        jobs = []
        for jobs_item_data in self.jobs:
            jobs_item = jobs_item_data.to_dict()
            jobs.append(jobs_item)

        transmission: dict[str, Any] | None
        if isinstance(self.transmission, Transmission):
            transmission = self.transmission.to_dict()
        else:
            transmission = self.transmission

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "reference": reference,
                "request_type": request_type,
                "status": status,
                "channel": channel,
                "language": language,
                "full_name": full_name,
                "email": email,
                "received_at": received_at,
                "due_date": due_date,
                "internal_target_date": internal_target_date,
                "days_left": days_left,
                "overdue": overdue,
                "assignee": assignee,
                "phone": phone,
                "postal_address": postal_address,
                "customer_number": customer_number,
                "national_number": national_number,
                "details": details,
                "type_details": type_details,
                "verified_at": verified_at,
                "original_due_date": original_due_date,
                "extended_at": extended_at,
                "extension_reason": extension_reason,
                "rejection_reason": rejection_reason,
                "rejection_details": rejection_details,
                "closed_at": closed_at,
                "closing_reason": closing_reason,
                "answered_at": answered_at,
                "forwardings": forwardings,
                "outcome_summary": outcome_summary,
                "purged_at": purged_at,
                "retention_hold": retention_hold,
                "representative": representative,
                "allowed_actions": allowed_actions,
                "jobs": jobs,
                "transmission": transmission,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.access_details import AccessDetails  # noqa: PLC0415
        from ..models.erasure_details import ErasureDetails  # noqa: PLC0415
        from ..models.forwarding import Forwarding  # noqa: PLC0415
        from ..models.job_progress import JobProgress  # noqa: PLC0415
        from ..models.objection_details import ObjectionDetails  # noqa: PLC0415
        from ..models.portability_details import PortabilityDetails  # noqa: PLC0415
        from ..models.rectification_details import RectificationDetails  # noqa: PLC0415
        from ..models.representation import Representation  # noqa: PLC0415
        from ..models.restriction_details import RestrictionDetails  # noqa: PLC0415
        from ..models.retention_hold import RetentionHold  # noqa: PLC0415
        from ..models.transmission import Transmission  # noqa: PLC0415
        from ..models.withdrawal_details import WithdrawalDetails  # noqa: PLC0415

        d = dict(src_dict)
        reference = d.pop("reference")

        request_type = RequestTypeEnum(d.pop("request_type"))

        status = RequestStatusEnum(d.pop("status"))

        channel = ChannelEnum(d.pop("channel"))

        language = LanguageEnum(d.pop("language"))

        full_name = d.pop("full_name")

        email = d.pop("email")

        received_at = datetime.datetime.fromisoformat(d.pop("received_at"))

        due_date = datetime.date.fromisoformat(d.pop("due_date"))

        internal_target_date = datetime.date.fromisoformat(d.pop("internal_target_date"))

        days_left = d.pop("days_left")

        overdue = d.pop("overdue")

        def _parse_assignee(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        assignee = _parse_assignee(d.pop("assignee"))

        phone = d.pop("phone")

        postal_address = d.pop("postal_address")

        customer_number = d.pop("customer_number")

        national_number = d.pop("national_number")

        details = d.pop("details")

        def _parse_type_details(
            data: object,
        ) -> (
            AccessDetails
            | ErasureDetails
            | ObjectionDetails
            | PortabilityDetails
            | RectificationDetails
            | RestrictionDetails
            | WithdrawalDetails
        ):
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_type_details_type_0 = RectificationDetails.from_dict(data)

                return componentsschemas_type_details_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_type_details_type_1 = RestrictionDetails.from_dict(data)

                return componentsschemas_type_details_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_type_details_type_2 = ErasureDetails.from_dict(data)

                return componentsschemas_type_details_type_2
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_type_details_type_3 = ObjectionDetails.from_dict(data)

                return componentsschemas_type_details_type_3
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_type_details_type_4 = WithdrawalDetails.from_dict(data)

                return componentsschemas_type_details_type_4
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_type_details_type_5 = PortabilityDetails.from_dict(data)

                return componentsschemas_type_details_type_5
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            if not isinstance(data, dict):
                raise TypeError()
            componentsschemas_type_details_type_6 = AccessDetails.from_dict(data)

            return componentsschemas_type_details_type_6

        type_details = _parse_type_details(d.pop("type_details"))

        def _parse_verified_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                verified_at_type_0 = datetime.datetime.fromisoformat(data)

                return verified_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        verified_at = _parse_verified_at(d.pop("verified_at"))

        original_due_date = datetime.date.fromisoformat(d.pop("original_due_date"))

        def _parse_extended_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                extended_at_type_0 = datetime.datetime.fromisoformat(data)

                return extended_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        extended_at = _parse_extended_at(d.pop("extended_at"))

        extension_reason = d.pop("extension_reason")

        def _parse_rejection_reason(data: object) -> BlankEnum | RejectionReasonEnum:
            try:
                if not isinstance(data, str):
                    raise TypeError()
                rejection_reason_type_0 = RejectionReasonEnum(data)

                return rejection_reason_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            if not isinstance(data, str):
                raise TypeError()
            rejection_reason_type_1 = BlankEnum(data)

            return rejection_reason_type_1

        rejection_reason = _parse_rejection_reason(d.pop("rejection_reason"))

        rejection_details = d.pop("rejection_details")

        def _parse_closed_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                closed_at_type_0 = datetime.datetime.fromisoformat(data)

                return closed_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        closed_at = _parse_closed_at(d.pop("closed_at"))

        closing_reason = d.pop("closing_reason")

        def _parse_answered_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                answered_at_type_0 = datetime.datetime.fromisoformat(data)

                return answered_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        answered_at = _parse_answered_at(d.pop("answered_at"))

        forwardings = []
        _forwardings = d.pop("forwardings")
        for forwardings_item_data in _forwardings:
            forwardings_item = Forwarding.from_dict(forwardings_item_data)

            forwardings.append(forwardings_item)

        outcome_summary = d.pop("outcome_summary")

        def _parse_purged_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                purged_at_type_0 = datetime.datetime.fromisoformat(data)

                return purged_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        purged_at = _parse_purged_at(d.pop("purged_at"))

        def _parse_retention_hold(data: object) -> None | RetentionHold:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                retention_hold_type_0 = RetentionHold.from_dict(data)

                return retention_hold_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | RetentionHold, data)

        retention_hold = _parse_retention_hold(d.pop("retention_hold"))

        def _parse_representative(data: object) -> None | Representation:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                representative_type_0 = Representation.from_dict(data)

                return representative_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Representation, data)

        representative = _parse_representative(d.pop("representative"))

        allowed_actions = []
        _allowed_actions = d.pop("allowed_actions")
        for allowed_actions_item_data in _allowed_actions:
            allowed_actions_item = RequestActionEnum(allowed_actions_item_data)

            allowed_actions.append(allowed_actions_item)

        jobs = []
        _jobs = d.pop("jobs")
        for jobs_item_data in _jobs:
            jobs_item = JobProgress.from_dict(jobs_item_data)

            jobs.append(jobs_item)

        def _parse_transmission(data: object) -> None | Transmission:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                transmission_type_0 = Transmission.from_dict(data)

                return transmission_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Transmission, data)

        transmission = _parse_transmission(d.pop("transmission"))

        request_detail = cls(
            reference=reference,
            request_type=request_type,
            status=status,
            channel=channel,
            language=language,
            full_name=full_name,
            email=email,
            received_at=received_at,
            due_date=due_date,
            internal_target_date=internal_target_date,
            days_left=days_left,
            overdue=overdue,
            assignee=assignee,
            phone=phone,
            postal_address=postal_address,
            customer_number=customer_number,
            national_number=national_number,
            details=details,
            type_details=type_details,
            verified_at=verified_at,
            original_due_date=original_due_date,
            extended_at=extended_at,
            extension_reason=extension_reason,
            rejection_reason=rejection_reason,
            rejection_details=rejection_details,
            closed_at=closed_at,
            closing_reason=closing_reason,
            answered_at=answered_at,
            forwardings=forwardings,
            outcome_summary=outcome_summary,
            purged_at=purged_at,
            retention_hold=retention_hold,
            representative=representative,
            allowed_actions=allowed_actions,
            jobs=jobs,
            transmission=transmission,
        )

        request_detail.additional_properties = d
        return request_detail

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
