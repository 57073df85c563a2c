"""Contains all the data models used in inputs/outputs"""

from .access_details import AccessDetails
from .approve_plan_request import ApprovePlanRequest
from .assign_request import AssignRequest
from .attachment import Attachment
from .blank_enum import BlankEnum
from .change_type_request import ChangeTypeRequest
from .channel_enum import ChannelEnum
from .check_status_enum import CheckStatusEnum
from .close_request import CloseRequest
from .complete_task_request import CompleteTaskRequest
from .connector import Connector
from .connector_config import ConnectorConfig
from .connector_kind_enum import ConnectorKindEnum
from .connector_request import ConnectorRequest
from .connector_request_config import ConnectorRequestConfig
from .connector_test import ConnectorTest
from .contact_enum import ContactEnum
from .correction import Correction
from .correction_asked import CorrectionAsked
from .correction_request import CorrectionRequest
from .data_category import DataCategory
from .data_category_request import DataCategoryRequest
from .erasure_details import ErasureDetails
from .erasure_ground_enum import ErasureGroundEnum
from .erasure_scope_enum import ErasureScopeEnum
from .error import Error
from .error_additional_property_type_0_item_type_1 import ErrorAdditionalPropertyType0ItemType1
from .error_additional_property_type_1 import ErrorAdditionalPropertyType1
from .event import Event
from .event_kind_enum import EventKindEnum
from .exclude_records_request import ExcludeRecordsRequest
from .exclude_result import ExcludeResult
from .export import Export
from .export_format_enum import ExportFormatEnum
from .extend_request import ExtendRequest
from .fee_ground_enum import FeeGroundEnum
from .fee_request import FeeRequest
from .forward_request import ForwardRequest
from .forwarding import Forwarding
from .give_back_fields_request import GiveBackFieldsRequest
from .identity_check_enum import IdentityCheckEnum
from .identity_check_request import IdentityCheckRequest
from .identity_fields_enum import IdentityFieldsEnum
from .inbox_attach_request import InboxAttachRequest
from .inbox_attachment import InboxAttachment
from .inbox_convert_request import InboxConvertRequest
from .inbox_dismiss_request import InboxDismissRequest
from .inbox_item import InboxItem
from .inbox_item_detail import InboxItemDetail
from .inbox_source_enum import InboxSourceEnum
from .inbox_state_enum import InboxStateEnum
from .item_change_request import ItemChangeRequest
from .job_progress import JobProgress
from .job_progress_status_enum import JobProgressStatusEnum
from .keep_reason_enum import KeepReasonEnum
from .language_enum import LanguageEnum
from .legal_basis_enum import LegalBasisEnum
from .lift_hold_request import LiftHoldRequest
from .lift_reason_enum import LiftReasonEnum
from .lift_restriction_request import LiftRestrictionRequest
from .mandate_check_decision_enum import MandateCheckDecisionEnum
from .mandate_check_request import MandateCheckRequest
from .mandate_document_request import MandateDocumentRequest
from .mandate_kind_enum import MandateKindEnum
from .manual_task import ManualTask
from .manual_task_file import ManualTaskFile
from .manual_task_status_enum import ManualTaskStatusEnum
from .map_correction_request import MapCorrectionRequest
from .map_correction_request_fields import MapCorrectionRequestFields
from .mapped_field import MappedField
from .me import Me
from .minor_age_band_enum import MinorAgeBandEnum
from .note import Note
from .note_request import NoteRequest
from .notice import Notice
from .objection_details import ObjectionDetails
from .operation_enum import OperationEnum
from .paginated_attachment_list import PaginatedAttachmentList
from .paginated_connector_list import PaginatedConnectorList
from .paginated_data_category_list import PaginatedDataCategoryList
from .paginated_event_list import PaginatedEventList
from .paginated_export_list import PaginatedExportList
from .paginated_inbox_item_list import PaginatedInboxItemList
from .paginated_manual_task_list import PaginatedManualTaskList
from .paginated_note_list import PaginatedNoteList
from .paginated_processing_activity_list import PaginatedProcessingActivityList
from .paginated_recipient_list import PaginatedRecipientList
from .paginated_record_list import PaginatedRecordList
from .paginated_request_list_list import PaginatedRequestListList
from .paginated_source_list import PaginatedSourceList
from .paginated_webhook_delivery_list import PaginatedWebhookDeliveryList
from .paginated_webhook_subscription_list import PaginatedWebhookSubscriptionList
from .patched_connector_request import PatchedConnectorRequest
from .patched_connector_request_config import PatchedConnectorRequestConfig
from .patched_data_category_request import PatchedDataCategoryRequest
from .patched_processing_activity_request import PatchedProcessingActivityRequest
from .patched_recipient_request import PatchedRecipientRequest
from .patched_webhook_subscription_request import PatchedWebhookSubscriptionRequest
from .place_hold_request import PlaceHoldRequest
from .plan import Plan
from .plan_action_enum import PlanActionEnum
from .plan_allowed_action_enum import PlanAllowedActionEnum
from .plan_item import PlanItem
from .plan_item_before import PlanItemBefore
from .plan_item_change_enum import PlanItemChangeEnum
from .plan_item_status_enum import PlanItemStatusEnum
from .plan_notice import PlanNotice
from .plan_recipient import PlanRecipient
from .plan_source import PlanSource
from .plan_status_enum import PlanStatusEnum
from .plan_task import PlanTask
from .plan_warning import PlanWarning
from .plan_warning_code_enum import PlanWarningCodeEnum
from .portability_details import PortabilityDetails
from .portability_format_enum import PortabilityFormatEnum
from .processing_activity import ProcessingActivity
from .processing_activity_request import ProcessingActivityRequest
from .public_request_created import PublicRequestCreated
from .public_request_received import PublicRequestReceived
from .public_request_received_status_enum import PublicRequestReceivedStatusEnum
from .public_request_request import PublicRequestRequest
from .recipient import Recipient
from .recipient_kind_enum import RecipientKindEnum
from .recipient_request import RecipientRequest
from .record import Record
from .record_data import RecordData
from .rectification_details import RectificationDetails
from .reject_request import RejectRequest
from .rejection_reason_enum import RejectionReasonEnum
from .relationship_enum import RelationshipEnum
from .release_request import ReleaseRequest
from .representation import Representation
from .representative_input_request import RepresentativeInputRequest
from .request_action_enum import RequestActionEnum
from .request_detail import RequestDetail
from .request_info_request import RequestInfoRequest
from .request_list import RequestList
from .request_status_enum import RequestStatusEnum
from .request_type_enum import RequestTypeEnum
from .restriction_details import RestrictionDetails
from .restriction_ground_enum import RestrictionGroundEnum
from .retention_hold import RetentionHold
from .retention_hold_reason_enum import RetentionHoldReasonEnum
from .scheduled_lift import ScheduledLift
from .scheduled_lift_status_enum import ScheduledLiftStatusEnum
from .settle_notice_reason_enum import SettleNoticeReasonEnum
from .settle_notice_request import SettleNoticeRequest
from .source import Source
from .source_progress import SourceProgress
from .source_status_enum import SourceStatusEnum
from .staff_channel_enum import StaffChannelEnum
from .staff_request_request import StaffRequestRequest
from .status_filter_enum import StatusFilterEnum
from .translated_text_schema import TranslatedTextSchema
from .translated_text_schema_request import TranslatedTextSchemaRequest
from .transmission import Transmission
from .transmission_decision_enum import TransmissionDecisionEnum
from .transmission_decision_request import TransmissionDecisionRequest
from .webhook_delivery import WebhookDelivery
from .webhook_delivery_status_enum import WebhookDeliveryStatusEnum
from .webhook_secret import WebhookSecret
from .webhook_subscription import WebhookSubscription
from .webhook_subscription_created import WebhookSubscriptionCreated
from .webhook_subscription_request import WebhookSubscriptionRequest
from .withdrawal_details import WithdrawalDetails
from .withheld_field import WithheldField
from .withheld_result import WithheldResult
from .withhold_fields_request import WithholdFieldsRequest

__all__ = (
    "AccessDetails",
    "ApprovePlanRequest",
    "AssignRequest",
    "Attachment",
    "BlankEnum",
    "ChangeTypeRequest",
    "ChannelEnum",
    "CheckStatusEnum",
    "CloseRequest",
    "CompleteTaskRequest",
    "Connector",
    "ConnectorConfig",
    "ConnectorKindEnum",
    "ConnectorRequest",
    "ConnectorRequestConfig",
    "ConnectorTest",
    "ContactEnum",
    "Correction",
    "CorrectionAsked",
    "CorrectionRequest",
    "DataCategory",
    "DataCategoryRequest",
    "ErasureDetails",
    "ErasureGroundEnum",
    "ErasureScopeEnum",
    "Error",
    "ErrorAdditionalPropertyType0ItemType1",
    "ErrorAdditionalPropertyType1",
    "Event",
    "EventKindEnum",
    "ExcludeRecordsRequest",
    "ExcludeResult",
    "Export",
    "ExportFormatEnum",
    "ExtendRequest",
    "FeeGroundEnum",
    "FeeRequest",
    "Forwarding",
    "ForwardRequest",
    "GiveBackFieldsRequest",
    "IdentityCheckEnum",
    "IdentityCheckRequest",
    "IdentityFieldsEnum",
    "InboxAttachment",
    "InboxAttachRequest",
    "InboxConvertRequest",
    "InboxDismissRequest",
    "InboxItem",
    "InboxItemDetail",
    "InboxSourceEnum",
    "InboxStateEnum",
    "ItemChangeRequest",
    "JobProgress",
    "JobProgressStatusEnum",
    "KeepReasonEnum",
    "LanguageEnum",
    "LegalBasisEnum",
    "LiftHoldRequest",
    "LiftReasonEnum",
    "LiftRestrictionRequest",
    "MandateCheckDecisionEnum",
    "MandateCheckRequest",
    "MandateDocumentRequest",
    "MandateKindEnum",
    "ManualTask",
    "ManualTaskFile",
    "ManualTaskStatusEnum",
    "MapCorrectionRequest",
    "MapCorrectionRequestFields",
    "MappedField",
    "Me",
    "MinorAgeBandEnum",
    "Note",
    "NoteRequest",
    "Notice",
    "ObjectionDetails",
    "OperationEnum",
    "PaginatedAttachmentList",
    "PaginatedConnectorList",
    "PaginatedDataCategoryList",
    "PaginatedEventList",
    "PaginatedExportList",
    "PaginatedInboxItemList",
    "PaginatedManualTaskList",
    "PaginatedNoteList",
    "PaginatedProcessingActivityList",
    "PaginatedRecipientList",
    "PaginatedRecordList",
    "PaginatedRequestListList",
    "PaginatedSourceList",
    "PaginatedWebhookDeliveryList",
    "PaginatedWebhookSubscriptionList",
    "PatchedConnectorRequest",
    "PatchedConnectorRequestConfig",
    "PatchedDataCategoryRequest",
    "PatchedProcessingActivityRequest",
    "PatchedRecipientRequest",
    "PatchedWebhookSubscriptionRequest",
    "PlaceHoldRequest",
    "Plan",
    "PlanActionEnum",
    "PlanAllowedActionEnum",
    "PlanItem",
    "PlanItemBefore",
    "PlanItemChangeEnum",
    "PlanItemStatusEnum",
    "PlanNotice",
    "PlanRecipient",
    "PlanSource",
    "PlanStatusEnum",
    "PlanTask",
    "PlanWarning",
    "PlanWarningCodeEnum",
    "PortabilityDetails",
    "PortabilityFormatEnum",
    "ProcessingActivity",
    "ProcessingActivityRequest",
    "PublicRequestCreated",
    "PublicRequestReceived",
    "PublicRequestReceivedStatusEnum",
    "PublicRequestRequest",
    "Recipient",
    "RecipientKindEnum",
    "RecipientRequest",
    "Record",
    "RecordData",
    "RectificationDetails",
    "RejectionReasonEnum",
    "RejectRequest",
    "RelationshipEnum",
    "ReleaseRequest",
    "Representation",
    "RepresentativeInputRequest",
    "RequestActionEnum",
    "RequestDetail",
    "RequestInfoRequest",
    "RequestList",
    "RequestStatusEnum",
    "RequestTypeEnum",
    "RestrictionDetails",
    "RestrictionGroundEnum",
    "RetentionHold",
    "RetentionHoldReasonEnum",
    "ScheduledLift",
    "ScheduledLiftStatusEnum",
    "SettleNoticeReasonEnum",
    "SettleNoticeRequest",
    "Source",
    "SourceProgress",
    "SourceStatusEnum",
    "StaffChannelEnum",
    "StaffRequestRequest",
    "StatusFilterEnum",
    "TranslatedTextSchema",
    "TranslatedTextSchemaRequest",
    "Transmission",
    "TransmissionDecisionEnum",
    "TransmissionDecisionRequest",
    "WebhookDelivery",
    "WebhookDeliveryStatusEnum",
    "WebhookSecret",
    "WebhookSubscription",
    "WebhookSubscriptionCreated",
    "WebhookSubscriptionRequest",
    "WithdrawalDetails",
    "WithheldField",
    "WithheldResult",
    "WithholdFieldsRequest",
)
