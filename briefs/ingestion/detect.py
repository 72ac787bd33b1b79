"""Which parser a file needs (extension checked against sniffed content) and text decoding."""

from __future__ import annotations

import codecs
import re
from enum import StrEnum
from pathlib import PurePath

from charset_normalizer import from_bytes

from briefs.errors import UnreadableFileError, UnsupportedTypeError

__all__ = [
    "ACCEPTED_EXTENSIONS",
    "Format",
    "decode_text",
    "detect_format",
    "format_for_filename",
]


class Format(StrEnum):
    TEXT = "text"
    MARKDOWN = "markdown"
    HTML = "html"
    PDF = "pdf"


_BY_EXTENSION = {
    ".txt": Format.TEXT,
    ".md": Format.MARKDOWN,
    ".markdown": Format.MARKDOWN,
    ".html": Format.HTML,
    ".htm": Format.HTML,
    ".pdf": Format.PDF,
}
ACCEPTED_EXTENSIONS: tuple[str, ...] = tuple(_BY_EXTENSION)

# Signatures of common binary formats people rename by mistake.
_BINARY_MAGIC = {
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
    b"PK\x03\x04": "a ZIP archive (or a Word/OpenDocument file)",
    b"\xd0\xcf\x11\xe0": "an old Microsoft Office file",
    b"\x1f\x8b": "a gzip archive",
    b"Rar!": "a RAR archive",
    b"7z\xbc\xaf": "a 7-Zip archive",
}
_HTML_START = re.compile(
    rb"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html)\b", re.I | re.S
)
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffd]")
_MAX_CONTROL_RATIO = 0.01
_CP1252_TIE = 0.05
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def _accepted_list() -> str:
    return ", ".join(ACCEPTED_EXTENSIONS[:-1]) + " or " + ACCEPTED_EXTENSIONS[-1]


def format_for_filename(filename: str) -> Format:
    """The format the extension promises; anything else is an UnsupportedTypeError."""
    suffix = PurePath(filename).suffix.lower()
    found = _BY_EXTENSION.get(suffix)
    if found is None:
        shown = f"'{suffix}'" if suffix else "without an extension"
        raise UnsupportedTypeError(
            f"'{filename}' is a file type I can't read ({shown}); send a {_accepted_list()} file."
        )
    return found


def detect_format(filename: str, data: bytes) -> Format:
    """The parser to use: the extension's promise, corrected by what the bytes really are."""
    declared = format_for_filename(filename)
    head = data[:2048]
    if head.lstrip().startswith(b"%PDF-"):
        return Format.PDF
    if declared is Format.PDF:
        raise UnreadableFileError(f"'{filename}' is named .pdf but is not a PDF file.")
    for magic, kind in _BINARY_MAGIC.items():
        if head.startswith(magic):
            raise UnreadableFileError(f"'{filename}' looks like {kind}, not a text document.")
    if declared is Format.TEXT and _HTML_START.match(head):
        return Format.HTML
    return declared


def decode_text(data: bytes, filename: str) -> str:
    """Bytes of a text format as str: BOM, then strict UTF-8, then charset-normalizer's guess.

    Binary junk (NUL bytes, control characters) is refused rather than decoded into noise.
    """
    text = _decode(data, filename)
    if text.startswith("\ufeff"):
        text = text[1:]
    sample = text[:200_000]
    if sample and len(_CONTROL_CHARS.findall(sample)) > _MAX_CONTROL_RATIO * len(sample):
        raise UnreadableFileError(f"'{filename}' looks like binary data, not text.")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _decode(data: bytes, filename: str) -> str:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError:
                break
    if b"\x00" in data[:65536]:
        raise UnreadableFileError(f"'{filename}' looks like binary data, not text.")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    matches = from_bytes(data[:1_000_000])
    best = matches.best()
    if best is None or best.encoding is None:
        raise UnreadableFileError(
            f"I couldn't work out the text encoding of '{filename}'; save it as UTF-8 and retry."
        )
    encoding = best.encoding
    # Short Western text fits several code pages equally well; Windows-1252 is by far the
    # likeliest, so it wins near-ties.
    for match in matches:
        if match.encoding == "cp1252" and match.chaos <= best.chaos + _CP1252_TIE:
            encoding = "cp1252"
    return data.decode(encoding, errors="replace")
