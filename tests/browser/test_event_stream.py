"""The web client's event stream reader (js/event-stream.js) on its own, in Chromium: the
text/event-stream format, and the connection's life (headers, Last-Event-ID, backoff, giving up,
a silent line taken for dead) against streams that Playwright answers in the server's place."""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import Page, Route

MODULES = "const {EventParser, EventStream} = await import('/assets/js/event-stream.js');"

# Feeds the parser each case's pieces; answers each case's events, retry values and last id.
PARSE = (
    """async (cases) => {"""
    + MODULES
    + """
    return cases.map((pieces) => {
        const events = [];
        const retries = [];
        const parser = new EventParser({onEvent: (event) => events.push(event), onRetry: (ms) => retries.push(ms)});
        for (const piece of pieces) parser.feed(piece);
        return {events, retries, lastEventId: parser.lastEventId};
    });
}"""
)


@pytest.fixture
def page(new_context) -> Page:
    """A page of the stack's origin, without the client running (its own streams would interfere)."""
    page = new_context().new_page()
    page.goto("/healthz")
    return page


def parse(page: Page, *cases: list[str]) -> list[dict]:
    return page.evaluate(PARSE, list(cases))


def test_the_format(page):
    bom, crlf, lines, split, fields, idle = parse(
        page,
        ['\ufeffevent: task.created\ndata: {"a": 1}\n\n'],
        ["id: 1\r\nevent: one\r\ndata: first\r\n\r\n", "id: 2\rdata: second\r\r"],
        ["data: line one\ndata:line two\ndata\ndata:  spaced\n\n"],
        ["id: 4", "2\r", "\nevent: sp", "lit\r", "\ndata: x\r", "\n\r", "\n"],
        [
            ": a comment\nretry: 250\nretry: soon\nunknown: field\n",
            "id: a\u0000b\nid: 9\nevent: named\n\n",
            "data: late\n\n",
        ],
        ["id: 5\ndata: kept\n\n", "id: 6\n\n", "data: no end"],
    )
    # A byte order mark opens the stream and belongs to no field.
    assert bom["events"] == [{"type": "task.created", "data": '{"a": 1}', "id": ""}]
    # CRLF and CR end lines as LF does.
    assert crlf["events"] == [
        {"type": "one", "data": "first", "id": "1"},
        {"type": "message", "data": "second", "id": "2"},
    ]
    # Data lines join with LF; one space after the colon goes, a second stays; a bare name is empty.
    assert lines["events"] == [{"type": "message", "data": "line one\nline two\n\n spaced", "id": ""}]
    # Pieces split anywhere, even between CR and LF, which end one line, not two.
    assert split["events"] == [{"type": "split", "data": "x", "id": "42"}]
    # Comments and unknown fields are ignored, retry takes digits only, an id with NUL is ignored;
    # an event without data is none, but its type is forgotten and its id kept for the next.
    assert fields["retries"] == [250]
    assert fields["events"] == [{"type": "message", "data": "late", "id": "9"}]
    # An id alone (no data) still moves the last id; an event cut off by the stream's end is dropped.
    assert idle["events"] == [{"type": "message", "data": "kept", "id": "5"}]
    assert idle["lastEventId"] == "6"


BACKOFF = (
    """async () => {"""
    + MODULES
    + """
    const waits = (random) => {
        const stream = new EventStream(() => null, {onEvent() {}, retryMs: 1000, maxDelayMs: 30000, random});
        return Array.from({length: 7}, () => stream.delay());
    };
    return {low: waits(() => 0), high: waits(() => 0.999999)};
}"""
)


def test_backoff_doubles_with_jitter_up_to_its_cap(page):
    waits = page.evaluate(BACKOFF)
    assert waits["high"] == [1000, 2000, 4000, 8000, 16000, 30000, 30000]
    assert waits["low"] == [500, 1000, 2000, 4000, 8000, 15000, 15000]


# Runs a stream through Api.stream against /api/v1/test-events until it closes or `seconds` pass;
# answers the states and events it reported, in order.
RUN = (
    """async ([deadMs, seconds]) => {"""
    + MODULES
    + """
    const {Api} = await import('/assets/js/api.js');
    const api = new Api();
    api.getToken = () => 'the-token';
    const heard = [];
    let done;
    const closed = new Promise((resolve) => (done = resolve));
    const stream = new EventStream((lastEventId, signal) => api.stream('/test-events', {lastEventId, signal}), {
        onEvent: (event) => heard.push(['event', event.type, event.data, event.id]),
        onState: (state, why) => {
            heard.push(['state', state, why ?? null]);
            if (state === 'closed') done();
        },
        deadMs,
        retryMs: 50,
    });
    stream.start();
    await Promise.race([closed, new Promise((resolve) => setTimeout(resolve, seconds * 1000))]);
    stream.stop();
    return heard;
}"""
)


class FakeServer:
    """Answers the stream's requests from a script, one answer per request, and records them."""

    def __init__(self, page: Page, answers: list):
        self.answers = answers
        self.requests: list[dict] = []
        self.held: list[Route] = []
        page.route("**/api/v1/test-events", self.answer)

    def answer(self, route: Route) -> None:
        self.requests.append(route.request.headers)
        answer = self.answers.pop(0) if self.answers else "hold"
        if answer == "hold":  # no answer at all: a line that went silent
            self.held.append(route)
        elif isinstance(answer, tuple):  # (content type, body) of a 200
            route.fulfill(status=200, content_type=answer[0], body=answer[1])
        elif isinstance(answer, int):
            route.fulfill(
                status=answer,
                content_type="application/problem+json",
                headers={"Retry-After": "0"},
                body=json.dumps({"title": "no", "status": answer}),
            )
        else:
            route.fulfill(status=200, content_type="text/event-stream", body=answer)


def test_reconnects_resuming_after_the_last_event_and_stops_when_revoked(page):
    server = FakeServer(
        page,
        [
            'retry: 20\n\nid: 7\nevent: task.created\ndata: {"n": 1}\n\n',  # then the stream ends
            503,  # a failed attempt: reconnect again, later
            ("application/json", '{"data": "not a stream"}'),  # a 200 that is no stream: reconnect
            "lines that are no fields, and no blank line\ndata: cut off",  # no event in it
            "id: 8\nevent: task.moved\ndata: 2\n\nevent: revoked\ndata: {}\n\nid: 9\ndata: never\n\n",
        ],
    )
    heard = page.evaluate(RUN, [45_000, 10])
    assert heard == [
        ["state", "open", None],
        ["event", "task.created", '{"n": 1}', "7"],
        ["state", "down", None],
        ["state", "open", None],
        ["state", "down", None],
        ["state", "open", None],
        ["event", "task.moved", "2", "8"],
        ["event", "revoked", "{}", "8"],
        ["state", "closed", "revoked"],
    ]
    assert len(server.requests) == 5, "nothing after revoked"
    first, *again = server.requests
    assert first["authorization"] == "Bearer the-token" and first["accept"] == "text/event-stream"
    assert "last-event-id" not in first
    assert [headers["last-event-id"] for headers in again] == ["7", "7", "7", "7"]
    assert len({headers["x-request-id"] for headers in server.requests}) == 5


@pytest.mark.parametrize("status", [401, 404])
def test_gives_up_on_a_refusal(page, status):
    server = FakeServer(page, [status])
    heard = page.evaluate(RUN, [45_000, 5])
    assert heard == [["state", "closed", status]]
    assert len(server.requests) == 1


def test_a_silent_line_is_dead(page):
    """No byte for deadMs: the attempt is given up and made again."""
    server = FakeServer(page, ["hold", "retry: 10\n\nevent: reset\ndata: {}\n\n", 401])
    heard = page.evaluate(RUN, [300, 10])
    assert heard == [
        ["state", "down", None],
        ["state", "open", None],
        ["event", "reset", "{}", ""],
        ["state", "down", None],
        ["state", "closed", 401],
    ]
    assert len(server.requests) == 3
