"""Delimiter detection from the fixed-width ISA segment."""

from __future__ import annotations

from dataclasses import dataclass

from claimhouse.errors import DelimiterError

ISA_LENGTH = 106
"""The ISA segment is fixed width: 105 characters plus the segment terminator."""

# (element position, width) of ISA01..ISA16, and the offsets of the separators before them.
ISA_WIDTHS: tuple[int, ...] = (2, 10, 2, 10, 2, 15, 2, 15, 6, 4, 1, 5, 9, 1, 1, 1)
ISA_SEPARATOR_OFFSETS: tuple[int, ...] = (
    3, 6, 17, 20, 31, 34, 50, 53, 69, 76, 81, 83, 89, 99, 101, 103)
COMPONENT_OFFSET = 104
TERMINATOR_OFFSET = 105


@dataclass(frozen=True, slots=True)
class Delimiters:
    """The four X12 delimiters. ``repetition`` is ``None`` for versions before 00402."""

    element: str = "*"
    component: str = ":"
    segment: str = "~"
    repetition: str | None = "^"

    def __post_init__(self) -> None:
        chars = [self.element, self.component, self.segment]
        if self.repetition is not None:
            chars.append(self.repetition)
        for c in chars:
            if len(c) != 1:
                raise DelimiterError("a delimiter must be exactly one character")
            if c.isalnum() or c == " ":
                raise DelimiterError("a delimiter must not be a letter, digit or space")
        if len(set(chars)) != len(chars):
            raise DelimiterError("the delimiters must be distinct")

    @property
    def all(self) -> frozenset[str]:
        """Every delimiter character in use."""
        chars = {self.element, self.component, self.segment}
        if self.repetition is not None:
            chars.add(self.repetition)
        return frozenset(chars)


def _repetition_from(isa11: str, isa12: str, taken: set[str]) -> str | None:
    """ISA11 is the repetition separator from 00402 on; before, it is an identifier (U)."""
    if isa12[:5].isdigit() and isa12[:5] < "00402":
        return None
    if len(isa11) != 1 or isa11.isalnum() or isa11 == " " or isa11 in taken:
        return None
    return isa11


def detect_delimiters(
    text: str, *, source: str | None = None, offset: int = 0,
) -> tuple[Delimiters, int]:
    """Detect the delimiters of the ISA that starts ``text``.

    Returns the delimiters and the length of the ISA segment including its terminator. An
    ISA whose separators are off their fixed offsets is still read leniently (sixteen
    element separators, then ISA16, then the terminator) so the rest of the file can be
    tokenized; the envelope reader reports its mis-sized fields (``isa-field-width``).

    Raises :class:`DelimiterError` when no delimiters can be trusted at all.
    """
    if not text.startswith("ISA"):
        raise DelimiterError("the interchange does not start with ISA", source=source,
                             offset=offset)
    if len(text) < 4:
        raise DelimiterError("file ends inside the ISA segment", source=source, offset=offset)
    elem = text[3]
    if elem.isalnum() or elem in " \r\n":
        raise DelimiterError("the ISA element separator is a letter, digit, space or line end",
                             source=source, offset=offset + 3)
    strict = len(text) >= ISA_LENGTH and all(text[i] == elem for i in ISA_SEPARATOR_OFFSETS)
    if strict:
        component = text[COMPONENT_OFFSET]
        terminator = text[TERMINATOR_OFFSET]
        isa_len = ISA_LENGTH
        fields = text[4:COMPONENT_OFFSET - 1].split(elem)
    else:
        # Lenient: sixteen separators (the one at offset 3 and fifteen more), then ISA16,
        # then the terminator.
        pos = 3
        seps: list[int] = []
        limit = min(len(text), 4096)
        while len(seps) < 15:
            nxt = text.find(elem, pos + 1, limit)
            if nxt < 0:
                if len(text) < ISA_LENGTH:
                    raise DelimiterError("file ends inside the ISA segment (premature end)",
                                         source=source, offset=offset + len(text))
                raise DelimiterError("the ISA does not have sixteen elements",
                                     source=source, offset=offset)
            seps.append(nxt)
            pos = nxt
        last = seps[-1]
        if last + 2 >= len(text):
            raise DelimiterError("file ends inside the ISA segment (premature end)",
                                 source=source, offset=offset + len(text))
        component = text[last + 1]
        terminator = text[last + 2]
        isa_len = last + 3
        bounds = [3, *seps]
        fields = [text[bounds[i] + 1 : bounds[i + 1]] for i in range(15)]
    if terminator in "\r\n":
        # Either a file terminated by line ends, or one that puts a line end *before* each
        # terminator: then the first character after the line end is the real terminator.
        k = isa_len
        while k < len(text) and text[k] in "\r\n":
            k += 1
        if k < len(text) and not text[k].isalnum() and text[k] not in " \t" and text[k] != elem:
            terminator = text[k]
            isa_len = k + 1
    if terminator in "\r\n" and component in "\r\n":
        raise DelimiterError("the ISA has no component separator", source=source,
                             offset=offset + isa_len - 2)
    for ch, what in ((component, "component separator"), (terminator, "segment terminator")):
        if ch.isalnum() or ch == " ":
            raise DelimiterError(f"the ISA {what} is a letter, digit or space",
                                 source=source, offset=offset + isa_len - 1)
    if len({elem, component, terminator}) != 3:
        raise DelimiterError("the ISA delimiters collide (two delimiters are the same character)",
                             source=source, offset=offset + isa_len - 1)
    isa11 = fields[10] if len(fields) > 10 else ""
    isa12 = fields[11] if len(fields) > 11 else ""
    repetition = _repetition_from(isa11, isa12, {elem, component, terminator})
    return Delimiters(elem, component, terminator, repetition), isa_len
