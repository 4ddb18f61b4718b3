"""Reference data the desk runs on (LPSEs, units, contracts, SLA policies, transactions), read from its
repository (:func:`repository`): directly (:func:`lpses`, :func:`lpse_ids`, :func:`partition_items`), or
through a per-container cache refreshed at most once a minute (:func:`cached_partition`,
:func:`cached_item`), so a change by the administrator reaches every warm function within a minute and a
busy function does not read the table on every request."""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from typing import Any

from desk import runtime
from desk.admin.repository import ReferenceRepository
from desk.data import schema

RELOAD_SECONDS = 60.0
MAX_CACHED_ITEMS = 2048  # per partition, for item-by-item lookups (contracts, transactions)


def repository() -> ReferenceRepository:
    """Where reference data is kept: DynamoDB's ``desk.data.reference`` (or the twin a test provides)."""
    from desk.data.reference import repository

    return repository()


def partition_items(partition: str) -> list[dict[str, Any]]:
    """Every item of a small partition (every page of it)."""
    return repository().items(partition)


def lpses() -> list[dict[str, Any]]:
    return partition_items(schema.LPSES_PK)


def lpse_ids() -> set[str]:
    return {str(item["id"]) for item in lpses()}


class _Partition:
    def __init__(self) -> None:
        self.items: list[dict[str, Any]] = []
        self.loaded_at: float | None = None
        self.lock = threading.Lock()


class _Items:
    def __init__(self) -> None:
        self.found: OrderedDict[str, tuple[float, dict[str, Any]]] = OrderedDict()
        self.lock = threading.Lock()


@runtime.cached
def _partition(partition: str) -> _Partition:
    return _Partition()


@runtime.cached
def _items(partition: str) -> _Items:
    return _Items()


def cached_partition(partition: str, *, fresh: bool = False) -> list[dict[str, Any]]:
    """A small partition (units, LPSEs, SLA policies), read at most once a minute per container."""
    cache = _partition(partition)
    now = time.monotonic()
    with cache.lock:
        if fresh or cache.loaded_at is None or now - cache.loaded_at > RELOAD_SECONDS:
            cache.items = partition_items(partition)
            cache.loaded_at = now
        return cache.items


def cached_item(partition: str, key: str, *, fresh: bool = False) -> dict[str, Any] | None:
    """One item of a large partition (a contract, a transaction). A found item is kept for a minute; a
    missing one is asked again each time, so an item just imported is seen at once."""
    cache = _items(partition)
    now = time.monotonic()
    with cache.lock:
        hit = cache.found.get(key)
        if hit is not None and not fresh and now - hit[0] <= RELOAD_SECONDS:
            return hit[1]
    item = repository().item(partition, key)
    with cache.lock:
        if item is None:
            cache.found.pop(key, None)
        else:
            cache.found[key] = (now, item)
            cache.found.move_to_end(key)
            while len(cache.found) > MAX_CACHED_ITEMS:
                cache.found.popitem(last=False)
    return item


def forget(partition: str) -> None:
    """After a change in this container: the next read loads again."""
    cache = _partition(partition)
    with cache.lock:
        cache.loaded_at = None
    items = _items(partition)
    with items.lock:
        items.found.clear()
