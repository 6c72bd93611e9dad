"""SOURCE_DATE_EPOCH, the reproducible-builds date: the one date the outputs may carry that
is not written in a case (the PDFs' creation date, the feed's "updated")."""
from __future__ import annotations

import os
from datetime import datetime, timezone


class BadSourceDate(Exception):
    """SOURCE_DATE_EPOCH is set but is not a number of seconds."""


def source_date() -> str | None:
    """The date SOURCE_DATE_EPOCH gives, as a W3C date-time; None when it is not set."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch is None:
        return None
    if not epoch.strip().isdigit():
        raise BadSourceDate(f"SOURCE_DATE_EPOCH={epoch!r} is not a whole number of seconds "
                            "since 1970 (unset it, or set it to a time such as 1700000000)")
    return datetime.fromtimestamp(int(epoch), timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
