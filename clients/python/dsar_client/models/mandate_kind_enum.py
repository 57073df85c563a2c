from enum import StrEnum


class MandateKindEnum(StrEnum):
    DOCUMENT = "document"
    STATEMENT = "statement"

    def __str__(self) -> str:
        return str(self.value)
