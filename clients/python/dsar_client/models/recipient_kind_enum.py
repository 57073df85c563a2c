from enum import StrEnum


class RecipientKindEnum(StrEnum):
    AUTHORITY = "authority"
    CONTROLLER = "controller"
    PROCESSOR = "processor"

    def __str__(self) -> str:
        return str(self.value)
