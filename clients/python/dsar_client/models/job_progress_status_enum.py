from enum import StrEnum


class JobProgressStatusEnum(StrEnum):
    DONE = "done"
    FAILED = "failed"
    PARTIAL = "partial"
    PENDING = "pending"
    RUNNING = "running"

    def __str__(self) -> str:
        return str(self.value)
