"""Creators of the site's CloudFront resources, which locally only record ids and names: the dev server
serves the pages and the API on one origin itself."""

from __future__ import annotations

from typing import Any

from desk_local.resources import Created, Creation, flag

_ORIGIN_ACCESS_CONTROL_SETTINGS = (
    "Name",
    "Description",
    "SigningProtocol",
    "SigningBehavior",
    "OriginAccessControlOriginType",
)
_BEHAVIOR_SETTINGS = (
    "PathPattern",
    "TargetOriginId",
    "ViewerProtocolPolicy",
    "CachePolicyId",
    "OriginRequestPolicyId",
    "ResponseHeadersPolicyId",
)


def origin_access_control(creation: Creation) -> Created:
    config = creation.props["OriginAccessControlConfig"]
    settings = {key: config[key] for key in _ORIGIN_ACCESS_CONTROL_SETTINGS if key in config}
    answer = creation.client("cloudfront").create_origin_access_control(OriginAccessControlConfig=settings)
    control_id = answer["OriginAccessControl"]["Id"]
    return creation.created(control_id, {"Id": control_id})


def function(creation: Creation) -> Created:
    # Stored, not run: locally the pages are served by the dev server, which maps paths the same way.
    props = creation.props
    name = props.get("Name", creation.default_name)
    config = props.get("FunctionConfig") or {}
    answer = creation.client("cloudfront").create_function(
        Name=name,
        FunctionConfig={
            "Comment": config.get("Comment", ""),
            "Runtime": config.get("Runtime", "cloudfront-js-2.0"),
        },
        FunctionCode=str(props["FunctionCode"]).encode(),
    )
    arn = answer["FunctionSummary"]["FunctionMetadata"]["FunctionARN"]
    return creation.created(
        arn, {"FunctionARN": arn, "FunctionMetadata.FunctionARN": arn, "Stage": "DEVELOPMENT"}
    )


def distribution(creation: Creation) -> Created:
    # Created so its id and domain resolve (outputs, deploy tooling); nothing is served through it.
    config = _distribution_config(creation.props["DistributionConfig"], creation.default_name)
    made = creation.client("cloudfront").create_distribution(DistributionConfig=config)["Distribution"]
    return creation.created(made["Id"], {"Id": made["Id"], "DomainName": made["DomainName"]})


def _quantity(items: list[Any]) -> dict[str, Any]:
    return {"Quantity": len(items), "Items": items}


def _distribution_config(config: dict[str, Any], caller_reference: str) -> dict[str, Any]:
    """The CloudFormation shape of a distribution in the API's shape (lists become Quantity/Items),
    for the settings this template uses; the rest is kept in the resource's properties only."""
    converted: dict[str, Any] = {
        "CallerReference": caller_reference,
        "Comment": str(config.get("Comment", "")),
        "Enabled": flag(config.get("Enabled", True)),
        "Origins": _quantity([_origin(o) for o in config["Origins"]]),
        "DefaultCacheBehavior": _cache_behavior(config["DefaultCacheBehavior"]),
        "CacheBehaviors": _quantity([_cache_behavior(b) for b in config.get("CacheBehaviors") or []]),
        "Aliases": _quantity(list(config.get("Aliases") or [])),
    }
    for key in ("DefaultRootObject", "PriceClass", "HttpVersion"):
        if key in config:
            converted[key] = config[key]
    if "IPV6Enabled" in config:
        converted["IsIPV6Enabled"] = flag(config["IPV6Enabled"])
    converted["ViewerCertificate"] = _viewer_certificate(
        config.get("ViewerCertificate") or {"CloudFrontDefaultCertificate": True}
    )
    return converted


def _cache_behavior(source: dict[str, Any]) -> dict[str, Any]:
    converted = {key: source[key] for key in _BEHAVIOR_SETTINGS if key in source}
    converted["Compress"] = flag(source.get("Compress", False))
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


def _origin(source: dict[str, Any]) -> dict[str, Any]:
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


def _viewer_certificate(certificate: dict[str, Any]) -> dict[str, Any]:
    if not certificate.get("AcmCertificateArn"):
        return {"CloudFrontDefaultCertificate": True}
    return {
        "ACMCertificateArn": certificate["AcmCertificateArn"],
        "SSLSupportMethod": certificate.get("SslSupportMethod", "sni-only"),
        "MinimumProtocolVersion": certificate.get("MinimumProtocolVersion", "TLSv1.2_2021"),
    }
