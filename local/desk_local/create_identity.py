"""Creators of who may do what: the Cognito user pool with its client, domain and groups, and IAM roles."""

from __future__ import annotations

import json
from typing import Any

from desk_local.resources import Created, Creation, flag

_POOL_SETTINGS = (
    "Policies",
    "Schema",
    "UsernameAttributes",
    "AutoVerifiedAttributes",
    "AdminCreateUserConfig",
    "MfaConfiguration",
)
_CLIENT_OAUTH_SETTINGS = (
    "AllowedOAuthFlows",
    "AllowedOAuthScopes",
    "CallbackURLs",
    "LogoutURLs",
    "SupportedIdentityProviders",
)


def user_pool(creation: Creation) -> Created:
    props, region = creation.props, creation.region
    args: dict[str, Any] = {"PoolName": props.get("UserPoolName", creation.default_name)}
    args.update({key: props[key] for key in _POOL_SETTINGS if key in props})
    if "Schema" in args:
        args["Schema"] = [
            {**attribute, "Mutable": bool(attribute.get("Mutable", True))} for attribute in args["Schema"]
        ]
    pool = creation.client("cognito-idp").create_user_pool(**args)["UserPool"]
    return creation.created(
        pool["Id"],
        {
            "Arn": pool["Arn"],
            "ProviderName": f"cognito-idp.{region}.amazonaws.com/{pool['Id']}",
            "ProviderURL": f"https://cognito-idp.{region}.amazonaws.com/{pool['Id']}",
            "UserPoolId": pool["Id"],
        },
    )


def user_pool_client(creation: Creation) -> Created:
    props = creation.props
    flows = list(props.get("ExplicitAuthFlows") or [])
    # The local sign-in (/_local/login) uses a password flow the deployed client does not allow.
    flows.append("ALLOW_USER_PASSWORD_AUTH")
    oauth = {key: props[key] for key in _CLIENT_OAUTH_SETTINGS if key in props}
    if "AllowedOAuthFlowsUserPoolClient" in props:
        oauth["AllowedOAuthFlowsUserPoolClient"] = flag(props["AllowedOAuthFlowsUserPoolClient"])
    answer = creation.client("cognito-idp").create_user_pool_client(
        UserPoolId=props["UserPoolId"],
        ClientName=props.get("ClientName", creation.logical_id),
        GenerateSecret=flag(props.get("GenerateSecret", False)),
        ExplicitAuthFlows=flows,
        **oauth,
    )
    return creation.created(answer["UserPoolClient"]["ClientId"])


def user_pool_domain(creation: Creation) -> Created:
    # The hosted UI is not emulated (the local console signs in through /_local/login); the domain is
    # recorded in moto so the outputs and the pages' settings resolve as in AWS.
    props = creation.props
    answer = creation.client("cognito-idp").create_user_pool_domain(
        Domain=props["Domain"], UserPoolId=props["UserPoolId"]
    )
    return creation.created(
        props["Domain"], {"CloudFrontDistribution": str(answer.get("CloudFrontDomain") or "")}
    )


def user_pool_group(creation: Creation) -> Created:
    props = creation.props
    creation.client("cognito-idp").create_group(
        UserPoolId=props["UserPoolId"],
        GroupName=props["GroupName"],
        Description=props.get("Description", ""),
    )
    return creation.created(props["GroupName"])


def role(creation: Creation) -> Created:
    props = creation.props
    name = props.get("RoleName", f"{creation.logical_id}"[:64])
    iam = creation.client("iam")
    made = iam.create_role(
        RoleName=name, AssumeRolePolicyDocument=json.dumps(props["AssumeRolePolicyDocument"])
    )
    for policy in props.get("Policies") or []:
        # IAM reads a document without Version as 2008-10-17; moto refuses those, so name it.
        document = {"Version": "2012-10-17", **policy["PolicyDocument"]}
        iam.put_role_policy(
            RoleName=name, PolicyName=policy["PolicyName"], PolicyDocument=json.dumps(document)
        )
    return creation.created(name, {"Arn": made["Role"]["Arn"], "RoleId": made["Role"]["RoleId"]})
