from enum import StrEnum


class FeeGroundEnum(StrEnum):
    EXCESSIVE = "excessive"
    MANIFESTLY_UNFOUNDED = "manifestly_unfounded"

    def __str__(self) -> str:
        return str(self.value)
