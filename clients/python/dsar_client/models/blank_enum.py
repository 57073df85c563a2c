from enum import StrEnum


class BlankEnum(StrEnum):
    EMPTY = ""

    def __str__(self) -> str:
        return str(self.value)
