"""Stored files in an S3-compatible object store, selected by STORAGE_URL=s3://bucket/prefix.

The same interface as the local folder (course_engine.storage.Storage). Uploads
are streamed in parts of PART_BYTES, so memory stays flat whatever the file's
size; downloads stream the object's body. Credentials come from the usual AWS
variables (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY), never from the URL.
"""

import secrets
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import TYPE_CHECKING, BinaryIO, cast
from urllib.parse import parse_qs, urlsplit

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

from course_engine.storage import Received, StoredFile, is_stored_name

if TYPE_CHECKING:
    from mypy_boto3_s3 import S3Client
    from mypy_boto3_s3.type_defs import CompletedPartTypeDef, HeadObjectOutputTypeDef

# S3's smallest part (but the last) is 5 MiB; 8 MiB keeps a 200 MB file under 30 parts.
PART_BYTES = 8 * 1024 * 1024


def client_from_url(url: str) -> "tuple[S3Client, str, str]":
    """Return (boto3 client, bucket, key prefix) for an s3://bucket/prefix?endpoint=... URL."""
    parts = urlsplit(url)
    if parts.scheme != "s3" or not parts.netloc:
        raise ValueError(f"STORAGE_URL must look like s3://bucket/prefix, not {url!r}")
    query = {key: values[-1] for key, values in parse_qs(parts.query).items()}
    client = boto3.client(
        "s3",
        endpoint_url=query.get("endpoint"),
        region_name=query.get("region", "us-east-1"),
        config=Config(
            signature_version="s3v4",
            s3={"addressing_style": "path"},
            retries={"max_attempts": 3, "mode": "standard"},
            connect_timeout=5,
            read_timeout=60,
        ),
    )
    prefix = parts.path.strip("/")
    return client, parts.netloc, f"{prefix}/" if prefix else ""


class S3Storage:
    """Files as objects under one bucket and key prefix, each under a random 32-hex-digit name."""

    def __init__(self, client: "S3Client", bucket: str, prefix: str = ""):
        self.client, self.bucket, self.prefix = client, bucket, prefix

    def _key(self, name: str) -> str:
        if not is_stored_name(name):
            raise ValueError(f"not a stored file name: {name!r}")
        return self.prefix + name

    def within(self, folder: str) -> "S3Storage":
        """Return the store of a sub-folder (one domain's files)."""
        return S3Storage(self.client, self.bucket, f"{self.prefix}{folder}/")

    def save_stream(self, stream: BinaryIO, max_bytes: int, too_large: str = "") -> StoredFile:
        """Upload a stream in parts; raise TooLarge past max_bytes and leave nothing behind."""
        name = secrets.token_hex(16)
        key = self._key(name)
        received = Received(max_bytes, too_large)
        upload_id: str | None = None
        parts: list[CompletedPartTypeDef] = []
        try:
            while True:
                chunk = received.take(stream.read(PART_BYTES))
                if upload_id is None and len(chunk) < PART_BYTES:
                    self.client.put_object(Bucket=self.bucket, Key=key, Body=chunk)
                    break
                if upload_id is None:
                    upload_id = self.client.create_multipart_upload(Bucket=self.bucket, Key=key)[
                        "UploadId"
                    ]
                if chunk:
                    number = len(parts) + 1
                    answer = self.client.upload_part(
                        Bucket=self.bucket,
                        Key=key,
                        UploadId=upload_id,
                        PartNumber=number,
                        Body=chunk,
                    )
                    parts.append({"PartNumber": number, "ETag": answer["ETag"]})
                if len(chunk) < PART_BYTES:
                    self.client.complete_multipart_upload(
                        Bucket=self.bucket,
                        Key=key,
                        UploadId=upload_id,
                        MultipartUpload={"Parts": parts},
                    )
                    break
        except BaseException:
            if upload_id is not None:
                self.client.abort_multipart_upload(Bucket=self.bucket, Key=key, UploadId=upload_id)
            raise
        return received.stored_as(name)

    def open(self, name: str) -> BinaryIO:
        """Open a stored object for streamed reading."""
        try:
            body = self.client.get_object(Bucket=self.bucket, Key=self._key(name))["Body"]
            # botocore's StreamingBody reads, iterates and closes like a binary file.
            return cast(BinaryIO, body)
        except ClientError as error:
            if _not_found(error):
                raise FileNotFoundError(name) from error
            raise

    def delete(self, name: str) -> None:
        """Remove a stored object; a missing one is not an error."""
        self.client.delete_object(Bucket=self.bucket, Key=self._key(name))

    def _head(self, name: str) -> "HeadObjectOutputTypeDef | None":
        try:
            return self.client.head_object(Bucket=self.bucket, Key=self._key(name))
        except ClientError as error:
            if _not_found(error):
                return None
            raise

    def exists(self, name: str) -> bool:
        """Tell whether the store holds the object."""
        return self._head(name) is not None

    def size(self, name: str) -> int:
        """Return the stored object's size in bytes."""
        head = self._head(name)
        if head is None:
            raise FileNotFoundError(name)
        return head["ContentLength"]

    def iter_names(self) -> Iterator[str]:
        """Yield the name of every stored object directly under the prefix."""
        pages = self.client.get_paginator("list_objects_v2").paginate(
            Bucket=self.bucket, Prefix=self.prefix, Delimiter="/"
        )
        for page in pages:
            for entry in page.get("Contents", []):
                name = entry["Key"].removeprefix(self.prefix)
                if is_stored_name(name):
                    yield name

    def age_seconds(self, name: str) -> float:
        """Return how long ago the object was written."""
        head = self._head(name)
        if head is None:
            raise FileNotFoundError(name)
        return (datetime.now(UTC) - head["LastModified"]).total_seconds()

    def restore(self, name: str, stream: BinaryIO) -> None:
        """Write an object from a backup under its stored name; refuse a name already taken."""
        if self.exists(name):
            raise FileExistsError(f"the store already holds {name}")
        self.client.upload_fileobj(stream, self.bucket, self._key(name))

    def is_ready(self) -> bool:
        """Tell whether the bucket answers."""
        try:
            self.client.head_bucket(Bucket=self.bucket)
        except (ClientError, BotoCoreError):
            return False
        return True


def _not_found(error: ClientError) -> bool:
    return error.response.get("Error", {}).get("Code") in {"404", "NoSuchKey", "NotFound"}
