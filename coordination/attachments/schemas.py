"""Attachments in the JSON API: the multipart form of an upload, and what is answered."""
from datetime import datetime

import pydantic

from coordination.i18n import N_
from coordination.schemas import Reply, Schema, checked, text

DESCRIPTION_MAX = 1000
DESCRIPTION = text(max_length=DESCRIPTION_MAX, messages={
    "type": N_("The description must be text."),
    "long": N_("The description may be at most 1000 characters long.")})
INDICATOR_CODE = text(max_length=50, messages={
    "type": N_("Send an indicator code of the report's template."),
    "long": N_("Send an indicator code of the report's template.")})
# The file part of the form: the service reads and judges it (its size, its content).
FILE = checked(lambda value: value, {"type": "string", "format": "binary"})


class ItemUpload(Schema):
    """``multipart/form-data``: the file and what it is."""

    file: FILE = pydantic.Field(description="the file; its type is judged by its content")
    description: DESCRIPTION = ""


class ReportUpload(ItemUpload):
    indicator_code: INDICATOR_CODE = pydantic.Field("", description="the indicator the file is evidence for, "
                                                                    "or empty for the whole report")


class Attachment(Reply):
    id: int
    filename: str
    size: int = pydantic.Field(description="bytes")
    content_type: str
    sha256: str
    description: str
    uploaded_by: int
    uploaded_at: datetime


class ReportAttachment(Attachment):
    indicator_code: str | None
    item_id: int | None = pydantic.Field(description="the data request the file came with, or null")


class AttachmentList(Reply):
    attachments: list[Attachment]


class ReportAttachmentList(Reply):
    attachments: list[ReportAttachment] = pydantic.Field(
        description="the report's own files, and those of its data requests the user may read")
