"""English and Ukrainian, complete in both; the choice switches at once and is kept."""

from __future__ import annotations

import re

from playwright.sync_api import expect

CATALOG_KEYS = """
Promise.all([import('/assets/js/i18n/en.js'), import('/assets/js/i18n/uk.js')]).then(([en, uk]) => {
    const shape = (catalog) => Object.fromEntries(Object.entries(catalog.default).map(
        ([key, value]) => [key, typeof value === 'object' ? Object.keys(value).sort().join(',') : 'text']));
    const used = new Set();
    const collect = (root) => {
        for (const el of root.querySelectorAll('[data-i18n]')) used.add(el.dataset.i18n);
        for (const el of root.querySelectorAll('[data-i18n-attr]'))
            for (const pair of el.dataset.i18nAttr.split(';')) used.add(pair.split(':')[1].trim());
        for (const template of root.querySelectorAll('template')) collect(template.content);
    };
    collect(document);
    return {en: shape(en), uk: shape(uk), used: [...used],
            same: Object.keys(en.default)
                .filter((key) => typeof en.default[key] === 'string' && en.default[key] === uk.default[key])
                .map((key) => en.default[key])};
})
"""


LEFTOVERS = """
(other) => import(`/assets/js/i18n/${other}.js`).then(({default: catalog}) => {
    const shown = document.body.innerText;
    return Object.values(catalog).filter((text) => typeof text === 'string' && !text.includes('{') && text.length > 3)
        .filter((text) => shown.includes(text));
})
"""


def leftovers(page, other: str) -> list[str]:
    """Messages of the `other` language visible on the page."""
    return page.evaluate(LEFTOVERS, other)


def test_both_languages_have_every_message(person):
    someone = person("someone", via=None)
    page = someone.open("/").page
    catalogs = page.evaluate(CATALOG_KEYS)
    assert set(catalogs["en"]) == set(catalogs["uk"])
    plural = {key for key, shape in catalogs["en"].items() if shape != "text"}
    assert {key for key, shape in catalogs["uk"].items() if shape != "text"} == plural
    for key in plural:
        assert {"one", "other"} <= set(catalogs["en"][key].split(","))
        assert {"one", "few", "many", "other"} <= set(catalogs["uk"][key].split(","))
    assert set(catalogs["used"]) <= set(catalogs["en"])
    # Only messages made of placeholders alone may read the same in both languages.
    assert all(re.fullmatch(r"[{}\w\s—]*", text) for text in catalogs["same"]), catalogs["same"]


def test_language_switch_is_immediate_and_kept(person, api):
    alice = person("alice")
    page = alice.page
    room = api.create_room(alice.token, "Сад і город")
    api.add_task(alice.token, room["id"], title="Полити розсаду", description="ОПИС завдання")
    page.goto(f"/#/rooms/{room['id']}")
    expect(alice.task("Полити розсаду")).to_be_visible()

    page.get_by_label("Language").select_option(label="Українська")
    expect(page.locator("html")).to_have_attribute("lang", "uk")
    expect(page.get_by_label("Мова")).to_have_value("uk")
    for column in ("До виконання", "У роботі", "Виконано"):
        expect(page.get_by_role("region", name=column, exact=True)).to_be_visible()
    expect(page.get_by_label("Додати завдання в колонку «У роботі»")).to_be_visible()
    expect(page.get_by_role("button", name="Копіювати код")).to_be_visible()
    expect(page.get_by_role("button", name="Вийти")).to_be_visible()
    task = alice.task("Полити розсаду")
    expect(task).to_contain_text(f"Виконавець: {alice.username}")
    task.get_by_role("link").click()
    panel = page.get_by_role("dialog", name="Редагування завдання")
    expect(panel.get_by_label("Назва")).to_have_value("Полити розсаду")
    expect(panel.get_by_role("button", name="Видалити завдання")).to_be_visible()
    assert leftovers(page, "en") == []
    panel.get_by_role("button", name="Закрити").click()
    expect(panel).to_be_hidden()
    expect(page.locator("[data-member-list]")).to_contain_text("(ви)")
    assert leftovers(page, "en") == []
    expect(page.get_by_text(re.compile(r"\d+ завдання|\d+ завдань")).first).to_be_visible()

    # Filtering by text ignores letter case in Cyrillic too.
    page.get_by_label("Пошук завдань").fill("опис")
    expect(page.get_by_text("Показано завдань: 1 з 1")).to_be_visible()

    page.reload()
    expect(page.locator("html")).to_have_attribute("lang", "uk")
    expect(page.get_by_role("region", name="До виконання", exact=True)).to_be_visible()
    expect(page).to_have_title(re.compile("Сад і город"))

    page.get_by_role("link", name="Кімнати").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ваші кімнати")
    expect(page.get_by_text("Завдань ще немає").or_(page.get_by_text("Виконано 0 з 1"))).to_be_visible()
    expect(page.get_by_text("Власник · 1 учасник")).to_be_visible()
    assert leftovers(page, "en") == []

    page.get_by_label("Мова").select_option(label="English")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your rooms")
    assert leftovers(page, "uk") == []


def test_a_browser_preferring_ukrainian_starts_in_ukrainian(person):
    olena = person("olena", via=None, locale="uk-UA")
    page = olena.open("/").page
    expect(page.locator("html")).to_have_attribute("lang", "uk")
    expect(page.get_by_role("heading", level=1)).to_have_text("Вхід або реєстрація")
    expect(page.get_by_label("Мова")).to_have_value("uk")
    page.get_by_label("Ім’я користувача").fill(olena.username)
    page.get_by_label("Пароль").fill("пароль, якого немає")
    page.get_by_role("button", name="Увійти").click()
    expect(page.get_by_role("alert")).to_have_text("Неправильне ім’я користувача або пароль.")

    # An explicit choice wins over the browser's preference, after a reload too.
    page.get_by_label("Мова").select_option(label="English")
    page.reload()
    expect(page.get_by_role("heading", level=1)).to_have_text("Log in or sign up")
