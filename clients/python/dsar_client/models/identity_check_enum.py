from enum import StrEnum


class IdentityCheckEnum(StrEnum):
    ID_DOCUMENT = "id_document"
    IN_PERSON = "in_person"
    KNOWN_CONTACT = "known_contact"
    KNOWN_FACTS = "known_facts"
    OTHER = "other"

    def __str__(self) -> str:
        return str(self.value)
