"""Retention of the desk's own records (Art. 5(1)(e) storage limitation,
weighed against Art. 5(2) accountability).

The law fixes no period for a DSAR desk's records. Two settings do:

- ``DSAR_PAYLOAD_RETENTION_DAYS`` (90) after a request ended, its payloads go:
  identity, free text, messages and their attachments (identity documents
  among them), notes, e-mail texts, the data gathered and the copies made
  (``workflow.purge_personal_data``). The reference, type, dates, outcome and
  the audit trail stay, to show what was done and when.
- ``DSAR_RECORD_RETENTION_YEARS`` (5) after it ended, that record goes too
  (``workflow.delete_records``).

A request ends when it is fulfilled (released), closed, rejected, cancelled
or expired; the periods run from the moment it entered that status. A request
whose download link still works, or whose manual tasks are still open, waits:
the subject may still fetch their copy, and a person still needs the
identifiers to finish the work.

A request under a retention hold (``models.RetentionHold``: a complaint with
the supervisory authority, a court case, an inquiry) is skipped by both steps,
however long ago it ended, and counted as ``held`` in the run's summary. The
DPO places and lifts holds; once lifted, the periods apply again from the
request's end, so one that ended long ago goes at the next run.

Why the record deletion cuts the audit chain at a signed checkpoint instead
of asking the DPO to confirm each deletion: the events themselves hold no
personal data, but they tie a reference to dates and staff names for as long
as they exist, and a confirmation step that nobody takes keeps them forever,
which is the failure this module exists to prevent. A checkpoint keeps the
chain verifiable (``requests_app.audit.chain``): ``verify_audit_chain`` still
detects any other edit or deletion, and the checkpoint itself, HMAC-signed,
says how many events were removed, the hash they ended on, under which
period. The request row stays as an empty shell (reference, type, status,
channel, language, dates) so that the reference is never reused, the
numbering has no unexplained gaps and the yearly figures stay whole.

Both steps are idempotent, work in batches (each request in its own
transaction) and record one audit event per request.
"""
