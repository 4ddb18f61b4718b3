"""Verify Cognito ID tokens the way API Gateway's user-pool authorizer does: signature, issuer,
audience, expiry and token use, against the pool's published keys (moto ships them)."""

from __future__ import annotations

import gzip
import json
import time
from functools import cache
from pathlib import Path
from typing import Any


class TokenRejected(Exception):
    pass


@cache
def _jwks() -> dict[str, Any]:
    import moto.cognitoidp

    path = Path(moto.cognitoidp.__file__).parent / "resources" / "jwks-public.json.gz"
    with gzip.open(path) as stream:
        return json.load(stream)


def verify_id_token(
    token: str, *, issuer: str, audiences: set[str], now: float | None = None
) -> dict[str, Any]:
    import jwt

    try:
        header = jwt.get_unverified_header(token)
    except jwt.PyJWTError as error:
        raise TokenRejected("malformed token") from error
    key_data = next((k for k in _jwks()["keys"] if k.get("kid") == header.get("kid")), None)
    if key_data is None:
        raise TokenRejected("unknown signing key")
    key = jwt.algorithms.RSAAlgorithm.from_jwk(json.dumps(key_data))
    try:
        claims: dict[str, Any] = jwt.decode(
            token,
            key=key,  # type: ignore[arg-type]
            algorithms=["RS256"],
            options={"verify_aud": False, "verify_exp": False},
        )
    except jwt.PyJWTError as error:
        raise TokenRejected(f"bad signature: {error}") from error
    if claims.get("iss") != issuer:
        raise TokenRejected("wrong issuer")
    if claims.get("token_use") != "id":
        raise TokenRejected("not an ID token")
    if claims.get("aud") not in audiences:
        raise TokenRejected("wrong audience")
    if float(claims.get("exp", 0)) < (time.time() if now is None else now):
        raise TokenRejected("expired")
    return claims


def claims_as_api_gateway_sends(claims: dict[str, Any]) -> dict[str, str]:
    """REST API authorizers hand claims to the function as strings; lists become "[a, b]"."""
    flattened: dict[str, str] = {}
    for name, value in claims.items():
        if isinstance(value, list):
            flattened[name] = "[" + ", ".join(str(v) for v in value) + "]"
        else:
            flattened[name] = str(value)
    return flattened
