"""Staff accounts: who works at the desk, in which unit, with which roles."""

from __future__ import annotations

from typing import Any

from desk import clock
from desk.admin import users
from desk.api.admin.reading import body, segment
from desk.api.routes import Area, Documented

AREA = Area(roles={"admin"})


@AREA.get("/staff/admin/users")
def list_users() -> dict[str, Any]:
    return users.list_users()


@AREA.post(
    "/staff/admin/users", status=201, answer="the invited user", documented=Documented(body=users.InviteForm)
)
def invite_user() -> dict[str, Any]:
    return users.invite_user(body(AREA.event), user=AREA.caller(), now=clock.now())


@AREA.patch("/staff/admin/users/<email>", documented=Documented(body=users.UserChange))
def update_user(email: str) -> dict[str, Any]:
    return users.update_user(segment(email), body(AREA.event), user=AREA.caller(), now=clock.now())
