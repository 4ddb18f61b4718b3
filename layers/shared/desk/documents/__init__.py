"""Documents: what may be uploaded, the checks a file passes before it is served, and safe filenames.

Pure rules: no AWS, no environment, no clock. The names below are loaded on first use, so importing
the package (or ``purposes`` and ``filenames``) does not import pypdf; only ``checks`` does.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from desk.documents.checks import CheckLimits, CheckResult, check_file, sniff_type
    from desk.documents.filenames import content_disposition, has_meaningful_name, safe_filename
    from desk.documents.purposes import PURPOSES, Purpose, PurposeRule, UploadSpec, validate_upload_request

_HOMES = {
    "CheckLimits": "checks",
    "CheckResult": "checks",
    "check_file": "checks",
    "sniff_type": "checks",
    "content_disposition": "filenames",
    "has_meaningful_name": "filenames",
    "safe_filename": "filenames",
    "PURPOSES": "purposes",
    "Purpose": "purposes",
    "PurposeRule": "purposes",
    "UploadSpec": "purposes",
    "validate_upload_request": "purposes",
}

__all__ = [
    "PURPOSES",
    "CheckLimits",
    "CheckResult",
    "Purpose",
    "PurposeRule",
    "UploadSpec",
    "check_file",
    "content_disposition",
    "has_meaningful_name",
    "safe_filename",
    "sniff_type",
    "validate_upload_request",
]


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{home}"), name)
