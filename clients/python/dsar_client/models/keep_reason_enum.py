from enum import StrEnum


class KeepReasonEnum(StrEnum):
    ARCHIVING = "archiving"
    EXPRESSION = "expression"
    LEGAL_CLAIMS = "legal_claims"
    LEGAL_OBLIGATION = "legal_obligation"
    PUBLIC_HEALTH = "public_health"
    REFERENCED = "referenced"

    def __str__(self) -> str:
        return str(self.value)
