from enum import StrEnum


class InboxSourceEnum(StrEnum):
    FILE = "file"
    IMAP = "imap"
    WEBHOOK = "webhook"

    def __str__(self) -> str:
        return str(self.value)
