"""What the watchers' endpoints answer."""
import pydantic

from coordination.schemas import Reply


class Watching(Reply):
    """Whether the user watches the item now, and who does."""

    item_id: int
    watching: bool = pydantic.Field(description="whether this user watches the item")
    watchers: list[int] = pydantic.Field(description="the ids of the users watching the item")
