"""Publish the pages (``web/``) of a deployed stack: upload them to the site bucket, write ``config.json``
from the stack's outputs, drop what is no longer in ``web/``, and invalidate the distribution's cache.

Run after ``sam deploy`` (``scripts/deploy-site STACK [REGION]``):

    python tools/deploy_site.py --stack epurchasing-desk-dev --region ap-southeast-3
    python tools/deploy_site.py --stack epurchasing-desk-dev --dry-run   # list what would be uploaded

Pages and ``config.json`` are sent with ``Cache-Control: no-cache`` (a browser asks again each time, so a
deploy shows at once); scripts, styles and images with a short max-age (their names carry no hash).
"""

from __future__ import annotations

import argparse
import json
import mimetypes
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
WEB_ROOT = ROOT / "web"
DEFAULT_REGION = "ap-southeast-3"
CONFIG_KEY = "config.json"
NO_CACHE = "no-cache"
ASSET_CACHE = "public, max-age=300"
REQUIRED_OUTPUTS = (
    "SiteBucketName",
    "SiteDistributionId",
    "SiteDistributionDomain",
    "SiteUrl",
    "AuthDomain",
    "UserPoolClientId",
    "SupportAddress",
)

_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".mjs": "text/javascript; charset=utf-8",
    ".json": "application/json; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
    ".license": "text/plain; charset=utf-8",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".webp": "image/webp",
    ".ico": "image/x-icon",
    ".woff2": "font/woff2",
    ".woff": "font/woff",
    ".webmanifest": "application/manifest+json",
    ".pdf": "application/pdf",
}


class DeployError(Exception):
    """The stack or the folder is not what a site deploy needs; the message says what is missing."""


@dataclass(frozen=True)
class SiteFile:
    key: str
    path: Path | None  # None: generated (config.json)
    content_type: str
    cache_control: str


def content_type(name: str) -> str:
    suffix = Path(name).suffix.lower()
    if suffix in _TYPES:
        return _TYPES[suffix]
    return mimetypes.guess_type(name)[0] or "application/octet-stream"


def cache_control(name: str) -> str:
    return NO_CACHE if Path(name).suffix.lower() in (".html", ".json") else ASSET_CACHE


def site_files(web_root: Path = WEB_ROOT) -> list[SiteFile]:
    """What goes to the bucket, assets before pages (a page never points at an asset not yet there),
    ``config.json`` last. Hidden files and a ``config.json`` in the folder are left out."""
    if not (web_root / "index.html").is_file():
        raise DeployError(f"{web_root} has no index.html: not the pages folder")
    files = []
    for path in sorted(web_root.rglob("*")):
        relative = path.relative_to(web_root)
        if not path.is_file() or any(part.startswith(".") for part in relative.parts):
            continue
        key = relative.as_posix()
        if key == CONFIG_KEY:
            continue
        files.append(SiteFile(key, path, content_type(key), cache_control(key)))
    files.sort(key=lambda f: (f.key.endswith(".html"), f.key))
    files.append(SiteFile(CONFIG_KEY, None, content_type(CONFIG_KEY), NO_CACHE))
    return files


def site_config(outputs: dict[str, str]) -> dict[str, Any]:
    """The pages' settings (``/config.json``): the API on the same origin, sign-in by the hosted UI."""
    site_url = outputs["SiteUrl"].rstrip("/")
    return {
        "api": "",
        "auth": {
            "mode": "cognito",
            "domain": outputs["AuthDomain"].rstrip("/"),
            "client_id": outputs["UserPoolClientId"],
            "redirect_uri": f"{site_url}/staff/",
        },
        "support_address": outputs["SupportAddress"],
    }


def stack_outputs(cloudformation: Any, stack_name: str) -> dict[str, str]:
    try:
        stacks = cloudformation.describe_stacks(StackName=stack_name)["Stacks"]
    except Exception as error:  # botocore's ClientError (no such stack, no access), said plainly
        raise DeployError(f"cannot read stack {stack_name}: {error}") from error
    outputs = {o["OutputKey"]: o["OutputValue"] for o in stacks[0].get("Outputs", [])}
    missing = [name for name in REQUIRED_OUTPUTS if name not in outputs]
    if missing:
        raise DeployError(
            f"stack {stack_name} lacks the outputs {missing}: deploy the current template.yaml first"
        )
    return outputs


def upload(s3: Any, bucket: str, outputs: dict[str, str], web_root: Path = WEB_ROOT) -> list[str]:
    """Put every file of ``web_root`` and ``config.json``, then delete keys no longer in the folder
    (the bucket is versioned: a deleted page can be restored). Returns the keys put, in order."""
    files = site_files(web_root)
    config = json.dumps(site_config(outputs), ensure_ascii=False, indent=2).encode() + b"\n"
    for item in files:
        body = config if item.path is None else item.path.read_bytes()
        s3.put_object(
            Bucket=bucket,
            Key=item.key,
            Body=body,
            ContentType=item.content_type,
            CacheControl=item.cache_control,
        )
    wanted = {f.key for f in files}
    stale = []
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket):
        stale += [o["Key"] for o in page.get("Contents", []) if o["Key"] not in wanted]
    for start in range(0, len(stale), 1000):
        batch = [{"Key": key} for key in stale[start : start + 1000]]
        s3.delete_objects(Bucket=bucket, Delete={"Objects": batch, "Quiet": True})
    return [f.key for f in files]


def invalidate(cloudfront: Any, distribution_id: str) -> str:
    answer = cloudfront.create_invalidation(
        DistributionId=distribution_id,
        InvalidationBatch={
            "Paths": {"Quantity": 1, "Items": ["/*"]},
            "CallerReference": f"deploy-site-{time.time_ns()}",
        },
    )
    return str(answer["Invalidation"]["Id"])


def address_note(outputs: dict[str, str]) -> str | None:
    """A reminder when SiteUrl is not the distribution's own address: right for a custom domain that
    points at the distribution, wrong on a first deploy that kept the default SiteUrl."""
    own = f"https://{outputs['SiteDistributionDomain']}"
    site_url = outputs["SiteUrl"].rstrip("/")
    if site_url == own:
        return None
    return (
        f"SiteUrl is {site_url}, the distribution's own address {own}. Unless {site_url} is a custom "
        f"domain pointing at it (with SiteCertificateArn), deploy again with SiteUrl={own} (sign-in "
        "returns there, mail links point there) and run this again."
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--stack", required=True, help="the stack sam deploy created")
    parser.add_argument("--region", default=DEFAULT_REGION)
    parser.add_argument("--web", type=Path, default=WEB_ROOT, help="the pages folder (default: web/)")
    parser.add_argument("--dry-run", action="store_true", help="read the outputs, list, change nothing")
    args = parser.parse_args(argv)

    import boto3

    session = boto3.session.Session(region_name=args.region)
    try:
        outputs = stack_outputs(session.client("cloudformation"), args.stack)
        if args.dry_run:
            for item in site_files(args.web):
                print(f"{item.key}\t{item.content_type}\t{item.cache_control}")
            print(json.dumps(site_config(outputs), indent=2))
            return 0
        bucket = outputs["SiteBucketName"]
        keys = upload(session.client("s3"), bucket, outputs, args.web)
        invalidation = invalidate(session.client("cloudfront"), outputs["SiteDistributionId"])
    except DeployError as error:
        print(f"deploy-site: {error}", file=sys.stderr)
        return 1
    print(f"uploaded {len(keys)} files to s3://{bucket} (config.json for {outputs['SiteUrl']})")
    print(f"invalidation {invalidation} of /* on {outputs['SiteDistributionId']} (a minute or two)")
    print(
        f"site: {outputs['SiteUrl'].rstrip('/')}/  (CloudFront: https://{outputs['SiteDistributionDomain']}/)"
    )
    note = address_note(outputs)
    if note:
        print(note)
    return 0


if __name__ == "__main__":
    sys.exit(main())
