"""The site in template.yaml: the pages from a private bucket behind CloudFront with the API on the same
origin, the staff console's hosted sign-in, the local stack still provisioning it all, and the deploy
tool that publishes web/ (against moto)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import deploy_site
import pytest

from desk_local.stack import LocalDesk
from desk_local.template import Translated

ROOT = Path(__file__).resolve().parents[2]
WEB = ROOT / "web"
CACHING_OPTIMIZED = "658327ea-f89d-4fab-a63d-7e88639e58f6"
CACHING_DISABLED = "4135ea2d-6df8-44a3-9df3-4b5a84be39ad"
ALL_VIEWER_EXCEPT_HOST = "b689b0a8-53d0-40ab-baf2-68738e2966ac"
SITE_URL = "https://layanan.example.test"
ALL_METHODS = {"GET", "HEAD", "OPTIONS", "PUT", "PATCH", "POST", "DELETE"}
# What the pages call (with sample values) and what they are; the tests also read every route and file.
PAGES_CALL = {
    "/tickets",
    "/tickets/sample-1",
    "/registrations",
    "/training-requests",
    "/payment-proofs",
    "/uploads",
    "/lpse",
    "/openapi.json",
    "/approvals/sample-1",
    "/staff/me",
    "/staff/queue",
    "/staff/tickets/sample-1",
    "/staff/tasks",
    "/staff/calls",
    "/staff/walk-ins",
    "/staff/letters",
    "/staff/calendar",
    "/staff/training/sessions",
    "/staff/admin/units",
}
STATIC = {
    "/status",
    "/complaint",
    "/staff/",
    "/staff",
    "/staff/index.html",
    "/staff/console.js",
    "/staff/views/intake.js",
    "/assets/desk.css",
}


def _props(translated: Translated, logical_id: str) -> dict[str, Any]:
    return dict(translated.resources[logical_id]["Properties"])


def _distribution(translated: Translated) -> dict[str, Any]:
    (distribution,) = [
        r for r in translated.resources.values() if r["Type"] == "AWS::CloudFront::Distribution"
    ]
    return dict(distribution["Properties"]["DistributionConfig"])


def _pattern_matches(pattern: str, path: str) -> bool:
    """CloudFront's path patterns: case-sensitive, ``*`` any run of characters (``/`` included), ``?``
    exactly one, the whole path; a pattern without a leading ``/`` means the same with one."""
    if not pattern.startswith("/"):
        pattern = "/" + pattern
    regex = "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern)
    return re.fullmatch(regex, path) is not None


def _behaviour(config: dict[str, Any], path: str) -> dict[str, Any]:
    for behaviour in config.get("CacheBehaviors") or []:
        if _pattern_matches(behaviour["PathPattern"], path):
            return dict(behaviour)
    return dict(config["DefaultCacheBehavior"])


def _origins(config: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {o["Id"]: o for o in config["Origins"]}


def _api_origin_id(config: dict[str, Any]) -> str:
    (origin_id,) = [o["Id"] for o in config["Origins"] if "CustomOriginConfig" in o]
    return str(origin_id)


def _referred(value: Any) -> list[str]:
    if isinstance(value, dict) and "Ref" in value:
        return [value["Ref"]]
    if isinstance(value, dict) and "Fn::GetAtt" in value:
        return [value["Fn::GetAtt"][0]]
    return []


def _routes() -> set[str]:
    """Every path the API answers, with sample values in its parameters: the API document (which a unit
    test keeps equal to the routes of the functions) and the API events of the template."""
    document = json.loads((ROOT / "layers/shared/desk/api/openapi.json").read_text())
    paths = {re.sub(r"\{[^}]+\}", "sample-1", path) for path in document["paths"]}
    from samtranslator.yaml_helper import yaml_parse

    template = yaml_parse((ROOT / "template.yaml").read_text())
    for resource in template["Resources"].values():
        for event in (resource.get("Properties") or {}).get("Events", {}).values():
            if event["Type"] == "Api":
                paths.add(re.sub(r"\{[^}]+\}", "sample-1", event["Properties"]["Path"]))
    return paths


def _static_paths() -> set[str]:
    """Every file of web/ by its key, and each page by its extensionless address."""
    paths = {"/", "/config.json"}
    for path in WEB.rglob("*"):
        if path.is_file():
            key = "/" + path.relative_to(WEB).as_posix()
            paths.add(key)
            if key.endswith("/index.html"):
                paths.add(key.removesuffix("index.html"))
            elif key.endswith(".html"):
                paths.add(key.removesuffix(".html"))
    return paths


# --- the template ----------------------------------------------------------------------------------


def test_the_site_bucket_is_its_own_private_encrypted_versioned_tls_only(translated: Translated) -> None:
    site, documents = _props(translated, "SiteBucket"), _props(translated, "DocumentsBucket")
    assert site["BucketName"] != documents["BucketName"]
    assert "-site-" in site["BucketName"]["Fn::Sub"]
    assert set(site["PublicAccessBlockConfiguration"].values()) == {True}
    assert site["BucketEncryption"]["ServerSideEncryptionConfiguration"]
    assert site["VersioningConfiguration"] == {"Status": "Enabled"}
    assert "WebsiteConfiguration" not in site  # served through CloudFront only

    policy = _props(translated, "SiteBucketPolicy")
    assert policy["Bucket"] == {"Ref": "SiteBucket"}
    statements = policy["PolicyDocument"]["Statement"]
    deny = [s for s in statements if s["Effect"] == "Deny"]
    assert deny and deny[0]["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}
    reads = [s for s in statements if s["Effect"] == "Allow" and s["Action"] == "s3:GetObject"]
    assert len(reads) == 1
    assert reads[0]["Principal"] == {"Service": "cloudfront.amazonaws.com"}
    source = reads[0]["Condition"]["StringEquals"]["AWS:SourceArn"]["Fn::Sub"]
    assert source.endswith(":distribution/${SiteDistribution}")
    for statement in statements:
        assert statement["Principal"] != "*" or statement["Effect"] == "Deny"


def test_the_distribution_reads_the_site_bucket_through_origin_access_control(translated: Translated) -> None:
    config = _distribution(translated)
    assert config["DefaultRootObject"] == "index.html"
    default = config["DefaultCacheBehavior"]
    origin = _origins(config)[default["TargetOriginId"]]
    assert origin["DomainName"] == {"Fn::GetAtt": ["SiteBucket", "RegionalDomainName"]}
    assert origin["S3OriginConfig"] == {"OriginAccessIdentity": ""}
    (control_id,) = _referred(origin["OriginAccessControlId"])
    control = translated.resources[control_id]
    assert control["Type"] == "AWS::CloudFront::OriginAccessControl"
    settings = control["Properties"]["OriginAccessControlConfig"]
    assert (settings["OriginAccessControlOriginType"], settings["SigningProtocol"]) == ("s3", "sigv4")
    assert settings["SigningBehavior"] == "always"
    assert default["ViewerProtocolPolicy"] == "redirect-to-https"
    assert default["Compress"] is True
    assert default["CachePolicyId"] == CACHING_OPTIMIZED
    # the documents bucket is never an origin
    for other in config["Origins"]:
        assert "DocumentsBucket" not in json.dumps(other)


def test_the_api_origin_is_the_rest_api_stage_over_https(translated: Translated) -> None:
    config = _distribution(translated)
    origin = _origins(config)[_api_origin_id(config)]
    assert origin["DomainName"]["Fn::Sub"].startswith("${DeskApi}.execute-api.${AWS::Region}.")
    assert origin["OriginPath"] == {"Fn::Sub": "/${Stage}"}
    assert origin["CustomOriginConfig"]["OriginProtocolPolicy"] == "https-only"


def test_every_api_path_goes_to_the_api_uncached_with_every_method(translated: Translated) -> None:
    config = _distribution(translated)
    api = _api_origin_id(config)
    routes = _routes()
    assert PAGES_CALL <= routes  # a floor, should the routers be read wrongly
    for path in sorted(routes):
        behaviour = _behaviour(config, path)
        assert behaviour["TargetOriginId"] == api, path
        assert behaviour["CachePolicyId"] == CACHING_DISABLED, path
        assert behaviour["OriginRequestPolicyId"] == ALL_VIEWER_EXCEPT_HOST, path
        assert set(behaviour["AllowedMethods"]) == ALL_METHODS, path
        assert behaviour["ViewerProtocolPolicy"] == "https-only", path
        assert "FunctionAssociations" not in behaviour, path


def test_every_page_and_asset_falls_to_the_bucket(translated: Translated) -> None:
    config = _distribution(translated)
    api = _api_origin_id(config)
    for path in sorted(_static_paths() | STATIC):
        behaviour = _behaviour(config, path)
        assert behaviour["TargetOriginId"] != api, path
        assert behaviour["CachePolicyId"] == CACHING_OPTIMIZED, path
        assert behaviour["ResponseHeadersPolicyId"] == {"Ref": "SiteSecurityHeaders"}, path
        (association,) = behaviour["FunctionAssociations"]
        assert association["EventType"] == "viewer-request", path


def test_the_distribution_stays_under_cloudfronts_limit_of_behaviours(translated: Translated) -> None:
    behaviours = _distribution(translated)["CacheBehaviors"]
    assert len(behaviours) < 25
    patterns = [b["PathPattern"] for b in behaviours]
    assert len(patterns) == len(set(patterns))
    # a static console file before the catch-all of the staff API, never after it
    assert patterns.index("/staff/*.js") < patterns.index("/staff/*")


def _run_paths_function(code: str, uri: str) -> dict[str, Any]:
    script = code + "\nconsole.log(JSON.stringify(handler({request: {uri: process.argv[1]}})));\n"
    node = shutil.which("node")
    assert node is not None
    done = subprocess.run([node, "-e", script, uri], capture_output=True, text=True, timeout=20, check=True)
    return dict(json.loads(done.stdout))


@pytest.mark.skipif(shutil.which("node") is None, reason="node runs the CloudFront function's code")
def test_the_viewer_request_function_maps_extensionless_addresses(translated: Translated) -> None:
    function = _props(translated, "SitePathsFunction")
    assert function["FunctionConfig"]["Runtime"] == "cloudfront-js-2.0"
    assert function["AutoPublish"] is True
    code = function["FunctionCode"]
    expected = {
        "/": "/index.html",
        "/status": "/status.html",
        "/complaint": "/complaint.html",
        "/staff/": "/staff/index.html",
        "/staff/index.html": "/staff/index.html",
        "/staff/console.js": "/staff/console.js",
        "/assets/desk.css": "/assets/desk.css",
        "/config.json": "/config.json",
        "/assets/messages/common.js": "/assets/messages/common.js",
    }
    for uri, mapped in expected.items():
        assert _run_paths_function(code, uri)["uri"] == mapped, uri
    moved = _run_paths_function(code, "/staff")
    assert moved["statusCode"] == 301
    assert moved["headers"]["location"]["value"] == "/staff/"


def test_the_staff_console_is_a_public_code_client_returning_to_the_site(translated: Translated) -> None:
    client = _props(translated, "UserPoolClient")
    assert client["GenerateSecret"] is False  # a browser keeps no secret: the code is bound by PKCE
    assert client["AllowedOAuthFlowsUserPoolClient"] is True
    assert client["AllowedOAuthFlows"] == ["code"]
    assert set(client["AllowedOAuthScopes"]) == {"openid", "email", "profile"}
    assert client["CallbackURLs"] == [{"Fn::Sub": "${SiteUrl}/staff/"}]
    assert client["LogoutURLs"] == [{"Fn::Sub": "${SiteUrl}/staff/"}]
    assert client["SupportedIdentityProviders"] == ["COGNITO"]
    assert "ALLOW_USER_SRP_AUTH" in client["ExplicitAuthFlows"]
    domain = _props(translated, "StaffAuthDomain")
    assert domain["UserPoolId"] == {"Ref": "UserPool"}


def test_the_documents_bucket_takes_browser_uploads_from_the_site(translated: Translated) -> None:
    (rule,) = _props(translated, "DocumentsBucket")["CorsConfiguration"]["CorsRules"]
    assert rule["AllowedMethods"] == ["POST"]
    assert rule["AllowedOrigins"] == [{"Ref": "SiteUrl"}]


def test_no_function_setting_refers_to_the_distribution(translated: Translated) -> None:
    """The distribution refers to the API and the API to the functions: the other way is a loop."""
    for logical_id, resource in translated.resources.items():
        if resource["Type"] == "AWS::Lambda::Function":
            text = json.dumps(resource["Properties"])
            for name in ("SiteDistribution", "SiteBucket", "SiteSecurityHeaders"):
                assert name not in text, logical_id


# --- the local stack --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def stack(translated: Translated) -> Iterator[LocalDesk]:
    with LocalDesk(translated, parameters={"SiteUrl": SITE_URL}) as running:
        yield running


@pytest.fixture(scope="module")
def outputs(stack: LocalDesk) -> dict[str, str]:
    resolver = stack._resolver()
    values = {}
    for name, output in stack.translated.outputs.items():
        if "Condition" in output and not resolver.condition(output["Condition"]):
            continue
        values[name] = str(resolver.resolve(output["Value"], f"output {name}"))
    return values


def test_the_local_stack_creates_the_site_and_records_what_moto_lacks(stack: LocalDesk) -> None:
    provisioned = stack.provisioned
    session = stack.session
    distribution = session.client("cloudfront").get_distribution(Id=provisioned.ref("SiteDistribution"))
    config = distribution["Distribution"]["DistributionConfig"]
    assert config["DefaultRootObject"] == "index.html"
    origins = {o["Id"]: o["DomainName"] for o in config["Origins"]["Items"]}
    assert origins["site"] == f"{provisioned.ref('SiteBucket')}.s3.{stack.region}.amazonaws.com"
    assert origins["api"].endswith(f".execute-api.{stack.region}.amazonaws.com")
    policy = session.client("s3").get_bucket_policy(Bucket=provisioned.ref("SiteBucket"))["Policy"]
    allowed = [s for s in json.loads(policy)["Statement"] if s["Effect"] == "Allow"]
    arns = {s["Condition"]["StringEquals"]["AWS:SourceArn"] for s in allowed}
    assert arns == {f"arn:aws:cloudfront::123456789012:distribution/{provisioned.ref('SiteDistribution')}"}
    # no response headers policies in moto: recorded, with the CSP resolved
    csp = provisioned.resources["SiteSecurityHeaders"].properties["ResponseHeadersPolicyConfig"][
        "SecurityHeadersConfig"
    ]["ContentSecurityPolicy"]["ContentSecurityPolicy"]
    documents = provisioned.ref("DocumentsBucket")
    assert f"https://{documents}.s3.{stack.region}.amazonaws.com" in csp
    assert f"https://{provisioned.ref('StaffAuthDomain')}.auth.{stack.region}.amazoncognito.com" in csp
    assert "script-src 'self';" in csp


def test_the_local_client_and_upload_cors_follow_site_url(stack: LocalDesk) -> None:
    provisioned, session = stack.provisioned, stack.session
    client = session.client("cognito-idp").describe_user_pool_client(
        UserPoolId=provisioned.ref("UserPool"), ClientId=provisioned.ref("UserPoolClient")
    )["UserPoolClient"]
    assert client["CallbackURLs"] == [f"{SITE_URL}/staff/"]
    assert client["AllowedOAuthFlows"] == ["code"]
    (rule,) = session.client("s3").get_bucket_cors(Bucket=provisioned.ref("DocumentsBucket"))["CORSRules"]
    assert rule["AllowedOrigins"] == [SITE_URL]


def test_the_outputs_deploy_site_reads_resolve(outputs: dict[str, str], stack: LocalDesk) -> None:
    for name in deploy_site.REQUIRED_OUTPUTS:
        assert outputs[name], name
    assert outputs["SiteDistributionDomain"].endswith(".cloudfront.net")
    assert outputs["AuthDomain"] == (
        f"https://epurchasing-desk-dev-123456789012.auth.{stack.region}.amazoncognito.com"
    )
    assert outputs["SiteUrl"] == SITE_URL


# --- the deploy tool ---------------------------------------------------------------------------------


def _web(tmp_path: Path) -> Path:
    web = tmp_path / "web"
    for name, text in {
        "index.html": "<!doctype html><title>x</title>",
        "status.html": "<!doctype html><title>s</title>",
        "staff/index.html": "<!doctype html><title>c</title>",
        "staff/console.js": "console.log(1);",
        "staff/views/intake.js": "console.log(2);",
        "assets/desk.css": "body{}",
        "assets/logo.svg": "<svg/>",
        "config.json": '{"auth": {"mode": "local"}}',
        ".DS_Store": "junk",
    }.items():
        (web / name).parent.mkdir(parents=True, exist_ok=True)
        (web / name).write_text(text)
    return web


def test_deploy_site_uploads_the_pages_with_types_caching_and_the_config(
    stack: LocalDesk, outputs: dict[str, str], tmp_path: Path
) -> None:
    s3 = stack.session.client("s3")
    bucket = outputs["SiteBucketName"]
    s3.put_object(Bucket=bucket, Key="old-page.html", Body=b"gone")

    keys = deploy_site.upload(s3, bucket, outputs, _web(tmp_path))

    assert keys == [
        "assets/desk.css",
        "assets/logo.svg",
        "staff/console.js",
        "staff/views/intake.js",
        "index.html",
        "staff/index.html",
        "status.html",
        "config.json",
    ]
    stored = {o["Key"] for o in s3.list_objects_v2(Bucket=bucket)["Contents"]}
    assert stored == set(keys)  # the stale page is gone, the hidden file never went
    expected = {
        "index.html": ("text/html; charset=utf-8", "no-cache"),
        "staff/console.js": ("text/javascript; charset=utf-8", "public, max-age=300"),
        "assets/desk.css": ("text/css; charset=utf-8", "public, max-age=300"),
        "assets/logo.svg": ("image/svg+xml", "public, max-age=300"),
        "config.json": ("application/json; charset=utf-8", "no-cache"),
    }
    for key, (kind, caching) in expected.items():
        head = s3.head_object(Bucket=bucket, Key=key)
        assert (head["ContentType"], head["CacheControl"]) == (kind, caching), key
    config = json.loads(s3.get_object(Bucket=bucket, Key="config.json")["Body"].read())
    assert config == {
        "api": "",
        "auth": {
            "mode": "cognito",
            "domain": outputs["AuthDomain"],
            "client_id": stack.provisioned.ref("UserPoolClient"),
            "redirect_uri": f"{SITE_URL}/staff/",
        },
        "support_address": outputs["SupportAddress"],
    }


def test_deploy_site_invalidates_everything(stack: LocalDesk, outputs: dict[str, str]) -> None:
    cloudfront = stack.session.client("cloudfront")
    invalidation_id = deploy_site.invalidate(cloudfront, outputs["SiteDistributionId"])
    answer = cloudfront.get_invalidation(DistributionId=outputs["SiteDistributionId"], Id=invalidation_id)
    assert answer["Invalidation"]["InvalidationBatch"]["Paths"]["Items"] == ["/*"]


def test_deploy_site_end_to_end_from_the_stack_outputs(
    stack: LocalDesk, outputs: dict[str, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cloudformation = stack.session.client("cloudformation")
    cloudformation.create_stack(
        StackName="site-outputs",
        TemplateBody=json.dumps(
            {
                "Resources": {"Nothing": {"Type": "AWS::SQS::Queue"}},
                "Outputs": {name: {"Value": value} for name, value in outputs.items()},
            }
        ),
    )
    web = str(_web(tmp_path))
    assert deploy_site.main(["--stack", "site-outputs", "--region", stack.region, "--web", web]) == 0
    printed = capsys.readouterr().out
    assert "uploaded 8 files" in printed
    # SiteUrl here is not the distribution's own address: the tool says how to set it
    assert f"SiteUrl=https://{outputs['SiteDistributionDomain']}" in printed
    assert deploy_site.main(["--stack", "no-such-stack", "--region", stack.region]) == 1


def test_every_file_of_web_has_a_known_type() -> None:
    for item in deploy_site.site_files(WEB):
        assert item.content_type != "application/octet-stream", item.key


def test_a_stack_without_the_site_outputs_is_named() -> None:
    class Stacks:
        def describe_stacks(self, StackName: str) -> dict[str, Any]:
            return {"Stacks": [{"Outputs": [{"OutputKey": "ApiUrl", "OutputValue": "https://x"}]}]}

    with pytest.raises(deploy_site.DeployError, match=r"lacks the outputs \['SiteBucketName'"):
        deploy_site.stack_outputs(Stacks(), "old-stack")
