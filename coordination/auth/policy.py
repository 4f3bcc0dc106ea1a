"""The permission policy: may this actor do this to this object?

Every door (web page, JSON API, command) asks here. Two questions, in order:

1. May the actor *see* the object at all? The tenant boundary is the country:
   an object of another country is treated as absent (404), so that its
   existence does not leak.
2. May the actor do the action? If not: 403.
"""
from collections.abc import Callable

from flask_babel import gettext

from coordination.errors import Forbidden, NotFound

_RULES: dict[str, Callable] = {}
_SIGHT: dict[str, Callable] = {}


def rule(action: str):
    def register(func):
        _RULES[action] = func
        return func

    return register


def sight(kind: str):
    """Register who may see objects of the class named ``kind``, where the country alone does
    not say it (the class is named, not imported: the policy sits below every feature)."""
    def register(func):
        _SIGHT[kind] = func
        return func

    return register


def may_see(actor, target) -> bool:
    """The tenant boundary. Directory objects are shared; a kind with a sight rule is seen as
    that rule says; the rest belongs to a country."""
    if target is None or getattr(target, "shared_directory", False):
        return True
    see = _SIGHT.get(type(target).__name__)
    if see is not None:
        return actor is not None and see(actor, target)
    country = getattr(target, "country_code", None)
    return country is None or actor.country_code == country


def may(actor, action: str, target=None) -> bool:
    if actor is None or not getattr(actor, "is_authenticated", False) or not actor.active:
        return False
    if action not in _RULES:
        raise KeyError(f"no permission rule for {action!r}")
    return may_see(actor, target) and bool(_RULES[action](actor, target))


def require(actor, action: str, target=None) -> None:
    """Raise NotFound when the target is out of the actor's sight, Forbidden when the
    action is not theirs; return quietly otherwise."""
    if target is not None and not may_see(actor, target):
        raise NotFound(gettext("There is no such page."))
    if not may(actor, action, target):
        raise Forbidden(gettext("You may not do this."))


def same_country(actor, target) -> bool:
    return actor.country_code is not None and actor.country_code == target.country_code


# -- directory -------------------------------------------------------------------------


@rule("directory.read")
def _directory_read(actor, target) -> bool:
    return True


@rule("directory.manage")
def _directory_manage(actor, target) -> bool:
    return actor.role == "admin"


@rule("mechanism.edit")
def _mechanism_edit(actor, country) -> bool:
    return actor.role == "coordinator" and same_country(actor, country)


# -- users -----------------------------------------------------------------------------


@rule("users.manage")
def _users_manage(actor, target) -> bool:
    return actor.role == "admin"


@rule("audit.read")
def _audit_read(actor, target) -> bool:
    return actor.role == "admin"


@rule("account.edit")
def _account_edit(actor, user) -> bool:
    return user is not None and actor.id == user.id


@rule("account.away")
def _account_away(actor, user) -> bool:
    """Away with a deputy: national users (a deputy is a colleague of the same ministry, or
    another coordinator of the same country), for their own account."""
    return user is not None and actor.id == user.id and actor.role in ("coordinator", "ministry_staff")


def must_enrol_mfa(actor, required_roles) -> bool:
    """True when the actor's role must use two-step sign-in (``MFA_REQUIRED_ROLES``) and the
    actor has not set it up: until then they reach the enrolment page and sign-out only."""
    return actor.role in required_roles and not actor.mfa_enabled


# -- action items ------------------------------------------------------------------------
# Visibility is the country (may_see): the secretariat, observers and the admin never see
# an item's content; they get 404, and the secretariat reads only counts (items.summary).

COORDINATOR_TRIGGERS = frozenset({"assign", "transfer", "approve", "send_back", "reopen", "cancel", "unblock"})
HOLDING_MINISTRY_TRIGGERS = frozenset({"accept", "decline", "hand_over", "block", "unblock", "submit"})


def is_coordinator_of(actor, target) -> bool:
    return actor.role == "coordinator" and same_country(actor, target)


def holds(actor, item) -> bool:
    return (actor.role == "ministry_staff" and item.ministry_id is not None
            and actor.ministry_id == item.ministry_id)


@rule("item.read")
def _item_read(actor, item) -> bool:
    return actor.role in ("coordinator", "ministry_staff")


@rule("item.create")
def _item_create(actor, target) -> bool:
    return actor.role == "coordinator" and actor.country_code is not None


@rule("item.edit")
def _item_edit(actor, item) -> bool:
    return is_coordinator_of(actor, item)


@rule("item.comment")
def _item_comment(actor, item) -> bool:
    if is_coordinator_of(actor, item) or holds(actor, item):
        return True
    return actor.role == "ministry_staff" and any(m.id == actor.ministry_id for m in item.supporters)


@rule("items.bulk")
def _items_bulk(actor, target) -> bool:
    """A step on many items at once: a coordinator, on their own country's items (each item is
    then checked by its own step's rule)."""
    return actor.role == "coordinator" and actor.country_code is not None


@rule("item.officer")
def _item_officer(actor, item) -> bool:
    """Name the item's officer: the coordinator, or staff of the holding ministry (taking it, or
    giving it to a colleague)."""
    return is_coordinator_of(actor, item) or holds(actor, item)


@rule("item.watch")
def _item_watch(actor, item) -> bool:
    """Watching an item (and being mentioned on it, which makes a watcher): whoever may read it."""
    return _item_read(actor, item)


@rule("item.mention")
def _item_mention(actor, item) -> bool:
    """The people a comment box suggests for a mention: for whoever may write the comment."""
    return _item_comment(actor, item)


@rule("items.summary")
def _items_summary(actor, target) -> bool:
    return actor.role in ("secretariat", "coordinator", "ministry_staff")


def may_fire(actor, item, trigger: str) -> bool:
    return (
        (trigger in COORDINATOR_TRIGGERS and is_coordinator_of(actor, item))
        or (trigger in HOLDING_MINISTRY_TRIGGERS and holds(actor, item))
    )


for _trigger in COORDINATOR_TRIGGERS | HOLDING_MINISTRY_TRIGGERS:
    _RULES[f"item.{_trigger}"] = lambda actor, item, _t=_trigger: may_fire(actor, item, _t)


# -- regional (cross-border) items ------------------------------------------------------------------
# The secretariat raises them and reads every part's state, holder and history. A member state
# named reads the regional item, the state of every part, and its own part in full (an action item
# of its own, read as any). Observers read regional items and their parts' states, as other
# regional data, never a part's content. Anybody else (another member state, the admin): 404.

@sight("RegionalItem")
def _see_regional_item(actor, regional) -> bool:
    if actor.country_code is not None:
        return actor.country_code in regional.country_codes
    return actor.role in ("secretariat", "observer")


@rule("regional.read")
def _regional_read(actor, regional) -> bool:
    return actor.role in ("secretariat", "observer", "coordinator", "ministry_staff")


@rule("regional.create")
def _regional_create(actor, target) -> bool:
    return actor.role == "secretariat"


@rule("regional.parts")
def _regional_parts(actor, regional) -> bool:
    """Every part's holder and history (the secretariat; a country reads its own part's on its item)."""
    return actor.role == "secretariat"


# -- regional reporting --------------------------------------------------------------------------
# Templates and cycles are regional and visible to all. A country report is visible to its
# country's users, and to the secretariat once submitted; to nobody else (404).

@sight("CountryReport")
def _see_report(actor, report) -> bool:
    if actor.country_code is not None:
        return actor.country_code == report.country_code
    return actor.role == "secretariat" and report.first_submitted_at is not None


@rule("templates.manage")
def _templates_manage(actor, target) -> bool:
    return actor.role == "secretariat"


@rule("cycles.manage")
def _cycles_manage(actor, target) -> bool:
    return actor.role == "secretariat"


@rule("cycles.read")
def _cycles_read(actor, target) -> bool:
    return actor.role != "admin"


@rule("report.read")
def _report_read(actor, report) -> bool:
    return actor.role in ("coordinator", "ministry_staff", "secretariat")


@rule("report.edit")
def _report_edit(actor, report) -> bool:
    return is_coordinator_of(actor, report)


@rule("report.assign")
def _report_assign(actor, report) -> bool:
    return is_coordinator_of(actor, report)


@rule("report.import")
def _report_import(actor, report) -> bool:
    """Importing values from a spreadsheet: the coordinator, or ministry staff of the country
    (each row then as for entering that value)."""
    return is_coordinator_of(actor, report) or (actor.role == "ministry_staff"
                                                and actor.country_code == report.country_code)


@rule("report.value")
def _report_value(actor, value) -> bool:
    """The coordinator of the country, or staff of the ministry holding the indicator's data
    request now (it follows the request through hand-overs and transfers)."""
    report = value.report
    if is_coordinator_of(actor, report):
        return True
    holder = value.holding_ministry_id
    return (actor.role == "ministry_staff" and actor.country_code == report.country_code
            and holder is not None and actor.ministry_id == holder)


def may_enter_value(actor, report, value) -> bool:
    """May the actor enter this indicator value of ``report``? ``value`` is None while nothing
    is entered nor assigned: nobody holds it then, so only the coordinator may."""
    if value is None:
        return may(actor, "report.edit", report)
    return may(actor, "report.value", value)


@rule("targets.read")
def _targets_read(actor, country) -> bool:
    """A country's floors and targets are its own: its users and the secretariat read them
    (others see them only inside a published cycle's comparison)."""
    return actor.role == "secretariat" or (actor.role in ("coordinator", "ministry_staff")
                                           and same_country(actor, country))


@rule("targets.edit")
def _targets_edit(actor, country) -> bool:
    return is_coordinator_of(actor, country)


for _trigger in ("start", "submit", "revise"):
    _RULES[f"report.{_trigger}"] = lambda actor, report: is_coordinator_of(actor, report)
for _trigger in ("accept", "send_back"):
    _RULES[f"report.{_trigger}"] = lambda actor, report: actor.role == "secretariat"


# -- reminders and notifications ------------------------------------------------------------
# A notification is its recipient's alone: another user's is out of sight (404).

@sight("Notification")
def _see_notification(actor, notification) -> bool:
    return actor.id == notification.user_id


@rule("notifications.read")
def _notifications_read(actor, notification) -> bool:
    return notification is None or notification.user_id == actor.id


@rule("outbox.manage")
def _outbox_manage(actor, target) -> bool:
    return actor.role == "admin"


# -- compliance and the regional comparison ------------------------------------------------------
# Compliance of a cycle: the totals are regional; the rows are every member state's for the
# secretariat, and for observers once the cycle is published (404 before); a member state's
# own users see their own row. A country's record across cycles: its own users and the
# secretariat (404 for everybody else). The comparison of a cycle: the secretariat always;
# member states and observers once it is published (404 before).

def _published(cycle) -> bool:
    return cycle is not None and cycle.state == "published"


@rule("compliance.read")
def _compliance_read(actor, cycle) -> bool:
    if actor.role in ("secretariat", "coordinator", "ministry_staff"):
        return True
    return actor.role == "observer" and _published(cycle)


@rule("compliance.read_all")
@rule("cycle.all_reports")
def _every_member_state(actor, cycle) -> bool:
    """Every member state's row of a cycle (its compliance; its report's state on the cycle's
    page, never the content): the secretariat, and observers once the cycle is published."""
    return actor.role == "secretariat" or (actor.role == "observer" and _published(cycle))


@rule("compliance.overview")
def _compliance_overview(actor, target) -> bool:
    """The compliance menu entry and its index of cycles."""
    return actor.role in ("secretariat", "observer", "coordinator")


@rule("compliance.scorecard")
def _compliance_scorecard(actor, target) -> bool:
    return actor.role in ("secretariat", "observer")


@rule("compliance.country")
def _compliance_country(actor, country) -> bool:
    return actor.role == "secretariat" or (actor.role in ("coordinator", "ministry_staff")
                                           and same_country(actor, country))


# -- coordination health -------------------------------------------------------------------------
# The coordination-health figures of a cycle: the secretariat every member state; a member
# state's users their own row; everybody (observers included) every row once the cycle is
# published; nobody else (404).

@rule("health.read")
def _health_read(actor, cycle) -> bool:
    return (actor.role in ("secretariat", "coordinator", "ministry_staff") or _published(cycle))


@rule("health.read_all")
def _health_read_all(actor, cycle) -> bool:
    return actor.role == "secretariat" or _published(cycle)


@rule("health.read_own")
def _health_read_own(actor, country) -> bool:
    """A member state's users read their own figures in every cycle, published or not."""
    return actor.role in ("coordinator", "ministry_staff") and same_country(actor, country)


@rule("comparison.read")
def _comparison_read(actor, cycle) -> bool:
    if actor.role == "secretariat":
        return True
    return actor.role in ("coordinator", "ministry_staff", "observer") and _published(cycle)


@rule("progress.read")
def _progress_read(actor, country) -> bool:
    return actor.role in ("secretariat", "coordinator", "ministry_staff", "observer")


@rule("progress.read_unpublished")
def _progress_read_unpublished(actor, country) -> bool:
    return actor.role == "secretariat" or (actor.role in ("coordinator", "ministry_staff")
                                           and same_country(actor, country))


# -- attachments (evidence documents) ---------------------------------------------------------------
# A file is seen by whoever may read the item or the report it is attached to (404 otherwise);
# attached by whoever may comment on the item or edit the report; hidden by its uploader or
# the coordinator of its country.

@sight("Attachment")
def _see_attachment(actor, attachment) -> bool:
    parent = attachment.parent
    reading = ("practice.read" if getattr(attachment, "practice_id", None) is not None
               else "meeting.read" if getattr(attachment, "meeting_id", None) is not None
               else "item.read" if attachment.item_id is not None else "report.read")
    return parent is not None and may(actor, reading, parent)


@rule("attachment.read")
def _attachment_read(actor, attachment) -> bool:
    return attachment is not None and not attachment.removed


@rule("item.attach")
def _item_attach(actor, item) -> bool:
    return _item_comment(actor, item)


@rule("report.attach")
def _report_attach(actor, report) -> bool:
    return _report_edit(actor, report)


@rule("attachment.remove")
def _attachment_remove(actor, attachment) -> bool:
    if attachment.removed:
        return False
    if getattr(attachment, "meeting_id", None) is not None:
        # A meeting's files are the mechanism's record: whoever may attach to it removes them.
        return attachment.meeting is not None and may(actor, "meeting.attach", attachment.meeting)
    return actor.id == attachment.uploaded_by_id or is_coordinator_of(actor, attachment)


# -- the network's recommendations and their assessments ---------------------------------------------
# A recommendation is read by every signed-in user and adopted by the secretariat. A country's
# assessment of one (AssessmentSlot: a country and a cycle, assessed or not yet) is seen by that
# country's users and the secretariat, and by everyone once the cycle is published (404 before);
# its coordinator rates it while the cycle is open, the secretariat validates it.

@sight("Assessment")
@sight("AssessmentSlot")
def _see_assessment(actor, slot) -> bool:
    return (actor.role == "secretariat" or (actor.country_code is not None and actor.country_code == slot.country_code)
            or _published(slot.cycle))


@rule("recommendations.read")
def _recommendations_read(actor, target) -> bool:
    return True


@rule("recommendations.manage")
def _recommendations_manage(actor, target) -> bool:
    return actor.role == "secretariat"


@rule("assessment.read")
def _assessment_read(actor, slot) -> bool:
    return True


@rule("assessment.assess")
def _assessment_assess(actor, slot) -> bool:
    return is_coordinator_of(actor, slot)


@rule("assessment.validate")
def _assessment_validate(actor, slot) -> bool:
    return actor.role == "secretariat"
# -- meetings and their decisions ------------------------------------------------------------------
# A national meeting (its country set) is read by that country's users and the secretariat; a
# regional one by every member state's users and the secretariat. Observers and the admin read
# neither (the minutes are the mechanisms' working papers): 404. The coordinator records and
# edits their country's meetings and their decisions; the secretariat the regional network's.

NETWORK_ROLES = ("coordinator", "ministry_staff")


@sight("Meeting")
def _see_meeting(actor, meeting) -> bool:
    if actor.role == "secretariat":
        return True
    if actor.role not in NETWORK_ROLES or actor.country_code is None:
        return False
    return meeting.country_code is None or meeting.country_code == actor.country_code


@rule("meeting.read")
def _meeting_read(actor, meeting) -> bool:
    return actor.role == "secretariat" or actor.role in NETWORK_ROLES


@rule("meetings.list")
def _meetings_list(actor, country) -> bool:
    """A country's meetings (``country``) or, None, the regional network's."""
    if actor.role == "secretariat":
        return True
    return actor.role in NETWORK_ROLES and (country is None or same_country(actor, country))


@rule("meeting.create")
def _meeting_create(actor, country) -> bool:
    """Record a meeting: of the coordinator's own mechanism (``country``), or (None) of the
    regional network by the secretariat."""
    if country is None:
        return actor.role == "secretariat"
    return is_coordinator_of(actor, country)


@rule("meeting.edit")
@rule("meeting.decide")
def _meeting_edit(actor, meeting) -> bool:
    """Edit a meeting and record its decisions: its creator's side."""
    if meeting.country_code is None:
        return actor.role == "secretariat"
    return is_coordinator_of(actor, meeting)


@rule("meeting.attach")
def _meeting_attach(actor, meeting) -> bool:
    """Files go on a national meeting only, by the coordinator who may edit it."""
    return meeting.country_code is not None and is_coordinator_of(actor, meeting)


def may_see_decision_state(actor, item) -> bool:
    """The state of a decision's item beside the decision on its meeting's page: the secretariat
    (a state, never the item itself), and the item's own country."""
    return actor.role == "secretariat" or (actor.country_code is not None and actor.country_code == item.country_code)
# -- good practices ----------------------------------------------------------------------------------
# A draft belongs to its country: its coordinators write it, its ministry staff read it; for
# everybody else it is absent (404). Once published every signed-in user reads it (observers
# included) and may ask a question below it; its country's coordinators edit it, attach files,
# withdraw it and answer the questions.

@sight("Practice")
def _see_practice(actor, practice) -> bool:
    return practice.state == "published" or (actor.role in ("coordinator", "ministry_staff")
                                             and same_country(actor, practice))


@rule("practice.read")
def _practice_read(actor, practice) -> bool:
    return True


@rule("practice.create")
def _practice_create(actor, target) -> bool:
    return actor.role == "coordinator" and actor.country_code is not None


@rule("practice.edit")
@rule("practice.attach")
@rule("practice.publish")
@rule("practice.withdraw")
def _practice_edit(actor, practice) -> bool:
    return is_coordinator_of(actor, practice)


@rule("practice.ask")
def _practice_ask(actor, practice) -> bool:
    return practice.state == "published"


@rule("practice.answer")
def _practice_answer(actor, practice) -> bool:
    return practice.state == "published" and is_coordinator_of(actor, practice)
