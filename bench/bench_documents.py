"""Throughput and peak memory of the upload checks (``desk.documents.check_file``).

Each file is written to a temporary directory and checked from an open file object, as the upload
function checks an object it has streamed to ``/tmp``. Two sizes of each kind are measured, so the
report shows whether peak memory grows with the file:

- a scanned letter as PDF: one 8-bit grey JPEG image per A4 page (~250 KB each), ~1 MB and ~5 MB;
- a JPEG photo with a real (noisy, incompressible) scan, ~0.5 MB and ~2 MB.

Peak memory is what ``tracemalloc`` sees Python allocate during one check (the file's bytes are on disk,
not in memory, before the check starts). Figures are reported, never asserted.

Run: ``PYTHONPATH=layers/shared .venv/bin/python bench/bench_documents.py``
"""

from __future__ import annotations

import json
import random
import struct
import tempfile
import time
import tracemalloc
from pathlib import Path
from typing import Any

from desk.documents import check_file

MB = 1024 * 1024
LIMIT = 10 * MB
MIN_SECONDS = 1.0
MIN_RUNS = 5


# --- files ----------------------------------------------------------------------------------------------


def _segment(marker: int, payload: bytes) -> bytes:
    return bytes([0xFF, marker]) + struct.pack(">H", len(payload) + 2) + payload


def make_jpeg(width: int, height: int, seed: int = 0) -> bytes:
    """A decodable baseline grey JPEG with 64 bytes of scan per 8×8 block (see tests/unit/docfactory.py)."""
    blocks = ((width + 7) // 8) * ((height + 7) // 8)
    noise = random.Random(seed)
    values = noise.randbytes(blocks * 63).translate(bytes(b & 0x3F for b in range(256)))
    scan = bytearray()
    for block in range(blocks):
        scan.append(0x20 if block % 2 == 0 else 0x1F)
        scan += values[block * 63 : (block + 1) * 63]
    table = bytes([0, 1] + [0] * 14) + b"\x06"
    return b"".join(
        [
            b"\xff\xd8",
            _segment(0xE0, b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"),
            _segment(0xDB, b"\x00" + bytes([1] * 64)),
            _segment(0xC0, struct.pack(">BHHB", 8, height, width, 1) + b"\x01\x11\x00"),
            _segment(0xC4, b"\x00" + table),
            _segment(0xC4, b"\x10" + table),
            _segment(0xDA, b"\x01\x01\x00\x00\x3f\x00"),
            bytes(scan),
            b"\xff\xd9",
        ]
    )


def make_scanned_pdf(pages: int, page_width: int = 496, page_height: int = 512) -> bytes:
    """A PDF of ``pages`` A4 pages, each showing its own grey JPEG (DCTDecode image XObject)."""
    objects: dict[int, bytes] = {}
    kids = []
    for index in range(pages):
        page, content, image = 3 + 3 * index, 4 + 3 * index, 5 + 3 * index
        kids.append(b"%d 0 R" % page)
        picture = make_jpeg(page_width, page_height, seed=index)
        draw = b"q 595 0 0 842 0 0 cm /Im0 Do Q"
        objects[page] = (
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents %d 0 R "
            b"/Resources << /XObject << /Im0 %d 0 R >> >> >>" % (content, image)
        )
        objects[content] = b"<< /Length %d >>\nstream\n%s\nendstream" % (len(draw), draw)
        objects[image] = (
            b"<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray "
            b"/BitsPerComponent 8 /Filter /DCTDecode /Length %d >>\nstream\n"
            % (page_width, page_height, len(picture))
            + picture
            + b"\nendstream"
        )
    objects[1] = b"<< /Type /Catalog /Pages 2 0 R >>"
    objects[2] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(kids), pages)

    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets: dict[int, int] = {}
    for number in sorted(objects):
        offsets[number] = len(out)
        out += b"%d 0 obj\n%s\nendobj\n" % (number, objects[number])
    size = max(objects) + 1
    xref_at = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % size
    out += b"".join(b"%010d 00000 n \n" % offsets[number] for number in range(1, size))
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (size, xref_at)
    return bytes(out)


# --- measuring ------------------------------------------------------------------------------------------


def _measure(path: Path, declared: str) -> dict[str, Any]:
    size = path.stat().st_size
    with path.open("rb") as stream:
        result = check_file(stream, declared_type=declared, max_size=LIMIT)  # warm-up, and the verdict

    runs = 0
    started = time.perf_counter()
    elapsed = 0.0
    while runs < MIN_RUNS or elapsed < MIN_SECONDS:
        with path.open("rb") as stream:
            check_file(stream, declared_type=declared, max_size=LIMIT)
        runs += 1
        elapsed = time.perf_counter() - started

    tracemalloc.start()
    try:
        with path.open("rb") as stream:
            tracemalloc.reset_peak()
            check_file(stream, declared_type=declared, max_size=LIMIT)
            _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    return {
        "type": declared,
        "size_bytes": size,
        "accepted": result.accepted,
        "reason_code": result.reason_code,
        "pages": result.pages,
        "width": result.width,
        "height": result.height,
        "runs": runs,
        "checks_per_second": round(runs / elapsed, 1),
        "ms_per_check": round(1000 * elapsed / runs, 2),
        "megabytes_per_second": round(size * runs / elapsed / MB, 1),
        "peak_memory_bytes": peak,
        "peak_memory_to_size": round(peak / size, 3),
    }


def run() -> dict[str, Any]:
    """Build the files, check each repeatedly, and report speed and peak memory per file."""
    files = {
        # 4 and 20 pages of ~250 KB scans: ~1 MB and ~5 MB.
        "pdf_1mb": (lambda: make_scanned_pdf(4), "application/pdf"),
        "pdf_5mb": (lambda: make_scanned_pdf(20), "application/pdf"),
        # 1024×512 and 2048×1024 pixels at 64 bytes per 8×8 block: 0.5 MB and 2 MB.
        "jpeg_0.5mb": (lambda: make_jpeg(1024, 512, seed=1), "image/jpeg"),
        "jpeg_2mb": (lambda: make_jpeg(2048, 1024, seed=2), "image/jpeg"),
    }
    report: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="bench-documents-") as folder:
        for name, (build, declared) in files.items():
            path = Path(folder) / name
            path.write_bytes(build())
            report[name] = _measure(path, declared)
    for kind in ("pdf", "jpeg"):
        small, large = (report[name] for name in report if name.startswith(kind))
        report[f"{kind}_peak_growth"] = {
            "size_ratio": round(large["size_bytes"] / small["size_bytes"], 2),
            "peak_memory_ratio": round(large["peak_memory_bytes"] / small["peak_memory_bytes"], 2),
        }
    return report


def _print(report: dict[str, Any]) -> None:
    columns = ("checks/s", "ms/check", "MB/s", "peak mem")
    print(f"{'file':<11} {'size':>9} {'verdict':<9} " + " ".join(f"{column:>9}" for column in columns))
    for name, row in report.items():
        if "size_bytes" not in row:
            continue
        verdict = "accepted" if row["accepted"] else row["reason_code"]
        print(
            f"{name:<11} {row['size_bytes'] / MB:>7.2f}MB {verdict:<9} {row['checks_per_second']:>9} "
            f"{row['ms_per_check']:>9} {row['megabytes_per_second']:>9} "
            f"{row['peak_memory_bytes'] / 1024:>7.0f}KB"
        )
    for kind in ("pdf", "jpeg"):
        growth = report[f"{kind}_peak_growth"]
        print(f"{kind}: file {growth['size_ratio']}x larger -> peak memory {growth['peak_memory_ratio']}x")
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    _print(run())
