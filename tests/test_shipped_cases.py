"""The shipped cases keep the facts their articles state.

Each case in cases/ retells one incident from an article in the seed set. These tests pin a few
facts per case (organization, the timed steps in order, who is on which side, the source) so
that a later edit which loses or changes one of them fails.
"""

from pathlib import Path

import pytest

from casebook.build.project import load_project
from casebook.reading.problems import InvalidInput

ROOT = Path(__file__).resolve().parent.parent

SHIPPED = {
    "twc-patrick-stewart-cable-wait",
    "american-airlines-fast-but-empty-reply",
    "phone-com-chat-customer-tweets-director",
    "comcast-cares-twitter-account",
    "mortons-porterhouse-at-newark",
    "jetblue-stranded-passenger-southwest-steps-in",
    "maytag-blogger-broken-washing-machine",
    "cd-baby-upc-code-after-days-of-silence",
}

PEIMER = ("Twitter: The New Customer Service", "Elisa Peimer", "2009-09-09")
BREAZEALE = ("[Untitled blog post]", "Carter Breazeale")  # the post has no title


@pytest.fixture(scope="module")
def project():
    try:
        return load_project(ROOT)
    except InvalidInput as exc:  # pragma: no cover - the message is the point
        pytest.fail("the shipped content is invalid:\n" + "\n".join(str(p) for p in exc.problems))


def case(project, slug):
    """The case with this slug; fails the test if it is missing."""
    found = [c for c in project.cases if c.slug == slug]
    assert found, f"case {slug!r} is missing from cases/"
    assert len(found) == 1
    return found[0]


def whens(c):
    return [event.when for event in c.timeline]


def side(c, key):
    assert key in c.people, f"{c.slug}: no person {key!r}"
    return c.people[key].side


def event_by(c, key):
    """The events of one person, in order."""
    return [event for event in c.timeline if event.who.key == key]


def assert_source(c, title, author, date=None):
    assert any(
        s.title == title
        and s.author == author
        and (None if s.date is None else str(s.date)) == date
        for s in c.sources
    ), f"{c.slug}: no source {title!r} by {author!r} dated {date!r}: {c.sources!r}"


# --- the set as a whole ---------------------------------------------------------------------


def test_every_shipped_case_is_present_and_published(project):
    slugs = {c.slug for c in project.cases}
    assert SHIPPED <= slugs
    for slug in SHIPPED:
        assert not case(project, slug).draft


def test_no_shipped_case_invents_a_date(project):
    # None of the articles dates the incident it tells (only the articles themselves are dated).
    for slug in SHIPPED:
        assert case(project, slug).date is None, slug


def test_site_themes_are_all_used_by_the_shipped_takeaways(project):
    themes = project.site.themes
    assert 5 <= len(themes) <= 8
    used = {t.theme.key for slug in SHIPPED for t in case(project, slug).takeaways}
    assert used == set(themes)


def test_every_shipped_case_is_ready_for_a_training_session(project):
    for slug in SHIPPED:
        c = case(project, slug)
        assert c.takeaways, slug
        assert c.timeline[0].when == "start", slug


# --- one test per case ----------------------------------------------------------------------


def test_time_warner_cable_and_patrick_stewart(project):
    c = case(project, "twc-patrick-stewart-cable-wait")
    assert c.organization == "Time Warner Cable"
    assert c.channels == ["Twitter"]
    assert c.outcome == "negative"
    assert whens(c) == ["start", "within two minutes", "next day", "later", "later"]
    assert side(c, "stewart") == "customer"
    assert c.people["stewart"].name == "Patrick Stewart"
    assert side(c, "twc") == "company"
    assert side(c, "supporters") == "public"
    assert "William Shatner" in c.people["supporters"].name
    # The company both replies within two minutes and re-engages the next day.
    assert [e.when for e in event_by(c, "twc")] == ["within two minutes", "next day"]
    assert c.timeline[0].who.key == "stewart"
    assert c.timeline[-1].who.key == "stewart"
    assert {t.theme.key for t in c.takeaways} >= {"listen", "channel"}
    assert_source(c, "When Sir Patrick Stewart Tweets for Customer Service, Make It So", "Tricia Morris")


def test_american_airlines_fast_but_empty_reply(project):
    c = case(project, "american-airlines-fast-but-empty-reply")
    assert c.organization == "American Airlines"
    assert c.outcome == "negative"
    assert whens(c) == ["start", "within minutes", "later"]
    assert side(c, "porter") == "customer"
    assert side(c, "aa") == "company"
    assert "immediately" in c.timeline[1].what.source
    assert "we're sorry you had a bad experience." in c.timeline[-1].what.source
    assert "serve" in {t.theme.key for t in c.takeaways}
    assert_source(c, "How not to use Twitter for customer service", "Charles Porter", "2014-02-18")
    assert c.sources[0].publisher == "Life Cartography"


def test_phone_com_chat_customer_tweets_the_director(project):
    c = case(project, "phone-com-chat-customer-tweets-director")
    assert c.organization == "Phone.com"
    assert c.outcome == "positive"
    assert whens(c) == ["start", "20 minutes later", "later", "later", "later", "later"]
    # The customer starts in chat and moves to Twitter after twenty minutes.
    assert [c.timeline[0].channel, c.timeline[1].channel] == ["Chat", "Twitter"]
    assert side(c, "customer") == "customer"
    assert side(c, "watkin") == "company"
    assert side(c, "agent") == "company"
    assert [e.mark for e in c.timeline].count("resolution") == 1
    assert next(e for e in c.timeline if e.mark == "resolution").who.key == "agent"
    assert c.timeline[-1].who.key == "customer"  # the praise tweet
    assert {t.theme.key for t in c.takeaways} == {"speed", "everyone", "calm", "root-cause"}
    assert_source(c, "3 Observations From The Eye Of A Customer Service Twitter Storm", "Jeremy Watkin")


def test_comcast_cares(project):
    c = case(project, "comcast-cares-twitter-account")
    assert c.organization == "Comcast"
    assert c.channels == ["Twitter"]
    assert whens(c) == ["start", "later", "later"]
    assert c.people["bill"].name == "Comcast Bill"  # the only name the article gives
    assert side(c, "bill") == "company"
    assert side(c, "followers") == "customer"
    assert "@ComcastCares" in c.timeline[0].what.source
    assert "50,000" in c.timeline[-1].what.source
    assert_source(c, *BREAZEALE)


def test_mortons_porterhouse_at_newark(project):
    c = case(project, "mortons-porterhouse-at-newark")
    assert c.organization == "Morton's Steakhouse"
    assert c.outcome == "positive"
    assert whens(c) == ["start", "later", "later"]
    assert [e.channel for e in c.timeline] == ["Twitter", "In person", "Blog"]
    assert side(c, "shankman") == "customer"
    assert c.people["shankman"].name == "Peter Shankman"
    assert side(c, "server") == "company"
    assert "arrivals gate" in c.timeline[1].what.source
    assert_source(c, *BREAZEALE)


def test_jetblue_passenger_and_southwest(project):
    c = case(project, "jetblue-stranded-passenger-southwest-steps-in")
    assert c.organization == "JetBlue"
    assert c.outcome == "unknown"  # the article never says whether he got a flight
    assert whens(c) == ["start", "later", "later"]
    assert side(c, "passenger") == "customer"
    assert side(c, "jetblue") == "company"
    assert side(c, "southwest") == "public"  # a rival airline, not the company of the case
    assert [e.who.key for e in c.timeline] == ["passenger", "jetblue", "southwest"]
    assert_source(c, *PEIMER)


def test_maytag_blogger_and_washing_machine(project):
    c = case(project, "maytag-blogger-broken-washing-machine")
    assert c.organization == "Maytag"
    assert c.outcome == "positive"
    assert whens(c) == ["start", "later", "later", "later"]
    assert side(c, "blogger") == "customer"
    assert side(c, "whirlpool") == "company"
    assert "Whirlpool" in c.people["whirlpool"].name
    # The tweet, then the Whirlpool manager's call with quick service and a free-machine offer,
    # then her blog post.
    assert [e.who.key for e in c.timeline] == ["blogger", "blogger", "whirlpool", "blogger"]
    assert [e.channel for e in c.timeline[1:]] == ["Twitter", "Phone", "Blog"]
    result = c.timeline[2].what.source
    assert "Quick service" in result and "free" in result and "another manufacturer" in result
    assert c.timeline[2].mark == "resolution"
    assert_source(c, *PEIMER)


def test_cd_baby_upc_code(project):
    c = case(project, "cd-baby-upc-code-after-days-of-silence")
    assert c.organization == "CD Baby"
    assert whens(c) == ["start", "later", "days later", "later", "within 5 minutes", "within hours"]
    assert [c.timeline[0].channel, c.timeline[1].channel] == ["Email", "Phone"]
    assert c.timeline[3].channel == "Twitter"
    assert side(c, "peimer") == "customer"
    assert side(c, "cdbaby") == "company"
    reply = c.timeline[4]
    assert reply.who.key == "cdbaby"
    assert "Sorry you've been having trouble getting through" in reply.what.source
    assert c.timeline[-1].mark == "resolution"
    assert "UPC" in c.timeline[-1].what.source
    assert_source(c, *PEIMER)
