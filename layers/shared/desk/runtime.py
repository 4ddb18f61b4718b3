"""Where a function's settings and cached clients live.

In AWS one container runs one function, so its environment is ``os.environ``. The local stack runs many
functions in one process, on many threads, so it activates a :class:`Runtime` per invocation: each
function then sees its own environment and its own cached clients. Product code only ever calls
:func:`current` or :func:`cached`, and does not know which case it is in.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from functools import wraps
from typing import Any


class Runtime:
    """One function's environment and the objects built from it (settings, clients, keys)."""

    def __init__(self, environ: Mapping[str, str]):
        self.environ = environ
        self._cache: dict[tuple[Any, ...], Any] = {}
        self._lock = threading.RLock()

    def get_or_build[T](self, key: tuple[Any, ...], build: Callable[[], T]) -> T:
        try:
            return self._cache[key]
        except KeyError:
            pass
        with self._lock:
            if key not in self._cache:
                self._cache[key] = build()
            return self._cache[key]

    def put(self, key: tuple[Any, ...], value: Any) -> None:
        with self._lock:
            self._cache[key] = value

    def clear(self) -> None:
        with self._lock:
            self._cache.clear()


_active: ContextVar[Runtime | None] = ContextVar("desk_runtime", default=None)
_process: list[Runtime] = []  # the container's own runtime, built on first use


def current() -> Runtime:
    runtime = _active.get()
    if runtime is not None:
        return runtime
    if not _process:
        _process.append(Runtime(os.environ))
    return _process[0]


@contextmanager
def activated(runtime: Runtime) -> Iterator[Runtime]:
    token = _active.set(runtime)
    try:
        yield runtime
    finally:
        _active.reset(token)


def cached[**P, T](build: Callable[P, T]) -> Callable[P, T]:
    """Cache a factory's result in the current runtime, keyed by the factory and its arguments."""

    name = f"{build.__module__}.{build.__qualname__}"

    @wraps(build)
    def factory(*args: P.args, **kwargs: P.kwargs) -> T:
        key = (name, args, tuple(sorted(kwargs.items())))
        return current().get_or_build(key, lambda: build(*args, **kwargs))

    factory.cache_name = name  # type: ignore[attr-defined]
    return factory


def provide(factory: Callable[..., Any], value: Any, *args: Any) -> None:
    """Make ``factory(*args)`` answer ``value`` in the current runtime, as if it had built it: the one
    seam through which the service tier hands every use case its in-memory twins."""
    name = getattr(factory, "cache_name", None)
    if name is None:
        raise TypeError(f"{factory!r} is not a cached factory")
    current().put((name, args, ()), value)


def reset() -> None:
    """Forget everything cached (tests call this between cases)."""
    for runtime in _process:
        runtime.clear()
    _process.clear()
    active = _active.get()
    if active is not None:
        active.clear()
