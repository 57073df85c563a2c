from enum import StrEnum


class LegalBasisEnum(StrEnum):
    CONSENT = "consent"
    CONTRACT = "contract"
    LEGAL_OBLIGATION = "legal_obligation"
    LEGITIMATE_INTERESTS = "legitimate_interests"
    PUBLIC_TASK = "public_task"
    VITAL_INTERESTS = "vital_interests"

    def __str__(self) -> str:
        return str(self.value)
