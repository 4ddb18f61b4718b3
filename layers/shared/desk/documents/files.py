"""What the upload use cases need of the documents bucket: :class:`DocumentFiles`. S3's is
``desk.data.files.S3Files``; the tests hold an in-memory twin to the same behaviour suite."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from typing import IO, Protocol, TypedDict


class FileMissing(LookupError):
    """No file is stored under that key."""


class PresignedPost(TypedDict):
    """Where a browser posts one file, and the form fields it sends with it (the policy among them)."""

    url: str
    fields: dict[str, str]


class DocumentFiles(Protocol):
    def presigned_post(
        self, key: str, *, content_type: str, max_size: int, lifetime: timedelta
    ) -> PresignedPost:
        """A POST policy for one file at ``key``: of ``content_type``, 1 to ``max_size`` bytes, usable for
        ``lifetime`` (and again within it). Signed here, without a call."""
        ...

    def write(
        self,
        key: str,
        content: bytes | IO[bytes],
        *,
        content_type: str,
        metadata: Mapping[str, str] | None = None,
        sha256: str | None = None,
    ) -> None:
        """Store ``content`` at ``key`` (replacing what was there). With ``sha256`` (hex), the bytes
        that arrive must have that hash or nothing is stored."""
        ...

    def read(self, key: str) -> bytes:
        """The whole file; :class:`FileMissing` when there is none."""
        ...

    def read_into(self, key: str, sink: IO[bytes], *, limit: int) -> int:
        """Copy at most ``limit`` bytes of the file into ``sink``, a piece at a time; the number copied.
        :class:`FileMissing` when there is none."""
        ...

    def tag(self, key: str, tags: Mapping[str, str]) -> None:
        """Give the file these tags, replacing the ones it had; :class:`FileMissing` when there is none."""
        ...

    def tags_of(self, key: str) -> dict[str, str]:
        """The file's tags; :class:`FileMissing` when there is none."""
        ...

    def delete(self, key: str) -> None:
        """Remove the file; a file already gone is not an error."""
        ...

    def download_url(self, key: str, *, disposition: str, content_type: str, lifetime: timedelta) -> str:
        """A GET of the file usable for ``lifetime``, served with these ``Content-Disposition`` and
        ``Content-Type`` headers. Signed here, without a call: it does not say whether the file exists."""
        ...
