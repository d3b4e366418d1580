"""X12 syntax: delimiters, the streaming tokenizer, envelopes and the segment writer.

Knows nothing of healthcare: it reads and writes any X12 interchange.
"""

from claimhouse.x12._codes import ENVELOPE_CODES, FindingCode
from claimhouse.x12._control import (
    Clock,
    ControlNumbers,
    FileControlNumbers,
    SequentialControlNumbers,
    fixed_clock,
    system_clock,
)
from claimhouse.x12._delimiters import ISA_LENGTH, Delimiters, detect_delimiters
from claimhouse.x12._envelope import (
    EnvelopeReader,
    GroupInfo,
    ImplementationVersion,
    InterchangeInfo,
    TransactionSet,
    TransactionSetInfo,
    read_envelopes,
)
from claimhouse.x12._findings import Finding, Location, Severity
from claimhouse.x12._tokenizer import Segment, Source, Tokenizer, tokenize
from claimhouse.x12._writer import Element, EnvelopeWriter, InterchangeHeader, SegmentWriter

__all__ = [
    "ENVELOPE_CODES",
    "ISA_LENGTH",
    "Clock",
    "ControlNumbers",
    "Delimiters",
    "Element",
    "EnvelopeReader",
    "EnvelopeWriter",
    "FileControlNumbers",
    "Finding",
    "FindingCode",
    "GroupInfo",
    "ImplementationVersion",
    "InterchangeHeader",
    "InterchangeInfo",
    "Location",
    "Segment",
    "SegmentWriter",
    "SequentialControlNumbers",
    "Severity",
    "Source",
    "Tokenizer",
    "TransactionSet",
    "TransactionSetInfo",
    "detect_delimiters",
    "fixed_clock",
    "read_envelopes",
    "system_clock",
    "tokenize",
]
