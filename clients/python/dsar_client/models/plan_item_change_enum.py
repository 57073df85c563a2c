from enum import StrEnum


class PlanItemChangeEnum(StrEnum):
    FIELDS = "fields"
    INCLUDE = "include"
    KEEP = "keep"
    LEAVE_OUT = "leave_out"

    def __str__(self) -> str:
        return str(self.value)
