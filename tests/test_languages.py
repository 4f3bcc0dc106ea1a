"""The language of pages and the API (API.md, "Second round: languages and local calendars"):
the user's choice (account page, the header's switcher, PATCH /api/v1/me), else the session's
(an anonymous visitor on the sign-in page), else the browser's Accept-Language, else English."""
import re

import pytest
from helpers import ROLE_USERS, api_token, field_errors, sign_in, signed_in_client
from sqlalchemy import func, select

from coordination.auth.models import User
from coordination.errors import ValidationError
from coordination.items.models import ActionItem
from coordination.reporting.schemas import NOTE_MAX, ValueInput

COORDINATOR = ROLE_USERS["coordinator"]


def lang(response) -> str:
    return re.search(r'<html lang="([^"]+)"', response.get_data(as_text=True)).group(1)


def locale_of(session, email: str):
    session.expire_all()
    return session.scalar(select(User.locale).where(User.email == email))


# -- negotiation -----------------------------------------------------------------------------------


@pytest.mark.parametrize(("header", "expected"), [
    (None, "en"), ("vi", "vi"), ("th-TH,th;q=0.9,en;q=0.5", "th"), ("id-ID", "id"), ("fr, de;q=0.8", "en"),
    ("fr, vi;q=0.5, th;q=0.7", "th"), ("en-GB", "en"),
])
def test_the_sign_in_page_follows_the_browser(client, header, expected):
    headers = {"Accept-Language": header} if header else {}
    response = client.get("/login", headers=headers)
    assert response.status_code == 200 and lang(response) == expected
    assert "Accept-Language" in response.headers.get("Vary", "")


def test_the_session_choice_beats_the_browser_and_lasts(client):
    response = client.post("/language", data={"locale": "th", "next": "/login"}, headers={"Accept-Language": "vi"})
    assert response.status_code == 302 and response.headers["Location"] == "/login"
    assert lang(client.get("/login", headers={"Accept-Language": "vi"})) == "th"
    assert lang(client.get("/forgot-password")) == "th"


def test_an_unknown_language_changes_nothing(client):
    response = client.post("/language", data={"locale": "xx", "next": "/login"})
    assert response.status_code == 422
    assert "Choose one of the languages offered." in response.get_data(as_text=True)
    assert lang(client.get("/login")) == "en"


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x", "/\\evil.example", "javascript:x"])
def test_the_switcher_goes_back_only_to_this_site(client, target):
    response = client.post("/language", data={"locale": "vi", "next": target})
    assert response.status_code == 302 and response.headers["Location"] == "/"


def test_the_switcher_keeps_the_query_string(client):
    response = client.post("/language", data={"locale": "id", "next": "/login?next=%2Fitems"})
    assert response.headers["Location"] == "/login?next=%2Fitems"


def test_every_page_carries_the_switcher_back_to_itself(client):
    page = client.get("/forgot-password?x=1").get_data(as_text=True)
    assert 'action="/language"' in page and 'name="next" value="/forgot-password?x=1"' in page
    for code, name in (("en", "English"), ("id", "Bahasa Indonesia"), ("th", "ไทย"), ("vi", "Tiếng Việt")):
        assert f'<option value="{code}" lang="{code}"' in page and name in page
    # After a form sent back with errors, back to the page of the form, not to the POST's address.
    failed = client.post("/login", data={"email": "", "password": ""}, headers={"Referer": "http://localhost/login"})
    assert failed.status_code == 422 and 'name="next" value="/login"' in failed.get_data(as_text=True)


def test_the_language_page_offers_every_language(client):
    page = client.get("/language?next=/login").get_data(as_text=True)
    assert page.count('type="radio" name="locale"') == 4 and 'value="/login"' in page


# -- the signed-in user's choice ---------------------------------------------------------------------


def test_the_header_switcher_keeps_the_choice_with_the_account(app, session):
    client = signed_in_client(app, COORDINATOR)
    assert lang(client.get("/", headers={"Accept-Language": "vi"})) == "vi"
    response = client.post("/language", data={"locale": "th", "next": "/countries"})
    assert response.headers["Location"] == "/countries"
    assert locale_of(session, COORDINATOR) == "th"
    assert lang(client.get("/", headers={"Accept-Language": "vi"})) == "th"
    # Another browser: the account's choice, whatever the browser says.
    other = signed_in_client(app, COORDINATOR)
    assert lang(other.get("/", headers={"Accept-Language": "vi"})) == "th"
    # Signed out, the sign-in page stays in it.
    other.post("/logout")
    assert lang(other.get("/login", headers={"Accept-Language": "vi"})) == "th"


def test_the_account_page_sets_and_clears_the_choice(app, session):
    client = signed_in_client(app, COORDINATOR)
    page = client.get("/account").get_data(as_text=True)
    assert 'action="/account/language"' in page and 'name="locale"' in page
    response = client.post("/account/language", data={"locale": "id"})
    assert response.status_code == 302 and response.headers["Location"] == "/account"
    assert locale_of(session, COORDINATOR) == "id"
    assert lang(client.get("/account")) == "id"
    client.post("/account/language", data={"locale": ""})
    assert locale_of(session, COORDINATOR) is None
    assert lang(client.get("/account", headers={"Accept-Language": "vi"})) == "vi"


def test_the_account_page_refuses_an_unknown_language(app, session):
    client = signed_in_client(app, COORDINATOR)
    response = client.post("/account/language", data={"locale": "fr"})
    assert response.status_code == 422 and field_errors(response)["locale"]
    assert locale_of(session, COORDINATOR) is None


def test_changing_the_language_needs_a_signed_in_account_for_the_account_page(client):
    response = client.post("/account/language", data={"locale": "th"})
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")


def test_a_user_who_must_set_up_two_step_sign_in_may_still_change_the_language(make_app):
    app = make_app(MFA_REQUIRED_ROLES=("admin",))
    client = app.test_client()
    sign_in(client, ROLE_USERS["admin"])
    response = client.post("/language", data={"locale": "vi", "next": "/account/two-step"})
    assert response.status_code == 302 and response.headers["Location"] == "/account/two-step"
    assert lang(client.get("/account/two-step")) == "vi"


# -- the API ---------------------------------------------------------------------------------------------


def test_the_api_shows_and_changes_the_language(client, session):
    headers = api_token(client, COORDINATOR)
    assert client.get("/api/v1/me", headers=headers).get_json()["locale"] is None
    response = client.patch("/api/v1/me", json={"locale": "vi"}, headers=headers)
    assert response.status_code == 200 and response.get_json()["locale"] == "vi"
    assert locale_of(session, COORDINATOR) == "vi"
    assert client.get("/api/v1/me", headers=headers).get_json()["locale"] == "vi"
    # Left out: unchanged; null: cleared.
    assert client.patch("/api/v1/me", json={}, headers=headers).get_json()["locale"] == "vi"
    assert client.patch("/api/v1/me", json={"locale": None}, headers=headers).get_json()["locale"] is None
    assert locale_of(session, COORDINATOR) is None


@pytest.mark.parametrize("value", ["fr", "", "TH", 7, ["th"], "th-TH"])
def test_the_api_refuses_an_unknown_language(client, session, value):
    headers = api_token(client, COORDINATOR)
    client.patch("/api/v1/me", json={"locale": "th"}, headers=headers)
    response = client.patch("/api/v1/me", json={"locale": value}, headers=headers)
    assert response.status_code == 422
    body = response.get_json()
    assert body["error"] == "validation_error" and list(body["fields"]) == ["locale"]
    assert locale_of(session, COORDINATOR) == "th"


def test_the_api_needs_a_token_to_change_the_language(client):
    assert client.patch("/api/v1/me", json={"locale": "th"}).status_code == 401


# -- what the visitor reads ---------------------------------------------------------------------------------


def test_accept_language_vi_gives_the_sign_in_page_in_vietnamese(client):
    response = client.get("/login", headers={"Accept-Language": "vi-VN,vi;q=0.9"})
    page = response.get_data(as_text=True)
    assert lang(response) == "vi"
    assert "<title>Đăng nhập · SPF Coordination</title>" in page
    assert "Địa chỉ email" in page and "Mật khẩu" in page and "Quên mật khẩu?" in page
    assert "Forgot your password?" not in page and "Password" not in page


def test_the_switcher_turns_the_sign_in_page_thai(client):
    client.post("/language", data={"locale": "th", "next": "/login"})
    page = client.get("/login").get_data(as_text=True)
    assert "เข้าสู่ระบบ" in page and "ลืมรหัสผ่านใช่ไหม" in page and "ข้ามไปยังเนื้อหาหลัก" in page
    # A refused sign-in says so in Thai, at the form.
    refused = client.post("/login", data={"email": COORDINATOR, "password": "wrong password"})
    assert refused.status_code == 401 and "อีเมลหรือรหัสผ่านไม่ถูกต้อง" in refused.get_data(as_text=True)
    empty = client.post("/login", data={"email": "", "password": ""})
    assert field_errors(empty)["email"] == ["ต้องกรอกช่องนี้"]


def test_signed_in_pages_menus_flashes_and_errors_follow_the_choice(app):
    client = signed_in_client(app, COORDINATOR)
    client.post("/language", data={"locale": "id", "next": "/"})
    home = client.get("/").get_data(as_text=True)
    assert "Keluar" in home and "Pemberitahuan" in home and "Koordinator nasional" in home
    # The message after a change is in the language just chosen.
    saved = client.post("/account/language", data={"locale": "vi"}, follow_redirects=True)
    assert "Đã lưu ngôn ngữ của bạn." in saved.get_data(as_text=True)
    missing = client.get("/no-such-page")
    assert missing.status_code == 404 and "Không có trang này" in missing.get_data(as_text=True)
    # Dates and numbers as the language writes them: the account page's two-step sign-in date,
    # the audit log's time; here the role label and the form labels.
    account = client.get("/account").get_data(as_text=True)
    assert "Điều phối viên quốc gia" in account and "Mật khẩu hiện tại" in account


def test_api_messages_follow_the_language_and_codes_do_not(client):
    headers = api_token(client, COORDINATOR)
    client.patch("/api/v1/me", json={"locale": "th"}, headers=headers)
    refused = client.patch("/api/v1/me", json={"locale": "fr"}, headers=headers)
    body = refused.get_json()
    assert body["error"] == "validation_error" and list(body["fields"]) == ["locale"]
    assert body["fields"]["locale"] == ["เลือกหนึ่งใน: en, id, th, vi หรือ null เพื่อใช้ภาษาของเบราว์เซอร์"]
    # Without a token the browser's language decides: the same code, its own words.
    wrong = client.post("/api/v1/tokens", json={"email": COORDINATOR, "password": "wrong password"},
                        headers={"Accept-Language": "vi"})
    assert wrong.get_json() == {"error": "unauthorized", "message": "Địa chỉ email hoặc mật khẩu không đúng."}
    assert client.post("/api/v1/tokens", json={"email": COORDINATOR, "password": "wrong password"}).get_json()[
        "message"] == "The e-mail address or the password is not correct."


def test_a_refused_api_request_in_thai_gets_the_shared_fields_messages_in_thai(client, session):
    """The messages of the shared field types (a date out of range, a text too long) come in the
    request's language, whole; the codes and field names stay."""
    headers = api_token(client, COORDINATOR)
    body = {"title": "Harmonise the social registry", "due_date": "9999-01-01"}
    refused = client.post("/api/v1/items", json=body, headers={**headers, "Accept-Language": "th"})
    assert refused.status_code == 422
    assert refused.get_json() == {"error": "validation_error", "message": "บางช่องไม่ถูกต้อง",
                                  "fields": {"due_date": ["กรุณากรอกวันที่ตั้งแต่ 1900-01-01 ถึง 2199-12-31"]}}
    english = client.post("/api/v1/items", json=body, headers=headers).get_json()
    assert english["fields"] == {"due_date": ["Enter a date from 1900-01-01 to 2199-12-31."]}
    assert english["message"] == "Some fields are not valid."
    assert session.scalar(select(func.count(ActionItem.id))) == 0


def test_a_field_label_is_translated_with_its_message(app):
    """text(N_("The note"), max_length=...): the label comes in the language of the message."""
    for header, expected in (("th", f"หมายเหตุ ยาวได้ไม่เกิน {NOTE_MAX} อักขระ"),
                             ("vi", f"Ghi chú chỉ được dài tối đa {NOTE_MAX} ký tự."),
                             ("", f"The note may be at most {NOTE_MAX} characters long.")):
        with app.test_request_context(headers={"Accept-Language": header} if header else {}):
            with pytest.raises(ValidationError) as refused:
                ValueInput.parse({"note": "x" * (NOTE_MAX + 1)})
        assert refused.value.fields == {"note": [expected]}, header
