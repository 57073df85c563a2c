from enum import StrEnum


class ChannelEnum(StrEnum):
    API = "api"
    EMAIL = "email"
    IN_PERSON = "in_person"
    LETTER = "letter"
    PHONE = "phone"
    WEB = "web"

    def __str__(self) -> str:
        return str(self.value)
