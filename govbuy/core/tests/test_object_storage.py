"""Documents on an S3-compatible object store (issue 17): the storage API over django-storages'
S3 backend, configured from the environment, keeps the file system's rules — write-once names,
and every read re-hashed against the sha256 recorded at upload.

The store is a real S3 server on a free local port: moto's, in a thread of this process.
"""

from __future__ import annotations

import hashlib
import socket

import pytest

pytest.importorskip("storages.backends.s3", reason="django-storages[s3] (boto3) is not installed")
moto_server = pytest.importorskip("moto.server", reason="moto[server] is not installed: no local S3 server")

import boto3  # noqa: E402
from django.core.files.storage import default_storage, storages  # noqa: E402
from storages.backends.s3 import S3Storage  # noqa: E402

from config.settings import document_storage  # noqa: E402
from govbuy.core.errors import ValidationFailed  # noqa: E402
from govbuy.core.storage import (  # noqa: E402
    DocumentIntegrityError,
    DocumentMissing,
    check_stored,
    open_verified,
    read_verified,
    save_once,
)

BUCKET = "govbuy-documents"
DATA = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
SHA = hashlib.sha256(DATA).hexdigest()
PATH = f"providers/{SHA[:2]}/{SHA[:16]}.pdf"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def s3_environ():
    server = moto_server.ThreadedMotoServer(ip_address="127.0.0.1", port=_free_port(), verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    environ = {
        "GOVBUY_S3_BUCKET": BUCKET,
        "GOVBUY_S3_ENDPOINT_URL": f"http://{host}:{port}",
        "GOVBUY_S3_REGION": "us-east-1",
        "GOVBUY_S3_ACCESS_KEY_ID": "testing",
        "GOVBUY_S3_SECRET_ACCESS_KEY": "testing",
        "GOVBUY_S3_ADDRESSING_STYLE": "path",
        "GOVBUY_S3_PREFIX": "documents",
    }
    yield environ
    server.stop()


@pytest.fixture
def client_s3(s3_environ):
    client = boto3.client(
        "s3",
        endpoint_url=s3_environ["GOVBUY_S3_ENDPOINT_URL"],
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    client.create_bucket(Bucket=BUCKET)
    yield client
    for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", []):
        client.delete_object(Bucket=BUCKET, Key=item["Key"])
    client.delete_bucket(Bucket=BUCKET)


@pytest.fixture
def store(s3_environ, client_s3):
    setting = document_storage(s3_environ)
    return S3Storage(**setting["OPTIONS"])


def _keys(client) -> list[str]:
    return sorted(item["Key"] for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", []))


def test_without_a_bucket_documents_stay_on_the_file_system():
    assert document_storage({}) == {"BACKEND": "django.core.files.storage.FileSystemStorage"}


def test_the_bucket_setting_selects_a_private_write_once_s3_store(s3_environ):
    setting = document_storage(s3_environ)
    assert setting["BACKEND"] == "storages.backends.s3.S3Storage"
    options = setting["OPTIONS"]
    assert options["bucket_name"] == BUCKET
    assert options["endpoint_url"] == s3_environ["GOVBUY_S3_ENDPOINT_URL"]
    assert options["file_overwrite"] is False
    assert options["default_acl"] is None
    assert options["location"] == "documents"


def test_default_storage_from_the_environment_stores_and_verifies(settings, s3_environ, client_s3):
    settings.STORAGES = {**settings.STORAGES, "default": document_storage(s3_environ)}
    assert isinstance(storages["default"], S3Storage)
    assert save_once(path=PATH, data=DATA, sha256=SHA) == PATH
    assert _keys(client_s3) == [f"documents/{PATH}"]
    assert read_verified(PATH, SHA) == DATA
    assert open_verified(PATH, SHA).read() == DATA
    assert default_storage.exists(PATH)


def test_saving_the_same_bytes_twice_keeps_one_object(store, client_s3):
    assert save_once(path=PATH, data=DATA, sha256=SHA, storage=store) == PATH
    assert save_once(path=PATH, data=DATA, sha256=SHA, storage=store) == PATH
    assert _keys(client_s3) == [f"documents/{PATH}"]
    assert check_stored(PATH, SHA, storage=store) is None


def test_bytes_that_do_not_match_their_hash_are_not_stored(store, client_s3):
    with pytest.raises(ValidationFailed):
        save_once(path=PATH, data=DATA + b"x", sha256=SHA, storage=store)
    assert _keys(client_s3) == []


def test_an_object_changed_in_the_bucket_is_refused_on_read(store, client_s3):
    save_once(path=PATH, data=DATA, sha256=SHA, storage=store)
    tampered = bytearray(DATA)
    tampered[10] ^= 0x01
    client_s3.put_object(Bucket=BUCKET, Key=f"documents/{PATH}", Body=bytes(tampered))
    with pytest.raises(DocumentIntegrityError):
        read_verified(PATH, SHA, storage=store)
    assert check_stored(PATH, SHA, storage=store) == "corrupt"
    # Saving the right bytes again neither overwrites nor papers over the corruption.
    with pytest.raises(DocumentIntegrityError):
        save_once(path=PATH, data=DATA, sha256=SHA, storage=store)
    assert _keys(client_s3) == [f"documents/{PATH}"]


def test_an_object_deleted_from_the_bucket_is_reported_missing(store, client_s3):
    save_once(path=PATH, data=DATA, sha256=SHA, storage=store)
    client_s3.delete_object(Bucket=BUCKET, Key=f"documents/{PATH}")
    with pytest.raises(DocumentMissing):
        read_verified(PATH, SHA, storage=store)
    assert check_stored(PATH, SHA, storage=store) == "missing"
