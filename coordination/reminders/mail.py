"""E-mail messages for outbox rows, and the two ways of sending them.

Headers are built with ``email.message.EmailMessage`` and ``email.headerregistry.Address``,
never by formatting text: a name or a title containing a line break is flattened to one
line, an address that is not a single plain address is refused (``InvalidRecipient``),
and the SMTP envelope names the one recipient explicitly, so no header text can add
another. Plain-text templates are not autoescaped; nothing rendered there goes into a
header.
"""
import logging
import smtplib
import unicodedata
from dataclasses import dataclass
from datetime import datetime
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime
from urllib.parse import urlsplit

from flask import render_template

from coordination import i18n

logger = logging.getLogger("coordination.reminders")


class InvalidRecipient(ValueError):
    """The user's address cannot be written into a header: retrying will not help."""


@dataclass(frozen=True)
class MailSettings:
    sender: str
    base_url: str
    message_id_domain: str
    server: str = ""
    port: int = 25
    use_tls: bool = False
    username: str = ""
    password: str = ""
    timeout: int = 30

    @classmethod
    def from_config(cls, config) -> "MailSettings":
        base_url = config.get("BASE_URL", "http://127.0.0.1:5000").rstrip("/")
        domain = (config.get("MAIL_MESSAGE_ID_DOMAIN") or urlsplit(base_url).hostname or "localhost")
        return cls(
            sender=config.get("MAIL_DEFAULT_SENDER") or "spf-coordination@localhost", base_url=base_url,
            message_id_domain=one_line(domain).replace(" ", "") or "localhost",
            server=config.get("MAIL_SERVER", ""), port=int(config.get("MAIL_PORT", 25)),
            use_tls=bool(config.get("MAIL_USE_TLS")), username=config.get("MAIL_USERNAME", ""),
            password=config.get("MAIL_PASSWORD", ""), timeout=int(config.get("MAIL_TIMEOUT_SECONDS", 30)),
        )


def one_line(text: str | None, limit: int = 200) -> str:
    """``text`` with every control character (CR, LF, TAB, ...) turned into a space, runs
    of spaces collapsed: safe as the text of a header."""
    cleaned = "".join(" " if unicodedata.category(c) in ("Cc", "Zl", "Zp") else c for c in (text or ""))
    return " ".join(cleaned.split())[:limit]


def recipient(user) -> Address:
    address = user.email or ""
    if address != address.strip() or any(unicodedata.category(c) == "Cc" for c in address):
        raise InvalidRecipient(f"the address of user {user.id} contains spaces or control characters")
    try:
        parsed = Address(display_name=one_line(user.name, 120), addr_spec=address)
    except (ValueError, IndexError) as error:
        raise InvalidRecipient(f"the address of user {user.id} is not a plain address: {error}") from None
    if parsed.addr_spec != address or "@" not in address:
        raise InvalidRecipient(f"the address of user {user.id} is not a plain address")
    return parsed


def message_id(notification_id: int, domain: str) -> str:
    """Stable per outbox row: a message sent twice (a crash between the mail server's
    acceptance and our commit) carries the same Message-ID, and mail clients fold it."""
    return f"<notification-{notification_id}@{domain}>"


def _when(instant: datetime, timezone: str) -> str:
    return i18n.format_instant(instant, timezone, "full")


def build_message(notification, user, settings: MailSettings, now: datetime,
                  folded: list | None = None) -> EmailMessage:
    """The message for one outbox row (a reminder, a notice, a security message such as a
    password-reset link, or a digest of ``folded``), in the recipient's language."""
    with i18n.in_language(user.locale):
        return _message(notification, user, settings, now, folded)


def _message(notification, user, settings: MailSettings, now: datetime, folded: list | None) -> EmailMessage:
    to = recipient(user)
    timezone = user.timezone
    context = {
        "name": one_line(user.name, 120) or user.email,
        "notification": notification,
        "timezone": timezone,
        "when": _when(notification.occurred_at, timezone),
        "due": i18n.format_day(notification.due_date, "full") if notification.due_date else None,
        "link": settings.base_url + notification.url if notification.url else settings.base_url + "/notifications",
        "account_link": settings.base_url + "/account",
        "notifications_link": settings.base_url + "/notifications",
        "forgot_password_link": settings.base_url + "/forgot-password",
        "items": [
            {"title": row.title, "when": _when(row.occurred_at, timezone),
             "link": settings.base_url + row.url if row.url else None}
            for row in (folded or [])
        ],
    }
    template = {"digest": "digest", "security": "security"}.get(notification.kind, "message")
    message = EmailMessage()
    message["Subject"] = one_line(notification.title)
    message["From"] = settings.sender
    message["To"] = to
    message["Date"] = format_datetime(now)
    message["Message-ID"] = message_id(notification.id, settings.message_id_domain)
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(render_template(f"reminders/email/{template}.txt", **context))
    message.add_alternative(render_template(f"reminders/email/{template}.html", **context), subtype="html")
    return message


class LogMailer:
    """No MAIL_SERVER configured (development, ``make run``): write the message to the log."""

    def send(self, message: EmailMessage, to_address: str) -> None:
        headers = "".join(f"{name}: {value}\n" for name, value in message.items()
                          if name in ("From", "To", "Subject", "Date", "Message-ID"))
        text = message.get_body(("plain",))
        logger.info("mail to %s (no MAIL_SERVER: logged, not sent)\n%s\n%s", to_address, headers,
                    text.get_content() if text is not None else "")

    def close(self) -> None:
        pass


class SMTPMailer:
    """One SMTP connection per delivery run, opened at the first message. When the server
    cannot be reached, the rest of the run fails at once instead of waiting again."""

    def __init__(self, settings: MailSettings):
        self.settings = settings
        self.connection: smtplib.SMTP | None = None
        self.unreachable: Exception | None = None

    def _connect(self) -> smtplib.SMTP:
        if self.unreachable is not None:
            raise self.unreachable
        try:
            connection = smtplib.SMTP(self.settings.server, self.settings.port, timeout=self.settings.timeout)
            if self.settings.use_tls:
                connection.starttls()
            if self.settings.username:
                connection.login(self.settings.username, self.settings.password)
        except (OSError, smtplib.SMTPException) as error:
            self.unreachable = error
            raise
        return connection

    def send(self, message: EmailMessage, to_address: str) -> None:
        if self.connection is None:
            self.connection = self._connect()
        try:
            sender = message["From"].addresses[0].addr_spec if message["From"].addresses else self.settings.sender
            self.connection.send_message(message, from_addr=sender, to_addrs=[to_address])
        except smtplib.SMTPResponseException:
            raise  # the server answered (refused this one): the connection is still good
        except (OSError, smtplib.SMTPException):
            self.close()
            raise

    def close(self) -> None:
        if self.connection is not None:
            try:
                self.connection.quit()
            except (OSError, smtplib.SMTPException):
                pass
            self.connection = None


def mailer_for(settings: MailSettings):
    return SMTPMailer(settings) if settings.server else LogMailer()
