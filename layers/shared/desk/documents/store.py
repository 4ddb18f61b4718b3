"""What the upload use cases need of the records' storage: :class:`UploadRepository`. DynamoDB's is
``desk.data.uploads.UploadStore``; the tests hold an in-memory twin to the same behaviour suite."""

from __future__ import annotations

from typing import Any, Protocol


class CheckClaimLost(Exception):
    """The check's outcome was refused: its claim lapsed and another check took the upload, or the
    upload is no longer pending."""


class UploadRepository(Protocol):
    def create(self, record: dict[str, Any]) -> None: ...

    def load(self, upload_id: str) -> dict[str, Any] | None: ...

    def attach(self, upload_id: str, number: str, at: str) -> bool:
        """Make a checked upload the request's (as a request's own ``AttachUpload`` does); False when it
        is not accepted, someone's already, or past its attach window."""
        ...

    def claim_check(self, upload_id: str, *, token: str, until: str, now: str) -> bool:
        """Take the check of a pending upload until ``until``; False while another check holds it
        (or the upload was checked)."""
        ...

    def release_check(self, upload_id: str, token: str) -> None:
        """Give the claim back (only the holder's token does)."""
        ...

    def record_outcome(self, upload_id: str, token: str, fields: dict[str, Any]) -> None:
        """Set the outcome and end the claim, only while pending and held with ``token``; else
        :class:`CheckClaimLost`."""
        ...
