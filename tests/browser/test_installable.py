"""Installable: a web app manifest with its icons, and a service worker that keeps the client's own
files for offline use and never an API answer."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tasksync_gateway.web import WEB_DIR

SW = WEB_DIR / "sw.js"

CACHED = """async () => {
    const urls = [];
    for (const name of await caches.keys()) {
        const cache = await caches.open(name);
        urls.push(...(await cache.keys()).map((request) => new URL(request.url).pathname));
    }
    return urls;
}"""

FETCH = """async ([path, token]) => {
    try {
        const response = await fetch(path, {headers: token ? {Authorization: `Bearer ${token}`} : {}});
        return response.status;
    } catch {
        return 'failed';
    }
}"""


def test_the_worker_lists_every_file_of_the_client():
    """A file missing from the list would be missing offline; one listed but gone fails install."""
    listed = set(re.findall(r"'(/[^']*)'", SW.read_text().split("const FILES = [", 1)[1].split("];", 1)[0]))
    on_disk = {
        "/assets/" + path.relative_to(WEB_DIR).as_posix()
        for path in WEB_DIR.rglob("*")
        if path.is_file() and path.name not in ("index.html", "sw.js")
    }
    assert listed == on_disk | {"/"}


def test_the_manifest_names_the_app_and_its_icons_exist(person):
    someone = person("someone", via=None)
    page = someone.open("/").page
    href = page.locator("link[rel=manifest]").get_attribute("href")
    manifest = page.request.get(href)
    assert manifest.ok and manifest.headers["content-type"].startswith("application/manifest+json")
    body = manifest.json()
    assert body["name"] == "TaskSync" and body["start_url"] == "/" and body["display"] == "standalone"
    sizes = set()
    for icon in body["icons"]:
        answer = page.request.get(icon["src"])
        assert answer.ok and answer.headers["content-type"].startswith(icon["type"]), icon
        sizes.add(icon["sizes"])
    assert {"192x192", "512x512"} <= sizes


def test_the_worker_keeps_the_client_for_offline_but_never_api_answers(person, api):
    alice = person("alice", service_workers="allow")
    page = alice.page
    api.create_room(alice.token, "Offline room")
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.reload()  # the page is now controlled by the worker
    expect(page.get_by_role("link", name="Offline room")).to_be_visible()
    assert page.evaluate("Boolean(navigator.serviceWorker.controller)")

    # API requests go through while the worker controls the page, and are kept nowhere.
    assert page.evaluate(FETCH, ["/api/v1/users/me", alice.token]) == 200
    assert page.evaluate(FETCH, ["/api/v1/rooms", alice.token]) == 200
    cached = page.evaluate(CACHED)
    assert "/assets/js/main.js" in cached and "/" in cached
    assert not [url for url in cached if url.startswith("/api/")], cached

    # Offline, the client still opens from the cache and says the server cannot be reached; an
    # API request fails rather than being answered from any cache.
    page.context.set_offline(True)
    page.reload()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your rooms")
    expect(page.get_by_role("alert").first).to_contain_text("offline")
    assert page.evaluate(FETCH, ["/api/v1/rooms", alice.token]) == "failed"
    page.context.set_offline(False)
    assert not [url for url in page.evaluate(CACHED) if url.startswith("/api/")]
