from enum import StrEnum


class SettleNoticeReasonEnum(StrEnum):
    DISPROPORTIONATE = "disproportionate"
    IMPOSSIBLE = "impossible"
    NO_LONGER_RECIPIENT = "no_longer_recipient"

    def __str__(self) -> str:
        return str(self.value)
