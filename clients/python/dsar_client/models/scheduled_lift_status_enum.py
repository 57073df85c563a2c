from enum import StrEnum


class ScheduledLiftStatusEnum(StrEnum):
    CANCELLED = "cancelled"
    DONE = "done"
    SCHEDULED = "scheduled"

    def __str__(self) -> str:
        return str(self.value)
