from enum import StrEnum


class RestrictionGroundEnum(StrEnum):
    CONTESTED_ACCURACY = "contested_accuracy"
    LEGAL_CLAIMS = "legal_claims"
    PENDING_OBJECTION = "pending_objection"
    UNLAWFUL_PROCESSING = "unlawful_processing"

    def __str__(self) -> str:
        return str(self.value)
