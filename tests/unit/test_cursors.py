"""Page cursors are signed and bound to their list: made up, altered or carried to another list, they
are refused naming the field; one signed with the previous key still reads after a rotation."""

from __future__ import annotations

import pytest

from desk.data import cursors
from desk.errors import InvalidInput
from desk.signing import KeyRing, SigningKey

OLD = SigningKey("k1", b"o" * 32)
NEW = SigningKey("k2", b"n" * 32)
RING = KeyRing(current=OLD)
KEY = {"pk": "REQ#EP-2026-000001", "sk": "REQ", "gsi1pk": "QUEUE#helpdesk", "gsi1sk": "2026-12-10#EP"}
KEYS = ("pk", "sk", "gsi1pk", "gsi1sk")


def _refused(cursor: str, scope: str = "queue:helpdesk", ring: KeyRing = RING) -> None:
    with pytest.raises(InvalidInput) as refused:
        cursors.decode(cursor, scope=scope, keys=KEYS, ring=ring)
    assert set(refused.value.fields or {}) == {"cursor"}


def test_a_cursor_reads_back_in_its_own_list_only() -> None:
    cursor = cursors.encode(KEY, scope="queue:helpdesk", ring=RING)
    assert cursor is not None
    assert cursors.decode(cursor, scope="queue:helpdesk", keys=KEYS, ring=RING) == KEY
    _refused(cursor, scope="queue:subdit-sistem")  # another unit's queue


def test_a_made_up_or_altered_cursor_is_refused() -> None:
    cursor = cursors.encode(KEY, scope="queue:helpdesk", ring=RING)
    assert cursor is not None
    payload, kid, tag = cursor.split(".")
    forged = cursors.encode({**KEY, "gsi1pk": "QUEUE#direktur"}, scope="queue:helpdesk", ring=RING)
    assert forged is not None
    for bad in (
        "0" * 300,
        "a.b",
        f"{forged.split('.')[0]}.{kid}.{tag}",
        f"{payload}.k9.{tag}",
        f"{payload}.{kid}.",
    ):
        _refused(bad)


def test_the_previous_key_still_reads_after_a_rotation_and_no_other() -> None:
    cursor = cursors.encode(KEY, scope="queue:helpdesk", ring=RING)
    assert cursor is not None
    rotated = KeyRing(current=NEW, previous=OLD)
    assert cursors.decode(cursor, scope="queue:helpdesk", keys=KEYS, ring=rotated) == KEY
    _refused(cursor, ring=KeyRing(current=NEW))


def test_the_last_page_has_no_cursor_and_no_cursor_is_the_first_page() -> None:
    assert cursors.encode(None, scope="x", ring=RING) is None
    assert cursors.decode("", scope="x", keys=KEYS, ring=RING) is None
