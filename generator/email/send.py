"""Deliver a composed message through SMTP: the edge, where the network is.

Every failure becomes a ``SendError`` whose message says what went wrong and
what to check, in the words of the settings (``email.smtp.host``,
``security: starttls``), never a traceback.
"""

from __future__ import annotations

import ipaddress
import smtplib
import socket
import ssl
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import getaddresses

from generator.email.compose import recipients
from generator.email.settings import SmtpSettings
from generator.problems import shorten


class SendError(Exception):
    """The message was not sent (or not to everyone); the text says why."""


@dataclass(frozen=True)
class Delivery:
    """What the server accepted."""

    server: str  # host:port (security)
    accepted: tuple[str, ...]
    refused: dict[str, str] = field(default_factory=dict)  # address -> the server's answer


def describe_server(smtp: SmtpSettings) -> str:
    security = {"starttls": "STARTTLS", "ssl": "SSL/TLS", "none": "no encryption"}[smtp.security]
    return f"{smtp.host}:{smtp.effective_port} ({security})"


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def readiness(message: EmailMessage, smtp: SmtpSettings, password: str | None) -> list[str]:
    """Why ``send`` would refuse to start, before any connection: missing settings, a password sent in clear."""
    problems = []
    if not smtp.host:
        problems.append("no SMTP server: set email.smtp.host in mkdocs.yml or give --smtp-host")
    if not message["From"]:
        problems.append("no sender: set email.from in mkdocs.yml or give --from")
    if not recipients(message):
        problems.append("no recipients: set email.to in mkdocs.yml or give --to")
    if smtp.user and not password:
        problems.append(
            f"email.smtp.user is {shorten(smtp.user)} but the environment variable {smtp.password_env} is not set; "
            f"export {smtp.password_env}=... (the password is never read from a file)"
        )
    if smtp.user and smtp.security == "none" and smtp.host and not _loopback(smtp.host):
        problems.append(
            f"refusing to send the SMTP password to {smtp.host} unencrypted; set email.smtp.security to starttls or ssl"
        )
    return problems


def _answer(code: int, text: bytes | str) -> str:
    words = text.decode("utf-8", "replace") if isinstance(text, bytes) else str(text)
    return f"{code} {shorten(' '.join(words.split()), 160)[1:-1]}"


def send(message: EmailMessage, smtp: SmtpSettings, password: str | None = None) -> Delivery:
    """Deliver ``message`` to its To, Cc and Bcc recipients; raises ``SendError`` saying why not."""
    problems = readiness(message, smtp, password)
    if problems:
        raise SendError("; ".join(problems))
    assert smtp.host is not None
    host, port = smtp.host, smtp.effective_port
    where = describe_server(smtp)
    to = recipients(message)
    try:
        if smtp.security == "ssl":
            client: smtplib.SMTP = smtplib.SMTP_SSL(host, port, timeout=smtp.timeout, context=ssl.create_default_context())
        else:
            client = smtplib.SMTP(host, port, timeout=smtp.timeout)
        with client:
            client.ehlo()
            if smtp.security == "starttls":
                if not client.has_extn("starttls"):
                    raise SendError(
                        f"{where} does not offer STARTTLS; set email.smtp.security to ssl (port 465) "
                        "or, for a server on this machine only, none"
                    )
                client.starttls(context=ssl.create_default_context())
                client.ehlo()
            if smtp.user:
                client.login(smtp.user, password or "")
            refused = client.send_message(message, to_addrs=to)
    except SendError:
        raise
    except ConnectionRefusedError:
        raise SendError(
            f"{where} refused the connection: is the SMTP server running, and are email.smtp.host and port right?"
        ) from None
    except socket.gaierror:
        raise SendError(f"cannot find the SMTP server {shorten(host)}: check email.smtp.host") from None
    except TimeoutError:
        raise SendError(f"{where} did not answer within {smtp.timeout:g} s") from None
    except ssl.SSLCertVerificationError as exc:
        raise SendError(f"the TLS certificate of {host} is not valid: {exc.verify_message}") from None
    except ssl.SSLError as exc:
        raise SendError(
            f"TLS with {where} failed ({exc.reason or exc}); security ssl usually means port 465, starttls port 587"
        ) from None
    except smtplib.SMTPNotSupportedError as exc:
        raise SendError(f"{where} does not support what was asked: {exc}") from None
    except smtplib.SMTPAuthenticationError as exc:
        raise SendError(f"{where} refused the login of {shorten(smtp.user)}: {_answer(exc.smtp_code, exc.smtp_error)}") from None
    except smtplib.SMTPSenderRefused as exc:
        raise SendError(f"{where} refused the sender {exc.sender}: {_answer(exc.smtp_code, exc.smtp_error)}") from None
    except smtplib.SMTPRecipientsRefused as exc:
        answers = "; ".join(f"{address}: {_answer(code, text)}" for address, (code, text) in exc.recipients.items())
        raise SendError(f"{where} refused every recipient ({answers})") from None
    except smtplib.SMTPResponseException as exc:
        raise SendError(f"{where} did not take the message: {_answer(exc.smtp_code, exc.smtp_error)}") from None
    except smtplib.SMTPServerDisconnected:
        raise SendError(f"{where} closed the connection before the message was sent") from None
    except smtplib.SMTPException as exc:
        raise SendError(f"{where}: {exc}") from None
    except OSError as exc:
        raise SendError(f"cannot reach {where}: {exc.strerror or exc}") from None
    refused_text = {address: _answer(code, text) for address, (code, text) in refused.items()}
    return Delivery(where, tuple(a for a in to if a not in refused_text), refused_text)


def sender_address(message: EmailMessage) -> str:
    """The bare From address (the envelope sender smtplib uses)."""
    found = getaddresses([str(message["From"] or "")])
    return found[0][1] if found else ""
