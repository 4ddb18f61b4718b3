"""The local desk over HTTP on 127.0.0.1:3000: the API as API Gateway serves it, the pages, and the
``/_local/`` helpers (info, login, outbox) that exist only here."""

from __future__ import annotations

import html
import json
import mimetypes
import threading
from collections.abc import Callable, Mapping
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar
from urllib.parse import urlsplit

from desk import clock
from desk_local import seed
from desk_local.gateway import HttpRequest, HttpResponse
from desk_local.stack import ROOT, LocalDesk

WEB_ROOT = ROOT / "web"


def _json(status: int, value: Any) -> HttpResponse:
    return HttpResponse(
        status,
        {"Content-Type": "application/json; charset=utf-8"},
        json.dumps(value, ensure_ascii=False, indent=1, default=str).encode(),
    )


def _local_error(status: int, code: str, message: str) -> HttpResponse:
    return _json(status, {"error": {"code": code, "message": message}})


class LocalRoutes:
    def __init__(self, desk: LocalDesk, smtp_address: str):
        self.desk = desk
        self.smtp_address = smtp_address

    def info(self) -> dict[str, Any]:
        return {
            "api": self.desk.site_url,
            "smtp": self.smtp_address,
            "support_address": self.desk.support_address,
            "staff": [{"username": u.username, "role": u.role, "unit": u.unit} for u in seed.STAFF],
            "local_password": seed.LOCAL_PASSWORD,
            "demo": {
                **seed.DEMO,
                "working_day_seconds": self.desk.working_day_seconds,
                "form_example": {
                    "kind": "complaint",
                    "subject": "Tidak bisa masuk e-Purchasing",
                    "message": "Akun saya terkunci.",
                    "name": "Ani",
                    "email": "ani@example.go.id",
                },
            },
        }

    def activate(self, token: str) -> HttpResponse:
        """The fake e-Purchasing system's one-time activation link (the real one is outside the desk)."""
        from desk.data.accounts import LocalAccountStore

        table = self.desk.session.resource("dynamodb", region_name=self.desk.region).Table(
            self.desk.ref("DeskTable")
        )
        account = LocalAccountStore(table).activate(token)  # once: a second use finds it activated
        if account is None:
            return HttpResponse(
                410,
                {"Content-Type": "text/html; charset=utf-8"},
                _activation_page(
                    "Tautan tidak berlaku", "Tautan aktivasi ini sudah dipakai atau tidak dikenal."
                ),
            )
        return HttpResponse(
            200,
            {"Content-Type": "text/html; charset=utf-8"},
            _activation_page(
                "Akun aktif",
                f"User ID {account['user_id']} sudah aktif. Buat kata sandi Anda di e-Purchasing.",
            ),
        )

    def clock(self, request: HttpRequest) -> HttpResponse:
        """GET the desk's time; POST ``{"now": iso}`` to move it forward (never back: records made
        ahead would stand in the future)."""
        if request.method == "POST":
            try:
                wanted = datetime.fromisoformat(str(json.loads(request.body or b"{}")["now"]))
                if wanted.tzinfo is None:
                    raise ValueError("an offset is needed")
            except (ValueError, KeyError, TypeError, json.JSONDecodeError):
                return _local_error(400, "bad_time", 'Kirim {"now": "2026-03-02T09:00:00+07:00"}.')
            clock.advance_to(wanted)
        elif request.method != "GET":
            return _local_error(405, "method_not_allowed", "Gunakan GET atau POST.")
        offset = clock.offset().total_seconds()
        return _json(200, {"now": clock.iso(clock.now()), "offset_seconds": offset})

    def handle(self, request: HttpRequest) -> HttpResponse | None:
        path = request.path
        route = self._ROUTES.get((path, request.method))
        if route is not None:
            return route(self, request)
        if path == "/_local/clock":
            return self.clock(request)
        if path.startswith("/_local/activate/") and request.method == "GET":
            return self.activate(path.rsplit("/", 1)[-1])
        if path.startswith("/_local/"):
            return _local_error(404, "not_found", "Alamat tidak ditemukan.")
        return None

    def _info(self, request: HttpRequest) -> HttpResponse:
        return _json(200, self.info())

    def _config(self, request: HttpRequest) -> HttpResponse:
        # In AWS the deploy writes this file beside the pages (``make deploy-site``).
        return _json(
            200, {"api": "", "auth": {"mode": "local"}, "support_address": self.desk.support_address}
        )

    def _login(self, request: HttpRequest) -> HttpResponse:
        try:
            username = str(json.loads(request.body or b"{}").get("username", ""))
        except (json.JSONDecodeError, AttributeError):
            return _local_error(400, "malformed_json", "Isi permintaan bukan JSON yang sah.")
        if username not in {u.username for u in seed.STAFF} and "@" not in username:
            return _local_error(404, "unknown_user", f"Tidak ada pengguna {username!r} di desk lokal.")
        try:
            return _json(200, {"id_token": self.desk.login(username)})
        except Exception:  # noqa: BLE001 - an unknown or disabled user
            return _local_error(401, "login_failed", "Tidak dapat masuk sebagai pengguna itu.")

    def _outbox(self, request: HttpRequest) -> HttpResponse:
        mails = [
            {k: m[k] for k in ("to", "subject", "text", "html", "links", "sent_at", "message_id")}
            for m in self.desk.outbox()
        ]
        if "text/html" in request.headers.get("Accept", "") and "json" not in request.query:
            return HttpResponse(200, {"Content-Type": "text/html; charset=utf-8"}, _outbox_page(mails))
        return _json(200, mails)

    def _redrive(self, request: HttpRequest) -> HttpResponse:
        return _json(200, self.desk.redrive(dry_run="dry_run" in request.query))

    # The helpers answered at one path and method; the clock, activation links and unknown paths follow.
    _ROUTES: ClassVar[Mapping[tuple[str, str], Callable[[LocalRoutes, HttpRequest], HttpResponse]]] = {
        ("/_local/info", "GET"): _info,
        ("/config.json", "GET"): _config,
        ("/_local/login", "POST"): _login,
        ("/_local/outbox", "GET"): _outbox,
        ("/_local/redrive", "POST"): _redrive,
    }


def _activation_page(title: str, text: str) -> bytes:
    return (
        f'<!doctype html><html lang="id"><meta charset="utf-8"><title>{html.escape(title)}</title>'
        f'<body style="font-family:sans-serif;max-width:40rem;margin:auto"><h1>{html.escape(title)}</h1>'
        f"<p>{html.escape(text)}</p></body></html>"
    ).encode()


def _outbox_page(mails: list[dict[str, Any]]) -> bytes:
    rows = []
    for mail in mails:
        links = "".join(f'<li><a href="{html.escape(u)}">{html.escape(u)}</a></li>' for u in mail["links"])
        rows.append(
            f"<article><h2>{html.escape(mail['subject'])}</h2><p>Kepada: {html.escape(', '.join(mail['to']))}"
            f" · {html.escape(str(mail['sent_at'] or ''))}</p><pre>{html.escape(mail['text'])}</pre>"
            f"<ul>{links}</ul></article>"
        )
    body = "".join(rows) or "<p>Belum ada surel terkirim.</p>"
    return (
        f'<!doctype html><html lang="id"><meta charset="utf-8"><title>Kotak keluar lokal</title>'
        f'<body style="font-family:sans-serif;max-width:60rem;margin:auto"><h1>Kotak keluar lokal</h1>'
        f"{body}</body></html>"
    ).encode()


def site_headers(desk: LocalDesk) -> dict[str, str]:
    """The security headers CloudFront adds to the pages (the template's SiteSecurityHeaders), with the
    local S3 endpoint allowed for uploads: the pages run here under the policy they meet in AWS."""
    created = desk.provisioned.resources.get("SiteSecurityHeaders")
    if created is None:
        return {}
    config = created.properties["ResponseHeadersPolicyConfig"]["SecurityHeadersConfig"]
    policy = " ".join(str(config["ContentSecurityPolicy"]["ContentSecurityPolicy"]).split())
    if desk.endpoint:
        policy = policy.replace("connect-src 'self'", f"connect-src 'self' {desk.endpoint}", 1)
    headers = {"Content-Security-Policy": policy}
    if "ContentTypeOptions" in config:
        headers["X-Content-Type-Options"] = "nosniff"
    if "FrameOptions" in config:
        headers["X-Frame-Options"] = str(config["FrameOptions"]["FrameOption"])
    if "ReferrerPolicy" in config:
        headers["Referrer-Policy"] = str(config["ReferrerPolicy"]["ReferrerPolicy"])
    return headers


def _static(path: str, headers: dict[str, str]) -> HttpResponse | None:
    """The pages as CloudFront serves them: ``/`` and ``/staff/`` are their folder's index.html, and
    a path without an extension is its ``.html`` page (``/status`` → status.html)."""
    if not WEB_ROOT.is_dir():
        return None
    relative = path.lstrip("/")
    if relative == "" or relative.endswith("/"):
        relative += "index.html"
    elif "." not in relative.rsplit("/", 1)[-1]:
        relative += ".html"
    target = (WEB_ROOT / relative).resolve()
    if WEB_ROOT.resolve() not in target.parents or not target.is_file():
        return None
    kind = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
    if kind.startswith("text/") or kind in ("application/javascript", "application/json"):
        kind += "; charset=utf-8"
    return HttpResponse(
        200, {"Content-Type": kind, "Cache-Control": "no-cache", **headers}, target.read_bytes()
    )


class _Site:
    """Where a request goes: the local helpers, then the pages, then the API through the gateway."""

    def __init__(self, desk: LocalDesk, smtp_address: str):
        self.desk = desk
        self.local = LocalRoutes(desk, smtp_address)
        self.page_headers = site_headers(desk)

    def respond(self, request: HttpRequest) -> HttpResponse:
        response = self.local.handle(request)
        if response is None and request.method in ("GET", "HEAD"):
            response = _static(request.path, self.page_headers)
        if response is None and request.path == "/staff":  # a folder moves to its slash, as on CloudFront
            response = HttpResponse(301, {"Location": "/staff/"}, b"")
        if response is None:
            response = self.desk.gateway.handle(request)
        return response


class _SiteHandler(BaseHTTPRequestHandler):
    server_version = "desk-local"
    protocol_version = "HTTP/1.1"
    site: _Site

    def _serve(self) -> None:
        parts = urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        request = HttpRequest(
            self.command,
            parts.path,
            parts.query,
            dict(self.headers.items()),
            body,
            self.client_address[0],
        )
        self._send(self.site.respond(request))

    def _send(self, response: HttpResponse) -> None:
        self.send_response(response.status)
        for name, value in response.headers.items():
            if name.lower() not in ("content-length", "connection"):
                self.send_header(name, value)
        self.send_header("Content-Length", str(len(response.body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(response.body)

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_OPTIONS = do_HEAD = _serve

    def __getattr__(self, name: str) -> Any:
        # Any other method (TRACE, QUERY, ...) reaches the gateway too, which answers it in the
        # contract's shape as API Gateway would, rather than http.server's HTML 501.
        if name.startswith("do_"):
            return self._serve
        raise AttributeError(name)

    def log_message(self, format: str, *args: Any) -> None:
        return


def make_server(desk: LocalDesk, host: str, port: int, smtp_address: str) -> ThreadingHTTPServer:
    class Handler(_SiteHandler):
        site = _Site(desk, smtp_address)

    server = ThreadingHTTPServer((host, port), Handler)
    server.daemon_threads = True
    return server


def serve_in_thread(server: ThreadingHTTPServer) -> threading.Thread:
    thread = threading.Thread(target=server.serve_forever, name="desk-http", daemon=True)
    thread.start()
    return thread


def web_root() -> Path:
    return WEB_ROOT
