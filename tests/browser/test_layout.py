"""A 360 px phone and a desktop; light and dark colour schemes."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

PHONE = {"width": 360, "height": 740}


def no_sideways_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")


def column_boxes(person):
    return [person.column(name).bounding_box() for name in ("Pending", "In progress", "Completed")]


def test_columns_stack_on_a_phone(person, api):
    alice = person("alice", viewport=PHONE)
    page = alice.page
    assert no_sideways_scroll(page)
    room = api.create_room(alice.token, "A room with a rather long name that has to wrap on a phone")
    api.add_task(alice.token, room["id"], title="A task with a long title that wraps " * 3, description="x" * 400)
    api.add_task(alice.token, room["id"], title="Short", status="completed")
    page.goto(f"/#/rooms/{room['id']}")
    expect(alice.task("Short")).to_be_visible()

    pending, progress, completed = column_boxes(alice)
    assert pending["x"] == progress["x"] == completed["x"]
    assert pending["y"] + pending["height"] <= progress["y"]
    assert progress["y"] + progress["height"] <= completed["y"]
    assert pending["width"] <= PHONE["width"]
    assert no_sideways_scroll(page)

    # The controls stay usable: a task opens, fits, and its status changes on a phone.
    panel = alice.open_task("Short")
    box = panel.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    panel.get_by_label("Status").select_option("pending")
    panel.get_by_role("button", name="Save").click()
    expect(alice.column("Pending").get_by_role("article", name="Short")).to_be_visible()
    alice.add_task("Added on a phone", column="Completed")
    assert no_sideways_scroll(page)

    page.goto("/#/rooms")
    expect(page.get_by_role("link", name=room["name"])).to_be_visible()
    assert no_sideways_scroll(page)
    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Log in or sign up")
    assert no_sideways_scroll(page)


def test_columns_side_by_side_on_a_desktop(person, api):
    alice = person("alice")
    room = api.create_room(alice.token, "Wide")
    alice.page.goto(f"/#/rooms/{room['id']}")
    pending, progress, completed = column_boxes(alice)
    assert pending["y"] == progress["y"] == completed["y"]
    assert pending["x"] < progress["x"] < completed["x"]


def test_dark_scheme_follows_the_system(person):
    def background(scheme):
        someone = person("someone", via=None, color_scheme=scheme)
        page = someone.open("/").page
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        return page.evaluate("getComputedStyle(document.body).backgroundColor")

    def luminance(rgb):
        red, green, blue = (int(part) for part in rgb[rgb.index("(") + 1 : -1].split(",")[:3])
        return 0.2126 * red + 0.7152 * green + 0.0722 * blue

    assert luminance(background("light")) > 200
    assert luminance(background("dark")) < 50


def test_the_chosen_scheme_is_kept_over_the_systems(person):
    someone = person("someone", via=None, color_scheme="light")
    page = someone.open("/").page
    body = "getComputedStyle(document.body).backgroundColor"
    light, dark = "rgb(244, 245, 248)", "rgb(15, 17, 21)"
    assert page.evaluate(body) == light
    page.get_by_label("Colours").select_option("dark")
    assert page.evaluate(body) == dark
    page.reload()
    expect(page.get_by_label("Colours")).to_have_value("dark")
    assert page.evaluate(body) == dark
    page.get_by_label("Language").select_option("uk")
    page.get_by_label("Кольори").select_option("system")
    assert page.evaluate(body) == light
    page.emulate_media(color_scheme="dark")
    assert page.evaluate(body) == dark
    page.get_by_label("Кольори").select_option("light")
    page.reload()
    assert page.evaluate(body) == light


# Sums the layout shifts not caused by input from the page's very start (PerformanceObserver).
LAYOUT_SHIFTS = """
window.layoutShift = 0;
new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) if (!entry.hadRecentInput) window.layoutShift += entry.value;
}).observe({type: 'layout-shift', buffered: true});
"""


@pytest.mark.parametrize("viewport", [{"width": 1280, "height": 900}, {"width": 390, "height": 844}])
def test_a_board_loads_without_layout_shift(person, api, viewport):
    alice = person("alice", viewport=viewport)
    page = alice.page
    room = api.create_room(alice.token, "Steady")
    for index in range(12):
        api.add_task(
            alice.token, room["id"], title=f"Task {index}", status=["pending", "in progress", "completed"][index % 3]
        )
    page.add_init_script(LAYOUT_SHIFTS)
    page.goto(f"/#/rooms/{room['id']}")
    page.reload()
    expect(alice.task("Task 11")).to_be_visible()
    expect(page.locator("[data-member-name]")).to_have_text(alice.username)
    page.wait_for_timeout(500)
    shift = page.evaluate("window.layoutShift")
    assert shift < 0.1, shift


# Each filter's label, and each text of the client's own that its select shows (the first
# choice, and every translated one: names of people and labels can be of any length): cut short
# when the select is narrower than a copy of it that holds only that text at its natural width.
FILTER_MISFITS = """
() => {
    const misfits = [];
    for (const field of document.querySelectorAll('.filters .field')) {
        if (field.hidden) continue;
        const label = field.querySelector('label');
        if (label.scrollWidth > label.clientWidth) misfits.push(label.textContent);
        const control = field.querySelector('select');
        if (!control) continue;
        const own = [...control.options].filter((option, index) => index === 0 || option.dataset.i18n);
        for (const option of own) {
            const copy = control.cloneNode(false);
            copy.removeAttribute('id');
            copy.style.cssText = 'position: absolute; visibility: hidden; width: auto';
            copy.append(new Option(option.textContent));
            field.append(copy);
            if (copy.offsetWidth > control.offsetWidth) misfits.push(option.textContent);
            copy.remove();
        }
    }
    return misfits;
}
"""


@pytest.mark.parametrize("language", ["en", "uk"])
def test_no_filter_is_cut_short_on_a_phone(person, api, language):
    alice = person("alice", viewport={"width": 375, "height": 740})
    page = alice.page
    room = api.create_room(alice.token, "Filters")
    api.add_label(alice.token, room["id"], "Bug", "#D93F0B")
    api.add_task(alice.token, room["id"], title="Filtered")
    if language == "uk":
        page.get_by_label("Language").select_option("uk")
    page.goto(f"/#/rooms/{room['id']}")
    expect(alice.task("Filtered")).to_be_visible()
    expect(page.locator("[data-filter-label-field]")).to_be_visible()
    assert page.evaluate(FILTER_MISFITS) == []
    assert no_sideways_scroll(page)
