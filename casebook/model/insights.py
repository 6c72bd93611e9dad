"""What the insights page shows across the published cases: each case's first response and
resolution as the ranges its timeline allows, outcomes by channel, theme and industry, and
how many cases each year. Counts and ranges only: nothing here is estimated, and a range with
no upper bound stays open (never a made-up point)."""
from __future__ import annotations

from dataclasses import dataclass

from casebook.model.case import OUTCOMES
from casebook.model.language import N_
from casebook.model.catalog import AnyCase, Catalog, channel_key

NO_INDUSTRY = "Industry not given"


@dataclass(frozen=True)
class OutcomeRow:
    key: str
    label: str
    counts: tuple[tuple[str, int], ...]    # (outcome, cases) in the contract's order, all outcomes
    total: int


@dataclass(frozen=True)
class Breakdown:
    """Outcomes of the cases, split by one facet (a case counts once in each of its values)."""

    name: str              # "channel", "theme", "industry"
    label: str             # "Channel"
    rows: tuple[OutcomeRow, ...]

    @property
    def heading(self) -> str:
        """"Outcomes by channel": whole sentences for the catalog, so each language writes
        the facet with its own case and gender."""
        return _BREAKDOWN_WORDS[self.name][0]

    @property
    def caption(self) -> str:
        return _BREAKDOWN_WORDS[self.name][1]

    @property
    def chart_label(self) -> str:
        return _BREAKDOWN_WORDS[self.name][2]


_BREAKDOWN_WORDS = {
    "channel": (N_("Outcomes by channel"), N_("Cases by outcome for each channel"),
                N_("Chart: outcomes by channel")),
    "theme": (N_("Outcomes by theme"), N_("Cases by outcome for each theme"),
              N_("Chart: outcomes by theme")),
    "industry": (N_("Outcomes by industry"), N_("Cases by outcome for each industry"),
                 N_("Chart: outcomes by industry")),
}


@dataclass(frozen=True)
class YearCount:
    year: int
    count: int


@dataclass(frozen=True)
class Insights:
    cases: int
    in_order: tuple[AnyCase, ...]          # every case, in reading order (its figures: the timings)
    outcomes: tuple[str, ...]              # every outcome, in the contract's order
    breakdowns: tuple[Breakdown, ...]
    years: tuple[YearCount, ...]           # every year from the first dated case to the last
    undated: int

    @property
    def longest(self) -> int:
        """The largest bound (low or high) any timing has, in seconds (the charts' reach)."""
        bounds = [bound for case in self.in_order
                  for timing in (case.figures.first_response, case.figures.resolution)
                  if timing.span is not None for bound in (timing.span.low, timing.span.high)
                  if bound]
        return max(bounds, default=0)


def build_insights(catalog: Catalog) -> Insights:
    cases = catalog.cases
    themes = catalog.site.themes
    breakdowns = (
        _breakdown("channel", "Channel", cases,
                   lambda case: [(channel_key(c), c) for c in case.channels],
                   order=lambda key, label: label.casefold()),
        _breakdown("theme", "Theme", cases,
                   lambda case: [(t.theme.key, t.theme.title) for t in case.takeaways],
                   order=lambda key, label: list(themes).index(key)),
        _breakdown("industry", "Industry", cases,
                   lambda case: [(case.industry or "", case.industry or NO_INDUSTRY)],
                   order=lambda key, label: (key == "", label.casefold())),
    )
    years = [int(case.date[:4]) for case in cases if case.date]
    counts = tuple(YearCount(year, years.count(year))
                   for year in range(min(years), max(years) + 1)) if years else ()
    return Insights(len(cases), tuple(cases), OUTCOMES, breakdowns, counts,
                    sum(1 for case in cases if not case.date))


def _breakdown(name: str, label: str, cases: list[AnyCase], values, order) -> Breakdown:
    members: dict[str, tuple[str, list[AnyCase]]] = {}
    for case in cases:
        for key, shown in dict(values(case)).items():   # each value once per case
            members.setdefault(key, (shown, []))[1].append(case)
    rows = []
    for key, (shown, members_of) in sorted(members.items(), key=lambda item: order(item[0], item[1][0])):
        counts = tuple((outcome, sum(1 for case in members_of if case.outcome == outcome))
                       for outcome in OUTCOMES)
        rows.append(OutcomeRow(key, shown, counts, len(members_of)))
    return Breakdown(name, label, tuple(rows))
