"""Domain errors with stable names.

Each error has a machine code (the contract's ``error.code``) and an HTTP status, mapped to a response in
one place (``desk.api.errors``). State machines catch them by class name (``"ErrorEquals": ["NotFound"]``).
"""

from __future__ import annotations

from collections.abc import Mapping


class DeskError(Exception):
    """Base of every error the desk raises on purpose."""

    status = 400
    code = "bad_request"

    def __init__(self, message: str, *, fields: Mapping[str, str] | None = None, code: str | None = None):
        super().__init__(message)
        self.message = message
        self.fields = dict(fields or {})
        if code is not None:
            self.code = code


class InvalidInput(DeskError):
    status = 400
    code = "invalid_input"


class Unauthorized(DeskError):
    status = 401
    code = "unauthorized"


class Forbidden(DeskError):
    status = 403
    code = "forbidden"


class NotFound(DeskError):
    status = 404
    code = "not_found"


class MethodNotAllowed(DeskError):
    status = 405
    code = "method_not_allowed"


class Conflict(DeskError):
    status = 409
    code = "conflict"


class Gone(DeskError):
    status = 410
    code = "gone"


class TooLarge(DeskError):
    status = 413
    code = "too_large"


class UnsupportedMediaType(DeskError):
    status = 415
    code = "unsupported_media_type"


class RuleViolation(DeskError):
    """Well-formed input refused by a rule (an unknown contract, a Saturday made working)."""

    status = 422
    code = "rule_violation"


class TooManyRequests(DeskError):
    status = 429
    code = "too_many_requests"
