"""What the two doors share: a file's download, and the body allowance of an upload."""
from flask import Response, stream_with_context

from coordination.attachments import files, service
from coordination.attachments.models import Attachment
from coordination.extensions import db

# The form around the file (its boundaries, the description, the CSRF token): taken on top of
# MAX_ATTACHMENT_BYTES by the upload addresses.
FORM_ALLOWANCE = 64 * 1024


def download(attachment: Attachment) -> Response:
    """The bytes, streamed a chunk at a time (never the whole file in memory), as an
    attachment of the stored type that no browser sniffs into another."""
    body = stream_with_context(service.chunks(db.session, attachment))
    response = Response(body, content_type=attachment.content_type)
    response.headers["Content-Disposition"] = files.content_disposition(attachment.filename)
    response.headers["Content-Length"] = str(attachment.size)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    return response
