"""The upload form of an item's or a report's files."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import SelectField, StringField, SubmitField
from wtforms.validators import Length

from coordination.attachments.schemas import DESCRIPTION_MAX


class UploadForm(FlaskForm):
    file = FileField(_l("File"), description=_l(
        "PDF, Word, Excel, PowerPoint, OpenDocument, CSV, plain text, PNG or JPEG; at most %(limit)s MB."))
    description = StringField(_l("What it is (optional)"), validators=[Length(max=DESCRIPTION_MAX)])
    submit = SubmitField(_l("Upload the file"))

    def with_limit(self, max_bytes: int):
        self.file.description = self.file.description % {"limit": round(max_bytes / (1024 * 1024))}
        return self

    def service_data(self) -> dict:
        return {"description": self.description.data or ""}


class ReportUploadForm(UploadForm):
    indicator_code = SelectField(_l("Evidence for"), choices=[])

    def set_indicators(self, indicators):
        self.indicator_code.choices = [("", _l("The whole report"))] + [
            (i.code, f"{i.code}: {i.name}") for i in indicators]
        return self

    def service_data(self) -> dict:
        return super().service_data() | {"indicator_code": self.indicator_code.data or ""}
