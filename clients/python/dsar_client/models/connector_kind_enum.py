from enum import StrEnum


class ConnectorKindEnum(StrEnum):
    HTTP = "http"
    MANUAL = "manual"
    SQL = "sql"

    def __str__(self) -> str:
        return str(self.value)
