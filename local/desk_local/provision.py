"""Create every resource of the translated template in moto with plain boto3 calls.

Resources are created in dependency order, each one's properties resolved just before it is created,
so references to ids that moto makes up (user pools, secrets) resolve to the real values.
"""

from __future__ import annotations

from collections.abc import Callable
from graphlib import CycleError, TopologicalSorter
from typing import Any

from desk_local import create_cloudfront, create_compute, create_identity, create_storage
from desk_local.resources import ACCOUNT_ID, STACK_NAME, Created, Creation, Creator, Provisioned
from desk_local.template import Resolver, TemplateError, Translated, references

__all__ = ["ACCOUNT_ID", "RECORDED_ONLY", "STACK_NAME", "Created", "Provisioned", "provision"]

# Types the local stack records without creating (nothing in moto to create, or emulated elsewhere).
RECORDED_ONLY = {
    "AWS::Lambda::Permission",
    "AWS::Lambda::EventInvokeConfig",
    "AWS::Lambda::LayerVersion",
    "AWS::ApiGateway::RestApi",
    "AWS::ApiGateway::Deployment",
    "AWS::ApiGateway::Stage",
    # moto has no response headers policies; the local server sends the site's (desk_local.server).
    "AWS::CloudFront::ResponseHeadersPolicy",
    "AWS::SNS::Topic",
    "AWS::SNS::Subscription",
    "AWS::SQS::QueuePolicy",
    "AWS::Events::Rule",
    "AWS::Scheduler::Schedule",
    "AWS::GuardDuty::MalwareProtectionPlan",
    "AWS::SES::ConfigurationSet",
    "AWS::SES::ConfigurationSetEventDestination",
}


def _recorded(creation: Creation) -> Created:
    ref = {
        "AWS::ApiGateway::RestApi": "localapi",
        "AWS::ApiGateway::Stage": str(creation.props.get("StageName", "local")),
        "AWS::SES::ConfigurationSet": str(creation.props.get("Name", creation.default_name)),
    }.get(creation.kind, creation.default_name)
    attributes = {"Arn": creation.arn("local", creation.logical_id), "RootResourceId": "root"}
    if creation.kind == "AWS::Lambda::LayerVersion":
        ref = creation.arn("lambda", f"layer:{creation.logical_id}:1")
    return creation.created(ref, attributes)


CREATORS: dict[str, Creator] = {
    "AWS::DynamoDB::Table": create_storage.table,
    "AWS::S3::Bucket": create_storage.bucket,
    "AWS::S3::BucketPolicy": create_storage.bucket_policy,
    "AWS::SecretsManager::Secret": create_storage.secret,
    "AWS::SQS::Queue": create_storage.queue,
    "AWS::Cognito::UserPool": create_identity.user_pool,
    "AWS::Cognito::UserPoolClient": create_identity.user_pool_client,
    "AWS::Cognito::UserPoolDomain": create_identity.user_pool_domain,
    "AWS::Cognito::UserPoolGroup": create_identity.user_pool_group,
    "AWS::IAM::Role": create_identity.role,
    "AWS::Lambda::Function": create_compute.function,
    "AWS::Logs::LogGroup": create_compute.log_group,
    "AWS::CloudWatch::Alarm": create_compute.alarm,
    "AWS::CloudWatch::Dashboard": create_compute.dashboard,
    "AWS::SES::ReceiptRuleSet": create_compute.receipt_rule_set,
    "AWS::SES::ReceiptRule": create_compute.receipt_rule,
    "AWS::StepFunctions::StateMachine": create_compute.state_machine,
    "AWS::CloudFront::OriginAccessControl": create_cloudfront.origin_access_control,
    "AWS::CloudFront::Function": create_cloudfront.function,
    "AWS::CloudFront::Distribution": create_cloudfront.distribution,
    **dict.fromkeys(RECORDED_ONLY, _recorded),
}


def _parameters(translated: Translated, overrides: dict[str, str]) -> dict[str, str]:
    values: dict[str, str] = {}
    for name, spec in translated.parameters.items():
        value = overrides.get(name, spec.get("Default"))
        if value is None:
            raise TemplateError(f"parameter {name} has no default; give it a value")
        allowed = spec.get("AllowedValues")
        if allowed and str(value) not in [str(a) for a in allowed]:
            raise TemplateError(f"parameter {name}: {value!r} is not one of {allowed}")
        values[name] = str(value)
    unknown = set(overrides) - set(translated.parameters)
    if unknown:
        raise TemplateError(f"unknown parameters {sorted(unknown)}")
    return values


def _order(translated: Translated) -> list[str]:
    graph: dict[str, set[str]] = {}
    for logical_id, resource in translated.resources.items():
        deps = references(resource.get("Properties", {}))
        depends_on = resource.get("DependsOn") or []
        deps |= set([depends_on] if isinstance(depends_on, str) else depends_on)
        graph[logical_id] = {d for d in deps if d in translated.resources}
    try:
        return list(TopologicalSorter(graph).static_order())
    except CycleError as error:
        raise TemplateError(f"circular dependency between {error.args[1]}") from error


def _pseudo_parameters(region: str, stack_name: str) -> dict[str, str]:
    return {
        "AWS::Region": region,
        "AWS::AccountId": ACCOUNT_ID,
        "AWS::Partition": "aws",
        "AWS::StackName": stack_name,
        "AWS::StackId": f"arn:aws:cloudformation:{region}:{ACCOUNT_ID}:stack/{stack_name}/local",
        "AWS::URLSuffix": "amazonaws.com",
    }


class _CreatedSoFar:
    """The resources created so far, which Ref and Fn::GetAtt may name."""

    def __init__(self) -> None:
        self.resources: dict[str, Created] = {}

    def ref(self, logical_id: str) -> str:
        if logical_id not in self.resources:
            raise TemplateError(f"Ref to {logical_id}, which is not (yet) a resource of this template")
        return self.resources[logical_id].ref

    def get_att(self, logical_id: str, attribute: str) -> str:
        if logical_id not in self.resources:
            raise TemplateError(f"GetAtt {logical_id}.{attribute}: no such resource")
        attributes = self.resources[logical_id].attributes
        if attribute not in attributes:
            raise TemplateError(
                f"GetAtt {logical_id}.{attribute}: the local stack does not know this attribute"
            )
        return attributes[attribute]


def _clients(session: Any, region: str) -> Callable[[str], Any]:
    """A boto3 client by service name, made once per service."""
    clients: dict[str, Any] = {}

    def client(name: str) -> Any:
        if name not in clients:
            clients[name] = session.client(name, region_name=region)
        return clients[name]

    return client


def provision(
    translated: Translated,
    session: Any,
    region: str,
    overrides: dict[str, str] | None = None,
    stack_name: str = STACK_NAME,
) -> Provisioned:
    parameters = _parameters(translated, overrides or {})
    created = _CreatedSoFar()
    resolver = Resolver(
        parameters=parameters,
        pseudo=_pseudo_parameters(region, stack_name),
        conditions=translated.conditions,
        ref=created.ref,
        get_att=created.get_att,
    )
    client = _clients(session, region)
    for logical_id in _order(translated):
        resource = translated.resources[logical_id]
        condition = resource.get("Condition")
        if condition and not resolver.condition(condition):
            continue
        kind = resource["Type"]
        props = resolver.resolve(resource.get("Properties", {}), f"{logical_id} ({kind})")
        creation = Creation(logical_id, kind, props, client, region, translated, resolver, stack_name)
        created.resources[logical_id] = _create(creation)
    return Provisioned(region=region, parameters=parameters, resources=created.resources)


def _create(creation: Creation) -> Created:
    """Create one resource with its type's creator; a failure names the resource."""
    creator = CREATORS.get(creation.kind)
    if creator is None:
        raise TemplateError(
            f"{creation.logical_id}: the local stack does not know how to create {creation.kind}"
        )
    try:
        return creator(creation)
    except TemplateError:
        raise
    except Exception as error:
        raise TemplateError(
            f"{creation.logical_id} ({creation.kind}): could not be created locally: {error}"
        ) from error
