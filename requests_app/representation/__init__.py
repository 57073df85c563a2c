"""Requests made by a representative: a lawyer, a parent of a minor, a guardian,
another person with a mandate (issue 18). The mandate, its check by the DPO,
and to whom the desk's e-mails go."""
