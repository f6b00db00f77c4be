"""A real SMTP server for the tests (aiosmtpd on a free loopback port) that keeps what it is sent.

``refuse(n, code)`` makes it answer the next ``n`` mails with ``code`` (451: try later; 550:
refused) at DATA, as a server that is full or misconfigured does, and ``refusing`` (a code, or
None) every mail until it is cleared; ``stop()`` and ``start()`` take it down and bring it back
on the same port.
"""

from __future__ import annotations

import email
import email.policy
import threading
import time
from email.message import EmailMessage

from aiosmtpd.controller import Controller

from tools.stack import free_port


class _Handler:
    def __init__(self, server: MailServer):
        self._server = server

    async def handle_RCPT(self, _server, _session, envelope, address, _options):
        return self._server._recipient(envelope, address)

    async def handle_DATA(self, _server, _session, envelope):
        return self._server._receive(envelope)


class MailServer:
    """The server, its received messages (parsed) and their envelopes' recipients."""

    def __init__(self):
        self.port = free_port()
        self.messages: list[EmailMessage] = []
        self.recipients: list[list[str]] = []
        self.refused = 0
        self.refusing: str | None = None
        self._refusals: list[str] = []
        self._recipient_refusals: list[str] = []
        self._lock = threading.Lock()
        self._controller: Controller | None = None

    def start(self) -> MailServer:
        self._controller = Controller(_Handler(self), hostname="127.0.0.1", port=self.port)
        self._controller.start()
        return self

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def refuse(self, count: int, code: str = "451 4.3.0 Try again later") -> None:
        """Answer the next ``count`` mails with ``code`` instead of taking them."""
        with self._lock:
            self._refusals.extend([code] * count)

    def refuse_recipients(self, count: int, code: str = "550 5.1.1 No such mailbox") -> None:
        """Refuse the recipient of the next ``count`` mails (at RCPT, which names the address)."""
        with self._lock:
            self._recipient_refusals.extend([code] * count)

    def _recipient(self, envelope, address: str) -> str:
        with self._lock:
            if self._recipient_refusals:
                self.refused += 1
                return self._recipient_refusals.pop(0)
        envelope.rcpt_tos.append(address)
        return "250 OK"

    def _receive(self, envelope) -> str:
        with self._lock:
            if self._refusals or self.refusing:
                self.refused += 1
                return self._refusals.pop(0) if self._refusals else str(self.refusing)
            message = email.message_from_bytes(envelope.content, policy=email.policy.default)
            self.messages.append(message)  # type: ignore[arg-type]
            self.recipients.append(list(envelope.rcpt_tos))
        return "250 OK"

    def to(self, address: str) -> list[EmailMessage]:
        """The messages whose envelope named ``address``."""
        with self._lock:
            return [m for m, rcpt in zip(self.messages, self.recipients, strict=True) if address in rcpt]

    def wait_for(self, address: str, count: int = 1, seconds: float = 30) -> list[EmailMessage]:
        """The first ``count`` messages to ``address``, once they have arrived."""
        deadline = time.monotonic() + seconds
        while len(self.to(address)) < count:
            assert time.monotonic() < deadline, f"{count} mail(s) to {address} did not arrive in time"
            time.sleep(0.1)
        return self.to(address)


def parts(message: EmailMessage) -> tuple[str, str]:
    """The plain text and the HTML of a message."""
    text = message.get_body(preferencelist=("plain",))
    html = message.get_body(preferencelist=("html",))
    assert text is not None and html is not None, "a mail has both a plain text and an HTML part"
    return text.get_content(), html.get_content()
