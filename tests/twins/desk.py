"""A desk of twins: every data-layer factory answers its in-memory twin and a real AWS client is refused,
so a use case run in it touches nothing but the twins (and one whose twin is missing fails loudly)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from desk import aws, runtime
from desk.data import (
    accounts,
    audit,
    calendar,
    counters,
    directory,
    files,
    mailer,
    marks,
    reference,
    requests,
    secrets,
    sessions,
    tasks,
    uploads,
    workflows,
)
from twins import (
    InMemoryCalendar,
    InMemoryCounters,
    InMemoryMarks,
    InMemoryRequests,
    InMemorySessions,
    InMemoryTasks,
    InMemoryUploads,
    InMemoryWorkflows,
)
from twins.adapters import InMemoryDirectory, InMemoryFiles, InMemoryMailer, InMemorySecret
from twins.reference import InMemoryAuditTrail, InMemoryLocalAccounts, InMemoryReference

ENVIRONMENT = {
    "STAGE": "service",
    "TABLE_NAME": "service",
    "DOCUMENTS_BUCKET": "service-documents",
    "SUPPORT_ADDRESS": "layanan@lkpp.go.id",
    "SITE_URL": "https://layanan.lkpp.go.id",
    "API_URL": "https://api.layanan.lkpp.go.id",
    "SIGNING_SECRET_ID": "service-signing",
    # The workflows the doors start, as the template names them to each function.
    **{
        f"{kind.upper()}_WORKFLOW_ARN": f"arn:aws:states:ap-southeast-3:000000000000:stateMachine:{kind}"
        for kind in ("letter", "registration", "training")
    },
}
SIGNING_SECRET = json.dumps({"current_kid": "k1", "current_secret": "service-tier-signing-secret-0123456789"})
# When the staff directory's members were created (a twin's record, not a clock read).
POOL_CREATED = datetime(2026, 1, 5, 2, 0, tzinfo=UTC)


class _NoAws:
    """What the service tier answers for a real AWS session: a refusal naming the twin that is missing."""

    def __getattr__(self, name: str) -> Any:
        raise AssertionError(f"the service tier runs on twins; AWS was asked for ({name}): add its twin")


@dataclass
class Twins:
    uploads: InMemoryUploads = field(default_factory=InMemoryUploads)
    requests: InMemoryRequests = field(init=False)
    tasks: InMemoryTasks = field(default_factory=InMemoryTasks)
    calendar: InMemoryCalendar = field(default_factory=InMemoryCalendar)
    sessions: InMemorySessions = field(default_factory=InMemorySessions)
    counters: InMemoryCounters = field(default_factory=InMemoryCounters)
    marks: InMemoryMarks = field(default_factory=InMemoryMarks)
    workflows: InMemoryWorkflows = field(default_factory=InMemoryWorkflows)
    files: InMemoryFiles = field(default_factory=lambda: InMemoryFiles(ENVIRONMENT["DOCUMENTS_BUCKET"]))
    mailer: InMemoryMailer = field(default_factory=lambda: InMemoryMailer(["lkpp.go.id"]))
    secret: InMemorySecret = field(default_factory=lambda: InMemorySecret(SIGNING_SECRET))
    directory: InMemoryDirectory = field(default_factory=lambda: InMemoryDirectory(now=POOL_CREATED))
    reference: InMemoryReference = field(default_factory=InMemoryReference)
    audit: InMemoryAuditTrail = field(init=False)
    accounts: InMemoryLocalAccounts = field(default_factory=InMemoryLocalAccounts)

    def __post_init__(self) -> None:
        self.requests = InMemoryRequests(uploads=self.uploads)
        self.audit = InMemoryAuditTrail(self.reference)


@contextmanager
def installed() -> Iterator[Twins]:
    """A runtime whose factories answer fresh twins, active until the block ends."""
    made = Twins()
    with runtime.activated(runtime.Runtime(ENVIRONMENT)):
        runtime.provide(aws._session, _NoAws())
        for factory, twin in (
            (requests.repository, made.requests),
            (uploads.repository, made.uploads),
            (tasks.repository, made.tasks),
            (calendar.repository, made.calendar),
            (sessions.repository, made.sessions),
            (counters.repository, made.counters),
            (marks.repository, made.marks),
            (workflows.engine, made.workflows),
            (files.documents, made.files),
            (mailer.mailer, made.mailer),
            (secrets.signing_secret, made.secret),
            (directory.directory, made.directory),
            (reference.repository, made.reference),
            (audit.repository, made.audit),
            (accounts.repository, made.accounts),
        ):
            runtime.provide(factory, twin)
        yield made
