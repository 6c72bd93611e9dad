"""Lists of cases cut into pages: the index and each listing page show at most PAGE_SIZE cards,
the rest on further static pages linked in order (rel=prev/next), so a page's weight does not
grow with the casebook and every case stays reachable by links alone, without JavaScript.

Page 1 keeps the list's own address (`index.html`, `tags/delay.html`); page N is the same name
with `.page-N` before `.html` (`index.page-2.html`, `tags/delay.page-2.html`): in the same
folder, so the page's way back to the site root is unchanged, and never the address of another
page, since no key (tag, theme, outcome, channel) holds a dot."""
from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

PAGE_SIZE = 30   # cards per page: at 1,000 cases the index stays under 250 KB with its assets

T = TypeVar("T")


@dataclass(frozen=True)
class PageLink:
    number: int
    path: str       # relative to the site root
    current: bool


@dataclass(frozen=True)
class ListPage(Generic[T]):
    """One page of a list: its items and how it links to the others."""

    path: str                  # relative to the site root
    number: int                # from 1
    count: int                 # pages in the list
    items: list[T]
    first: int                 # the position (from 1) of its first item in the whole list
    last: int                  # ... and of its last; 0 and 0 on an empty list's one page
    total: int                 # items in the whole list
    previous: str | None       # the previous page's path, None on the first
    next: str | None           # the next page's path, None on the last
    links: list[PageLink]      # every page of the list, in order

    @property
    def paginated(self) -> bool:
        return self.count > 1


def page_path(first_path: str, number: int) -> str:
    """`index.html`, 3 -> `index.page-3.html`; page 1 keeps the list's own path."""
    if number == 1:
        return first_path
    stem = first_path.removesuffix(".html")
    return f"{stem}.page-{number}.html"


def paginate(items: Sequence[T], first_path: str, size: int = PAGE_SIZE) -> list[ListPage[T]]:
    """`items` cut into pages of `size`, in order; an empty list still has its one page."""
    if size < 1:
        raise ValueError("a page holds at least one item")
    count = max(1, math.ceil(len(items) / size))
    paths = [page_path(first_path, n) for n in range(1, count + 1)]
    pages = []
    for index, path in enumerate(paths):
        chunk = list(items[index * size:(index + 1) * size])
        first = index * size + 1 if chunk else 0
        pages.append(ListPage(
            path=path, number=index + 1, count=count, items=chunk, first=first,
            last=first + len(chunk) - 1 if chunk else 0, total=len(items),
            previous=paths[index - 1] if index else None,
            next=paths[index + 1] if index + 1 < count else None,
            links=[PageLink(n + 1, p, n == index) for n, p in enumerate(paths)]))
    return pages
