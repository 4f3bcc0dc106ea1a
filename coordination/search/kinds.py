"""The kinds of record the search finds: their label and the page a result opens.

A later feature adds its kind here (say ``"practice"``: a published good practice, its entry
``public``), its branch to index._follow and index.refill, and nothing else: the query, the
page and the API read this table."""
from dataclasses import dataclass

from coordination.i18n import N_


@dataclass(frozen=True)
class Kind:
    label: str       # marked with N_, translated where shown
    endpoint: str    # the page of one record
    argument: str    # its id's name in the endpoint


KINDS = {
    "item": Kind(N_("Action item"), "items.show_item", "item_id"),
    "report": Kind(N_("Country report"), "reporting.show_report", "report_id"),
    "practice": Kind(N_("Good practice"), "practices.show_practice", "practice_id"),
}
