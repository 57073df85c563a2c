"""The data subject's side: the public request form, e-mail verification,
the acknowledgement and the subject's status page."""
