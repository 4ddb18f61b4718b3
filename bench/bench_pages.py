"""What each page costs a phone: bytes of HTML, scripts and styles it loads (raw and gzip), and the
share of them that is the vendored QR code generator and the message catalogue."""

from __future__ import annotations

import gzip
import re
from pathlib import Path
from typing import Any

WEB = Path(__file__).resolve().parents[1] / "web"
PAGES = {
    "home": "index.html",
    "complaint": "complaint.html",
    "registration": "registration.html",
    "training": "training.html",
    "payment": "payment.html",
    "status": "status.html",
    "staff console": "staff/index.html",
}
_REFERENCE = re.compile(r'<(?:script[^>]*\ssrc|link[^>]*\shref)="(/[^"]+\.(?:js|css))"')


def _assets(html: str) -> list[Path]:
    return [WEB / found.lstrip("/") for found in _REFERENCE.findall(html)]


def run() -> dict[str, Any]:
    figures: dict[str, Any] = {}
    for name, relative in PAGES.items():
        page = WEB / relative
        html = page.read_text(encoding="utf-8")
        files = [page, *_assets(html)]
        raw = sum(f.stat().st_size for f in files)
        zipped = sum(len(gzip.compress(f.read_bytes(), 9)) for f in files)
        catalogue = sum(f.stat().st_size for f in files if "messages" in f.parts)
        vendored = sum(f.stat().st_size for f in files if "vendor" in f.parts)
        figures[name] = {
            "files": len(files),
            "kb": round(raw / 1024, 1),
            "kb_gzip": round(zipped / 1024, 1),
            "gzip_ratio": round(zipped / raw, 2),
            "catalogue_share": round(catalogue / raw, 2),
            "vendored_share": round(vendored / raw, 2),
        }
    return figures
