"""Fixtures of the reminder tests."""
import pytest
from reminder_support import SMTPServer


@pytest.fixture
def smtp():
    server = SMTPServer()
    yield server
    server.stop()


@pytest.fixture
def mail_app(make_app, app, smtp):
    """The test's app, configured to send to the loopback SMTP server (not started yet)."""
    return make_app(MAIL_SERVER="127.0.0.1", MAIL_PORT=smtp.port, BASE_URL="https://spf.example.org",
                    MAIL_MESSAGE_ID_DOMAIN="spf.example.org",
                    MAIL_DEFAULT_SENDER="SPF Coordination <noreply@spf.example.org>")
