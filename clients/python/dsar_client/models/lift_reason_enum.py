from enum import StrEnum


class LiftReasonEnum(StrEnum):
    ACCURACY_VERIFIED = "accuracy_verified"
    CLAIMS_ENDED = "claims_ended"
    OBJECTION_ASSESSED = "objection_assessed"
    SUBJECT_CONSENTED = "subject_consented"

    def __str__(self) -> str:
        return str(self.value)
