"""Run the template's Lambda handlers in this process, each with its own environment and cached clients.

Many handlers run at once here (HTTP server threads, the Step Functions interpreter's threads), while
``os.environ`` is process-wide: each invocation therefore activates its function's own
``desk.runtime.Runtime``, which the product code reads its settings and clients from.
"""

from __future__ import annotations

import contextlib
import importlib.util
import itertools
import json
import sys
import threading
import time
import traceback
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

from desk import runtime as desk_runtime
from desk_local.provision import Created, Provisioned


@dataclass
class LambdaContext:
    function_name: str
    memory_limit_in_mb: int
    invoked_function_arn: str
    timeout_seconds: int
    aws_request_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    function_version: str = "$LATEST"
    log_group_name: str = ""
    log_stream_name: str = "local"
    _started: float = field(default_factory=time.monotonic)

    def get_remaining_time_in_millis(self) -> int:
        return max(0, int((self.timeout_seconds - (time.monotonic() - self._started)) * 1000))


@dataclass
class Invocation:
    function: str
    event: Any
    result: Any
    error: dict[str, Any] | None
    seconds: float


class FunctionError(Exception):
    def __init__(self, payload: dict[str, Any]):
        super().__init__(payload.get("errorMessage", "function error"))
        self.payload = payload


class LocalFunction:
    _counter = itertools.count()

    def __init__(
        self,
        created: Created,
        code_dir: Path,
        region: str,
        base_environ: dict[str, str],
        local_environ: dict[str, str] | None = None,
    ):
        self.logical_id = created.logical_id
        self.name = created.ref
        self.arn = created.attributes["Arn"]
        props = created.properties
        self.timeout = int(props.get("Timeout", 3))
        self.memory = int(props.get("MemorySize", 128))
        self.code_dir = code_dir
        module_file, _, self.handler_name = str(props["Handler"]).rpartition(".")
        self.module_path = code_dir / (module_file.replace(".", "/") + ".py")
        variables = (props.get("Environment") or {}).get("Variables", {})
        environ = {
            **base_environ,
            "AWS_REGION": region,
            "AWS_DEFAULT_REGION": region,
            "AWS_LAMBDA_FUNCTION_NAME": self.name,
            "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": str(self.memory),
            **{k: str(v) for k, v in variables.items()},
        }
        # What only differs locally (the API is served at the local server's address) wins over the template.
        environ |= {k: v for k, v in (local_environ or {}).items() if k in environ}
        self.runtime = desk_runtime.Runtime(environ)
        # Lambda runs one invocation per execution environment at a time; concurrent calls get
        # environments of their own, each with its own copy of the handler's module.
        self._idle: list[ModuleType] = []
        self._lock = threading.Lock()
        self.failure_destination: str | None = None
        self.max_async_retries = 2

    @property
    def environ(self) -> dict[str, str]:
        return dict(self.runtime.environ)

    def _load(self) -> ModuleType:
        name = f"desk_fn_{self.logical_id}_{next(self._counter)}"
        spec = importlib.util.spec_from_file_location(name, self.module_path)
        if spec is None or spec.loader is None:
            raise FileNotFoundError(self.module_path)
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
        return module

    @contextlib.contextmanager
    def _environment(self) -> Iterator[Callable[[Any, Any], Any]]:
        """An idle execution environment, or a cold one when every environment is busy."""
        with self._lock:
            module = self._idle.pop() if self._idle else None
        if module is None:
            with desk_runtime.activated(self.runtime):
                module = self._load()
        try:
            yield getattr(module, self.handler_name)
        finally:
            with self._lock:
                self._idle.append(module)

    def invoke(self, event: Any) -> Invocation:
        """Run once, synchronously; an exception becomes a Lambda-style error payload."""
        context = LambdaContext(self.name, self.memory, self.arn, self.timeout)
        started = time.perf_counter()
        with self._environment() as handler, desk_runtime.activated(self.runtime):
            try:
                result = handler(json.loads(json.dumps(event)), context)
                error = None
                json.dumps(result)  # what Lambda would refuse to serialise, refuse here too
            except Exception as exc:  # noqa: BLE001 - reported the way Lambda reports it
                result = None
                error = {
                    "errorType": type(exc).__name__,
                    "errorMessage": str(exc),
                    "stackTrace": traceback.format_exception(exc)[-6:],
                }
        return Invocation(self.name, event, result, error, time.perf_counter() - started)


class LocalFunctions:
    """The template's functions, by logical id, name and ARN; sync and async (Event) invocation."""

    def __init__(
        self,
        provisioned: Provisioned,
        code_dirs: dict[str, Path],
        base_environ: dict[str, str],
        local_environ: dict[str, str] | None = None,
    ):
        self.by_key: dict[str, LocalFunction] = {}
        for created in provisioned.of_type("AWS::Lambda::Function"):
            function = LocalFunction(
                created, code_dirs[created.logical_id], provisioned.region, base_environ, local_environ
            )
            for key in (created.logical_id, function.name, function.arn):
                self.by_key[key] = function
        for config in provisioned.of_type("AWS::Lambda::EventInvokeConfig"):
            function = self.get(str(config.properties.get("FunctionName")))
            destination = (config.properties.get("DestinationConfig") or {}).get("OnFailure") or {}
            function.failure_destination = destination.get("Destination")
            function.max_async_retries = int(config.properties.get("MaximumRetryAttempts", 2))
        self._pool = ThreadPoolExecutor(max_workers=8, thread_name_prefix="lambda-async")
        self._in_flight: set[Future[Invocation]] = set()
        self.history: list[Invocation] = []
        self._history_lock = threading.Lock()
        self.on_async_failure: Callable[[LocalFunction, Any, dict[str, Any]], None] | None = None

    def get(self, key: str) -> LocalFunction:
        key = key.split(":function:")[-1].split(":")[0] if ":function:" in key else key
        try:
            return self.by_key[key]
        except KeyError:
            raise KeyError(f"no function {key!r} in the template") from None

    def all(self) -> list[LocalFunction]:
        return list({id(f): f for f in self.by_key.values()}.values())

    def invoke(self, key: str, event: Any) -> Invocation:
        invocation = self.get(key).invoke(event)
        with self._history_lock:
            self.history.append(invocation)
        return invocation

    def invoke_async(self, key: str, event: Any) -> Future[Invocation]:
        """Lambda's Event invocation: retried twice on error, then sent to the failure destination."""
        function = self.get(key)

        def run() -> Invocation:
            invocation = self.invoke(key, event)
            for _ in range(function.max_async_retries):
                if invocation.error is None:
                    break
                invocation = self.invoke(key, event)
            if invocation.error is not None and self.on_async_failure is not None:
                self.on_async_failure(function, event, invocation.error)
            return invocation

        future = self._pool.submit(run)
        with self._history_lock:
            self._in_flight.add(future)
        future.add_done_callback(self._landed)
        return future

    def _landed(self, future: Future[Invocation]) -> None:
        with self._history_lock:
            self._in_flight.discard(future)

    def settle(self, timeout: float = 30.0) -> None:
        """Wait until no asynchronous invocation runs (retries included), also those started by the
        ones waited for (a mail's attachments landing in quarantine start checks of their own)."""
        deadline = time.monotonic() + timeout
        while True:
            with self._history_lock:
                pending = set(self._in_flight)
            if not pending:
                return
            _, not_done = wait(pending, timeout=max(0.0, deadline - time.monotonic()))
            if not_done:
                raise TimeoutError(
                    f"{len(not_done)} asynchronous invocations still running after {timeout} s"
                )

    def shutdown(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=False)
