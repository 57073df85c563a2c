"""E-mails to the subject and to staff, triggered by workflow events."""
