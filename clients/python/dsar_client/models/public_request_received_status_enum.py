from enum import StrEnum


class PublicRequestReceivedStatusEnum(StrEnum):
    RECEIVED = "received"

    def __str__(self) -> str:
        return str(self.value)
