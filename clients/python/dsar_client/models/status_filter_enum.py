from enum import StrEnum


class StatusFilterEnum(StrEnum):
    ALL = "all"
    APPROVED = "approved"
    AWAITING_SUBJECT = "awaiting_subject"
    CANCELLED = "cancelled"
    CLOSED = "closed"
    EXPIRED = "expired"
    FORWARDED = "forwarded"
    FULFILLED = "fulfilled"
    IN_REVIEW = "in_review"
    NEW = "new"
    OPEN = "open"
    PROCESSING = "processing"
    REJECTED = "rejected"
    UNVERIFIED = "unverified"

    def __str__(self) -> str:
        return str(self.value)
