"""The directory on the web: who may read and change member states, ministries and mechanisms."""
import pytest
from helpers import ROLE_USERS, api_token, field_errors, is_login_redirect, row_counts, signed_in_client
from sqlalchemy import select

from coordination.auth.models import User
from coordination.directory.models import Country, Mechanism, Ministry
from coordination.extensions import db

NOT_ADMIN = [role for role in ROLE_USERS if role != "admin"]
NOT_PH_COORDINATOR = [role for role in ROLE_USERS if role != "coordinator"]


def ministry_id(app, country_code: str, acronym: str) -> int:
    with app.app_context():
        return db.session.scalar(select(Ministry.id).where(
            Ministry.country_code == country_code, Ministry.acronym == acronym))


def user_id(app, email: str) -> int:
    with app.app_context():
        return db.session.scalar(select(User.id).where(User.email == email))


def mechanism_state(app, country_code: str = "PH") -> dict:
    with app.app_context():
        mechanism = db.session.scalar(select(Mechanism).where(Mechanism.country_code == country_code))
        return {
            "name": mechanism.name,
            "members": sorted(m.acronym for m in mechanism.members),
            "reporting": mechanism.reporting_ministry.acronym if mechanism.reporting_ministry else None,
            "focal_point": mechanism.focal_point.email if mechanism.focal_point else None,
        }


def directory_state(app) -> dict:
    """Every country and ministry, as the admin pages can change them."""
    with app.app_context():
        return {
            "countries": sorted((c.code, c.name, c.timezone) for c in db.session.scalars(select(Country))),
            "ministries": sorted((m.id, m.country_code, m.name, m.acronym, m.sector)
                                 for m in db.session.scalars(select(Ministry))),
        }


# -- reading the directory -------------------------------------------------------------


def test_visitors_must_sign_in_to_read_the_directory(client):
    assert is_login_redirect(client.get("/countries"))
    assert is_login_redirect(client.get("/countries/PH"))


@pytest.mark.parametrize("role", sorted(ROLE_USERS))
def test_every_role_reads_the_member_states_and_a_mechanism(app, role):
    client = signed_in_client(app, ROLE_USERS[role])
    listing = client.get("/countries")
    assert listing.status_code == 200
    text = listing.get_data(as_text=True)
    for name in ("Brunei Darussalam", "Cambodia", "Indonesia", "Lao", "Malaysia", "Myanmar",
                 "Philippines", "Singapore", "Thailand", "Viet Nam"):
        assert name in text

    page = client.get("/countries/PH")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "Department of Social Welfare and Development" in text
    assert "National Coordinator, Philippines" in text  # the focal point
    assert "Asia/Manila" in text


def test_only_the_countrys_coordinator_is_offered_the_mechanism_editor(app):
    own = signed_in_client(app, ROLE_USERS["coordinator"]).get("/countries/PH").get_data(as_text=True)
    assert "/countries/PH/mechanism" in own
    assert "/admin/countries/PH" not in own
    for role in NOT_PH_COORDINATOR:
        page = signed_in_client(app, ROLE_USERS[role]).get("/countries/PH").get_data(as_text=True)
        assert "/countries/PH/mechanism" not in page, role


def test_only_the_admin_is_offered_the_directory_editors(app):
    page = signed_in_client(app, ROLE_USERS["admin"]).get("/countries/PH").get_data(as_text=True)
    assert "/admin/countries/PH" in page
    assert "/admin/countries/PH/ministries/new" in page
    assert f"/admin/ministries/{ministry_id(app, 'PH', 'DSWD')}" in page
    for role in NOT_ADMIN:
        page = signed_in_client(app, ROLE_USERS[role]).get("/countries/PH").get_data(as_text=True)
        assert "/admin/" not in page, role


# -- the coordination mechanism --------------------------------------------------------


def mechanism_form(app, **overrides) -> dict:
    form = {
        "name": "Social Protection and Development Committee",
        "members": [ministry_id(app, "PH", a) for a in ("DSWD", "DOLE", "DOH")],
        "reporting_ministry": str(ministry_id(app, "PH", "DOLE")),
        "focal_point": str(user_id(app, "staff.ph.dole@example.org")),
        "submit": "Save mechanism",
    }
    form.update(overrides)
    return form


def test_the_coordinator_edits_the_mechanism_of_their_country(app):
    client = signed_in_client(app, ROLE_USERS["coordinator"])
    before = mechanism_state(app)
    editor = client.get("/countries/PH/mechanism")
    assert editor.status_code == 200
    assert before["name"] in editor.get_data(as_text=True)

    response = client.post("/countries/PH/mechanism", data=mechanism_form(app))
    assert response.status_code == 302
    assert response.headers["Location"] == "/countries/PH"
    assert mechanism_state(app) == {
        "name": "Social Protection and Development Committee",
        "members": ["DOH", "DOLE", "DSWD"],
        "reporting": "DOLE",
        "focal_point": "staff.ph.dole@example.org",
    }
    page = client.get("/countries/PH").get_data(as_text=True)
    assert "Social Protection and Development Committee" in page
    assert "Member, reports" in page


def test_the_coordinator_may_leave_reporting_ministry_and_focal_point_open(app):
    client = signed_in_client(app, ROLE_USERS["coordinator"])
    response = client.post("/countries/PH/mechanism",
                           data=mechanism_form(app, reporting_ministry="", focal_point=""))
    assert response.status_code == 302
    state = mechanism_state(app)
    assert state["reporting"] is None and state["focal_point"] is None


@pytest.mark.parametrize("role", NOT_PH_COORDINATOR)
def test_no_one_else_may_edit_the_mechanism(app, role):
    client = signed_in_client(app, ROLE_USERS[role])
    before = mechanism_state(app)
    assert client.get("/countries/PH/mechanism").status_code == 403
    assert client.post("/countries/PH/mechanism", data=mechanism_form(app)).status_code == 403
    assert mechanism_state(app) == before


def test_the_other_coordinator_may_edit_their_own_mechanism_only(app):
    client = signed_in_client(app, ROLE_USERS["coordinator_elsewhere"])
    assert client.get("/countries/ID/mechanism").status_code == 200
    assert client.get("/countries/PH/mechanism").status_code == 403


def test_the_mechanism_of_an_unknown_country_answers_404(app):
    client = signed_in_client(app, ROLE_USERS["coordinator"])
    assert client.get("/countries/XX/mechanism").status_code == 404
    assert client.post("/countries/XX/mechanism", data={"name": "x"}).status_code == 404


def other_country_ministry(app) -> int:
    return ministry_id(app, "ID", "Kemensos")


@pytest.mark.parametrize("overrides, field, message", [
    (lambda app: {"reporting_ministry": str(ministry_id(app, "PH", "SSS"))},
     "reporting_ministry", "The reporting ministry must be a member."),
    (lambda app: {"members": [ministry_id(app, "PH", "DOLE"), other_country_ministry(app)]},
     "members", "'{}' is not a valid choice for this field."),
    (lambda app: {"reporting_ministry": str(other_country_ministry(app))},
     "reporting_ministry", "Not a valid choice."),
    (lambda app: {"focal_point": str(user_id(app, "coordinator.id@example.org"))},
     "focal_point", "Not a valid choice."),
    (lambda app: {"name": ""}, "name", "This field is required."),
    (lambda app: {"name": "   "}, "name", "This field is required."),
])
def test_bad_mechanism_input_is_shown_at_the_field_and_saves_nothing(app, overrides, field, message):
    client = signed_in_client(app, ROLE_USERS["coordinator"])
    before = mechanism_state(app)
    response = client.post("/countries/PH/mechanism", data=mechanism_form(app, **overrides(app)))
    assert response.status_code == 422
    shown = field_errors(response)
    assert list(shown) == [field]
    assert shown[field] == [message.format(other_country_ministry(app))]
    assert mechanism_state(app) == before


def test_the_service_refuses_a_ministry_of_another_country_even_past_the_form(app):
    from coordination.directory import service
    from coordination.errors import ValidationError

    foreign = other_country_ministry(app)
    foreign_user = user_id(app, "coordinator.id@example.org")
    before = mechanism_state(app)
    with app.app_context():
        coordinator = db.session.scalar(select(User).where(User.email == ROLE_USERS["coordinator"]))
        philippines = db.session.get(Country, "PH")
        with pytest.raises(ValidationError) as refused:
            service.update_mechanism(db.session, coordinator, philippines, name="Council",
                                     member_ids=[foreign], reporting_ministry_id=foreign,
                                     focal_point_id=foreign_user)
        assert set(refused.value.fields) == {"members", "reporting_ministry", "focal_point"}
        db.session.rollback()
    assert mechanism_state(app) == before


# -- the administrator's directory pages -----------------------------------------------


def admin_pages(app) -> list[tuple[str, dict]]:
    """Every admin page, with a valid form to post to it."""
    return [
        ("/admin/countries/new", {"code": "TL", "name": "Timor-Leste", "timezone": "Asia/Dili"}),
        ("/admin/countries/PH", {"code": "PH", "name": "Republic of the Philippines",
                                 "timezone": "Asia/Manila"}),
        ("/admin/countries/PH/ministries/new", {"name": "Department of Finance", "acronym": "DOF",
                                                "sector": "finance"}),
        (f"/admin/ministries/{ministry_id(app, 'PH', 'NCSC')}",
         {"name": "National Commission of Senior Citizens", "acronym": "NCSC", "sector": "health"}),
        ("/admin/users", {}),
        ("/admin/users/new", {"email": "x@example.org", "name": "X", "role": "observer",
                              "country": "", "ministry": "", "password": "a-long-enough-password"}),
        (f"/admin/users/{user_id(app, 'observer@example.org')}", {"submit": "Save"}),
    ]


def test_the_admin_opens_every_admin_page(app):
    client = signed_in_client(app, ROLE_USERS["admin"])
    for path, _form in admin_pages(app):
        assert client.get(path).status_code == 200, path


@pytest.mark.parametrize("role", NOT_ADMIN)
def test_no_one_but_the_admin_opens_or_posts_to_an_admin_page(app, role):
    client = signed_in_client(app, ROLE_USERS[role])
    before = row_counts(app), directory_state(app), mechanism_state(app)
    for path, form in admin_pages(app):
        assert client.get(path).status_code == 403, path
        if form:
            assert client.post(path, data=form).status_code == 403, path
    assert (row_counts(app), directory_state(app), mechanism_state(app)) == before
    with app.app_context():
        assert db.session.scalar(select(User.active).where(User.email == "observer@example.org"))


def test_the_admin_adds_a_member_state_seen_by_everyone(app):
    admin = signed_in_client(app, ROLE_USERS["admin"])
    response = admin.post("/admin/countries/new",
                          data={"code": "tl", "name": "Timor-Leste", "timezone": "Asia/Dili"})
    assert response.status_code == 302
    assert response.headers["Location"] == "/countries/TL"
    page = admin.get("/countries/TL").get_data(as_text=True)
    assert "Timor-Leste" in page and "No coordination mechanism is recorded yet." in page
    countries = app.test_client().get(
        "/api/v1/countries", headers=api_token(app.test_client(), ROLE_USERS["observer"])).get_json()
    assert {"code": "TL", "name": "Timor-Leste", "timezone": "Asia/Dili"} in countries


def test_the_admin_renames_a_member_state_but_not_its_code(app):
    admin = signed_in_client(app, ROLE_USERS["admin"])
    response = admin.post("/admin/countries/PH", data={
        "code": "QQ", "name": "Republic of the Philippines", "timezone": "Asia/Manila"})
    assert response.status_code == 302
    state = directory_state(app)
    assert ("PH", "Republic of the Philippines", "Asia/Manila") in state["countries"]
    assert not any(code == "QQ" for code, _, _ in state["countries"])


def test_the_admin_adds_and_edits_a_ministry(app):
    admin = signed_in_client(app, ROLE_USERS["admin"])
    response = admin.post("/admin/countries/PH/ministries/new", data={
        "name": "Department of Finance", "acronym": "DOF", "sector": "finance"})
    assert response.status_code == 302
    assert response.headers["Location"] == "/countries/PH"
    new_id = ministry_id(app, "PH", "DOF")
    assert new_id is not None

    # Its own acronym is no clash with itself.
    response = admin.post(f"/admin/ministries/{new_id}", data={
        "name": "Department of Finance (Bureau of the Treasury)", "acronym": "DOF",
        "sector": "finance"})
    assert response.status_code == 302
    assert (new_id, "PH", "Department of Finance (Bureau of the Treasury)", "DOF", "finance") in \
        directory_state(app)["ministries"]
    ministries = app.test_client().get(
        "/api/v1/countries/PH/ministries",
        headers=api_token(app.test_client(), ROLE_USERS["ministry_staff"])).get_json()
    assert "DOF" in {m["acronym"] for m in ministries}


def test_the_same_acronym_is_fine_in_another_country(app):
    admin = signed_in_client(app, ROLE_USERS["admin"])
    # DSWD exists in the Philippines only.
    response = admin.post("/admin/countries/ID/ministries/new", data={
        "name": "Directorate of Social Welfare Development", "acronym": "DSWD",
        "sector": "social_welfare"})
    assert response.status_code == 302
    assert ministry_id(app, "ID", "DSWD") is not None


@pytest.mark.parametrize("form, field, message", [
    ({"code": "TL", "name": "Timor-Leste", "timezone": "Asia/Nowhere"}, "timezone",
     "Use an IANA time zone, e.g. Asia/Manila."),
    ({"code": "TL", "name": "Timor-Leste", "timezone": "GMT+9"}, "timezone",
     "Use an IANA time zone, e.g. Asia/Manila."),
    ({"code": "PH", "name": "Timor-Leste", "timezone": "Asia/Dili"}, "code", "PH exists already."),
    ({"code": "T1", "name": "Timor-Leste", "timezone": "Asia/Dili"}, "code",
     "Use the two-letter ISO 3166-1 code, e.g. PH."),
    ({"code": "TLS", "name": "Timor-Leste", "timezone": "Asia/Dili"}, "code",
     "Use the two-letter ISO 3166-1 code, e.g. PH."),
    ({"code": "TL", "name": "Indonesia", "timezone": "Asia/Dili"}, "name",
     "Another member state has this name."),
    ({"code": "TL", "name": "", "timezone": "Asia/Dili"}, "name", "This field is required."),
])
def test_a_bad_new_member_state_is_shown_at_the_field_and_saves_nothing(app, form, field, message):
    admin = signed_in_client(app, ROLE_USERS["admin"])
    before = directory_state(app)
    response = admin.post("/admin/countries/new", data=form)
    assert response.status_code == 422
    assert field_errors(response) == {field: [message]}
    assert directory_state(app) == before


@pytest.mark.parametrize("form, field, message", [
    ({"code": "PH", "name": "Philippines", "timezone": "Manila"}, "timezone",
     "Use an IANA time zone, e.g. Asia/Manila."),
    ({"code": "PH", "name": "Thailand", "timezone": "Asia/Manila"}, "name",
     "Another member state has this name."),
    ({"code": "PH", "name": " ", "timezone": "Asia/Manila"}, "name", "This field is required."),
])
def test_a_bad_change_to_a_member_state_is_shown_at_the_field_and_saves_nothing(app, form, field, message):
    admin = signed_in_client(app, ROLE_USERS["admin"])
    before = directory_state(app)
    response = admin.post("/admin/countries/PH", data=form)
    assert response.status_code == 422
    assert field_errors(response) == {field: [message]}
    assert directory_state(app) == before


@pytest.mark.parametrize("form, field, message", [
    ({"name": "Another Welfare Department", "acronym": "DSWD", "sector": "social_welfare"},
     "acronym", "Philippines has a ministry with this acronym already."),
    ({"name": "Another Welfare Department", "acronym": "dswd", "sector": "social_welfare"},
     "acronym", "Philippines has a ministry with this acronym already."),
    ({"name": "", "acronym": "DOF", "sector": "finance"}, "name", "This field is required."),
    ({"name": "Department of Finance", "acronym": "", "sector": "finance"}, "acronym",
     "This field is required."),
    ({"name": "Department of Finance", "acronym": "DOF", "sector": "astrology"}, "sector",
     "Not a valid choice."),
])
def test_a_bad_new_ministry_is_shown_at_the_field_and_saves_nothing(app, form, field, message):
    admin = signed_in_client(app, ROLE_USERS["admin"])
    before = directory_state(app)
    response = admin.post("/admin/countries/PH/ministries/new", data=form)
    assert response.status_code == 422
    assert field_errors(response) == {field: [message]}
    assert directory_state(app) == before


def test_a_ministry_cannot_take_the_acronym_of_another(app):
    admin = signed_in_client(app, ROLE_USERS["admin"])
    before = directory_state(app)
    response = admin.post(f"/admin/ministries/{ministry_id(app, 'PH', 'SSS')}", data={
        "name": "Social Security System", "acronym": "gsis", "sector": "social_security"})
    assert response.status_code == 422
    assert field_errors(response) == {"acronym": ["Philippines has a ministry with this acronym already."]}
    assert directory_state(app) == before


@pytest.mark.parametrize("path", [
    "/admin/countries/XX",
    "/admin/countries/XX/ministries/new",
    "/admin/ministries/999999",
])
def test_admin_pages_of_unknown_things_answer_404(app, path):
    admin = signed_in_client(app, ROLE_USERS["admin"])
    before = directory_state(app)
    assert admin.get(path).status_code == 404
    assert admin.post(path, data={"name": "N", "acronym": "N", "sector": "finance",
                                  "code": "XX", "timezone": "Asia/Dili"}).status_code == 404
    assert directory_state(app) == before
