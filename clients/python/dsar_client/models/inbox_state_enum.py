from enum import StrEnum


class InboxStateEnum(StrEnum):
    ATTACHED = "attached"
    CONVERTED = "converted"
    DISMISSED = "dismissed"
    NEW = "new"

    def __str__(self) -> str:
        return str(self.value)
