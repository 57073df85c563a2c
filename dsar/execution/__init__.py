"""Acting on the rights that change data: erasure, rectification, restriction,
objection and withdrawal. A plan is computed first (nothing changes), reviewed
and approved, then executed per connector, idempotently. See README.md."""
