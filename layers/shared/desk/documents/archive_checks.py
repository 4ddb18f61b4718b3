"""Whether an uploaded file is also a ZIP archive: a ZIP with a PDF header, or a PDF or image with a ZIP
appended, is refused whatever its first bytes say."""

from __future__ import annotations

import struct
import zipfile
from typing import IO

__all__ = ["is_zip_archive"]


def is_zip_archive(body: IO[bytes]) -> bool:
    """True when the file is also a readable ZIP archive with at least one member.

    zipfile finds the end-of-central-directory record near the end of the file and accepts data before
    the archive (as self-extracting archives have), so a PDF header in front does not hide it.
    """
    try:
        body.seek(0)
        if not zipfile.is_zipfile(body):
            return False
        body.seek(0)
        with zipfile.ZipFile(body) as archive:
            return len(archive.infolist()) > 0
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError, struct.error):
        return False
    except (ArithmeticError, NotImplementedError):  # an offset too large to seek to; an unknown format
        return False
