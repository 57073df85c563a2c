from enum import StrEnum


class ErasureGroundEnum(StrEnum):
    CHILD_SERVICE = "child_service"
    CONSENT_WITHDRAWN = "consent_withdrawn"
    LEGAL_OBLIGATION = "legal_obligation"
    NO_LONGER_NECESSARY = "no_longer_necessary"
    OBJECTION = "objection"
    UNLAWFUL = "unlawful"

    def __str__(self) -> str:
        return str(self.value)
