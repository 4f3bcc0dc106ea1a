"""A spreadsheet export handed to its reader, with who took which data away in the audit log
(the export views are marked ``database.writes``)."""
from io import BytesIO

from flask import request, send_file

from coordination import client, spreadsheets
from coordination.audit.service import record


def record_export(session, actor, now, kind: str, name: str, extension: str) -> None:
    """Who took the export ``kind`` of ``name`` away, from which address and page."""
    record(session, "export_downloaded", now, actor=actor, address=client.address(),
           detail={"export": kind, "of": name, "format": extension, "path": request.path})


def download(session, actor, now, data: bytes, kind: str, name: str, extension: str):
    """The file ``data`` (CSV or XLSX by ``extension``) as an attachment named after ``kind`` and
    ``name``, its taking recorded; never kept by a shared cache, since it is reporting data."""
    record_export(session, actor, now, kind, name, extension)
    mimetype = spreadsheets.CSV_TYPE if extension == "csv" else spreadsheets.XLSX_TYPE
    response = send_file(BytesIO(data), mimetype=mimetype, as_attachment=True,
                         download_name=spreadsheets.filename(kind, name, extension))
    response.headers["Cache-Control"] = "private, no-store"
    return response
