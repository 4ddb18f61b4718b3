"""What the local stack made of the template's resources, and what creating one of them needs."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from desk_local.template import Resolver, Translated

ACCOUNT_ID = "123456789012"
STACK_NAME = "epurchasing-desk-local"


@dataclass
class Created:
    logical_id: str
    type: str
    ref: str
    attributes: dict[str, str] = field(default_factory=dict)
    properties: dict[str, Any] = field(default_factory=dict)


@dataclass
class Provisioned:
    region: str
    parameters: dict[str, str]
    resources: dict[str, Created]

    def of_type(self, kind: str) -> list[Created]:
        return [r for r in self.resources.values() if r.type == kind]

    def ref(self, logical_id: str) -> str:
        return self.resources[logical_id].ref


@dataclass(frozen=True)
class Creation:
    """One resource about to be created: its resolved properties and the means to create it."""

    logical_id: str
    kind: str
    props: dict[str, Any]
    client: Callable[[str], Any]  # a boto3 client by service name, one per service
    region: str
    translated: Translated
    resolver: Resolver
    stack_name: str = STACK_NAME

    @property
    def default_name(self) -> str:
        return f"{self.stack_name}-{self.logical_id}"

    def arn(self, service: str, resource: str) -> str:
        return f"arn:aws:{service}:{self.region}:{ACCOUNT_ID}:{resource}"

    def created(
        self, ref: str, attributes: dict[str, str] | None = None, properties: dict[str, Any] | None = None
    ) -> Created:
        return Created(
            self.logical_id,
            self.kind,
            ref,
            attributes if attributes is not None else {},
            properties if properties is not None else self.props,
        )


Creator = Callable[[Creation], Created]


def flag(value: Any) -> bool:
    """A CloudFormation boolean: true, or the strings "true"/"false" a parameter or YAML may give."""
    return value is True or str(value).lower() == "true"
