"""The whole desk on one machine: moto (in-process), the template's resources, handlers in-process."""

from __future__ import annotations

import itertools
import json
import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from desk_local import outbox, receipt, schedule, seed, smtp
from desk_local.functions import LocalFunctions
from desk_local.gateway import Gateway, HttpRequest, HttpResponse
from desk_local.provision import ACCOUNT_ID, STACK_NAME, Provisioned, provision
from desk_local.template import Resolver, TemplateError, Translated, translate

ROOT = Path(__file__).resolve().parents[2]
REGION = "ap-southeast-3"

_patch_lock = threading.Lock()
_notifying = threading.local()  # set while moto delivers an S3 notification to a function
_desk_numbers = itertools.count()
_active_stacks: list[LocalDesk] = []


@cache
def translated_template(path: str = str(ROOT / "template.yaml")) -> Translated:
    """Translate once per process (the tests' session, the dev server's run)."""
    return translate(Path(path), REGION)


def _fake_credentials() -> None:
    for name, value in {
        "AWS_ACCESS_KEY_ID": "local",
        "AWS_SECRET_ACCESS_KEY": "local",
        "AWS_SESSION_TOKEN": "local",
        "AWS_DEFAULT_REGION": REGION,
        "AWS_REGION": REGION,
        "TZ": "UTC",  # moto's Wait TimestampPath compares in local time
    }.items():
        os.environ[name] = value
    time.tzset()


class LocalDesk:
    """One running desk. ``mode="embedded"`` patches botocore in-process (tests); ``mode="server"``
    runs moto's HTTP server in a thread so browsers and curl reach S3's presigned POSTs (``make run``)."""

    def __init__(
        self,
        translated: Translated | None = None,
        *,
        mode: str = "embedded",
        parameters: dict[str, str] | None = None,
        working_day_seconds: float = 0.0,
        site_url: str = "http://127.0.0.1:3000",
        wait_scale: float = 1.0,
        now: datetime | None = None,
    ):
        """``wait_scale`` shortens Wait states (0 in tests: they return at once, and are recorded);
        ``now`` pins the desk's clock to that instant while this desk runs (``desk.clock``)."""
        self.translated = translated or translated_template()
        self.mode = mode
        self.site_url = site_url
        # No GuardDuty here: the desk's own checks stand alone (README, Documents).
        defaults = {"SiteUrl": site_url, "Stage": "dev", "RequireMalwareScan": "false"}
        self.parameters = {
            k: v for k, v in {**defaults, **(parameters or {})}.items() if k in self.translated.parameters
        }
        self.working_day_seconds = working_day_seconds
        self.region = REGION
        self._mock: Any = None
        self._server: Any = None
        self.endpoint: str | None = None
        self.provisioned: Provisioned
        self.functions: LocalFunctions
        self.gateway: Gateway
        self.smtp: smtp.SmtpListener | None = None
        self.failed_async: list[dict[str, Any]] = []
        self.wait_scale = wait_scale
        self.waits: list[float] = []
        self.pinned_at = now
        self._offset_before: timedelta | None = None
        # Each desk's functions have their own names: an execution a previous desk left waiting (tests run
        # one desk per module in one process) then finds nothing to call here, instead of acting in it.
        self.stack_name = f"{STACK_NAME}{next(_desk_numbers) or ''}"

    # -- life cycle ----------------------------------------------------------------------------------
    def start(self) -> LocalDesk:
        import boto3

        _fake_credentials()
        if self.mode == "embedded":
            from moto import mock_aws

            self._mock = mock_aws(
                config={"stepfunctions": {"execute_state_machine": True}, "lambda": {"use_docker": True}}
            )
            self._mock.start()
        elif self.mode == "server":
            from moto.server import ThreadedMotoServer

            self._server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
            self._server.start()
            host, port = self._server.get_host_and_port()
            self.endpoint = f"http://{host}:{port}"
            os.environ["AWS_ENDPOINT_URL"] = self.endpoint
            os.environ["MOTO_PORT"] = str(port)
            import urllib.request

            request = urllib.request.Request(
                f"{self.endpoint}/moto-api/config",
                method="POST",
                data=json.dumps({"stepfunctions": {"execute_state_machine": True}}).encode(),
            )
            urllib.request.urlopen(request, timeout=10).close()
        else:
            raise ValueError(f"unknown mode {self.mode}")
        _install_lambda_patch()
        _install_wait_patch()
        _install_dynamodb_lock()
        _install_resolver_lock()
        if self.pinned_at is not None:
            from desk import clock

            self._offset_before = clock.pin(self.pinned_at)
        _active_stacks.append(self)
        session: Any = boto3.session.Session()
        self.session = session
        self._client_lock = threading.Lock()
        try:
            self.provisioned = provision(
                self.translated, session, self.region, self.parameters, stack_name=self.stack_name
            )
        except BaseException:
            self._stop_moto()
            raise
        base_environ = {
            "AWS_ACCESS_KEY_ID": "local",
            "AWS_SECRET_ACCESS_KEY": "local",
            "API_URL": self.site_url,
            "WORKING_DAY_SECONDS": str(self.working_day_seconds),
            # the e-Purchasing system is outside the desk: locally a fake records the accounts it creates
            "LOCAL_FAKE_PROVISIONING": "1",
        }
        self.functions = LocalFunctions(
            self.provisioned,
            self.translated.code_dirs,
            base_environ,
            local_environ={"API_URL": self.site_url},
        )
        self.functions.on_async_failure = self._async_failed
        self.gateway = self._build_gateway()
        self._verify_mail_identity()
        return self

    def stop(self) -> None:
        if self.smtp is not None:
            self.smtp.stop()
        if getattr(self, "scheduler", None) is not None:
            self.scheduler.stop()
        self.functions.shutdown()
        self._stop_moto()

    def runs(self, execution_arn: str) -> bool:
        """Whether this desk's Step Functions holds that execution."""
        from moto.stepfunctions.parser.models import stepfunctions_parser_backends

        backend = stepfunctions_parser_backends[ACCOUNT_ID][self.region]
        return any(e.exec_arn == execution_arn for e in backend._get_executions())

    def _stop_moto(self) -> None:
        if self in _active_stacks:
            _active_stacks.remove(self)
        if self._offset_before is not None:
            from desk import clock

            clock.restore(self._offset_before)
            self._offset_before = None
        if self._mock is not None:
            self._mock.stop()
            self._mock = None
        if self._server is not None:
            self._server.stop()
            self._server = None
            os.environ.pop("AWS_ENDPOINT_URL", None)
        from desk import runtime

        runtime.reset()

    def __enter__(self) -> LocalDesk:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- pieces --------------------------------------------------------------------------------------
    def client(self, service: str) -> Any:
        # A boto3 Session is not thread-safe, and the SMTP, HTTP and async pool threads all ask for clients.
        with self._client_lock:
            return self.session.client(service, region_name=self.region)

    def ref(self, logical_id: str) -> str:
        return self.provisioned.ref(logical_id)

    def parameter(self, name: str) -> str:
        return self.provisioned.parameters[name]

    def _resolver(self) -> Resolver:
        created = self.provisioned.resources

        def ref(name: str) -> str:
            if name not in created:
                raise TemplateError(f"Ref to unknown {name}")
            return created[name].ref

        def get_att(name: str, attribute: str) -> str:
            return created[name].attributes[attribute]

        pseudo = {
            "AWS::Region": self.region,
            "AWS::AccountId": ACCOUNT_ID,
            "AWS::Partition": "aws",
            "AWS::URLSuffix": "amazonaws.com",
            "AWS::StackName": "epurchasing-desk-local",
        }
        return Resolver(
            parameters=self.provisioned.parameters,
            pseudo=pseudo,
            conditions=self.translated.conditions,
            ref=ref,
            get_att=get_att,
        )

    def _build_gateway(self) -> Gateway:
        apis = self.provisioned.of_type("AWS::ApiGateway::RestApi")
        if len(apis) > 1:
            raise TemplateError(f"the local stack serves one REST API, the template has {len(apis)}")
        stages = self.provisioned.of_type("AWS::ApiGateway::Stage")
        stage = stages[0].ref if stages else "local"
        resolver = self._resolver()
        pools: dict[str, tuple[str, set[str]]] = {}
        clients = self.provisioned.of_type("AWS::Cognito::UserPoolClient")
        for pool in self.provisioned.of_type("AWS::Cognito::UserPool"):
            audiences = {c.ref for c in clients if c.properties.get("UserPoolId") == pool.ref}
            pools[pool.attributes["Arn"]] = (
                f"https://cognito-idp.{self.region}.amazonaws.com/{pool.ref}",
                audiences,
            )
        body = apis[0].properties.get("Body") or {} if apis else {}
        return Gateway(
            body,
            self.functions,
            stage=stage,
            user_pools=pools,
            resolve=lambda value: resolver.resolve(value, "REST API"),
        )

    def _verify_mail_identity(self) -> None:
        # In AWS the domain is verified once, by hand (README, Deployment).
        domain = self.provisioned.parameters.get("SupportDomain")
        if domain:
            self.client("ses").verify_domain_identity(Domain=domain)
            self.client("ses").verify_email_identity(EmailAddress=self.support_address)

    def _async_failed(self, function: Any, event: Any, error: dict[str, Any]) -> None:
        self.failed_async.append({"function": function.logical_id, "event": event, "error": error})
        if function.failure_destination:
            arn = str(function.failure_destination)
            name = arn.rsplit(":", 1)[-1]
            sqs = self.client("sqs")
            url = sqs.get_queue_url(QueueName=name)["QueueUrl"]
            sqs.send_message(
                QueueUrl=url,
                MessageBody=json.dumps(
                    {
                        "requestPayload": event,
                        "responsePayload": error,
                        "requestContext": {"functionArn": function.arn, "condition": "RetriesExhausted"},
                    }
                ),
            )

    @property
    def support_address(self) -> str:
        return self.provisioned.parameters.get("SupportAddress", "")

    # -- doors ---------------------------------------------------------------------------------------
    def http(
        self,
        method: str,
        path: str,
        *,
        json_body: Any = None,
        body: bytes | None = None,
        headers: dict[str, str] | None = None,
        token: str | None = None,
    ) -> HttpResponse:
        """A request as API Gateway would receive it (tests call this; the dev server too)."""
        parts = urlsplit(path)
        all_headers = {"User-Agent": "desk-local", **(headers or {})}
        if json_body is not None:
            body = json.dumps(json_body).encode()
            all_headers.setdefault("Content-Type", "application/json")
        if token:
            all_headers["Authorization"] = f"Bearer {token}"
        return self.gateway.handle(HttpRequest(method, parts.path, parts.query, all_headers, body or b""))

    def deliver_mail(
        self,
        raw: bytes,
        sender: str,
        recipients: list[str],
        *,
        verdicts: dict[str, str] | None = None,
        wait: bool = True,
    ) -> list[str]:
        """Follow the active receipt rule set as SES does; returns the SES message ids stored."""
        verdicts = verdicts if verdicts is not None else smtp.verdicts_asked(raw)
        rule_set = self.client("ses").describe_active_receipt_rule_set()
        delivery = receipt.Delivery(raw, sender, verdicts, self.client, self.functions)
        delivery.follow(rule_set.get("Rules", []), recipients)
        if wait:
            delivery.wait()
        return delivery.stored

    def start_smtp(self, port: int = 2525) -> smtp.SmtpListener:
        def deliver(raw: bytes, sender: str, recipients: list[str]) -> bool:
            return bool(self.deliver_mail(raw, sender, recipients, wait=False))

        self.smtp = smtp.SmtpListener(deliver, port=port)
        self.smtp.start()
        return self.smtp

    def outbox(self) -> list[dict[str, Any]]:
        return outbox.read(ACCOUNT_ID, self.region)

    # -- schedules -----------------------------------------------------------------------------------
    def schedules(self) -> list[schedule.Schedule]:
        found = []
        for rule in self.provisioned.of_type("AWS::Events::Rule"):
            expression = rule.properties.get("ScheduleExpression")
            if not expression or rule.properties.get("State", "ENABLED") != "ENABLED":
                continue
            targets = tuple(
                (str(t["Arn"]), json.loads(t["Input"]) if t.get("Input") else None)
                for t in rule.properties.get("Targets", [])
            )
            found.append(schedule.Schedule(rule.logical_id, str(expression), targets))
        return found

    def redrive(self, *, dry_run: bool = False) -> dict[str, Any]:
        """``make redrive`` against this desk: the failed-events queue replayed through Lambda's API."""
        from dataclasses import asdict

        from redrive import redrive

        queue = self.ref("FailedEventsQueue")
        return asdict(redrive(self.client("sqs"), self.client("lambda"), queue, dry_run=dry_run))

    def fire_schedule(self, rule: str, *, wait: bool = True) -> list[Any]:
        """Invoke a schedule's targets now, asynchronously as EventBridge does."""
        match = next((s for s in self.schedules() if s.rule == rule), None)
        if match is None:
            raise KeyError(f"no enabled schedule {rule!r} in the template")
        from desk import clock

        event = match.event(clock.now())  # EventBridge stamps the real time, which is the desk's in AWS
        futures = [
            self.functions.invoke_async(arn, fixed if fixed is not None else event)
            for arn, fixed in match.targets
        ]
        return [f.result(timeout=60) for f in futures] if wait else futures

    def start_scheduler(self) -> schedule.Scheduler:
        self.scheduler = schedule.Scheduler(
            self.schedules(), lambda rule: self.fire_schedule(rule, wait=False)
        )
        self.scheduler.start()
        return self.scheduler

    # -- staff ---------------------------------------------------------------------------------------
    @property
    def user_pool_id(self) -> str:
        return self.provisioned.of_type("AWS::Cognito::UserPool")[0].ref

    @property
    def user_pool_client_id(self) -> str:
        return self.provisioned.of_type("AWS::Cognito::UserPoolClient")[0].ref

    def seed(self) -> None:
        """Staff users and the reference data a newcomer needs (LPSEs)."""
        self.seed_staff()
        table = self.session.resource("dynamodb", region_name=self.region).Table(self.ref("DeskTable"))
        with table.batch_writer() as batch:
            for item in seed.reference_items(self.today()):
                batch.put_item(Item=item)

    def today(self) -> date:
        """The desk's date at LKPP (WIB): what seeded data and the tests count from."""
        from zoneinfo import ZoneInfo

        from desk import clock

        return clock.now().astimezone(ZoneInfo("Asia/Jakarta")).date()

    def seed_staff(self) -> None:
        for user in seed.STAFF:
            self.create_staff_user(user.email, user.role, user.unit, user.name)

    def create_staff_user(self, email: str, role: str, unit: str, name: str = "") -> None:
        idp = self.client("cognito-idp")
        idp.admin_create_user(
            UserPoolId=self.user_pool_id,
            Username=email,
            MessageAction="SUPPRESS",
            UserAttributes=[
                {"Name": "email", "Value": email},
                {"Name": "name", "Value": name or email},
                {"Name": "custom:unit", "Value": unit},
                {"Name": "email_verified", "Value": "true"},
            ],
        )
        idp.admin_set_user_password(
            UserPoolId=self.user_pool_id, Username=email, Password=seed.LOCAL_PASSWORD, Permanent=True
        )
        idp.admin_add_user_to_group(UserPoolId=self.user_pool_id, Username=email, GroupName=role)

    def login(self, username: str) -> str:
        """An ID token for a seeded user, signed by the pool as Cognito would sign it."""
        email = username if "@" in username else f"{username}@staff.desk.local"
        answer = self.client("cognito-idp").initiate_auth(
            ClientId=self.user_pool_client_id,
            AuthFlow="USER_PASSWORD_AUTH",
            AuthParameters={"USERNAME": email, "PASSWORD": seed.LOCAL_PASSWORD},
        )
        return str(answer["AuthenticationResult"]["IdToken"])


def _install_lambda_patch() -> None:
    """moto runs Lambda code in Docker; here it runs our handlers in-process instead."""
    from moto.awslambda.models import LambdaFunction

    with _patch_lock:
        if getattr(LambdaFunction, "_desk_local_patched", False):
            return

        def invoke_in_process(self: Any, event: Any = None) -> tuple[str, bool, str]:
            stack = next(
                (s for s in reversed(_active_stacks) if self.function_name in s.functions.by_key), None
            )
            if stack is None:
                return json.dumps({"errorMessage": f"no local stack runs {self.function_name}"}), True, ""
            payload = json.loads(event) if isinstance(event, str) else (event or {})
            if getattr(_notifying, "active", False):
                # S3 notifications invoke asynchronously in AWS: the upload is not held up by the check.
                stack.functions.invoke_async(self.function_name, payload)
                return "", False, ""
            invocation = stack.functions.invoke(self.function_name, payload)
            if invocation.error is not None:
                return json.dumps(invocation.error), True, ""
            return json.dumps(invocation.result), False, ""

        original_invoke = LambdaFunction.invoke

        def invoke(self: Any, body: str, request_headers: Any, response_headers: Any) -> Any:
            # moto's S3 notifications call with no request headers at all; an API call always has some.
            _notifying.active = not request_headers
            try:
                return original_invoke(self, body, request_headers, response_headers)
            finally:
                _notifying.active = False

        setattr(LambdaFunction, "invoke", invoke)  # noqa: B010 - a deliberate patch
        setattr(LambdaFunction, "_invoke_lambda", invoke_in_process)  # noqa: B010 - a deliberate patch
        setattr(LambdaFunction, "_desk_local_patched", True)  # noqa: B010


def _serialise(owner: Any, method: str) -> None:
    """Let one call of ``owner.method`` run at a time in this process (once per process)."""
    with _patch_lock:
        if getattr(owner, "_desk_local_patched", False):
            return
        original = getattr(owner, method)
        lock = threading.RLock()

        def serialised(self: Any, *args: Any, **kwargs: Any) -> Any:
            with lock:
                return original(self, *args, **kwargs)

        setattr(owner, method, serialised)
        setattr(owner, "_desk_local_patched", True)  # noqa: B010


def _install_dynamodb_lock() -> None:
    """moto's DynamoDB is not thread-safe (a transaction deep-copies tables other threads are writing);
    DynamoDB itself is. Requests to it run one at a time here, as each is atomic in AWS."""
    from moto.dynamodb.responses import DynamoHandler

    _serialise(DynamoHandler, "call_action")


def _install_resolver_lock() -> None:
    """Powertools keeps the event being resolved on its router class, shared by every resolver in the
    process; a Lambda process resolves one event at a time, so here HTTP events are resolved one at a
    time too (two at once would read each other's body)."""
    from aws_lambda_powertools.event_handler.api_gateway import ApiGatewayResolver

    _serialise(ApiGatewayResolver, "resolve")


def _install_wait_patch() -> None:
    """Wait states wait ``seconds × wait_scale`` of the newest stack, and every wait is recorded."""
    from moto.stepfunctions.parser.asl.component.state.wait.wait_function.wait_function import WaitFunction

    with _patch_lock:
        if getattr(WaitFunction, "_desk_local_patched", False):
            return
        original = WaitFunction._wait_interval

        def scaled_wait(self: Any, env: Any, wait_seconds: int) -> None:
            stack = _active_stacks[-1] if _active_stacks else None
            if stack is None:
                return original(self, env, wait_seconds)
            execution = (env.states.context_object.context_object_data.get("Execution") or {}).get("Id")
            if execution and not stack.runs(str(execution)):
                # An execution of a desk that has stopped (tests run one desk per module): its waits are
                # not shortened, or its retry loops would spin until the process ends.
                env.program_state_event.wait(3600)
                return None
            stack.waits.append(float(wait_seconds))
            if stack.wait_scale > 0 and wait_seconds > 0:
                env.program_state_event.wait(wait_seconds * stack.wait_scale)
            return None

        setattr(WaitFunction, "_wait_interval", scaled_wait)  # noqa: B010 - a deliberate patch
        setattr(WaitFunction, "_desk_local_patched", True)  # noqa: B010


@contextmanager
def running(**kwargs: Any) -> Iterator[LocalDesk]:
    desk = LocalDesk(**kwargs).start()
    try:
        yield desk
    finally:
        desk.stop()
