"""R10: a client paging the feed while writers commit sees every release, exactly once.

Writers publish releases and hold their transactions open for a random while before committing,
so commits arrive late and out of start order; a reader pages /ocds/feed by links.next all the
while. Feed positions are handed out under the feed head's lock, held until commit, so a release
can never appear behind a cursor the reader has already passed."""

from __future__ import annotations

import random
import threading
import time

import pytest
from django.db import connection, transaction
from django.test import Client

from govbuy.core import publication
from govbuy.disclosure import jsonutil
from govbuy.disclosure.models import Release

from .conftest import OBJ_TYPE

WRITERS = 8
RELEASES_PER_WRITER = 6


@pytest.fixture(autouse=True)
def _file_database():
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        pytest.skip("threads need a file database")


@pytest.mark.django_db(transaction=True)
def test_reader_paging_the_feed_while_writers_commit_sees_every_release(world, stage_content, moment):
    org_ids = [org.pk for org in world.orgs.values()]
    moments = [moment() for _ in range(WRITERS * RELEASES_PER_WRITER)]
    errors: list[BaseException] = []
    done = threading.Event()
    seen: list[str] = []

    def writer(index: int) -> None:
        rng = random.Random(index)
        try:
            for n in range(RELEASES_PER_WRITER):
                with transaction.atomic():
                    publication.announce(
                        "tender",
                        obj_type=OBJ_TYPE,
                        obj_id=org_ids[index % len(org_ids)],
                        occurred_at=moments[index * RELEASES_PER_WRITER + n],
                    )
                    time.sleep(rng.uniform(0, 0.03))  # commit late
                time.sleep(rng.uniform(0, 0.01))
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    def reader() -> None:
        client = Client()
        url = "/ocds/feed?page_size=5"
        try:
            while True:
                finished = done.is_set()  # read before the page: a page after this sees everything
                response = client.get(url)
                if response.status_code == 200:
                    package = jsonutil.loads(response.content)
                    seen.extend(release["id"] for release in package["releases"])
                    url = package["links"]["next"]
                    continue
                assert response.status_code == 204, response.status_code
                url = response["Link"].split(">")[0].lstrip("<")
                if finished:
                    return
                time.sleep(0.005)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=writer, args=(i,)) for i in range(WRITERS)]
    reading = threading.Thread(target=reader)
    reading.start()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    done.set()
    reading.join(timeout=120)
    assert not reading.is_alive()
    assert errors == []
    published = list(Release.objects.order_by("seq").values_list("release_id", flat=True))
    assert len(published) == WRITERS * RELEASES_PER_WRITER
    assert seen == published  # all of them, once each, in feed order
    assert list(Release.objects.order_by("seq").values_list("seq", flat=True)) == list(range(1, len(published) + 1))
