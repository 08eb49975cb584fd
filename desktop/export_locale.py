"""The date and money format of exports, chosen once per journal from the user's locale.

The first export asks ``QLocale`` (short month names, the order of day, month and year
in its short date format, the separators) and stores the answer in the journal's
settings; later exports, including ``keel export --format md`` which never imports Qt,
read it back. One journal's exports therefore always look alike.
"""

from __future__ import annotations

import logging
from typing import Any

from desktop.core.local_format import LocalFormat

LOCALE_KEY = "export.locale"
log = logging.getLogger(__name__)


def from_qlocale(locale: Any = None) -> LocalFormat:
    """The :class:`LocalFormat` of *locale* (default: the system's)."""
    from PySide6.QtCore import QLocale

    loc = locale if locale is not None else QLocale.system()
    short = QLocale.FormatType.ShortFormat
    months = tuple(loc.monthName(m, short).strip(".") or name
                   for m, name in zip(range(1, 13), LocalFormat().months, strict=True))
    pattern = loc.dateFormat(short).lower()
    positions = {key: pattern.find(key) for key in "dmy"}
    order = "".join(sorted((k for k in positions if positions[k] >= 0),
                           key=lambda k: positions[k]))
    if order not in ("dmy", "mdy", "ymd"):
        order = "dmy"
    group, decimal = loc.groupSeparator(), loc.decimalPoint()
    if len(decimal) != 1 or decimal == group or len(group) > 2:
        group, decimal = ",", "."
    return LocalFormat(months, order, group, decimal)


def export_format(db: Any) -> LocalFormat:
    """The journal's export format; chosen (and stored) on first use."""
    from db.settings import get_value, set_value

    stored = LocalFormat.from_settings(get_value(db, LOCALE_KEY))
    if stored is not None:
        return stored
    chosen = from_qlocale()
    try:
        set_value(db, LOCALE_KEY, chosen.to_settings())
    except Exception as exc:
        from db.failures import Kind, classify

        if classify(exc).kind is not Kind.READ_ONLY:
            raise
        # A read-only journal: the format is still used this time, and chosen again next.
        log.info("export format not stored (read-only journal)")
    return chosen
