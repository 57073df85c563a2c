from enum import StrEnum


class PlanStatusEnum(StrEnum):
    APPROVED = "approved"
    DONE = "done"
    EXECUTING = "executing"
    FAILED = "failed"
    PARTIAL = "partial"
    PLANNING = "planning"
    READY = "ready"
    WAITING = "waiting"

    def __str__(self) -> str:
        return str(self.value)
