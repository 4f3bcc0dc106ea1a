"""Replies and the query of a report's submissions (API.md "Second round: reporting data",
"Submissions")."""
from datetime import datetime

import pydantic

from coordination.i18n import N_
from coordination.reporting.schemas import Value
from coordination.schemas import Reply, Schema, whole_number

SINCE = N_("Send the number of a submission of this report (a whole number from 1).")


class ChangesQuery(Schema):
    since: whole_number(SINCE, minimum=1, maximum=10**6, from_text=True) = pydantic.Field(
        description="the number of the submission to compare the values of now with")


class Submission(Reply):
    number: int = pydantic.Field(description="1 for the first submission, 2 for the next, ...")
    submitted_at: datetime
    actor: int | None = pydantic.Field(description="the user id of who submitted")


class SubmissionValues(Submission):
    values: list[Value] = pydantic.Field(description="every indicator of the template, as submitted")


class Change(Reply):
    indicator_code: str
    before: Value = pydantic.Field(description="as submission `since` held it")
    after: Value = pydantic.Field(description="as the report holds it now")
