"""A room's board in the shared cache: its revision, the list's ETag, and the pages already built.

The tasks service owns the data: it bumps a room's revision in the same transaction as every
task write, publishes the new revision after the commit, and stores each page it serves under
the ETag it served it with. A page key names the revision, so a write never needs to find and
delete pages: the next read asks for a key that does not exist yet. The gateway reads the same
keys to answer an unchanged board (304) or a page already built without another hop.
"""

from __future__ import annotations

import hashlib

PAGE_TTL = 120  # pages of older revisions are never asked for again; let them go soon


def revision_key(room_id: int) -> str:
    """Key of the room's revision: a counter that every task write in the room increments."""
    return f"room-revision:{room_id}"


def list_etag(revision: int, query_string: bytes) -> str:
    """The tasks list's validator: the room's revision, and which page of which filter it is."""
    return f'"r{revision}-{hashlib.blake2b(query_string, digest_size=8).hexdigest()}"'


def page_key(room_id: int, etag: str) -> str:
    """Key of the JSON body served under ``etag`` (its revision and query are in the tag)."""
    return f"tasks-page:{room_id}:{etag}"
