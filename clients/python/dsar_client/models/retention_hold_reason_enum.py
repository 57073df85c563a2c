from enum import StrEnum


class RetentionHoldReasonEnum(StrEnum):
    AUTHORITY_COMPLAINT = "authority_complaint"
    COURT_PROCEEDINGS = "court_proceedings"
    OTHER = "other"

    def __str__(self) -> str:
        return str(self.value)
