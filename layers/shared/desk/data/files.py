"""The documents bucket in S3, as the desk keeps its files: the use cases name keys, never the bucket."""

from __future__ import annotations

import base64
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import timedelta
from typing import IO, TYPE_CHECKING

from desk import aws, runtime
from desk.data.dynamo import error_code
from desk.documents.files import DocumentFiles, FileMissing, PresignedPost

if TYPE_CHECKING:
    from mypy_boto3_s3 import S3Client
    from mypy_boto3_s3.type_defs import PutObjectRequestTypeDef

_READ_CHUNK = 256 * 1024


@contextmanager
def _or_file_missing(key: str) -> Iterator[None]:
    """S3's "no such key" as :class:`FileMissing`; any other refusal as it came."""
    from botocore.exceptions import ClientError

    try:
        yield
    except ClientError as error:
        if error_code(error) == "NoSuchKey":
            raise FileMissing(key) from error
        raise


class S3Files:
    def __init__(self, client: S3Client, bucket: str):
        self.client = client
        self.bucket = bucket

    def presigned_post(
        self, key: str, *, content_type: str, max_size: int, lifetime: timedelta
    ) -> PresignedPost:
        post = self.client.generate_presigned_post(
            Bucket=self.bucket,
            Key=key,
            Fields={"Content-Type": content_type},
            Conditions=[{"Content-Type": content_type}, ["content-length-range", 1, max_size]],
            ExpiresIn=int(lifetime.total_seconds()),
        )
        return {"url": str(post["url"]), "fields": {str(k): str(v) for k, v in post["fields"].items()}}

    def write(
        self,
        key: str,
        content: bytes | IO[bytes],
        *,
        content_type: str,
        metadata: Mapping[str, str] | None = None,
        sha256: str | None = None,
    ) -> None:
        request: PutObjectRequestTypeDef = {
            "Bucket": self.bucket,
            "Key": key,
            "Body": content,
            "ContentType": content_type,
        }
        if metadata:
            request["Metadata"] = dict(metadata)
        if sha256:
            # S3 refuses the write unless the bytes it receives have this hash.
            request["ChecksumSHA256"] = base64.b64encode(bytes.fromhex(sha256)).decode()
        self.client.put_object(**request)

    def read(self, key: str) -> bytes:
        with _or_file_missing(key):
            body = self.client.get_object(Bucket=self.bucket, Key=key)["Body"]
        try:
            return body.read()
        finally:
            body.close()

    def read_into(self, key: str, sink: IO[bytes], *, limit: int) -> int:
        with _or_file_missing(key):
            body = self.client.get_object(Bucket=self.bucket, Key=key)["Body"]
        copied = 0
        try:
            while copied < limit:
                chunk = body.read(min(_READ_CHUNK, limit - copied))
                if not chunk:
                    break
                sink.write(chunk)
                copied += len(chunk)
        finally:
            body.close()  # the rest of a file past the limit is never downloaded
        return copied

    def tag(self, key: str, tags: Mapping[str, str]) -> None:
        with _or_file_missing(key):
            self.client.put_object_tagging(
                Bucket=self.bucket,
                Key=key,
                Tagging={"TagSet": [{"Key": name, "Value": value} for name, value in tags.items()]},
            )

    def tags_of(self, key: str) -> dict[str, str]:
        with _or_file_missing(key):
            found = self.client.get_object_tagging(Bucket=self.bucket, Key=key)["TagSet"]
        return {tag["Key"]: tag["Value"] for tag in found}

    def delete(self, key: str) -> None:
        self.client.delete_object(Bucket=self.bucket, Key=key)

    def download_url(self, key: str, *, disposition: str, content_type: str, lifetime: timedelta) -> str:
        return self.client.generate_presigned_url(
            "get_object",
            Params={
                "Bucket": self.bucket,
                "Key": key,
                "ResponseContentDisposition": disposition,
                "ResponseContentType": content_type,
            },
            ExpiresIn=int(lifetime.total_seconds()),
        )


@runtime.cached
def documents() -> DocumentFiles:
    from desk.settings import get_settings

    return S3Files(aws.client("s3"), get_settings().documents_bucket)
