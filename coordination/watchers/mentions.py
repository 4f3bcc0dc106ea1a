"""Mentions in a comment: ``@`` followed by a colleague's e-mail address (``@ana@dswd.gov.ph``).
Only a user who may read the item counts; any other address (unknown, of another country, of
a role that may not read items) is plain text: it tells nobody and reveals nothing."""
import re

from sqlalchemy import select

from coordination.auth.models import User
from coordination.auth.policy import may

# An @ not inside a word, then an e-mail address; a full stop or comma after it ends it.
MENTION = re.compile(r"(?<![\w.+-])@([A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,})")
MAX_MENTIONS = 20  # addresses looked up per comment; the rest is plain text


def mentioned_addresses(text: str) -> list[str]:
    """The e-mail addresses mentioned in ``text``, lower case, each once, in order."""
    found: list[str] = []
    for match in MENTION.finditer(text or ""):
        address = match.group(1).lower()
        if address not in found:
            found.append(address)
        if len(found) == MAX_MENTIONS:
            break
    return found


def mentioned_users(session, item, actor, text: str) -> list[User]:
    """The users ``text`` mentions who may read ``item``, the actor aside, by id."""
    addresses = mentioned_addresses(text)
    if not addresses:
        return []
    users = session.scalars(select(User).where(User.email.in_(addresses), User.active.is_(True)).order_by(User.id))
    return [user for user in users if user.id != actor.id and may(user, "item.watch", item)]
