"""The search, from both sides: what a user may read is found by any word of it, in the
transaction that wrote it; what they may not read never comes back (the walk over every demo
role opens every result); any input answers results or none; the plan uses the full-text index."""
import importlib.util
from datetime import UTC, datetime

import pytest
from helpers import ROLE_USERS, Statements, api_token, sign_in
from sqlalchemy import select, text

from coordination import ROOT, clock
from coordination.auth.models import User
from coordination.auth.policy import may
from coordination.demo_activity import seed_activity
from coordination.extensions import db
from coordination.items import service
from coordination.items.models import ActionItem
from coordination.practices.models import Practice
from coordination.reporting import cycles
from coordination.reporting.models import CountryReport, MonitoringTemplate, Narrative, ReportingCycle
from coordination.search import queries
from coordination.search.models import SearchEntry

NOW = datetime(2027, 3, 17, 2, 0, tzinfo=UTC)
COORDINATOR, STAFF, SECRETARIAT = ROLE_USERS["coordinator"], ROLE_USERS["ministry_staff"], ROLE_USERS["secretariat"]
ELSEWHERE = ROLE_USERS["coordinator_elsewhere"]


@pytest.fixture(autouse=True)
def fixed_clock(monkeypatch):
    monkeypatch.setattr(clock, "now", lambda: NOW)


def user(session, email) -> User:
    return session.scalar(select(User).where(User.email == email))


def new_item(session, title, description="", email=COORDINATOR) -> ActionItem:
    item = service.create_item(session, user(session, email), {
        "title": title, "description": description, "due_date": "2027-06-30"}, NOW)
    session.commit()
    return item


def found(client, headers, q, **query) -> dict:
    response = client.get("/api/v1/search", query_string={"q": q, **query}, headers=headers)
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()


def ids(answer, kind="item") -> list[int]:
    return [r["id"] for r in answer["results"] if r["kind"] == kind]


def test_an_item_is_found_by_its_title_description_and_comments(app, client, session):
    item = new_item(session, "Harmonise the quinoabeneficiary registers", "Link the zebrafinch database")
    service.add_comment(session, user(session, COORDINATOR), item.id, "Waiting for the marmalade extract", NOW)
    session.commit()
    headers = api_token(client, COORDINATOR)
    for words in ("quinoabeneficiary", "zebrafinch", "marmalade", "MARMALADE extract", "zebrafinch quinoabeneficiary"):
        answer = found(client, headers, words)
        assert ids(answer) == [item.id], words
        assert answer["total"] == 1
        result = answer["results"][0]
        assert result["url"] == f"/items/{item.id}" and result["title"] == item.title
    assert "<mark>marmalade</mark>" in found(client, headers, "marmalade")["results"][0]["snippet"].lower()
    assert found(client, headers, "zebrafinch nowhereword")["total"] == 0  # every word must be there


def test_edits_and_comments_are_searchable_in_the_transaction_that_writes_them(app):
    with app.app_context():
        session = db.session
        coordinator = user(session, COORDINATOR)
        item = service.create_item(session, coordinator, {"title": "Gather the okapi figures",
                                                          "due_date": "2027-06-30"}, NOW)
        assert [h.id for h in queries.search(session, coordinator, "okapi")[0]] == [item.id]  # not committed
        service.update_item(session, coordinator, item.id, {"title": "Gather the narwhal figures",
                                                             "version": item.version}, NOW)
        service.add_comment(session, coordinator, item.id, "The axolotl survey is late", NOW)
        assert queries.search(session, coordinator, "okapi")[1] == 0
        assert [h.id for h in queries.search(session, coordinator, "narwhal axolotl")[0]] == [item.id]
        session.rollback()
        assert queries.search(session, coordinator, "narwhal")[1] == 0  # gone with the transaction
        session.remove()


def test_another_country_another_role_find_nothing_of_a_country(app, client, session):
    item = new_item(session, "Pilot the capybara transfer")
    assert ids(found(client, api_token(client, COORDINATOR), "capybara")) == [item.id]
    assert ids(found(client, api_token(client, STAFF), "capybara")) == [item.id]  # item.read: the country's staff
    for email in (ELSEWHERE, SECRETARIAT, ROLE_USERS["observer"], ROLE_USERS["admin"]):
        assert found(client, api_token(client, email), "capybara") == {
            "results": [], "total": 0, "more": False, "page": 1, "per_page": 20}, email


def open_cycle(session):
    secretariat = user(session, SECRETARIAT)
    template = session.scalar(select(MonitoringTemplate))
    cycle = cycles.create_cycle(session, secretariat, {
        "name": "Open cycle", "template_id": template.id, "period_start": "2026-01-01",
        "period_end": "2026-12-31", "deadline": "2027-03-31"}, NOW)
    cycles.fire_cycle(session, secretariat, cycle.id, "open", NOW)
    session.commit()
    return session.scalar(select(CountryReport).where(CountryReport.cycle_id == cycle.id,
                                                      CountryReport.country_code == "PH"))


def test_a_report_is_found_by_its_narrative_and_notes_and_by_the_secretariat_once_submitted(app, client, session):
    from coordination.reporting import reports

    report = open_cycle(session)
    reports.save_narrative(session, user(session, COORDINATOR), report.id, "health", {
        "existing_schemes": "PhilHealth covers the wombat districts", "policy_gaps": "", "implementation_issues": "",
        "recommendations": ""})
    session.commit()
    coordinator, secretariat = api_token(client, COORDINATOR), api_token(client, SECRETARIAT)
    answer = found(client, coordinator, "wombat")
    assert ids(answer, "report") == [report.id]
    assert answer["results"][0]["url"] == f"/reports/{report.id}"
    assert found(client, api_token(client, STAFF), "wombat")["total"] == 1
    assert found(client, secretariat, "wombat")["total"] == 0  # not submitted yet: the secretariat does not see it
    assert found(client, api_token(client, ELSEWHERE), "wombat")["total"] == 0
    narrative = session.scalar(select(Narrative).where(Narrative.report_id == report.id))
    narrative.policy_gaps = "No quokka benefit yet"
    session.get(CountryReport, report.id).first_submitted_at = NOW
    session.commit()
    assert ids(found(client, secretariat, "quokka wombat"), "report") == [report.id]
    assert found(client, api_token(client, ROLE_USERS["observer"]), "quokka")["total"] == 0


@pytest.fixture
def busy(app, session):
    seed_activity(session, NOW)
    open_cycle(session)
    session.commit()
    return app


WALK_WORDS = ["demo", "SDG", "estimate", "open cycle", "registry"]


def records(session) -> list[tuple[str, str, object]]:
    """Every indexed record: its text, the read rule it falls under, and the record itself."""
    targets = {"item": ("item.read", {i.id: i for i in session.scalars(select(ActionItem))}),
               "report": ("report.read", {r.id: r for r in session.scalars(select(CountryReport))}),
               "practice": ("practice.read", {p.id: p for p in session.scalars(select(Practice))})}
    return [(f"{e.title} {e.body}".lower(), targets[e.kind][0], targets[e.kind][1][e.ref_id], (e.kind, e.ref_id))
            for e in session.scalars(select(SearchEntry))]


def readable(everything, actor, words: str) -> set[tuple[str, int]]:
    """What ``actor`` may read that holds ``words``, by the permission policy itself."""
    needles = [w.lower() for w in words.split()]
    return {key for haystack, action, target, key in everything
            if all(n in haystack for n in needles) and may(actor, action, target)}


def test_the_walk_over_every_demo_role_finds_only_what_each_may_open(busy, session):
    """Every demo user, several words: the results are exactly what the permission policy lets
    them read among the records holding the words, and every result opens (200) for one user of
    each role in each country (the pages of the others are the same pages)."""
    emails = session.scalars(select(User.email).where(User.active.is_(True)).order_by(User.email)).all()
    assert len(emails) > 20
    shapes, everything = set(), records(session)
    for email in emails:
        actor = user(session, email)
        client = busy.test_client()
        sign_in(client, email)
        headers = api_token(busy.test_client(), email)
        opened = set()
        if (actor.role, actor.country_code) in shapes:
            opened = None
        shapes.add((actor.role, actor.country_code))
        for words in WALK_WORDS:
            results, page = [], 1
            while True:
                answer = found(client, headers, words, per_page=100, page=page)
                results += answer["results"]
                if len(results) >= answer["total"] or not answer["results"]:
                    break
                page += 1
            assert {(r["kind"], r["id"]) for r in results} == readable(everything, actor, words), (email, words)
            for url in {r["url"] for r in results} - (opened if opened is not None else {r["url"] for r in results}):
                assert client.get(url).status_code == 200, (email, words, url)
                opened.add(url)


def test_the_page_shows_marked_escaped_snippets_paged_and_keeps_the_query(app, client, session):
    for n in range(23):
        new_item(session, f"Flamingo task {n}", "<b>flamingo</b> <script>alert(1)</script> " + "flamingo " * (n % 3))
    sign_in(client, COORDINATOR)
    page = client.get("/search?q=flamingo").get_data(as_text=True)
    assert 'value="flamingo"' in page  # the query kept in the boxes
    assert "23 results" in page
    assert page.count('href="/items/') == queries.PER_PAGE
    assert "<mark>flamingo</mark>" in page.lower()
    assert "<script>alert" not in page and "&lt;script&gt;" in page
    assert "<b>" not in page
    second = client.get("/search?q=flamingo&page=2").get_data(as_text=True)
    assert second.count('href="/items/') == 3
    empty = client.get("/search?q=nosuchwordanywhere").get_data(as_text=True)
    assert "Nothing you may read matches “nosuchwordanywhere”." in empty
    assert "Type a word of at least three letters." in client.get("/search?q=ab").get_data(as_text=True)
    assert "Type the words to find." in client.get("/search").get_data(as_text=True)


def test_a_word_of_very_many_records_ranks_the_newest_and_says_there_are_more(app, client, session, monkeypatch):
    monkeypatch.setattr(queries, "MAX_MATCHES", 4)
    made = [new_item(session, "Heron count" if n in (0, 2) else f"Task {n}", "Seen a heron") for n in range(6)]
    answer = found(client, api_token(client, COORDINATOR), "heron")
    assert answer["total"] == 4 and answer["more"] is True
    # The newest four, those with the word in their title first: the oldest one's title is not enough.
    assert ids(answer) == [made[2].id, made[5].id, made[4].id, made[3].id]
    sign_in(client, COORDINATOR)
    page = client.get("/search?q=heron").get_data(as_text=True)
    assert "More than 4 results for “heron”: the newest 4 are shown" in page
    egret = new_item(session, "Heron and egret")
    exact = found(client, api_token(client, COORDINATOR), "egret")
    assert exact["total"] == 1 and exact["more"] is False and ids(exact) == [egret.id]


def test_most_relevant_first(app, client, session):
    once = new_item(session, "Review the budget", "one pelican here")
    often = new_item(session, "Pelican pelican", "pelican pelican pelican pelican")
    answer = found(client, api_token(client, COORDINATOR), "pelican")
    assert ids(answer) == [often.id, once.id]


def test_thai_words_are_found_inside_their_sentence(app, client, session):
    item = new_item(session, "ขยายความคุ้มครอง", "การขยายประกันสังคมสำหรับแรงงานนอกระบบในชนบท")
    headers = api_token(client, COORDINATOR)
    for word in ("ประกันสังคม", "แรงงานนอกระบบ", "ความคุ้มครอง"):
        answer = found(client, headers, word)
        assert ids(answer) == [item.id], word
    assert "<mark>ประกันสังคม</mark>" in found(client, headers, "ประกันสังคม")["results"][0]["snippet"]
    vietnamese = new_item(session, "Mở rộng bảo hiểm xã hội", "cho lao động phi chính thức")
    assert ids(found(client, headers, "bảo hiểm chính thức")) == [vietnamese.id]


@pytest.mark.parametrize("words", ["%", "_", "%%%", "___", "'; DROP TABLE action_items; --", '"', 'a" OR "b',
                                   "NEAR(x y)", "x*", "-word", "title:demo", "\\", "\x01\x02", "ab", "x" * 10_000,
                                   "demo " * 1_000, "{a b} : c", "\ue000\ue001", "‮", "🙂🙂🙂"])
def test_any_input_answers_results_or_none(app, client, session, words):
    new_item(session, "100% of the_target", "a 50%_share")
    headers = api_token(client, COORDINATOR)
    response = client.get("/api/v1/search", query_string={"q": words}, headers=headers)
    assert response.status_code == 200
    answer = response.get_json()
    assert answer["total"] == len(answer["results"]) or answer["total"] > len(answer["results"])
    sign_in(client, COORDINATOR)
    assert client.get("/search", query_string={"q": words}).status_code == 200


def test_percent_and_underscore_are_not_wildcards(app, client, session):
    new_item(session, "Plain title", "nothing special")
    headers = api_token(client, COORDINATOR)
    assert found(client, headers, "%")["total"] == 0
    assert found(client, headers, "_")["total"] == 0
    assert found(client, headers, "pl%n")["total"] == 0


def test_a_bad_page_is_422_in_the_api(app, client):
    headers = api_token(client, COORDINATOR)
    for page in ("0", "x", "-1"):
        response = client.get("/api/v1/search", query_string={"q": "demo", "page": page}, headers=headers)
        assert response.status_code == 422 and "page" in response.get_json()["fields"]
    assert client.get("/api/v1/search?q=demo").status_code == 401


def test_the_header_has_the_search_box_for_every_signed_in_user(app, client):
    assert 'id="site-search"' not in client.get("/login").get_data(as_text=True)
    for email in ROLE_USERS.values():
        client.post("/logout")
        sign_in(client, email)
        assert 'id="site-search"' in client.get("/").get_data(as_text=True), email




def search_statements(app, client, path):
    with app.app_context():
        engine = db.engine
    with Statements(engine) as recorder:
        assert client.get(path).status_code == 200
    return [(s, p) for s, p in recorder.seen if "search_entries" in s and s.lstrip().upper().startswith("SELECT")]


def test_the_search_reads_the_full_text_index(busy, client, session):
    sign_in(client, COORDINATOR)
    paths = ["/search?q=demo", "/search?q=demo+ministries&page=2", "/search?q=ประกันสังคม", "/search?q=SDG"]
    seen = [s for path in paths for s in search_statements(busy, client, path)]
    assert len(seen) >= len(paths)
    dialect = session.get_bind().dialect.name
    counted = False
    with busy.app_context(), db.engine.connect() as conn:
        for statement, parameters in seen:
            if dialect == "sqlite":
                raw = conn.connection.dbapi_connection
                plan = [row[-1] for row in raw.execute(f"EXPLAIN QUERY PLAN {statement}", parameters).fetchall()]
                # The matches come from the full-text index; a page of them by their ids.
                full_text = any(line.startswith("SCAN search_fts VIRTUAL TABLE INDEX") for line in plan)
                assert full_text or "SEARCH e USING INTEGER PRIMARY KEY (rowid=?)" in plan, plan
                assert not any(line.startswith(("SCAN e", "SCAN search_entries", "SCAN action_items"))
                               for line in plan), plan
                counted = counted or full_text
            else:
                # The demo data is small enough for a sequential scan to be cheapest: forbid it, and
                # the plan must still be able to answer from the GIN indexes (the expressions match).
                with conn.begin():
                    conn.execute(text("SET LOCAL enable_seqscan = off"))
                    # Nor may it walk the primary key backwards (the cheapest at this size, and at a
                    # million for a word of many entries): the full-text indexes must be usable.
                    conn.execute(text("SET LOCAL enable_indexscan = off"))
                    raw = conn.connection.dbapi_connection
                    with raw.cursor() as cursor:
                        cursor.execute(f"EXPLAIN {statement}", parameters)
                        plan = "\n".join(row[0] for row in cursor.fetchall())
                # The matches come from the GIN indexes; a page of them by their ids.
                full_text = "ix_search_entries_words" in plan or "ix_search_entries_trigrams" in plan
                assert full_text or "Index Cond: (id = ANY " in plan, plan
                assert "Seq Scan" not in plan, plan
                counted = counted or full_text
    assert counted


def test_the_migration_fills_the_index_as_the_writes_keep_it(busy, session):
    entries = SearchEntry.__table__
    columns = [entries.c.kind, entries.c.ref_id, entries.c.country_code, entries.c.secretariat, entries.c.public,
               entries.c.title, entries.c.body]
    # The good practices (the demo's two) came later than 0012, which fills the items and reports.
    assert {row.kind for row in session.execute(select(entries.c.kind))} == {"item", "report", "practice"}
    kept = sorted(session.execute(select(*columns).where(entries.c.kind != "practice")).all())
    assert {row.kind for row in kept} == {"item", "report"}
    spec = importlib.util.spec_from_file_location("search_migration", ROOT / "migrations/versions/0012_search_index.py")
    migration = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(migration)
    with busy.app_context(), db.engine.begin() as conn:
        conn.execute(entries.delete())
        migration._fill(conn)
    session.expire_all()
    assert sorted(session.execute(select(*columns)).all()) == kept
    coordinator = user(session, COORDINATOR)
    assert queries.search(session, coordinator, "demo")[1] == len(
        [r for r in kept if r.kind == "item" and r.country_code == "PH"])


def test_a_report_title_names_the_cycle_and_the_country(busy, session):
    report = session.scalar(select(CountryReport).join(ReportingCycle).where(
        ReportingCycle.name == "Open cycle", CountryReport.country_code == "PH"))
    entry = session.scalar(select(SearchEntry).where(SearchEntry.kind == "report", SearchEntry.ref_id == report.id))
    assert entry.title == "Open cycle · Philippines" and not entry.secretariat
