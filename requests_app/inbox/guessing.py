"""Which right an e-mail asks for, and in which language, guessed from its words.

Only a suggestion: the DPO confirms the right when turning the e-mail into a
request. Subjects need not name the article (EDPB Guidelines 01/2022, para.
50), so everyday words count as much as article numbers.
"""

from __future__ import annotations

import re

from requests_app.models import RequestType

# Word stems per right, in nl, fr, de and en. Matched at a word start.
_STEMS: dict[str, tuple[str, ...]] = {
    RequestType.ACCESS: (
        "access",
        "copy of my",
        "what data",
        "which data",
        "subject access",
        "inzage",
        "kopie van mijn",
        "welke gegevens",
        "accès",
        "acces ",
        "copie de mes",
        "quelles données",
        "auskunft",
        "kopie meiner",
        "welche daten",
    ),
    RequestType.ERASURE: (
        "delete",
        "erase",
        "erasure",
        "forgotten",
        "remove my",
        "verwijder",
        "wissen",
        "wis mijn",
        "vergeten te worden",
        "supprim",
        "effac",
        "oubli",
        "lösch",
        "loesch",
        "vergessen",
    ),
    RequestType.RECTIFICATION: (
        "rectif",
        "correct",
        "wrong address",
        "update my",
        "verbeter",
        "correctie",
        "aanpass",
        "foutie",
        "corrig",
        "erron",
        "berichtig",
        "korrigier",
        "falsch",
    ),
    RequestType.PORTABILITY: (
        "portab",
        "transfer my data",
        "machine-readable",
        "overdraagbaar",
        "overdracht",
        "portabilit",
        "transférer mes",
        "übertrag",
        "datenübertrag",
    ),
    RequestType.OBJECTION: (
        "object to",
        "objection",
        "stop using",
        "bezwaar",
        "oppos",
        "widerspruch",
        "widerspreche",
    ),
    RequestType.RESTRICTION: (
        "restrict",
        "beperk",
        "limitation",
        "limiter",
        "einschränk",
    ),
    RequestType.WITHDRAWAL: (
        "withdraw my consent",
        "withdraw consent",
        "toestemming in",
        "trek mijn toestemming",
        "retire mon consentement",
        "retirer mon consentement",
        "retrait de mon consentement",
        "einwilligung",
        "widerrufe",
    ),
}
_ARTICLES = {
    "15": RequestType.ACCESS, "16": RequestType.RECTIFICATION, "17": RequestType.ERASURE,
    "18": RequestType.RESTRICTION, "20": RequestType.PORTABILITY, "21": RequestType.OBJECTION,
}  # fmt: skip
_ARTICLE = re.compile(r"\b(?:art(?:ikel|icle|\.)?|§)\s*(15|16|17|18|20|21)\b", re.I)

_COMMON_WORDS = {
    "nl": {"de", "het", "een", "ik", "mijn", "gegevens", "graag", "van", "en", "u", "uw", "wil", "met", "vriendelijke"},
    "fr": {"le", "la", "les", "je", "mes", "données", "vous", "bonjour", "de", "et", "mon", "votre", "cordialement"},
    "de": {"der", "die", "das", "ich", "meine", "daten", "bitte", "und", "sie", "ihre", "mit", "freundlichen"},
    "en": {"the", "my", "i", "data", "please", "and", "you", "your", "to", "of", "regards", "would"},
}


def guess_right(text: str) -> str:
    """The most likely ``RequestType`` value, or "" when nothing points to one."""
    lowered = f" {text.lower()} "
    scores: dict[str, int] = {}
    for right, stems in _STEMS.items():
        hits = sum(len(re.findall(r"(?<!\w)" + re.escape(stem), lowered)) for stem in stems)
        if hits:
            scores[right] = hits
    for number in _ARTICLE.findall(text):
        scores[_ARTICLES[number]] = scores.get(_ARTICLES[number], 0) + 3
    if not scores:
        return ""
    return max(scores, key=lambda right: scores[right])


def guess_language(text: str, default: str = "") -> str:
    words = re.findall(r"\w+", text.lower())
    counts = {language: sum(word in common for word in words) for language, common in _COMMON_WORDS.items()}
    best = max(counts, key=lambda language: counts[language])
    return best if counts[best] else default
