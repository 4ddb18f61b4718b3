"""What sending mail needs of SES: :class:`Mailer`. SES's is ``desk.data.mailer.SesMailer``; the tests hold
an in-memory twin to the same behaviour suite."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol


class MessageRejected(Exception):
    """SES refused the message and will refuse it again (a sender it has not verified, a message it cannot
    take): not worth a retry. Named as SES names the refusal, which the request log records."""


class Mailer(Protocol):
    def send(self, sender: str, to: Sequence[str], raw: bytes) -> None:
        """Send a message built whole (``raw`` MIME, its headers included) from ``sender`` to ``to``;
        :class:`MessageRejected` when SES refuses it."""
        ...
