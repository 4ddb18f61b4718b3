"""Routes grouped by area: a Powertools ``Router`` per area whose routes say who may call them and what
they answer. The resolver (``desk.api.http.resolve``) refuses a caller by a route's gate before anything
reads the body; the API document (``tools/openapi.py``) shows the roles, the answers and what a route
reads itself."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from aws_lambda_powertools.event_handler.api_gateway import Router

if TYPE_CHECKING:
    from aws_lambda_powertools.utilities.data_classes import APIGatewayProxyEvent
    from pydantic import BaseModel

    from desk.staff import StaffUser

# A check of the caller against the path's parameters: it raises DeskError to refuse (what it returns is
# not used).
PathCheck = Callable[["StaffUser", Mapping[str, str]], object]


@dataclass(frozen=True)
class Gate:
    """What a route asks of its caller and its body before the body is read."""

    signed_in: bool = False  # a staff member's token (401 without one)
    roles: frozenset[str] = frozenset()  # one of these roles (403 without); empty: any staff member
    check: PathCheck | None = None  # the caller against the path's request or task (403/404)
    max_body_bytes: int | None = None  # the body's limit when it is not the API's default


@dataclass(frozen=True)
class Documented:
    """What a route reads itself (after its gate), for the API document only."""

    body: type[BaseModel] | None = None
    csv_columns: Sequence[Any] = ()
    query: Mapping[str, dict[str, Any]] = field(default_factory=dict)
    path: Mapping[str, dict[str, Any]] = field(default_factory=dict)


class Area:
    """One area's routes. ``signed_in``: every route wants a staff member's token; ``roles``: the roles every
    route of the area wants unless the route names its own."""

    def __init__(self, *, signed_in: bool = False, roles: Iterable[str] = ()) -> None:
        self.router = Router()
        self.signed_in = signed_in or bool(roles)
        self.roles = frozenset(roles)
        self.gates: dict[str, Gate] = {}
        self.documented: dict[str, Documented] = {}

    @property
    def event(self) -> APIGatewayProxyEvent:
        return self.router.current_event  # type: ignore[return-value]

    def caller(self) -> StaffUser:
        """The staff member calling. Their gate has let them through; the area's roles are asked again
        here, and the use cases check what is theirs to check."""
        from desk import staff

        user = staff.from_event(self.event.raw_event)
        if self.roles:
            user.require(*sorted(self.roles))
        return user

    def get(self, path: str, **options: Any) -> Callable[[Any], Any]:
        return self.route("GET", path, **options)

    def post(self, path: str, **options: Any) -> Callable[[Any], Any]:
        return self.route("POST", path, **options)

    def put(self, path: str, **options: Any) -> Callable[[Any], Any]:
        return self.route("PUT", path, **options)

    def patch(self, path: str, **options: Any) -> Callable[[Any], Any]:
        return self.route("PATCH", path, **options)

    def delete(self, path: str, **options: Any) -> Callable[[Any], Any]:
        return self.route("DELETE", path, **options)

    def route(
        self,
        method: str | Sequence[str],
        path: str,
        *,
        roles: Iterable[str] | None = None,
        check: PathCheck | None = None,
        status: int = 200,
        answer: str = "done",
        model: type[BaseModel] | None = None,
        max_body_bytes: int | None = None,
        documented: Documented | None = None,
    ) -> Callable[[Any], Any]:
        """Register a route (``path`` in Powertools' ``<name>`` form). ``roles`` replaces the area's;
        ``status``, ``answer`` and ``model`` are its success answer (the model shown in the document)."""
        methods = [method] if isinstance(method, str) else list(method)
        needed = self.roles if roles is None else frozenset(roles)
        gate = Gate(
            signed_in=self.signed_in or bool(needed) or check is not None,
            roles=needed,
            check=check,
            max_body_bytes=max_body_bytes,
        )
        for verb in methods:
            key = route_key(verb, path)
            if gate != Gate():
                self.gates[key] = gate
            if documented is not None:
                self.documented[key] = documented
        # Without a model, Powertools shows the function's return annotation as the answer.
        responses = (
            {status: {"description": answer, "content": {"application/json": {"model": model}}}}
            if model is not None
            else None
        )
        return self.router.route(
            path,
            methods,
            status_code=status,
            responses=responses,  # type: ignore[arg-type]
            response_description=answer,
            openapi_extensions={"x-roles": sorted(needed)} if needed else None,
        )


def route_key(method: str, path: str) -> str:
    """``"METHOD /path/{name}"``, the form the API document and the gates use."""
    return f"{method.upper()} {re.sub(r'<([^>]+)>', r'{\1}', path)}"


def gates_of(areas: Iterable[Area]) -> dict[str, Gate]:
    return {key: gate for area in areas for key, gate in area.gates.items()}
