"""The words of every mail TaskSync sends, per kind and language (en, uk).

Each template is Jinja2 source: the subject and plain text are rendered without escaping, the
HTML with autoescaping on, so a task title can never add markup. The values each kind takes are
listed at its entry; `mail.render` adds `public_url` and builds the links.
"""

from __future__ import annotations

from typing import NamedTuple


class Template(NamedTuple):
    subject: str
    text: str
    html: str


_HTML_START = '<!doctype html><html lang="{{ language }}"><head><meta charset="utf-8"></head><body>'
_HTML_END = "</body></html>"

_UNSUBSCRIBE_TEXT = {
    "en": "To stop reminder mails: {{ unsubscribe_url }}",
    "uk": "Щоб більше не отримувати листів-нагадувань: {{ unsubscribe_url }}",
}
_UNSUBSCRIBE_HTML = {
    "en": '<p style="color:#666"><a href="{{ unsubscribe_url }}">Stop reminder mails</a></p>',
    "uk": '<p style="color:#666"><a href="{{ unsubscribe_url }}">Більше не надсилати листів-нагадувань</a></p>',
}
_OPEN_TEXT = {"en": "Open the task: {{ task_url }}", "uk": "Відкрити завдання: {{ task_url }}"}
_OPEN_HTML = {
    "en": '<p><a href="{{ task_url }}">Open the task</a></p>',
    "uk": '<p><a href="{{ task_url }}">Відкрити завдання</a></p>',
}


def _reminder(language: str, subject: str, sentence: str) -> Template:
    """A reminder: one sentence about the task, its link and the way to stop reminder mails."""
    return Template(
        subject=subject,
        text=f"{sentence}\n\n{_OPEN_TEXT[language]}\n\n-- \n{_UNSUBSCRIBE_TEXT[language]}\n",
        html=f"{_HTML_START}<p>{sentence}</p>{_OPEN_HTML[language]}<hr>{_UNSUBSCRIBE_HTML[language]}{_HTML_END}",
    )


# verify_email: code, hours (how long the code is valid), username.
# due_soon, overdue: title, due (the due time, already formatted), task_url, unsubscribe_url.
TEMPLATES: dict[tuple[str, str], Template] = {
    ("verify_email", "en"): Template(
        subject="Your TaskSync code: {{ code }}",
        text=(
            "Hello {{ username }},\n\n"
            "enter this code in TaskSync to confirm that this address is yours:\n\n"
            "    {{ code }}\n\n"
            "It is valid for {{ hours }} hours. If you did not ask for it, ignore this mail:"
            " nothing is sent to this address until the code is entered.\n"
        ),
        html=(
            f"{_HTML_START}<p>Hello {{{{ username }}}},</p>"
            "<p>enter this code in TaskSync to confirm that this address is yours:</p>"
            '<p style="font-size:1.5em;font-family:monospace;letter-spacing:0.2em"><strong>{{ code }}</strong></p>'
            "<p>It is valid for {{ hours }} hours. If you did not ask for it, ignore this mail:"
            f" nothing is sent to this address until the code is entered.</p>{_HTML_END}"
        ),
    ),
    ("verify_email", "uk"): Template(
        subject="Ваш код TaskSync: {{ code }}",
        text=(
            "Вітаємо, {{ username }}!\n\n"
            "Введіть цей код у TaskSync, щоб підтвердити, що ця адреса ваша:\n\n"
            "    {{ code }}\n\n"
            "Код дійсний {{ hours }} год. Якщо ви його не просили, не зважайте на цей лист:"
            " доки код не введено, на цю адресу нічого не надсилатиметься.\n"
        ),
        html=(
            f"{_HTML_START}<p>Вітаємо, {{{{ username }}}}!</p>"
            "<p>Введіть цей код у TaskSync, щоб підтвердити, що ця адреса ваша:</p>"
            '<p style="font-size:1.5em;font-family:monospace;letter-spacing:0.2em"><strong>{{ code }}</strong></p>'
            "<p>Код дійсний {{ hours }} год. Якщо ви його не просили, не зважайте на цей лист:"
            f" доки код не введено, на цю адресу нічого не надсилатиметься.</p>{_HTML_END}"
        ),
    ),
    ("due_soon", "en"): _reminder(
        "en", "Reminder: “{{ title }}” is due {{ due }}", "The task “{{ title }}” is due {{ due }}."
    ),
    ("due_soon", "uk"): _reminder(
        "uk", "Нагадування: термін «{{ title }}» — {{ due }}", "Термін завдання «{{ title }}» — {{ due }}."
    ),
    ("overdue", "en"): _reminder(
        "en", "Overdue: “{{ title }}”", "The task “{{ title }}” was due {{ due }} and is not completed yet."
    ),
    ("overdue", "uk"): _reminder(
        "uk", "Прострочено: «{{ title }}»", "Термін завдання «{{ title }}» минув {{ due }}, а його ще не завершено."
    ),
}

KINDS = frozenset(kind for kind, _ in TEMPLATES)
LANGUAGES = ("en", "uk")
