"""A case's name (its slug): the file name, the page's address and the handout's name."""
from __future__ import annotations

import re
import unicodedata

# Apostrophes join the letters around them: "Domino's" is `dominos`, not `domino-s`.
_APOSTROPHES = re.compile("['\u2019\u02bc\u2018`]")


def slugify(text: str) -> str:
    """Lowercase ASCII letters and digits joined by hyphens, at most 80 characters."""
    text = _APOSTROPHES.sub("", unicodedata.normalize("NFKC", text))
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:80].strip("-")
