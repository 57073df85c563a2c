from enum import StrEnum


class ContactEnum(StrEnum):
    BOTH = "both"
    REPRESENTATIVE = "representative"
    SUBJECT = "subject"

    def __str__(self) -> str:
        return str(self.value)
