"""The audit trail's other half (the events themselves are written by
``requests_app.workflow``): the DPO's words for each kind of event
(``labels``) and the verification of the hash chain with its one sanctioned
cut (``chain``; the ``verify_audit_chain`` command runs it)."""
