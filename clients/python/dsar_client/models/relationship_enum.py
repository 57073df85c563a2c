from enum import StrEnum


class RelationshipEnum(StrEnum):
    GUARDIAN = "guardian"
    LAWYER = "lawyer"
    OTHER = "other"
    PARENT = "parent"

    def __str__(self) -> str:
        return str(self.value)
