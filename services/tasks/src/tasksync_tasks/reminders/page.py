"""The small page the unsubscribe link answers, in English and Ukrainian."""

from __future__ import annotations

LANGUAGES = ("en", "uk")
_TEXT = {
    "en": (
        "Reminder mail is off",
        "You will get no more reminder mails from TaskSync. Reminders still appear in the app; "
        "you can turn mail on again in your account.",
    ),
    "uk": (
        "Листи-нагадування вимкнено",
        "Ви більше не отримуватимете листів-нагадувань від TaskSync. Нагадування й далі з’являються "
        "в застосунку; листи можна знову ввімкнути у своєму обліковому записі.",
    ),
}


def unsubscribed(language: str | None) -> str:
    """The page: in ``language`` when one was asked for, else in both."""
    shown = [language] if language in LANGUAGES else list(LANGUAGES)
    sections = "".join(
        f'<section lang="{code}"><h1>{_TEXT[code][0]}</h1><p>{_TEXT[code][1]}</p></section>' for code in shown
    )
    return (
        f'<!doctype html><html lang="{shown[0]}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{_TEXT[shown[0]][0]}</title></head><body>{sections}</body></html>"
    )
