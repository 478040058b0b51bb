"""The operator pages' language and clock (issue 18, part 6).

Every server-rendered page (/admin/*, sign-in, setup, messages) speaks one locale: the wall's,
unless `?lang=vi|en` picked another, which the session remembers. Every instant on them is written
by one Jinja filter, `when`, in the wall's time zone and the locale's style, and numbers by `num`:
people on a Vietnamese wall on Hà Nội time read neither UTC nor 1,234.5.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from flask import Flask, request, session
from markupsafe import Markup, escape

from opswall.config.models import Locale
from opswall.i18n import PAGES

LOCALES: tuple[Locale, ...] = ("vi", "en")
STAMP: dict[Locale, str] = {"vi": "%d/%m/%Y %H:%M:%S", "en": "%Y-%m-%d %H:%M:%S"}
# Zones whose everyday name is not their tz key's last part ("Ho Chi Minh" is Vietnam's key;
# people there call it Hà Nội time).
CITY: dict[str, dict[Locale, str]] = {
    "Asia/Ho_Chi_Minh": {"vi": "Hà Nội", "en": "Hanoi"},
    "Asia/Saigon": {"vi": "Hà Nội", "en": "Hanoi"},
}


def stamp(value: datetime, zone: ZoneInfo, locale: Locale) -> str:
    """An instant on the wall's clock; a naive value is UTC (SQLite drops the zone)."""
    aware = value if value.tzinfo else value.replace(tzinfo=UTC)
    return aware.astimezone(zone).strftime(STAMP[locale])


def offset(delta: timedelta | None) -> str:
    """UTC+7, UTC-3:30, UTC."""
    minutes = int((delta or timedelta()).total_seconds() // 60)
    if not minutes:
        return "UTC"
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{'+' if minutes > 0 else '-'}{hours}" + (f":{rest:02d}" if rest else "")


def zone_name(zone: ZoneInfo, locale: Locale, now: datetime) -> str:
    """What the pages call the wall's clock: "giờ Hà Nội (UTC+7)", "Hanoi time (UTC+7)"."""
    key = str(zone.key)
    if key in ("UTC", "Etc/UTC"):
        return "UTC"
    city = CITY.get(key, {}).get(locale) or key.rsplit("/", 1)[-1].replace("_", " ")
    return text("zone", locale, city=city, offset=offset(now.astimezone(zone).utcoffset()))


def number(value: float | int | None, locale: Locale, digits: int = 0) -> str:
    """1.234,5 in Vietnamese, 1,234.5 in English; a missing or non-finite value is a dash."""
    if value is None or not math.isfinite(value):
        return "–"
    written = f"{value:,.{digits}f}"
    return written.translate(str.maketrans(",.", ".,")) if locale == "vi" else written


def text(key: str, locale: Locale, **fields: object) -> str:
    return PAGES[key][locale].format(**fields)


def both(key: str, **fields: object) -> str:
    """A refusal in Vietnamese and English, as the forms' other refusals (`i18n.both`)."""
    return " · ".join(text(key, locale, **fields) for locale in LOCALES)


def markup(key: str, locale: Locale, **fields: object) -> Markup:
    """The string with its fields escaped, except fields that are markup already (`code`)."""
    return Markup(escape(PAGES[key][locale])).format(**fields)


def page_locale(wall_locale: Locale) -> Locale:
    """This request's locale: `?lang=`, else the session's choice, else the wall's."""
    wanted = request.args.get("lang") or session.get("lang")
    return wanted if wanted in LOCALES else wall_locale


def remember_choice() -> None:
    """`?lang=vi|en` on any page sticks for the rest of the session."""
    if (wanted := request.args.get("lang")) in LOCALES and session.get("lang") != wanted:
        session["lang"] = wanted


def switch_href(to: Locale) -> str:
    """This page in the other language, keeping its other parameters (a sign-in's `next`)."""
    kept = [(k, v) for k, v in request.args.items(multi=True) if k != "lang"]
    return f"{request.path}?{urlencode([*kept, ('lang', to)])}"


def helpers(locale: Locale, zone: ZoneInfo) -> dict[str, Any]:
    """What every template gets: the locale, its strings, the zone's name, the switch."""
    other: Locale = "en" if locale == "vi" else "vi"

    def t(key: str, **fields: object) -> Markup:
        return markup(key, locale, **fields)

    def named(prefix: str, value: str) -> str:
        """A role, token kind or state by its name in `locale`; one the pages do not know
        (a row written by a newer version) shows as it is stored rather than breaking the page."""
        return PAGES.get(prefix + value, {}).get(locale, value)

    return {
        "locale": locale,
        "t": t,
        "named": named,
        "zone": zone_name(zone, locale, datetime.now(UTC)),
        "other_locale": other,
        "other_language": text("language", other),
        "other_switch": text("switch_language", other),
        "other_href": switch_href(other),
    }


def filters(locale: Callable[[], Locale], zone: Callable[[], ZoneInfo]) -> dict[str, Any]:
    return {
        "when": lambda value: stamp(value, zone(), locale()) if value else "",
        "num": lambda value, digits=0: number(value, locale(), digits),
        "code": lambda value: Markup("<code>{}</code>").format(value),
    }


def install(server: Flask, wall: Callable[[], tuple[Locale, str]]) -> None:
    """Register the locale choice, the template helpers and the filters on `server`.

    `wall()` gives the wall's current locale and time zone (the config may be reloaded)."""

    def locale() -> Locale:
        return page_locale(wall()[0])

    def zone() -> ZoneInfo:
        return ZoneInfo(wall()[1])

    server.before_request(remember_choice)
    server.context_processor(lambda: helpers(locale(), zone()))
    server.jinja_env.filters.update(filters(locale, zone))


__all__ = ["both", "install", "number", "offset", "page_locale", "stamp", "text", "zone_name"]
