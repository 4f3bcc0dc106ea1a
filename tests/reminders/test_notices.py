"""Event notices: written with the event, in its transaction, to the people it concerns."""
from helpers import api_token
from reminder_support import as_a_command, make_item, ministry, outbox, user

from coordination import clock
from coordination.auth.models import User
from coordination.extensions import db
from coordination.items import service

COORDINATOR, DSWD, DOLE = "coordinator.ph@example.org", "staff.ph.dswd@example.org", "staff.ph.dole@example.org"


def fire(client, headers, item_id, trigger, version, **extra):
    return client.post(f"/api/v1/items/{item_id}/transitions",
                       json={"trigger": trigger, "version": version, **extra}, headers=headers)


def notices(session):
    emails = {}
    result = []
    for row in outbox(session, kind="notice"):
        if row.user_id not in emails:
            emails[row.user_id] = row.user.email
        result.append((emails[row.user_id], row.event))
    return result


def test_each_step_tells_the_ministry_or_the_coordinator_it_lands_with(client, session):
    tokens = {email: api_token(client, email) for email in (COORDINATOR, DSWD, DOLE)}
    item = make_item(session, state="draft", title="Unify the targeting database")
    dole = ministry(session, "PH", "DOLE").id
    body = fire(client, tokens[COORDINATOR], item.id, "assign", item.version).get_json()
    assert notices(session) == [(DSWD, "assign")]
    body = fire(client, tokens[DSWD], item.id, "accept", body["version"]).get_json()
    body = fire(client, tokens[DSWD], item.id, "hand_over", body["version"], ministry_id=dole,
                comment="Labour data is theirs").get_json()
    assert notices(session)[-1] == (DOLE, "hand_over")
    body = fire(client, tokens[DOLE], item.id, "accept", body["version"]).get_json()
    body = fire(client, tokens[DOLE], item.id, "submit", body["version"], comment="Done").get_json()
    assert notices(session)[-1] == (COORDINATOR, "submit")
    body = fire(client, tokens[COORDINATOR], item.id, "send_back", body["version"], comment="Add the pilot").get_json()
    assert notices(session)[-1] == (DOLE, "send_back")
    assert len(notices(session)) == 4  # accepting tells nobody
    row = outbox(session, kind="notice")[-1]
    assert row.title == "Sent back to you: Unify the targeting database"
    assert "National Coordinator, Philippines" in row.body and "Add the pilot" in row.body
    assert (row.url, row.subject_type, row.subject_id, row.offset_days) == (f"/items/{item.id}", "item", item.id, None)
    assert row.status == "pending"


def test_a_transfer_and_a_decline_are_told_too(client, session):
    tokens = {email: api_token(client, email) for email in (COORDINATOR, DSWD)}
    item = make_item(session, state="assigned")
    body = fire(client, tokens[DSWD], item.id, "decline", item.version, comment="Not ours").get_json()
    assert notices(session) == [(COORDINATOR, "decline")]
    fire(client, tokens[COORDINATOR], item.id, "transfer", body["version"], comment="DOLE then",
         ministry_id=ministry(session, "PH", "DOLE").id)
    assert notices(session)[-1] == (DOLE, "transfer")


def test_a_refused_transition_writes_no_notice(client, session):
    tokens = {email: api_token(client, email) for email in (COORDINATOR, DSWD)}
    item = make_item(session, state="draft")
    assert fire(client, tokens[COORDINATOR], item.id, "assign", item.version + 5).status_code == 409
    assert fire(client, tokens[DSWD], item.id, "assign", item.version).status_code == 403
    assert notices(session) == []


def test_notices_are_written_in_the_events_transaction(app, session):
    """The notice is part of the unit of work: rolled back with it, committed with it."""
    item = make_item(session, state="draft")
    coordinator_id = user(session, COORDINATOR).id

    def assign(commit):
        with app.app_context():
            actor = db.session.get(User, coordinator_id)
            service.fire_trigger(db.session, actor, item.id, "assign", item.version, clock.now())
            db.session.commit() if commit else db.session.rollback()

    as_a_command(assign, False)
    assert notices(session) == []
    as_a_command(assign, True)
    assert notices(session) == [(DSWD, "assign")]
