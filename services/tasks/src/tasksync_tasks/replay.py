"""The rule every replay route follows (a room's events, a person's notifications): what the
gateway reads to pass on what a stream missed, after the id it last sent.

An answer is ``{"head", "events", "reset"}``: the topic's newest id, the events after ``after``
up to that head, oldest first, and whether there are too many of them (or ``after`` is no id of
this topic), in which case there are none and the client reloads instead."""

from __future__ import annotations

from collections.abc import Callable

from apiflask import Schema
from apiflask.fields import Integer
from apiflask.validators import Range

# A stream further behind than this reloads the board: cheaper than sending it all, and bounded.
REPLAY_LIMIT = 500


class ReplayQuery(Schema):
    after = Integer(
        validate=Range(min=0),
        metadata={"description": "The last event id the stream sent (its Last-Event-ID); none: only the head."},
    )


def answer(head: int, after: int | None, read: Callable[[int, int, int], list[dict]]) -> dict:
    """The replay after ``after`` of a topic whose newest id is ``head``; ``read(after, head,
    limit)`` gives at most ``limit`` events with ids in (after, head], oldest first."""
    if after is None:
        return {"head": head, "events": [], "reset": False}
    if after > head:  # an id this topic never gave
        return {"head": head, "events": [], "reset": True}
    events = read(after, head, REPLAY_LIMIT + 1)
    if len(events) > REPLAY_LIMIT:
        return {"head": head, "events": [], "reset": True}
    return {"head": head, "events": events, "reset": False}
