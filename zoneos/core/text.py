"""Text as it comes in, made safe to store, in one place for every input: the API's parsers
(zoneos.core.rest), page forms and Open311 (zoneos.core.middleware.TextInputMiddleware), and imported
cells and file names (zoneos.tabular).

- Unicode NFC: the same name typed on two systems is stored the same way.
- Invisible and direction-changing characters are removed: zero-width space and joiners, the byte
  order mark, word joiner, the bidirectional embeddings, overrides and isolates (U+202A–U+202E,
  U+2066–U+2069) that make "exe.pdf" read as "fdp.exe".
- Control characters (C0 and C1, DEL) are refused, naming the field: they are never typed on purpose,
  PostgreSQL cannot store NUL, and xlsx cannot hold most of them. Tab, line feed and carriage return
  are text, and stay.
"""

import re
import unicodedata

from django.utils.translation import gettext as _

INVISIBLE = dict.fromkeys(
    [
        0x00AD,  # soft hyphen
        0x061C,  # Arabic letter mark
        0x180E,  # Mongolian vowel separator
        *range(0x200B, 0x2010),  # zero-width space, ZWNJ, ZWJ, LRM, RLM
        *range(0x202A, 0x202F),  # LRE, RLE, PDF, LRO, RLO
        *range(0x2060, 0x2065),  # word joiner, invisible operators
        *range(0x2066, 0x206A),  # LRI, RLI, FSI, PDI
        0xFEFF,  # byte order mark, zero-width no-break space
    ]
)
# Fields whose text is a secret compared byte for byte: normalising it would change it.
UNTOUCHED = ("password", "csrfmiddlewaretoken", "token", "secret", "api_key")


class ControlCharacter(ValueError):
    def __init__(self, character: str):
        self.character = character
        super().__init__(
            _("Remove the control character U+%(code)04X: it cannot be stored.") % {"code": ord(character)}
        )


CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")  # C0 but tab, LF, CR; DEL; C1


def control_character(value: str) -> str | None:
    match = CONTROL.search(value)
    return match.group(0) if match else None


def normalize(value: str) -> str:
    """NFC, without invisible or direction-changing characters."""
    if value.isascii():
        return value
    return unicodedata.normalize("NFC", value.translate(INVISIBLE))


def clean(value: str) -> str:
    """The text to store; ControlCharacter when it holds one."""
    value = normalize(value)
    character = control_character(value)
    if character is not None:
        raise ControlCharacter(character)
    return value


def clean_file_name(name: str) -> str:
    """An uploaded file's name as shown back: normalised, control characters dropped (the name is not
    typed in a form, so there is nothing to send back for correction)."""
    name = normalize(name)
    return "".join(c for c in name if c not in "\t\n\r" and control_character(c) is None)


def untouched(key) -> bool:
    return isinstance(key, str) and any(word in key.lower() for word in UNTOUCHED)


class BadText(ValueError):
    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field, self.message = field, message


def clean_data(value, path: str = ""):
    """Every string in parsed data (dicts, lists) cleaned; BadText naming the field path otherwise."""
    if isinstance(value, str):
        try:
            return clean(value)
        except ControlCharacter as exc:
            raise BadText(path or "non_field_errors", str(exc)) from None
    if isinstance(value, dict):
        return {
            key: item if untouched(key) else clean_data(item, f"{path}.{key}" if path else str(key))
            for key, item in value.items()
        }
    if isinstance(value, list):
        return [
            clean_data(item, f"{path}.{index}" if path else str(index)) for index, item in enumerate(value)
        ]
    return value


def clean_querydict(data):
    """A QueryDict (a form's fields) with every value cleaned; BadText naming the field otherwise."""
    cleaned = data.copy()
    for key, values in data.lists():
        if untouched(key):
            continue
        cleaned.setlist(key, [clean_data(v, key) if isinstance(v, str) else v for v in values])
    cleaned._mutable = False
    return cleaned
