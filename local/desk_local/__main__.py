"""``python -m desk_local``: run the whole desk on this machine (``make run``)."""

from __future__ import annotations

import argparse
import os
import signal
import socket
import sys
import threading
from datetime import datetime

from desk_local.server import make_server, serve_in_thread
from desk_local.stack import LocalDesk

FORM_JSON = (
    '{"kind":"complaint","subject":"Tidak bisa masuk","message":"Akun saya terkunci.",'
    '"name":"Ani","email":"ani@example.go.id"}'
)


def mail_line(host: str, port: int, support: str) -> str:
    crlf = "\\r\\n"
    message = (
        f"From: ani@example.go.id{crlf}To: {support}{crlf}Subject: Akun terkunci{crlf}{crlf}Mohon bantuan."
    )
    return (
        f"python3 -c \"import smtplib; s=smtplib.SMTP('{host}',{port}); "
        f"s.sendmail('ani@example.go.id',['{support}'],b'{message}'); s.quit()\""
    )


def _instant(text: str) -> datetime:
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        raise argparse.ArgumentTypeError("give the instant with its offset, e.g. 2026-12-24T09:00:00+07:00")
    return moment


def main() -> None:
    parser = argparse.ArgumentParser(description="Run the e-Purchasing service desk locally.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=3000)
    parser.add_argument("--smtp-port", type=int, default=2525)
    parser.add_argument(
        "--working-day-seconds",
        type=float,
        default=0.0,
        help="demonstration speed-up: one working day of waiting lasts this many seconds (0 = real time)",
    )
    parser.add_argument(
        "--now",
        type=_instant,
        default=None,
        help="start the desk's clock at this instant, e.g. 2026-12-24T09:00:00+07:00 (default: real time)",
    )
    args = parser.parse_args()
    taken = [port for port in (args.port, args.smtp_port) if not _free(args.host, port)]
    if taken:
        # An earlier desk (or another program) still holds the port: say so rather than fail later.
        print(
            f"port {', '.join(map(str, taken))} on {args.host} is taken; stop what runs there first",
            flush=True,
        )
        sys.exit(2)
    import logging

    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # moto's server would log every AWS call
    site = f"http://{args.host}:{args.port}"
    desk = LocalDesk(
        mode="server", working_day_seconds=args.working_day_seconds, site_url=site, now=args.now
    ).start()
    desk.seed()
    listener = desk.start_smtp(args.smtp_port)
    desk.start_scheduler()
    smtp_address = f"{args.host}:{listener.port}"
    server = make_server(desk, args.host, args.port, smtp_address)
    serve_in_thread(server)
    support = desk.support_address
    print(
        f"""
e-Purchasing service desk, local
  pages          {site}/   (forms, status page)   staff console {site}/staff/
  API            {site}   (OpenAPI at {site}/openapi.json)
  SMTP           {smtp_address}   (mail to {support})
  outbox         {site}/_local/outbox
  info           {site}/_local/info

Try a complaint from the web form:
  curl -s -X POST {site}/tickets -H 'Content-Type: application/json' -d '{FORM_JSON}'

Try an email:
  {mail_line(args.host, listener.port, support)}

Sign in as staff (helpdesk, reception, secretary, director, subdit1, subdit2, verifier-jakarta,
verifier-bali, training, admin):
  curl -s -X POST {site}/_local/login -d '{{"username":"admin"}}'

Data lives in memory and is gone when this stops. Ctrl+C to stop.
""",
        flush=True,
    )
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    try:
        stop.wait()
    except KeyboardInterrupt:
        pass
    finally:
        # The ports are freed first; then the desk gets a few seconds to stop its workers. Workflow
        # threads waiting on their timers would keep the process alive, and its data dies with it anyway.
        server.shutdown()
        server.server_close()
        listener.stop()
        stopping = threading.Thread(target=desk.stop, name="desk-stop", daemon=True)
        stopping.start()
        stopping.join(STOP_GRACE_SECONDS)
        print("stopped", flush=True)
        os._exit(0)


STOP_GRACE_SECONDS = 3.0


def _free(host: str, port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError:
            return False
    return True


if __name__ == "__main__":
    main()
