from enum import StrEnum


class PlanItemStatusEnum(StrEnum):
    DONE = "done"
    FAILED = "failed"
    PLANNED = "planned"
    SKIPPED = "skipped"
    WAITING = "waiting"

    def __str__(self) -> str:
        return str(self.value)
