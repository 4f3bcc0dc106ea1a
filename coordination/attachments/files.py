"""What a file is, judged by its content and never by its name; names made safe to store and to
send back; the Content-Disposition of a download (RFC 6266)."""
import codecs
import re
import unicodedata
import zipfile
from dataclasses import dataclass
from urllib.parse import quote

import filetype

from coordination.i18n import N_

NAME_MAX = 200  # characters of a stored file name
EXTENSION_MAX = 16  # characters of an extension kept when a long name is shortened
FALLBACK_NAME = "attachment"

PDF = "application/pdf"
PNG = "image/png"
JPEG = "image/jpeg"
CSV = "text/csv; charset=utf-8"
TEXT = "text/plain; charset=utf-8"
OOXML = {
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml":
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml":
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml":
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
}
OPENDOCUMENT = ("application/vnd.oasis.opendocument.text", "application/vnd.oasis.opendocument.spreadsheet",
                "application/vnd.oasis.opendocument.presentation")
# What the messages name as accepted (the same in every language: these are format names).
ACCEPTED_NAMES = "PDF, Word/Excel/PowerPoint (docx, xlsx, pptx), OpenDocument (odt, ods, odp), CSV, " \
                 "plain text (UTF-8), PNG, JPEG"
UNSUPPORTED = N_("This type of file is not accepted. Accepted: %(types)s.")

_ZIP_MAGIC = b"PK\x03\x04"
_CONTENT_TYPES_MAX = 1024 * 1024  # what is read of [Content_Types].xml at most (no zip bomb)
_OVERRIDE = re.compile(r'ContentType="([^"]+)"')


@dataclass(frozen=True)
class Judgement:
    content_type: str | None  # None: not accepted


def _zip_type(stream) -> str | None:
    """The OOXML or OpenDocument type of a zip archive, or None (another archive, or broken)."""
    stream.seek(0)
    try:
        with zipfile.ZipFile(stream) as archive:
            names = set(archive.namelist())
            if "mimetype" in names:
                with archive.open("mimetype") as entry:
                    declared = entry.read(100).decode("ascii", "replace").strip()
                return declared if declared in OPENDOCUMENT else None
            if "[Content_Types].xml" in names:
                with archive.open("[Content_Types].xml") as entry:
                    listed = entry.read(_CONTENT_TYPES_MAX).decode("utf-8", "replace")
                found = [OOXML[t] for t in _OVERRIDE.findall(listed) if t in OOXML]
                return found[0] if len(set(found)) == 1 else None
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, KeyError, ValueError,
            NotImplementedError, RuntimeError):
        return None
    return None


def _is_text(stream, chunk: int) -> bool:
    """Valid UTF-8 (a byte-order mark allowed) without NUL or other control characters than
    tab, line feed, carriage return and form feed."""
    stream.seek(0)
    decoder = codecs.getincrementaldecoder("utf-8")()
    while True:
        data = stream.read(chunk)
        try:
            text = decoder.decode(data, final=not data)
        except UnicodeDecodeError:
            return False
        if any(ord(c) < 32 and c not in "\t\n\r\f" for c in text):
            return False
        if not data:
            return True


def judge(stream, filename: str, chunk: int = 1024 * 1024) -> Judgement:
    """The content type of the file in ``stream`` (seekable) if it is of an accepted kind."""
    stream.seek(0)
    head = stream.read(8192)
    kind = filetype.guess(head) if head else None
    mime = kind.mime if kind is not None else None
    if mime in (PDF, PNG, JPEG):
        return Judgement(mime)
    if head.startswith(_ZIP_MAGIC):
        return Judgement(_zip_type(stream))
    if mime is None and _is_text(stream, chunk):
        return Judgement(CSV if filename.lower().endswith(".csv") else TEXT)
    return Judgement(None)


_UNSAFE = re.compile(r"[\x00-\x1f\x7f]")


def safe_filename(raw: str | None) -> str:
    """``raw`` as a name to store: no folder parts, no control or format characters, no leading
    dots, at most NAME_MAX characters keeping the extension; FALLBACK_NAME when nothing is left."""
    name = unicodedata.normalize("NFC", raw or "")
    name = re.split(r"[/\\]", name)[-1]
    name = "".join(c for c in name if unicodedata.category(c) not in ("Cc", "Cf", "Cs", "Zl", "Zp"))
    name = _UNSAFE.sub("", name).strip().lstrip(".").strip()
    if not name:
        return FALLBACK_NAME
    if len(name) > NAME_MAX:
        stem, dot, extension = name.rpartition(".")
        if dot and stem and 0 < len(extension) <= EXTENSION_MAX:
            name = stem[:NAME_MAX - len(extension) - 1].rstrip() + "." + extension
        else:
            name = name[:NAME_MAX]
    return name


def content_disposition(filename: str) -> str:
    """``attachment`` with an ASCII ``filename`` and the exact one as ``filename*`` (RFC 6266)."""
    ascii_name = unicodedata.normalize("NFKD", filename).encode("ascii", "ignore").decode("ascii")
    ascii_name = re.sub(r'[^A-Za-z0-9._ ()\-]', "_", ascii_name).strip() or FALLBACK_NAME
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename, safe='')}"
