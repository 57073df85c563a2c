from enum import StrEnum


class RequestStatusEnum(StrEnum):
    APPROVED = "approved"
    AWAITING_SUBJECT = "awaiting_subject"
    CANCELLED = "cancelled"
    CLOSED = "closed"
    EXPIRED = "expired"
    FORWARDED = "forwarded"
    FULFILLED = "fulfilled"
    IN_REVIEW = "in_review"
    NEW = "new"
    PROCESSING = "processing"
    REJECTED = "rejected"
    UNVERIFIED = "unverified"

    def __str__(self) -> str:
        return str(self.value)
