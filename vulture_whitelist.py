"""Names vulture (``make deadcode``) cannot see used, with why. Checked with
``vulture`` and the settings in pyproject.toml's ``[tool.vulture]``.

This file is never imported: vulture reads it as code that uses these names.
"""

# ruff: noqa
from vulture.whitelist_utils import Whitelist

_ = Whitelist()

# Called by name from settings strings or by a framework, not from our code.
_.OutboxBackend  # config.mail: EMAIL_BACKEND in config/settings.py
_.csrf_failure  # requests_app.intake.views: CSRF_FAILURE_VIEW
_.request_submission_any_of  # drf-spectacular POSTPROCESSING_HOOKS
_.BearerTokenScheme  # drf-spectacular registers OpenApiAuthenticationExtension subclasses
_.fetch  # dsar.exports.fetcher: WeasyPrint's URLFetcher calls it
_._query  # dsar.core.together: psycopg's cursor attribute Django's query log reads (last_executed_query)
_.tell, _.writable, _.seekable  # dsar.exports.storage: the file-object protocol (zipfile, shutil)
_.encrypt_column, _.protect_token_column  # dsar.core.crypto: used by data migrations (not scanned)
_.error_summary, _.rights, _.general_fields  # form methods read by templates (intake/form.html, workspace/*.html)
_.history  # requests_app.workspace.views imports it to register its panel
_.atoms_wrapper_class  # config/gunicorn.conf.py: gunicorn's Logger wraps the access log's atoms with it
_.failures, _.last_run, _.read_only  # requests_app.register.selectors: read by templates/workspace/register/*.html

# Kept for the tests, which use the engine's public API to check its results.
_.dispose_engines  # tests/dsar/execution: closes the pooled SQLite connections between tests
_.load_schema  # tests/dsar/exports: the published JSON schema that exports are validated against
_.read_file  # tests/dsar/exports: an export's plaintext
_.records_of  # tests/dsar: a job's gathered records
_.data_subject_names  # tests/dsar: the register's data subjects in one language
_.verify_signature  # the receiver's side of the webhook signature, documented in README.md

# Declared for a framework that reads them by name: model, form and
# serializer fields, TextChoices members, fields set before ``save()``,
# ``__exit__`` parameters, DRF renderer and exception attributes.
ARCHIVING
AUTHORITY
AUTHORITY_COMPLAINT
CHILD_SERVICE
CONSENT_WITHDRAWN
CONTROLLER
COURT_PROCEEDINGS
CUSTOMER_NUMBER
DE
EXPRESSION
FIXED
FR
FULL_NAME
HASH
IDENTITY_NOT_CONFIRMED
ID_DOCUMENT
IN_PERSON
KNOWN_CONTACT
KNOWN_FACTS
NATIONAL_NUMBER
NL
NOT_CONTROLLER
NO_LONGER_NECESSARY
NO_RIGHT_APPLIES
NULL
PUBLIC_HEALTH
UNLAWFUL
VITAL_INTERESTS
_.__class__
_.__wrapped__
_.approved_at
_.approved_by
_.completed_by
_.computed_at
_.delivered_at
_.done_at
_.duration_seconds
_.error_text
_.found_by
_.held_by_system
_.is_staff
_.last_attempt_at
_.last_error
_.last_status_code
_.lifted_at
_.lifted_by
_.msg
_.row_factory
_.status_after_label
_.status_before_label
_.token_hash
_.unconfirmed_reason
_.verified_at
_.warning_texts
accepted_media_type
allow_multiple_selected
answered_at
approved_at
approved_by
authentication_form
authority_name
auto_schema
can_retry
charset
closed_at
closing_reason
completed_by
computed_at
created_by
de
default_code
default_detail
deferred_attention
delivered_at
detail
done_at
downloads
dpo_name
dpo_phone
en
enterprise_number
erasure_categories
erasure_specific
erasure_tell_recipients
extension_reason
forwarded_pending
fr
generator
has_email
id
last_attempt_at
last_error
last_status_code
lifted_at
lifted_by
lookup_value_regex
max_per_month
media_type
new_subject_token
nl
objection_activities
portability_format
portability_target
portability_target_email
postal_address
received_on
received_time
recipients_notified
rectification_correct
rectification_current
rectification_field
rectification_items
rectification_restrict
rectification_tell_recipients
redirect_authenticated_user
rejection_details
rejection_reason
requested_email
restrict_meanwhile
restriction_contested_categories
restriction_tell_recipients
retention_hold
role
tb
token_expires_at
token_hash
updated_at
verified_at
website
withdrawal_consents

# django-filter calls a FilterSet's filter methods by the names given in ``method=``,
# and reads its fields' ``field_class`` and error messages (workspace/selectors.QueueFilterSet).
_.filter_status
_.filter_assignee
_.filter_overdue
_.filter_due_within
_.filter_held
_.filter_search
_.field_class
_.default_error_messages

# Found by name by Django (model fields, settings strings, middleware and parser paths), gunicorn's
# settings module, templates and the API's serializers; listed after the merges of this release.
_.ACT_KEYS
_.API_VERSION
_.ApiErrorMiddleware
_.DISPROPORTIONATE
_.IMPOSSIBLE
_.NO_LONGER_RECIPIENT
_.PermissionsPolicyMiddleware
_.STALE_MESSAGE
_.StrictJSONParser
_.access_log_format
_.accesslog
_.change_form_template
_.claimed_at
_.client_ready
_.consents
_.contested_categories
_.contested_fields
_.court_name
_.court_reference
_.dismiss_reason
_.emails_failing
_.emails_given_up
_.enqueued_at
_.guessed_type_label
_.handled_at
_.handled_by
_.is_overdue
_.items_to_triage
_.logger_class
_.next_attempt_at
_.next_retry_at
_.not_notified_note
_.post_worker_init
_.related_to
_.scheduled_by
_.specific
_.suggested_request
_.target_controller
_.target_controller_email
_.worded_kinds
_.worker
_._get_format_parameters  # drf-spectacular's hook, overridden
_._network_backend  # httpx's transport attribute, set for the address policy

# Single sign-on (requests_app.accounts.sso): mozilla-django-oidc calls the
# backend's and the views' hooks by name; settings name the backend and the
# middleware; the admin and update() name the field.
_.SsoBackend, _.SsoSessionMiddleware  # AUTHENTICATION_BACKENDS, MIDDLEWARE
_.store_tokens, _.verify_claims, _.filter_users_by_claims, _.update_user, _.login_failure
_._sso_refusal  # read back with getattr(request, REFUSAL_ATTR) in the callback view
_.last_sign_in_at  # SsoAccount: written with update(), shown in the admin
# Representatives (issue 18): form fields and serializer fields read by name (templates, the API's JSON
# keys, the form's data), model fields and choices read by templates, the purge and the admin.
_.on_behalf, _.representative_name, _.representative_email, _.mandate_document, _.mandate_statement
_.representative_fields  # templates/intake/form.html, templates/workspace/log_request.html
_.content_base64, _.has_document, _.checked_at, _.checked_by  # API serializers; the request page's panel
_.LAWYER, _.GUARDIAN, _.UNDER_13  # choices offered on the forms and in the API's enums
_.render_html  # the report as one HTML document: bench/bench_exports.py renders it bare, the floor of issue 17
# Read by templates: the release confirmation's summary (delivery/release.py),
# the review's groups, the plan rows' labels, the charts' tables, the grouped
# reads of the timeline, the plan serializer's notice state.
_.fields_withheld, _.files_ready, _.previewed_by, _.records_read_by, _.transmission_to
_.needs_transmission_decision, _.four_eyes, _.source_name, _.table_label, _.entity_label, _.category_label
_.table_head, _.table_rows, _.repeats, _.notice_sent
# config/cache.py: Django's RedisCache builds its client from the _class it names.
_._class
_.db  # dsar.core.together: Model._state.db, read by Django's related managers and routers
