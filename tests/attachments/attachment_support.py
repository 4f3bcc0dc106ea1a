"""Files of every accepted kind, and helpers the attachment tests share."""
import io
import struct
import zipfile
import zlib

from helpers import PDF_BYTES

MIB = 1024 * 1024


def png_bytes() -> bytes:
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00")) + chunk(b"IEND", b""))


JPEG_BYTES = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"
EXE_BYTES = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48 + b"PE\x00\x00"


def zipped(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def ooxml(main_type: str) -> bytes:
    types = (f'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
             f'<Override PartName="/main.xml" ContentType="{main_type}"/></Types>')
    return zipped({"[Content_Types].xml": types.encode(), "main.xml": b"<x/>"})


DOCX = ooxml("application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml")
ODT = zipped({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<x/>"})


def xlsx_bytes() -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    book.active["A1"] = "Coverage"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


ACCEPTED = [
    ("evidence.pdf", PDF_BYTES, "application/pdf"),
    ("scan.png", png_bytes(), "image/png"),
    ("photo.jpg", JPEG_BYTES, "image/jpeg"),
    ("note.docx", DOCX, "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ("figures.xlsx", xlsx_bytes(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ("minutes.odt", ODT, "application/vnd.oasis.opendocument.text"),
    ("figures.csv", "région,valeur\nMindanao,12.5\n".encode(), "text/csv; charset=utf-8"),
    ("readme.txt", "Hồ sơ đính kèm\n".encode(), "text/plain; charset=utf-8"),
]
REFUSED = [
    ("setup.pdf", EXE_BYTES),  # an .exe renamed .pdf
    ("archive.docx", zipped({"word/document.xml": b"<x/>"})),  # a zip without OOXML content types
    ("old.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504),  # legacy Office (OLE)
    ("binary.txt", b"text\x00with a NUL"),
    ("latin1.csv", "caf\xe9,1\n".encode("latin-1")),
    ("image.gif", b"GIF89a\x01\x00\x01\x00\x00\x00\x00;"),
]


def upload(client, path, headers, name, data, **fields):
    return client.post(path, headers=headers, content_type="multipart/form-data",
                       data={"file": (io.BytesIO(data), name), **fields})


def new_item(client, coordinator, ministry_id, title="Evidence wanted") -> int:
    """An action item of the Philippines assigned to ``ministry_id``; its id."""
    item = client.post("/api/v1/items", headers=coordinator, json={
        "title": title, "due_date": "2027-03-31", "ministry_id": ministry_id}).get_json()
    response = client.post(f"/api/v1/items/{item['id']}/transitions", headers=coordinator,
                           json={"trigger": "assign", "version": item["version"], "ministry_id": ministry_id})
    assert response.status_code == 200, response.get_json()
    return item["id"]
