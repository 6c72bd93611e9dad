#!/usr/bin/env python3
"""Write N synthetic cases twice: as a Casebook project and as the equivalent Hugo site.

    python bench/generate.py N DEST

DEST/casebook/  site.yaml and cases/<slug>.yaml (valid for `build.py check --cases ...`)
DEST/hugo/      hugo.yaml, content/ (front matter + Markdown), layouts/ (from bench/hugo/)
                and static/assets/style.css: index, one page per case, tag pages, lessons

Deterministic: case i depends only on i (so the first 100 cases of N=1,000 are the N=100
corpus), and the same N gives byte-identical files. A case has 15 to 19 events (17 on
average) and 23 Markdown fragments on average (summary, one per event, four takeaway
details, facilitator notes), about two thirds of them plain sentences and the rest with
emphasis, links, lists or quotes, like the shipped cases.

The Hugo copy carries each event's elapsed time and the case figures as text computed with
Casebook's own timeline code, so both tools show the same figures; Hugo does not pay for
working them out (a small share of Casebook's time, see bench/README.md).
"""
from __future__ import annotations

import random
import re
import shutil
import statistics
import sys
from pathlib import Path

import yaml

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH.parent))
from casebook.model.timeline import elapsed_times, format_duration, format_span, parse_when  # noqa: E402

HUGO_LAYOUT = BENCH / "hugo"
STYLE = BENCH.parent / "templates" / "static" / "style.css"

SITE_TITLE = "Synthetic Service Casebook"
SITE_DESCRIPTION = "Generated customer-service incidents for benchmarking the build"

THEMES = {
    "listen": ("Listen where customers talk",
               "A complaint can go public at any moment, on any channel. Someone has to be watching."),
    "speed": ("Respond fast, then keep going",
              "A quick first reply is worth a lot, but it is *only the start*."),
    "serve": ("Give front-line staff the power to serve",
              "The people who answer customers need the authority to act."),
    "channel": ("Public and private channels",
                "Know when to answer in public and when to take the conversation somewhere private."),
    "personal": ("Be a person, not a script",
                 "Person-to-person conversations are what customers remember and retell."),
    "everyone": ("Everyone is on the front line",
                 "Customers will contact anyone in the company who is visible online."),
    "calm": ("Don't panic in public",
             "Check the facts and give the team the benefit of the doubt before reacting."),
    "root-cause": ("Learn the root cause",
                   "Find out why the customer went public, and **fix the process**."),
}

ORGANIZATIONS = [
    ("Northwind Air", "Airline"), ("Bluewave Cable", "Cable and internet"),
    ("Crescent Bank", "Banking"), ("Harbor Telecom", "Telecommunications"),
    ("Maple Grocers", "Retail"), ("Summit Hotels", "Hospitality"),
    ("Quartz Phones", "Consumer electronics"), ("Redline Rail", "Rail travel"),
    ("Juniper Insurance", "Insurance"), ("Atlas Couriers", "Parcel delivery"),
    ("Pinecone Foods", "Food delivery"), ("Lumen Energy", "Utilities"),
    ("Orbit Games", "Video games"), ("Cobalt Motors", "Car dealership"),
    ("Willow Fashion", "Clothing retail"), ("Beacon Health", "Health care"),
    ("Falcon Rentals", "Car rental"), ("Tidewater Cruises", "Travel"),
    ("Granite Software", "Software"), ("Saffron Restaurants", "Restaurants"),
]
LOCATIONS = ["Brooklyn, New York", "Manchester, England", "Toronto, Ontario", "Austin, Texas",
             "Dublin, Ireland", "Melbourne, Australia", "Denver, Colorado", "Leeds, England"]
CHANNELS = ["Twitter", "Facebook", "Phone", "Email", "Live chat", "Instagram", "Forum",
            "In store", "Blog", "YouTube"]
OUTCOMES = ["positive", "negative", "mixed", "unresolved", "unknown"]
TAGS = ["public-reply", "celebrity", "viral", "refund", "delay", "lost-luggage", "billing",
        "outage", "apology", "escalation", "ceo-involved", "human-touch", "competitor",
        "reputation", "slow-reply", "scripted-reply", "goodwill-gesture", "blogger", "video",
        "twitter-care-account", "policy", "accessibility", "privacy", "repair", "delivery",
        "cancellation", "loyalty", "press-coverage", "staff-empowered", "night-shift",
        "holiday", "weather", "security", "upgrade", "warranty", "complaint-letter",
        "forum-thread", "hashtag", "petition", "follow-up"]
FIRST_NAMES = ["Maria", "James", "Aisha", "Tom", "Priya", "Lucas", "Chen", "Fatima", "Oliver",
               "Sofia", "Kwame", "Elena", "Noah", "Yuki", "Grace", "Mateo"]
LAST_NAMES = ["Lopez", "Walker", "Okafor", "Brennan", "Shah", "Moreau", "Wei", "Haddad",
              "Fischer", "Rossi", "Mensah", "Ivanova", "Kim", "Tanaka", "Price", "Silva"]

PROBLEMS = ["a double charge on the monthly bill", "a flight cancelled at the last minute",
            "a washing machine that broke after a week", "a parcel marked delivered that never came",
            "an internet outage lasting three days", "a refund that never arrived",
            "a rude reply from a store manager", "a hotel room that was given away",
            "a phone that would not charge", "a cold dinner delivered an hour late",
            "a locked account after a password reset", "a car returned with a new scratch"]
CUSTOMER_ACTIONS = ["posts a photo of the problem and asks whether anyone at the company is listening",
                    "writes a long post describing every call made so far and the names of the agents",
                    "asks followers whether they have had the same experience with the company",
                    "complains that the phone queue has kept them waiting for over an hour",
                    "shares the reference number and asks for someone to call back",
                    "says they will switch to a competitor unless the problem is fixed this week",
                    "thanks the agent but says the offered voucher does not cover the cost",
                    "posts an update saying the problem is still not fixed"]
COMPANY_ACTIONS = ["replies publicly with an apology and asks the customer to send a direct message",
                   "sends a scripted reply pointing to the help pages",
                   "calls the customer and arranges a replacement for the next morning",
                   "refunds the charge and adds a goodwill credit to the account",
                   "asks for the booking reference and promises to look into it",
                   "escalates the case to a senior manager who takes ownership",
                   "posts a public update explaining the cause of the outage",
                   "sends an engineer the same day and follows up afterwards"]
PUBLIC_ACTIONS = ["shares the post with a sarcastic comment, and it spreads quickly",
                  "writes an article about the exchange for a local news site",
                  "replies with a similar story of their own",
                  "offers to help the customer, to the embarrassment of the company"]
LESSONS = ["Answer where the customer asked", "Give agents the authority to fix the problem",
           "A fast reply is only the start", "Take the details private, keep the promise public",
           "Follow up after the fix", "Check the facts before reacting",
           "Put a name behind the account", "Find out why the customer went public",
           "Never leave a public complaint unanswered", "Say what will happen next, and when"]
GAPS = ["within 2 minutes", "within ten minutes", "about 20 minutes later", "1 hour later",
        "after 3 hours", "within hours", "same day", "next day", "days later", "later",
        "about two hours later", "5 min later", "within 30 minutes", "2 days later",
        "about 1 week later", "after forty minutes"]
WORDS = ["quickly", "publicly", "again", "finally", "politely", "angrily", "briefly", "clearly"]


# ---------------------------------------------------------------- text

def sentence(rng: random.Random, subject: str, action: str) -> str:
    tail = rng.choice(["", f", {rng.choice(WORDS)}", " within the hour", " on the same thread",
                       " and tags the company's main account"])
    return f"{subject} {action}{tail}."


def markdown_fragment(rng: random.Random, plain: str) -> str:
    """A `what` or `detail`: two thirds plain text, the rest with some Markdown in it."""
    style = rng.choices(["plain", "emphasis", "link", "list", "quote"], [66, 14, 10, 6, 4])[0]
    if style == "plain":
        return plain
    if style == "emphasis":
        word = rng.choice(WORDS)
        return plain.replace(" ", f" *{word}* ", 1) if rng.random() < 0.5 else f"**{plain}**"
    if style == "link":
        return f"{plain} See [the post](https://example.org/posts/{rng.randrange(10**6)})."
    if style == "list":
        items = rng.sample(COMPANY_ACTIONS, 2)
        return f"{plain}\n\n- {items[0].capitalize()}\n- {items[1].capitalize()}"
    return f"> {rng.choice(CUSTOMER_ACTIONS).capitalize()}.\n\n{plain}"


def summary_text(rng: random.Random, organization: str, problem: str) -> str:
    first = (f"A customer of {organization} took {problem} to social media after the usual "
             f"channels had not helped. The post was seen by thousands of people within a day.")
    second = (f"The company's answer went through several hands before the problem was "
              f"{rng.choice(['fixed', 'partly fixed', 'left open', 'settled'])}, and the exchange "
              f"is now *often quoted* when trainers discuss {rng.choice(PROBLEMS)}.")
    third = "The source gives no exact times for the later steps; they are written as it tells them."
    return "\n\n".join([first, second] + ([third] if rng.random() < 0.4 else []))


FACILITATOR = ("- **Went right:** the first reply came quickly and named a person.\n"
               "- **Went wrong:** the fix took {gap} and needed a second, louder complaint.\n"
               "- Ask the group what they would have said in the *first* reply.")


# ---------------------------------------------------------------- one case

def make_case(index: int) -> dict:
    rng = random.Random(f"casebook-bench-{index}")
    organization, industry = rng.choice(ORGANIZATIONS)
    problem = rng.choice(PROBLEMS)
    title = f"{organization} and {problem} ({index + 1})"
    channels = rng.sample(CHANNELS, rng.choice([1, 2, 2, 3]))
    people = make_people(rng, organization)
    timeline = make_timeline(rng, people, channels)
    return {
        "slug": re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-"),
        "title": title,
        "organization": organization,
        "industry": industry if rng.random() < 0.8 else None,
        "date": make_date(rng),
        "location": rng.choice(LOCATIONS) if rng.random() < 0.6 else None,
        "channels": channels,
        "outcome": rng.choice(OUTCOMES),
        "tags": sorted(rng.sample(TAGS, rng.randint(2, 4))),
        "summary": summary_text(rng, organization, problem),
        "people": people,
        "timeline": timeline,
        "takeaways": [{"lesson": lesson, "theme": rng.choice(list(THEMES)),
                       "detail": markdown_fragment(rng, sentence(rng, "The company", rng.choice(COMPANY_ACTIONS)))}
                      for lesson in rng.sample(LESSONS, 4)],
        "objectives": ["Tell response time from resolution time",
                       f"Explain why the customer chose {channels[0]}"],
        "discussion": [f"What should the first reply from {organization} have said?",
                       "At which point could the escalation have been stopped?"],
        "facilitator_notes": FACILITATOR.format(gap=rng.choice(["two days", "a week", "three calls"])),
        "sources": [{"title": f"How {organization} handled {problem}",
                     "author": f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
                     "publisher": "Service Trade Weekly",
                     "url": f"https://example.org/articles/{index + 1}"}],
    }


def make_date(rng: random.Random) -> str | None:
    year = rng.randint(2008, 2024)
    return rng.choice([None, str(year), f"{year}-{rng.randint(1, 12):02d}",
                       f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"])


def make_people(rng: random.Random, organization: str) -> dict:
    customer = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
    people = {
        "customer": {"name": customer, "side": "customer", "note": "A long-standing customer"},
        "brand": {"name": organization, "side": "company", "note": None},
        "agent": {"name": f"{rng.choice(FIRST_NAMES)} from the support team", "side": "company", "note": None},
    }
    if rng.random() < 0.6:
        people["press"] = {"name": "A local reporter", "side": "public", "note": "Wrote about it"}
    if rng.random() < 0.4:
        people["manager"] = {"name": "Customer-care manager", "side": "company", "note": None}
    return people


def make_timeline(rng: random.Random, people: dict, channels: list[str]) -> list[dict]:
    events = []
    for number in range(rng.randint(15, 19)):
        who = "customer" if number == 0 else rng.choice(list(people))
        side = people[who]["side"]
        actions = {"customer": CUSTOMER_ACTIONS, "company": COMPANY_ACTIONS, "public": PUBLIC_ACTIONS}[side]
        events.append({
            "when": "start" if number == 0 else rng.choice(GAPS),
            "who": who,
            "channel": rng.choice(channels) if rng.random() < 0.6 else None,
            "what": markdown_fragment(rng, sentence(rng, people[who]["name"], rng.choice(actions))),
            "mark": rng.choices([None, "escalation", "resolution", "turning-point"], [85, 6, 5, 4])[0],
        })
    return events


# ---------------------------------------------------------------- figures (for Hugo)

def figures(case: dict) -> tuple[list[str], dict]:
    """Each event's elapsed text, and the case figures, as Casebook works them out."""
    spans, _ = elapsed_times([parse_when(event["when"]) for event in case["timeline"]])
    events = case["timeline"]
    first = next((s for e, s in zip(events[1:], spans[1:]) if case["people"][e["who"]]["side"] == "company"), None)
    resolution = next((s for e, s in zip(events, spans) if e["mark"] == "resolution"), None)
    channels = shown_channels(case)
    moves = sum(1 for index in range(1, len(events))
                if None not in channels[index - 1:index + 1] and channels[index - 1] != channels[index])
    shown = lambda span: "—" if span is None else format_span(span)  # noqa: E731
    return [format_span(s) for s in spans], {"first_response": shown(first),
                                              "resolution": shown(resolution),
                                              "channel_moves": moves, "_first_span": first}


def shown_channels(case: dict) -> list[str | None]:
    """Each event's channel: its own, else the previous event's, else the case's only one."""
    channel = case["channels"][0] if len(case["channels"]) == 1 else None
    shown = []
    for event in case["timeline"]:
        channel = event["channel"] or channel
        shown.append(channel)
    return shown


# ---------------------------------------------------------------- Casebook YAML

_PLAIN_SAFE = re.compile(r"[A-Za-z0-9(][^\n]*")
_PLAIN_UNSAFE = re.compile(r": |\s#|[:\s]$|^[-?:,\[\]{}#&*!|>'\"%@`]")


def scalar(text: str, indent: str) -> str:
    """A YAML value as an author would write it: plain when safe, a block when multi-line."""
    if "\n" not in text and _PLAIN_SAFE.fullmatch(text) and not _PLAIN_UNSAFE.search(text):
        return text
    if "\n" not in text:
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
    lines = [f"{indent}  {line}" if line else "" for line in text.split("\n")]
    return "|-\n" + "\n".join(lines)


def flow_scalar(text: str) -> str:
    """A value inside `{...}` or `[...]`, where commas and brackets end it unless quoted."""
    return '"' + text + '"' if re.search(r"[,\[\]{}]", text) else scalar(text, "")


def case_yaml(case: dict) -> str:
    out = [f"title: {scalar(case['title'], '')}", f"organization: {scalar(case['organization'], '')}"]
    for key in ("industry", "date", "location"):
        if case[key]:
            out.append(f"{key}: {scalar(case[key], '')}")
    out.append(f"channels: [{', '.join(case['channels'])}]")
    out.append(f"outcome: {case['outcome']}")
    out.append(f"tags: [{', '.join(case['tags'])}]")
    out.append("summary: " + scalar(case["summary"], ""))
    out.append("people:")
    for key, person in case["people"].items():
        note = f", note: {flow_scalar(person['note'])}" if person["note"] else ""
        out.append(f"  {key}: {{name: {flow_scalar(person['name'])}, side: {person['side']}{note}}}")
    out.append("timeline:")
    for event in case["timeline"]:
        out.append(f"  - when: {event['when']}")
        out.append(f"    who: {event['who']}")
        if event["channel"]:
            out.append(f"    channel: {event['channel']}")
        out.append(f"    what: {scalar(event['what'], '    ')}")
        if event["mark"]:
            out.append(f"    mark: {event['mark']}")
    out.append("takeaways:")
    for takeaway in case["takeaways"]:
        out += [f"  - lesson: {scalar(takeaway['lesson'], '')}", f"    theme: {takeaway['theme']}",
                f"    detail: {scalar(takeaway['detail'], '    ')}"]
    out.append("objectives:")
    out += [f"  - {scalar(text, '')}" for text in case["objectives"]]
    out.append("discussion:")
    out += [f"  - {scalar(text, '')}" for text in case["discussion"]]
    out.append("facilitator_notes: " + scalar(case["facilitator_notes"], ""))
    out.append("sources:")
    for source in case["sources"]:
        out.append(f"  - title: {scalar(source['title'], '')}")
        out += [f"    {key}: {scalar(source[key], '')}" for key in ("author", "publisher", "url")]
    return "\n".join(out) + "\n"


def site_yaml() -> str:
    out = [f"title: {SITE_TITLE}", f"description: {SITE_DESCRIPTION}", 'base_url: ""',
           "language: en", "paper: A4", "themes:"]
    for key, (title, description) in THEMES.items():
        out += [f"  {key}:", f"    title: {scalar(title, '')}",
                f"    description: {scalar(description, '    ')}"]
    return "\n".join(out) + "\n"


def write_casebook(cases: list[dict], dest: Path) -> None:
    (dest / "cases").mkdir(parents=True)
    (dest / "site.yaml").write_text(site_yaml(), encoding="utf-8")
    for case in cases:
        (dest / "cases" / f"{case['slug']}.yaml").write_text(case_yaml(case), encoding="utf-8")


# ---------------------------------------------------------------- Hugo site

def dump(data) -> str:
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)


def hugo_front_matter(case: dict, index: int) -> dict:
    elapsed, figs = figures(case)
    people = case["people"]
    return {
        "title": case["title"], "slug": case["slug"],
        "weight": index + 1, "organization": case["organization"], "industry": case["industry"],
        "casedate": case["date"], "location": case["location"], "channels": case["channels"],
        "outcome": case["outcome"], "tags": case["tags"],
        "figures": {k: v for k, v in figs.items() if not k.startswith("_")},
        "people": [dict(key=k, **{f: v for f, v in p.items() if v}) for k, p in people.items()],
        "timeline": [{"when": e["when"], "elapsed": text, "name": people[e["who"]]["name"],
                      "side": people[e["who"]]["side"], "channel": channel,
                      "mark": e["mark"], "what": e["what"]}
                     for e, text, channel in zip(case["timeline"], elapsed, shown_channels(case))],
        "takeaways": case["takeaways"], "objectives": case["objectives"],
        "discussion": case["discussion"], "sources": case["sources"],
    }


def hugo_config(cases: list[dict]) -> dict:
    spans = [figures(case)[1]["_first_span"] for case in cases]
    midpoints = [s.midpoint for s in spans if s is not None and s.bounded]
    median = format_duration(statistics.median(midpoints)) if midpoints else "unknown"
    return {
        "baseURL": "/", "title": SITE_TITLE, "languageCode": "en", "uglyURLs": True,
        "relativeURLs": True, "disableKinds": ["rss", "sitemap", "robotsTXT", "taxonomy", "section"],
        "taxonomies": {"tag": "tags"},
        "params": {"description": SITE_DESCRIPTION, "median_first_response": f"~{median}",
                   "measured": len(midpoints), "outcomes": OUTCOMES,
                   "themes": [{"key": k, "title": t, "description": d} for k, (t, d) in THEMES.items()]},
    }


def write_hugo(cases: list[dict], dest: Path) -> None:
    shutil.copytree(HUGO_LAYOUT, dest)
    (dest / "static" / "assets").mkdir(parents=True)
    shutil.copy(STYLE, dest / "static" / "assets" / "style.css")
    (dest / "hugo.yaml").write_text(dump(hugo_config(cases)), encoding="utf-8")
    content = dest / "content" / "cases"
    content.mkdir(parents=True)
    for index, case in enumerate(cases):
        text = "---\n" + dump(hugo_front_matter(case, index)) + "---\n" + case["summary"] + "\n"
        (content / f"{case['slug']}.md").write_text(text, encoding="utf-8")


# ---------------------------------------------------------------- main

def generate(count: int, dest: Path) -> None:
    if dest.exists():
        shutil.rmtree(dest)
    cases = sort_like_casebook([make_case(index) for index in range(count)])
    write_casebook(cases, dest / "casebook")
    write_hugo(cases, dest / "hugo")


def sort_like_casebook(cases: list[dict]) -> list[dict]:
    """Newest first, undated last, then by title: the order of Casebook's index."""
    by_title = sorted(cases, key=lambda case: (case["title"].casefold(), case["slug"]))
    return sorted(by_title, key=lambda case: case["date"] or "", reverse=True)


def main(argv: list[str]) -> int:
    if len(argv) != 2 or not argv[0].isdigit():
        print(__doc__.strip().splitlines()[2].strip(), file=sys.stderr)
        return 2
    generate(int(argv[0]), Path(argv[1]))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
