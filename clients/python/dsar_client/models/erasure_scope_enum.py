from enum import StrEnum


class ErasureScopeEnum(StrEnum):
    ALL = "all"
    SPECIFIC = "specific"

    def __str__(self) -> str:
        return str(self.value)
