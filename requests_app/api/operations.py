"""Every operation of the API by name: its ``operationId`` (a verb, the name a
generated client gives the function) and, where the view does not say, its
summary and description.

The names are part of the contract: a client generated from the schema calls
``approve_request(...)`` or ``approveRequest(...)``, so renaming one breaks
every integrator (see docs/api-changelog.md). drf-spectacular's own name of an
operation (``requests_approve_create``) is the key: a new endpoint that is not
listed here stops the schema from being generated, so that it cannot reach the
contract without a name chosen on purpose (tests/requests_app/api/test_schema.py).
"""

from __future__ import annotations

from typing import NamedTuple


class Operation(NamedTuple):
    operation_id: str
    summary: str = ""
    description: str = ""


_REGISTER = (
    "The processing register (Art. 30): everyone in the workspace reads it, a DPO changes it. A {what} "
    "still in use cannot be deleted (409): disable it instead."
)
_CONNECTORS = (
    "The sources the desk searches (access, portability) and changes (erasure, rectification, restriction): "
    "everyone in the workspace reads them, a DPO changes them. Credentials are write-only."
)
_WEBHOOKS = (
    "Subscriptions to the desk's events, signed with the subscription's secret (DPO only). The secret is "
    "shown once, when the subscription is made or its secret replaced."
)


def _crud(prefix: str, singular: str, plural: str, what: str, whats: str, description: str) -> dict[str, Operation]:
    return {
        f"{prefix}_list": Operation(f"list{plural}", f"List {whats}", description),
        f"{prefix}_create": Operation(f"create{singular}", f"Create a {what}", description),
        f"{prefix}_retrieve": Operation(f"get{singular}", f"Read a {what}", description),
        f"{prefix}_update": Operation(f"update{singular}", f"Replace a {what}", description),
        f"{prefix}_partial_update": Operation(f"patch{singular}", f"Change some fields of a {what}", description),
        f"{prefix}_destroy": Operation(f"delete{singular}", f"Delete a {what}", description),
    }


OPERATIONS: dict[str, Operation] = {
    **_crud("connectors", "Connector", "Connectors", "connector", "connectors", _CONNECTORS),
    "connectors_test_create": Operation(
        "testConnector", description="Connects to the source and answers whether it works, with the error if not."
    ),
    "inbox_list": Operation(
        "listInboxItems",
        "List the privacy mailbox",
        description=(
            "E-mails to the privacy address (IMAP, ESP webhook, imported files), newest first: sender, subject, "
            "day of receipt, the right guessed from the words and the triage state."
        ),
    ),
    "inbox_retrieve": Operation(
        "getInboxItem",
        "Read an e-mail of the privacy mailbox",
        description="One e-mail, as text, with its files and a matching request.",
    ),
    "inbox_convert_create": Operation(
        "createRequestFromInboxItem",
        "Make a request of an e-mail",
        description=(
            "Makes a request of the e-mail with the right staff confirm; it is received on the day the mail "
            "arrived (Art. 12(3)) and the subject gets the form's acknowledgement. 409 if already triaged."
        ),
    ),
    "inbox_attach_create": Operation(
        "addInboxItemToRequest",
        "Add an e-mail to a request",
        description="Adds the e-mail and its files to an existing request (a subject's reply).",
    ),
    "inbox_dismiss_create": Operation(
        "dismissInboxItem",
        "Dismiss an e-mail as not a request",
        description="Not a request: the reason is kept in the item's audit trail.",
    ),
    "me_retrieve": Operation("getMe"),
    **_crud(
        "register_activities",
        "ProcessingActivity",
        "ProcessingActivities",
        "processing activity",
        "processing activities",
        _REGISTER.format(what="processing activity"),
    ),
    **_crud(
        "register_categories",
        "DataCategory",
        "DataCategories",
        "data category",
        "data categories",
        _REGISTER.format(what="data category"),
    ),
    **_crud(
        "register_recipients", "Recipient", "Recipients", "recipient", "recipients", _REGISTER.format(what="recipient")
    ),
    "requests_list": Operation(
        "listRequests",
        description=(
            "The workspace queue, with the page's own filters, ordered by legal deadline. Each filter here gives "
            "the same requests as on the page."
        ),
    ),
    "requests_create": Operation("submitRequest"),
    "requests_retrieve": Operation(
        "getRequest",
        description=(
            "A request with what staff may do next (`allowed_actions`), its gathering per source, its "
            "transmission decision and its retention hold."
        ),
    ),
    "requests_approve_create": Operation(
        "approveRequest",
        description=(
            "Accepts a verified request: an access or portability request starts the gathering from the "
            "sources, the other rights get an execution plan."
        ),
    ),
    "requests_assign_create": Operation(
        "assignRequest", description="Names the staff member who handles the request; `null` unassigns it."
    ),
    "requests_attachments_list": Operation("listAttachments"),
    "requests_attachments_download_retrieve": Operation("downloadAttachment"),
    "requests_change_type_create": Operation("changeRequestType"),
    "requests_close_create": Operation(
        "closeRequest", description="Ends the request without an answer of substance, e.g. withdrawn by the subject."
    ),
    "requests_evidence_retrieve": Operation("downloadEvidencePack"),
    "requests_events_list": Operation(
        "listRequestEvents", description="Every event of the request, oldest first: the audit trail (Art. 5(2))."
    ),
    "requests_exports_list": Operation("listExports"),
    "requests_exports_download_retrieve": Operation("downloadExport"),
    "requests_exports_exclude_create": Operation("excludeRecords"),
    "requests_extend_create": Operation(
        "extendDeadline",
        description=(
            "By one or two months, once, with the reason told to the subject within the first month (Art. 12(3))."
        ),
    ),
    "requests_fee_create": Operation("announceFee"),
    "requests_forward_create": Operation("forwardRequest"),
    "requests_identity_check_create": Operation("recordIdentityCheck"),
    "requests_mandate_check_create": Operation("recordMandateCheck"),
    "requests_notes_list": Operation(
        "listNotes", description="Notes staff keep on the request; never shown to the subject."
    ),
    "requests_notes_create": Operation(
        "addNote", description="Notes staff keep on the request; never shown to the subject."
    ),
    "requests_plan_retrieve": Operation("getPlan"),
    "requests_plan_approve_create": Operation("approvePlan"),
    "requests_plan_corrections_create": Operation("mapCorrection"),
    "requests_plan_items_create": Operation("changePlanItem"),
    "requests_plan_lift_restriction_create": Operation("liftRestriction"),
    "requests_plan_lift_retrieve": Operation("getScheduledLift"),
    "requests_plan_lifts_cancel_create": Operation("cancelScheduledLift"),
    "requests_plan_notices_remind_create": Operation("remindRecipient"),
    "requests_plan_notices_settle_create": Operation("settleRecipientNotice"),
    "requests_plan_recompute_create": Operation("recomputePlan"),
    "requests_plan_resume_create": Operation("resumePlan"),
    "requests_plan_tell_recipients_create": Operation("tellRecipients"),
    "requests_records_list": Operation("listRecords"),
    "requests_records_withhold_create": Operation("withholdRecordFields"),
    "requests_records_give_back_create": Operation("giveBackRecordFields"),
    "requests_reject_create": Operation(
        "rejectRequest",
        description=(
            "Refuses the request with one of the grounds of Art. 12(4) and 12(5); the subject is told why and "
            "that they may complain to the supervisory authority."
        ),
    ),
    "requests_release_create": Operation("releaseRequest"),
    "requests_release_request_create": Operation("requestRelease"),
    "requests_release_approve_create": Operation("approveRelease"),
    "requests_request_info_create": Operation(
        "requestInformation",
        description=(
            "E-mails the subject a question (e.g. to identify them, Art. 12(6)); the request waits for the answer."
        ),
    ),
    "requests_retention_hold_create": Operation("placeRetentionHold"),
    "requests_retention_hold_lift_create": Operation("liftRetentionHold"),
    "requests_sources_list": Operation("listSources"),
    "requests_sources_retry_create": Operation("retrySource"),
    "requests_tasks_list": Operation(
        "listTasks",
        description="Work a person does by hand in a source the desk cannot reach (e.g. camera footage).",
    ),
    "requests_tasks_complete_create": Operation("completeTask"),
    "requests_transmission_create": Operation("decideTransmission"),
    "webhook_deliveries_list": Operation(
        "listWebhookDeliveries", "List webhook deliveries", "Every attempt to deliver an event, newest first."
    ),
    "webhook_deliveries_retrieve": Operation(
        "getWebhookDelivery", "Read a webhook delivery", "One attempt to deliver an event, with the answer."
    ),
    "webhook_deliveries_redeliver_create": Operation(
        "redeliverWebhook", description="A new delivery of the same event (the same payload), now."
    ),
    **_crud("webhooks", "Webhook", "Webhooks", "webhook subscription", "webhook subscriptions", _WEBHOOKS),
    "webhooks_deliveries_list": Operation(
        "listWebhookSubscriptionDeliveries", description="Every attempt to deliver an event to this subscription."
    ),
    "webhooks_rotate_secret_create": Operation(
        "rotateWebhookSecret",
        description="A new signing secret, shown once; deliveries from now on are signed with it.",
    ),
}
