"""Create every resource of the translated template in moto with plain boto3 calls.

Resources are created in dependency order, each one's properties resolved just before it is created,
so references to ids that moto makes up (user pools, secrets) resolve to the real values.
"""

from __future__ import annotations

import io
import json
import re
import secrets
import zipfile
from dataclasses import dataclass, field
from graphlib import CycleError, TopologicalSorter
from typing import Any

from desk_local.template import Resolver, TemplateError, Translated, references

ACCOUNT_ID = "123456789012"
STACK_NAME = "epurchasing-desk-local"

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


def _dummy_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("app.py", "def handler(event, context):\n    return event\n")
    return buffer.getvalue()


def provision(
    translated: Translated,
    session: Any,
    region: str,
    overrides: dict[str, str] | None = None,
    stack_name: str = STACK_NAME,
) -> Provisioned:
    parameters = _parameters(translated, overrides or {})
    created: dict[str, Created] = {}
    pseudo = {
        "AWS::Region": region,
        "AWS::AccountId": ACCOUNT_ID,
        "AWS::Partition": "aws",
        "AWS::StackName": stack_name,
        "AWS::StackId": f"arn:aws:cloudformation:{region}:{ACCOUNT_ID}:stack/{stack_name}/local",
        "AWS::URLSuffix": "amazonaws.com",
    }

    def ref(logical_id: str) -> str:
        if logical_id not in created:
            raise TemplateError(f"Ref to {logical_id}, which is not (yet) a resource of this template")
        return created[logical_id].ref

    def get_att(logical_id: str, attribute: str) -> str:
        if logical_id not in created:
            raise TemplateError(f"GetAtt {logical_id}.{attribute}: no such resource")
        attributes = created[logical_id].attributes
        if attribute not in attributes:
            raise TemplateError(
                f"GetAtt {logical_id}.{attribute}: the local stack does not know this attribute"
            )
        return attributes[attribute]

    resolver = Resolver(
        parameters=parameters, pseudo=pseudo, conditions=translated.conditions, ref=ref, get_att=get_att
    )
    clients: dict[str, Any] = {}

    def client(name: str) -> Any:
        if name not in clients:
            clients[name] = session.client(name, region_name=region)
        return clients[name]

    for logical_id in _order(translated):
        resource = translated.resources[logical_id]
        condition = resource.get("Condition")
        if condition and not resolver.condition(condition):
            continue
        kind = resource["Type"]
        props = resolver.resolve(resource.get("Properties", {}), f"{logical_id} ({kind})")
        try:
            created[logical_id] = _create(
                logical_id, kind, props, client, region, translated, resolver, stack_name
            )
        except TemplateError:
            raise
        except Exception as error:
            raise TemplateError(f"{logical_id} ({kind}): could not be created locally: {error}") from error
    return Provisioned(region=region, parameters=parameters, resources=created)


def _denies_plain_http(statement: dict[str, Any]) -> bool:
    condition = statement.get("Condition") or {}
    return statement.get("Effect") == "Deny" and "aws:SecureTransport" in json.dumps(condition)


def _arn(service: str, region: str, resource: str) -> str:
    return f"arn:aws:{service}:{region}:{ACCOUNT_ID}:{resource}"


def _create(
    logical_id: str,
    kind: str,
    props: dict[str, Any],
    client: Any,
    region: str,
    translated: Translated,
    resolver: Resolver,
    stack_name: str = STACK_NAME,
) -> Created:
    name_default = f"{stack_name}-{logical_id}"
    if kind == "AWS::DynamoDB::Table":
        name = props.get("TableName", name_default)
        args: dict[str, Any] = {
            "TableName": name,
            "KeySchema": props["KeySchema"],
            "AttributeDefinitions": props["AttributeDefinitions"],
            "BillingMode": props.get("BillingMode", "PAY_PER_REQUEST"),
        }
        if props.get("GlobalSecondaryIndexes"):
            args["GlobalSecondaryIndexes"] = props["GlobalSecondaryIndexes"]
        answer = client("dynamodb").create_table(**args)
        ttl = props.get("TimeToLiveSpecification")
        if ttl and ttl.get("Enabled"):
            client("dynamodb").update_time_to_live(TableName=name, TimeToLiveSpecification=ttl)
        arn = answer["TableDescription"]["TableArn"]
        return Created(logical_id, kind, name, {"Arn": arn, "StreamArn": f"{arn}/stream/local"}, props)
    if kind == "AWS::S3::Bucket":
        name = props.get("BucketName", name_default.lower())
        s3 = client("s3")
        if region == "us-east-1":
            s3.create_bucket(Bucket=name)
        else:
            s3.create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": region})
        if props.get("VersioningConfiguration"):
            s3.put_bucket_versioning(Bucket=name, VersioningConfiguration=props["VersioningConfiguration"])
        if props.get("BucketEncryption"):
            s3.put_bucket_encryption(
                Bucket=name,
                ServerSideEncryptionConfiguration={
                    "Rules": [
                        {"ApplyServerSideEncryptionByDefault": rule["ServerSideEncryptionByDefault"]}
                        for rule in props["BucketEncryption"]["ServerSideEncryptionConfiguration"]
                    ]
                },
            )
        if props.get("PublicAccessBlockConfiguration"):
            s3.put_public_access_block(
                Bucket=name, PublicAccessBlockConfiguration=props["PublicAccessBlockConfiguration"]
            )
        if props.get("LifecycleConfiguration"):
            rules = []
            for rule in props["LifecycleConfiguration"]["Rules"]:
                converted: dict[str, Any] = {
                    "ID": rule.get("Id", "rule"),
                    "Status": rule["Status"],
                    "Filter": {"Prefix": rule.get("Prefix", "")},
                }
                if "ExpirationInDays" in rule:
                    converted["Expiration"] = {"Days": rule["ExpirationInDays"]}
                if "NoncurrentVersionExpiration" in rule:
                    converted["NoncurrentVersionExpiration"] = {
                        "NoncurrentDays": rule["NoncurrentVersionExpiration"]["NoncurrentDays"]
                    }
                rules.append(converted)
            s3.put_bucket_lifecycle_configuration(Bucket=name, LifecycleConfiguration={"Rules": rules})
        if props.get("CorsConfiguration"):
            cors = [
                {
                    "AllowedMethods": r["AllowedMethods"],
                    "AllowedOrigins": r["AllowedOrigins"],
                    **({"AllowedHeaders": r["AllowedHeaders"]} if "AllowedHeaders" in r else {}),
                    **({"MaxAgeSeconds": r["MaxAge"]} if "MaxAge" in r else {}),
                }
                for r in props["CorsConfiguration"]["CorsRules"]
            ]
            s3.put_bucket_cors(Bucket=name, CORSConfiguration={"CORSRules": cors})
        notification = props.get("NotificationConfiguration")
        if notification and notification.get("LambdaConfigurations"):
            s3.put_bucket_notification_configuration(
                Bucket=name,
                NotificationConfiguration={
                    "LambdaFunctionConfigurations": [
                        {
                            "LambdaFunctionArn": c["Function"],
                            "Events": [c["Event"]],
                            **(
                                {"Filter": {"Key": {"FilterRules": c["Filter"]["S3Key"]["Rules"]}}}
                                if c.get("Filter")
                                else {}
                            ),
                        }
                        for c in notification["LambdaConfigurations"]
                    ]
                },
            )
        return Created(
            logical_id,
            kind,
            name,
            {
                "Arn": f"arn:aws:s3:::{name}",
                "DomainName": f"{name}.s3.amazonaws.com",
                "RegionalDomainName": f"{name}.s3.{region}.amazonaws.com",
            },
            props,
        )
    if kind == "AWS::S3::BucketPolicy":
        document = dict(props["PolicyDocument"])
        # moto sees every request as plain HTTP (its server is HTTP on loopback; in-process calls carry no
        # TLS either), so a TLS-only deny would refuse everything locally. AWS keeps it.
        document["Statement"] = [s for s in document["Statement"] if not _denies_plain_http(s)]
        client("s3").put_bucket_policy(Bucket=props["Bucket"], Policy=json.dumps(document))
        return Created(logical_id, kind, props["Bucket"], {}, props)
    if kind == "AWS::SecretsManager::Secret":
        name = props.get("Name", name_default)
        if "SecretString" in props:
            value = props["SecretString"]
        else:
            generate = props.get("GenerateSecretString") or {}
            generated = secrets.token_urlsafe(48)[: int(generate.get("PasswordLength", 32))]
            if generate.get("SecretStringTemplate"):
                data = json.loads(generate["SecretStringTemplate"])
                data[generate["GenerateStringKey"]] = generated
                value = json.dumps(data)
            else:
                value = generated
        answer = client("secretsmanager").create_secret(Name=name, SecretString=value)
        return Created(logical_id, kind, answer["ARN"], {"Id": answer["ARN"]}, props)
    if kind == "AWS::SQS::Queue":
        name = props.get("QueueName", name_default)
        url = client("sqs").create_queue(QueueName=name)["QueueUrl"]
        return Created(
            logical_id,
            kind,
            url,
            {"Arn": _arn("sqs", region, name), "QueueName": name, "QueueUrl": url},
            props,
        )
    if kind == "AWS::Cognito::UserPool":
        idp = client("cognito-idp")
        args = {"PoolName": props.get("UserPoolName", name_default)}
        for key in (
            "Policies",
            "Schema",
            "UsernameAttributes",
            "AutoVerifiedAttributes",
            "AdminCreateUserConfig",
            "MfaConfiguration",
        ):
            if key in props:
                args[key] = props[key]
        if "Schema" in args:
            args["Schema"] = [
                {**attribute, "Mutable": bool(attribute.get("Mutable", True))} for attribute in args["Schema"]
            ]
        pool = idp.create_user_pool(**args)["UserPool"]
        return Created(
            logical_id,
            kind,
            pool["Id"],
            {
                "Arn": pool["Arn"],
                "ProviderName": f"cognito-idp.{region}.amazonaws.com/{pool['Id']}",
                "ProviderURL": f"https://cognito-idp.{region}.amazonaws.com/{pool['Id']}",
                "UserPoolId": pool["Id"],
            },
            props,
        )
    if kind == "AWS::Cognito::UserPoolClient":
        flows = list(props.get("ExplicitAuthFlows") or [])
        # The local sign-in (/_local/login) uses a password flow the deployed client does not allow.
        flows.append("ALLOW_USER_PASSWORD_AUTH")
        oauth = {
            key: props[key]
            for key in (
                "AllowedOAuthFlows",
                "AllowedOAuthScopes",
                "CallbackURLs",
                "LogoutURLs",
                "SupportedIdentityProviders",
            )
            if key in props
        }
        if "AllowedOAuthFlowsUserPoolClient" in props:
            oauth["AllowedOAuthFlowsUserPoolClient"] = _flag(props["AllowedOAuthFlowsUserPoolClient"])
        answer = client("cognito-idp").create_user_pool_client(
            UserPoolId=props["UserPoolId"],
            ClientName=props.get("ClientName", logical_id),
            GenerateSecret=_flag(props.get("GenerateSecret", False)),
            ExplicitAuthFlows=flows,
            **oauth,
        )
        return Created(logical_id, kind, answer["UserPoolClient"]["ClientId"], {}, props)
    if kind == "AWS::Cognito::UserPoolDomain":
        # The hosted UI is not emulated (the local console signs in through /_local/login); the domain is
        # recorded in moto so the outputs and the pages' settings resolve as in AWS.
        answer = client("cognito-idp").create_user_pool_domain(
            Domain=props["Domain"], UserPoolId=props["UserPoolId"]
        )
        return Created(
            logical_id,
            kind,
            props["Domain"],
            {"CloudFrontDistribution": str(answer.get("CloudFrontDomain") or "")},
            props,
        )
    if kind == "AWS::Cognito::UserPoolGroup":
        client("cognito-idp").create_group(
            UserPoolId=props["UserPoolId"],
            GroupName=props["GroupName"],
            Description=props.get("Description", ""),
        )
        return Created(logical_id, kind, props["GroupName"], {}, props)
    if kind == "AWS::IAM::Role":
        name = props.get("RoleName", f"{logical_id}"[:64])
        iam = client("iam")
        role = iam.create_role(
            RoleName=name, AssumeRolePolicyDocument=json.dumps(props["AssumeRolePolicyDocument"])
        )
        for policy in props.get("Policies") or []:
            # IAM reads a document without Version as 2008-10-17; moto refuses those, so name it.
            document = {"Version": "2012-10-17", **policy["PolicyDocument"]}
            iam.put_role_policy(
                RoleName=name, PolicyName=policy["PolicyName"], PolicyDocument=json.dumps(document)
            )
        return Created(
            logical_id, kind, name, {"Arn": role["Role"]["Arn"], "RoleId": role["Role"]["RoleId"]}, props
        )
    if kind == "AWS::Lambda::Function":
        name = props.get("FunctionName", name_default)[:64]
        if logical_id not in translated.code_dirs:
            raise TemplateError(
                f"{logical_id}: the local stack runs only functions whose code is in this repository"
            )
        answer = client("lambda").create_function(
            FunctionName=name,
            Runtime=props.get("Runtime", "python3.13"),
            Role=props["Role"],
            Handler=props["Handler"],
            Code={"ZipFile": _dummy_zip()},
            Timeout=int(props.get("Timeout", 3)),
            MemorySize=int(props.get("MemorySize", 128)),
            Environment={"Variables": (props.get("Environment") or {}).get("Variables", {})},
        )
        return Created(logical_id, kind, name, {"Arn": answer["FunctionArn"]}, props)
    if kind == "AWS::Logs::LogGroup":
        name = props.get("LogGroupName", f"/aws/{logical_id}")
        client("logs").create_log_group(logGroupName=name)
        if props.get("RetentionInDays"):
            client("logs").put_retention_policy(
                logGroupName=name, retentionInDays=int(props["RetentionInDays"])
            )
        return Created(logical_id, kind, name, {"Arn": _arn("logs", region, f"log-group:{name}")}, props)
    if kind == "AWS::CloudWatch::Alarm":
        name = props.get("AlarmName", name_default)
        client("cloudwatch").put_metric_alarm(**_alarm(name, props))
        return Created(logical_id, kind, name, {"Arn": _arn("cloudwatch", region, f"alarm:{name}")}, props)
    if kind == "AWS::CloudWatch::Dashboard":
        name = props.get("DashboardName", name_default)
        client("cloudwatch").put_dashboard(DashboardName=name, DashboardBody=props["DashboardBody"])
        return Created(logical_id, kind, name, {}, props)
    if kind == "AWS::SES::ReceiptRuleSet":
        name = props.get("RuleSetName", name_default)
        ses = client("ses")
        ses.create_receipt_rule_set(RuleSetName=name)
        ses.set_active_receipt_rule_set(RuleSetName=name)  # in AWS: once, by hand (one active set per region)
        return Created(logical_id, kind, name, {}, props)
    if kind == "AWS::SES::ReceiptRule":
        client("ses").create_receipt_rule(RuleSetName=props["RuleSetName"], Rule=props["Rule"])
        return Created(logical_id, kind, props["Rule"]["Name"], {}, props)
    if kind == "AWS::StepFunctions::StateMachine":
        definition = _state_machine_definition(logical_id, props, translated, resolver)
        name = props.get("StateMachineName", name_default)
        answer = client("stepfunctions").create_state_machine(
            name=name,
            definition=json.dumps(definition),
            roleArn=props["RoleArn"],
            type=props.get("StateMachineType", "STANDARD"),
        )
        return Created(
            logical_id,
            kind,
            answer["stateMachineArn"],
            {"Arn": answer["stateMachineArn"], "Name": name},
            {**props, "Definition": definition},
        )
    if kind == "AWS::CloudFront::OriginAccessControl":
        config = props["OriginAccessControlConfig"]
        answer = client("cloudfront").create_origin_access_control(
            OriginAccessControlConfig={
                key: config[key]
                for key in (
                    "Name",
                    "Description",
                    "SigningProtocol",
                    "SigningBehavior",
                    "OriginAccessControlOriginType",
                )
                if key in config
            }
        )
        control_id = answer["OriginAccessControl"]["Id"]
        return Created(logical_id, kind, control_id, {"Id": control_id}, props)
    if kind == "AWS::CloudFront::Function":
        # Stored, not run: locally the pages are served by the dev server, which maps paths the same way.
        name = props.get("Name", name_default)
        config = props.get("FunctionConfig") or {}
        answer = client("cloudfront").create_function(
            Name=name,
            FunctionConfig={
                "Comment": config.get("Comment", ""),
                "Runtime": config.get("Runtime", "cloudfront-js-2.0"),
            },
            FunctionCode=str(props["FunctionCode"]).encode(),
        )
        arn = answer["FunctionSummary"]["FunctionMetadata"]["FunctionARN"]
        return Created(
            logical_id,
            kind,
            arn,
            {"FunctionARN": arn, "FunctionMetadata.FunctionARN": arn, "Stage": "DEVELOPMENT"},
            props,
        )
    if kind == "AWS::CloudFront::Distribution":
        # Created so its id and domain resolve (outputs, deploy tooling); nothing is served through it
        # locally: the dev server serves the pages and the API on one origin itself.
        config = _distribution_config(props["DistributionConfig"], f"{stack_name}-{logical_id}")
        distribution = client("cloudfront").create_distribution(DistributionConfig=config)["Distribution"]
        return Created(
            logical_id,
            kind,
            distribution["Id"],
            {"Id": distribution["Id"], "DomainName": distribution["DomainName"]},
            props,
        )
    if kind in RECORDED_ONLY:
        ref = {
            "AWS::ApiGateway::RestApi": "localapi",
            "AWS::ApiGateway::Stage": str(props.get("StageName", "local")),
            "AWS::SES::ConfigurationSet": str(props.get("Name", name_default)),
        }.get(kind, name_default)
        attributes = {"Arn": _arn("local", region, logical_id), "RootResourceId": "root"}
        if kind == "AWS::Lambda::LayerVersion":
            ref = _arn("lambda", region, f"layer:{logical_id}:1")
        return Created(logical_id, kind, ref, attributes, props)
    raise TemplateError(f"{logical_id}: the local stack does not know how to create {kind}")


def _alarm(name: str, props: dict[str, Any]) -> dict[str, Any]:
    """PutMetricAlarm's arguments from the template's properties (the same names; numbers as numbers)."""
    numbers = {"Period": int, "EvaluationPeriods": int, "DatapointsToAlarm": int, "Threshold": float}
    alarm: dict[str, Any] = {"AlarmName": name}
    for key, value in props.items():
        if key == "AlarmName":
            continue
        alarm[key] = numbers[key](value) if key in numbers else value
    for metric in alarm.get("Metrics", []):
        if "MetricStat" in metric:
            metric["MetricStat"]["Period"] = int(metric["MetricStat"]["Period"])
        if "ReturnData" in metric:
            metric["ReturnData"] = _flag(metric["ReturnData"])
    return alarm


def _flag(value: Any) -> bool:
    """A CloudFormation boolean: true, or the strings "true"/"false" a parameter or YAML may give."""
    return value is True or str(value).lower() == "true"


def _quantity(items: list[Any]) -> dict[str, Any]:
    return {"Quantity": len(items), "Items": items}


def _distribution_config(config: dict[str, Any], caller_reference: str) -> dict[str, Any]:
    """The CloudFormation shape of a distribution in the API's shape (lists become Quantity/Items),
    for the settings this template uses; the rest is kept in the resource's properties only."""

    def behavior(source: dict[str, Any]) -> dict[str, Any]:
        converted = {
            key: source[key]
            for key in (
                "PathPattern",
                "TargetOriginId",
                "ViewerProtocolPolicy",
                "CachePolicyId",
                "OriginRequestPolicyId",
                "ResponseHeadersPolicyId",
            )
            if key in source
        }
        converted["Compress"] = _flag(source.get("Compress", False))
        converted["AllowedMethods"] = {
            **_quantity(list(source.get("AllowedMethods") or ["GET", "HEAD"])),
            "CachedMethods": _quantity(list(source.get("CachedMethods") or ["GET", "HEAD"])),
        }
        functions = source.get("FunctionAssociations") or []
        if functions:
            converted["FunctionAssociations"] = _quantity(
                [{"FunctionARN": f["FunctionARN"], "EventType": f["EventType"]} for f in functions]
            )
        return converted

    def origin(source: dict[str, Any]) -> dict[str, Any]:
        converted: dict[str, Any] = {
            "Id": source["Id"],
            "DomainName": source["DomainName"],
            "OriginPath": source.get("OriginPath", ""),
        }
        if "OriginAccessControlId" in source:
            converted["OriginAccessControlId"] = source["OriginAccessControlId"]
        if "S3OriginConfig" in source:
            identity = (source["S3OriginConfig"] or {}).get("OriginAccessIdentity", "")
            converted["S3OriginConfig"] = {"OriginAccessIdentity": identity}
        if "CustomOriginConfig" in source:
            custom = source["CustomOriginConfig"]
            converted["CustomOriginConfig"] = {
                "HTTPPort": int(custom.get("HTTPPort", 80)),
                "HTTPSPort": int(custom.get("HTTPSPort", 443)),
                "OriginProtocolPolicy": custom["OriginProtocolPolicy"],
                "OriginSslProtocols": _quantity(list(custom.get("OriginSSLProtocols") or ["TLSv1.2"])),
            }
        return converted

    converted: dict[str, Any] = {
        "CallerReference": caller_reference,
        "Comment": str(config.get("Comment", "")),
        "Enabled": _flag(config.get("Enabled", True)),
        "Origins": _quantity([origin(o) for o in config["Origins"]]),
        "DefaultCacheBehavior": behavior(config["DefaultCacheBehavior"]),
        "CacheBehaviors": _quantity([behavior(b) for b in config.get("CacheBehaviors") or []]),
        "Aliases": _quantity(list(config.get("Aliases") or [])),
    }
    for key in ("DefaultRootObject", "PriceClass", "HttpVersion"):
        if key in config:
            converted[key] = config[key]
    if "IPV6Enabled" in config:
        converted["IsIPV6Enabled"] = _flag(config["IPV6Enabled"])
    certificate = config.get("ViewerCertificate") or {"CloudFrontDefaultCertificate": True}
    if certificate.get("AcmCertificateArn"):
        converted["ViewerCertificate"] = {
            "ACMCertificateArn": certificate["AcmCertificateArn"],
            "SSLSupportMethod": certificate.get("SslSupportMethod", "sni-only"),
            "MinimumProtocolVersion": certificate.get("MinimumProtocolVersion", "TLSv1.2_2021"),
        }
    else:
        converted["ViewerCertificate"] = {"CloudFrontDefaultCertificate": True}
    return converted


def _state_machine_definition(
    logical_id: str, props: dict[str, Any], translated: Translated, resolver: Resolver
) -> dict[str, Any]:
    owner = next((k for k in translated.definitions if logical_id.startswith(k)), None)
    if owner is None:
        raw = props.get("DefinitionString") or props.get("Definition")
        return json.loads(raw) if isinstance(raw, str) else dict(raw or {})
    substitutions = resolver.resolve(
        translated.substitutions.get(owner, {}), f"{owner} DefinitionSubstitutions"
    )
    text = json.dumps(translated.definitions[owner])
    for name, value in substitutions.items():
        text = text.replace("${" + name + "}", str(value).replace("\\", "\\\\").replace('"', '\\"'))
    leftover = set(re.findall(r"\$\{([A-Za-z0-9_]+)\}", text))
    if leftover:
        raise TemplateError(f"{owner}: DefinitionSubstitutions lacks {sorted(leftover)}")
    return json.loads(text)
