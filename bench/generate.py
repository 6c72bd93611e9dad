#!/usr/bin/env python3
"""Write N synthetic cases twice: as a Casebook project and as the equivalent Hugo site.

    python bench/generate.py N DEST [--no-exhibits] [--no-quotes] [--no-course]

DEST/casebook/  site.yaml, cases/<slug>.yaml, cases/<slug>/ (the pictures of a case with
                exhibits) and courses/bench-twenty-cases.yaml (a course of the first 20
                cases); valid for `build.py check --cases DEST/casebook/cases`
DEST/hugo/      hugo.yaml, content/ (front matter + Markdown), layouts/ (from bench/hugo/),
                static/assets/style.css and static/exhibits/<slug>/ (the same pictures):
                index, one page per case, tag, channel, outcome and theme pages, lessons

Deterministic: case i depends only on i (so the first 100 cases of N=1,000 are the N=100
corpus), and the same N gives byte-identical files (with the same Pillow). A case has 15 to 19
events (17 on average) and 23 Markdown fragments on average (summary, one per event, four
takeaway details, facilitator notes), about two thirds of them plain sentences and the rest
with emphasis, links, lists or quotes, like the shipped cases.

Version 2 features, each from its own random numbers so that leaving one out (the flags)
leaves the rest of every case byte for byte the same: about 2 cases in 5 quote 1-3 posts
(`quote`), 1 in 5 has 1-3 exhibits (pictures drawn with Pillow: screenshots and bar charts as
PNG, photos as JPEG, 16-250 KB, 0.6-1.9 million pixels; about half shown with an event), and
the course puts the first 20 cases (or all, below 20) on an agenda with activities and breaks.

The Hugo copy carries each event's elapsed time and the case figures as text computed with
Casebook's own timeline code, so both tools show the same figures; Hugo does not pay for
working them out (a small share of Casebook's time, see bench/README.md). Hugo publishes each
picture as it is (one <img>); Casebook makes resized WebP and JPEG copies (see bench/README.md).
"""
from __future__ import annotations

import argparse
import io
import random
import re
import shutil
import statistics
import sys
import textwrap
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


# ---------------------------------------------------------------- version 2: quotes, exhibits

# Each feature draws from its own random stream (seeded by the case's index), so a case
# without it is byte for byte the case generate.py wrote before the feature existed, and
# `--no-exhibits` / `--no-quotes` change nothing else: the cost of a feature is the
# difference between two builds.
QUOTE_SHARE = 0.4       # of cases with 1-3 quoted posts
EXHIBIT_SHARE = 0.2     # of cases with 1-3 pictures
PICTURE_KINDS = {       # kind: (weight, file format, suffix)
    "screenshot": (60, "PNG", "png"),
    "photo": (25, "JPEG", "jpg"),
    "chart": (15, "PNG", "png"),
}
CUSTOMER_QUOTES = ["Day {day} of waiting. Is anyone at {org} actually reading this?",
                   "Third call today and still nobody at {org} can tell me what is going on.",
                   "{org}, I have the reference number ready. Who do I give it to?",
                   "Still not fixed. Thinking about switching after {day} days of this.",
                   "Thank you, that was quick. Message sent."]
COMPANY_QUOTES = ["We're sorry, {name}. Please send us a direct message with your reference.",
                  "We're checking with the team now and will reply here within ten minutes.",
                  "Update: an engineer is on the way and will call you before arriving.",
                  "The refund is on its way; you should see it within {day} working days."]
PUBLIC_QUOTES = ["Same thing happened to me last month with {org}.",
                 "Can't believe {org} still hasn't answered this."]


def add_quotes(case: dict, index: int) -> None:
    """Some events get `quote`: the message's words, as a quoted post on the page."""
    rng = random.Random(f"casebook-bench-quotes-{index}")
    if rng.random() >= QUOTE_SHARE:
        return
    for number in sorted(rng.sample(range(len(case["timeline"])), rng.choice([1, 1, 2, 3]))):
        event = case["timeline"][number]
        person = case["people"][event["who"]]
        texts = {"customer": CUSTOMER_QUOTES, "company": COMPANY_QUOTES, "public": PUBLIC_QUOTES}
        event["quote"] = rng.choice(texts[person["side"]]).format(
            org=case["organization"], name=case["people"]["customer"]["name"].split()[0],
            day=rng.randint(2, 9))


def add_exhibits(case: dict, index: int) -> None:
    """Some cases get pictures: drawn screenshots (PNG), photos (JPEG), charts (PNG). About
    half are shown with an event (`exhibit:`), the rest after the timeline."""
    rng = random.Random(f"casebook-bench-exhibits-{index}")
    if rng.random() >= EXHIBIT_SHARE:
        return
    exhibits, free = [], list(range(len(case["timeline"])))
    for number in range(rng.choices([1, 2, 3], [55, 30, 15])[0]):
        kind = rng.choices(list(PICTURE_KINDS), [w for w, _, _ in PICTURE_KINDS.values()])[0]
        size = {"screenshot": (1080, rng.randrange(560, 1480, 40)),
                "photo": rng.choice([(1600, 1200), (1200, 1600), (1400, 1050)]),
                "chart": (1200, rng.choice([600, 700, 800]))}[kind]
        exhibit_id = f"{kind}-{number + 1}"
        exhibit = {"id": exhibit_id, "kind": kind, "size": size,
                   "file": f"{exhibit_id}.{PICTURE_KINDS[kind][2]}",
                   "seed": f"casebook-bench-picture-{index}-{number}",
                   "alt": {"screenshot": f"Screenshot of the posts about {case['organization']}, "
                                         f"case {index + 1}, picture {number + 1}",
                           "photo": f"Photo the customer posted of the problem, case {index + 1}",
                           "chart": f"Bar chart of replies per hour in case {index + 1}"}[kind],
                   "caption": rng.choice([None, f"As the customer posted it, *{rng.choice(WORDS)}*",
                                          "Shared by the customer, see the source.",
                                          f"Posted {rng.choice(GAPS)}"]),
                   "credit": rng.choice([None, "Screenshot from the source article",
                                         f"Picture: {rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"]),
                   "lines": [e["what"].splitlines()[-1] for e in case["timeline"][:4]]}
        if free and rng.random() < 0.55:
            event = case["timeline"][free.pop(rng.randrange(len(free)))]
            event["exhibit"] = exhibit_id
        exhibits.append(exhibit)
    case["exhibits"] = exhibits


# Pillow's own font (FreeType, shipped inside Pillow), so no system font changes the bytes.
_FONTS: dict[int, object] = {}


def _font(size: int):
    from PIL import ImageFont

    if size not in _FONTS:
        _FONTS[size] = ImageFont.load_default(size)
    return _FONTS[size]


def picture_bytes(exhibit: dict) -> bytes:
    """The picture file: the same exhibit (its seed) gives the same bytes with the same Pillow."""
    from PIL import Image, ImageDraw

    rng = random.Random(exhibit["seed"])
    width, height = exhibit["size"]
    kind = exhibit["kind"]
    if kind == "photo":
        # Smooth colour fields (random pixels, enlarged): compresses like a photo, not like noise.
        small = (width // 24, height // 24)
        image = Image.frombytes("RGB", small, rng.randbytes(small[0] * small[1] * 3))
        image = image.resize((width, height), Image.Resampling.BICUBIC)
        draw = ImageDraw.Draw(image)
        draw.rectangle((width // 5, height // 4, width * 3 // 5, height * 3 // 4),
                       outline=(250, 250, 250), width=12)
        draw.text((width // 2, height - 60), exhibit["seed"], font=_font(36), fill=(255, 255, 255),
                  anchor="mm")
    elif kind == "chart":
        image = Image.new("RGB", (width, height), (255, 255, 255))
        draw = ImageDraw.Draw(image)
        draw.text((40, 30), f"Replies per hour ({exhibit['seed']})", font=_font(32), fill=(20, 23, 28))
        base, bars = height - 80, 24
        draw.line((60, base, width - 40, base), fill=(96, 103, 112), width=3)
        step = (width - 120) // bars
        for bar in range(bars):
            top = base - rng.randint(10, height - 200)
            colour = (29, 99, 196) if rng.random() < 0.7 else (178, 34, 34)
            draw.rectangle((70 + bar * step, top, 60 + (bar + 1) * step, base), fill=colour)
            draw.text((70 + bar * step + step // 2, base + 30), f"{bar:02d}", font=_font(20),
                      fill=(96, 103, 112), anchor="mm")
    else:
        image = Image.new("RGB", (width, height), (255, 255, 255))
        draw = ImageDraw.Draw(image)
        draw.rectangle((0, 0, width, 110), fill=(246, 247, 249))
        draw.text((width // 2, 55), "Post", font=_font(34), fill=(20, 23, 28), anchor="mm")
        y, lines = 150, exhibit["lines"]
        while y < height - 200:
            line = lines[(y // 200) % len(lines)]
            draw.ellipse((48, y, 120, y + 72), fill=tuple(rng.randrange(60, 220) for _ in range(3)))
            draw.text((140, y + 2), exhibit["seed"], font=_font(28), fill=(20, 23, 28))
            for number, text in enumerate(textwrap.wrap(line, 52)[:3]):
                draw.text((140, y + 50 + number * 40), text, font=_font(30), fill=(20, 23, 28))
            y += 200
            draw.line((48, y - 20, width - 48, y - 20), fill=(207, 212, 218), width=2)
    out = io.BytesIO()
    if PICTURE_KINDS[kind][1] == "JPEG":
        image.save(out, "JPEG", quality=82)
    else:
        image.save(out, "PNG")
    return out.getvalue()


# ---------------------------------------------------------------- version 2: a course

COURSE_SLUG = "bench-twenty-cases"
COURSE_CASES = 20


def course_yaml(cases: list[dict]) -> str:
    """A two-day course of the first COURSE_CASES cases (by index: case i depends only on i),
    with activities, breaks, chosen questions and facilitator notes."""
    rng = random.Random("casebook-bench-course")
    out = ['title: "Twenty cases: a two-day workshop on answering in public"',
           "audience: Social-care agents and their team leads", "date: 2026-12-03",
           'starts: "08:30"', "presenter: Synthetic Support Academy",
           "description: |",
           "  Twenty generated cases, one after another, with short activities between them.",
           "  Participants compare *fast* replies with useful ones.",
           "objectives:",
           "  - Tell a fast first reply apart from solving the customer's problem",
           "  - Decide when to move a public conversation to a private channel",
           "answer_lines: 3", "agenda:",
           "  - activity: Welcome and the plan for the two days", "    minutes: 15",
           "    detail: Introduce yourself in one sentence.",
           "    notes: Keep it short; write the examples on the flip chart."]
    for number, case in enumerate(cases):
        out += [f"  - case: {case['slug']}", f"    minutes: {rng.choice([20, 25, 30, 35])}"]
        questions = rng.choice([None, None, "[1]", "[2]", "[1, 2]"])
        if questions:
            out.append(f"    questions: {questions}")
        if rng.random() < 0.6:
            out += ["    notes: |", f"      Read the timeline aloud. Ask what {case['organization']}",
                    "      should have said in the **first** reply."]
        if number % 5 == 4 and number + 1 < len(cases):
            out += [f"  - break: {'Lunch' if number == 9 else 'Coffee'}",
                    f"    minutes: {60 if number == 9 else 15}"]
        elif number % 5 == 2:
            out += [f"  - activity: Rewrite the reply in pairs ({number + 1})", "    minutes: 20",
                    "    detail: |", "      In pairs, write the company's first reply again.",
                    "    notes: Stop after 15 minutes for the read-out."]
    return "\n".join(out) + "\n"


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
        if event.get("quote"):
            out.append(f"    quote: {scalar(event['quote'], '    ')}")
        if event.get("exhibit"):
            out.append(f"    exhibit: {event['exhibit']}")
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
    if case.get("exhibits"):
        out.append("exhibits:")
        for exhibit in case["exhibits"]:
            out += [f"  - id: {exhibit['id']}", f"    file: {exhibit['file']}",
                    f"    alt: {scalar(exhibit['alt'], '    ')}"]
            out += [f"    {key}: {scalar(exhibit[key], '    ')}" for key in ("caption", "credit")
                    if exhibit[key]]
    return "\n".join(out) + "\n"


def site_yaml() -> str:
    out = [f"title: {SITE_TITLE}", f"description: {SITE_DESCRIPTION}", 'base_url: ""',
           "language: en", "paper: A4", "themes:"]
    for key, (title, description) in THEMES.items():
        out += [f"  {key}:", f"    title: {scalar(title, '')}",
                f"    description: {scalar(description, '    ')}"]
    return "\n".join(out) + "\n"


def write_casebook(cases: list[dict], dest: Path, pictures: dict[str, bytes] | None = None,
                   course: list[dict] | None = None) -> None:
    """site.yaml, cases/<slug>.yaml, each case's pictures in cases/<slug>/ (`pictures`: the
    bytes by `<slug>/<file>`, drawn here when not given) and, given `course`'s cases,
    courses/<COURSE_SLUG>.yaml."""
    (dest / "cases").mkdir(parents=True)
    (dest / "site.yaml").write_text(site_yaml(), encoding="utf-8")
    pictures = case_pictures(cases) if pictures is None else pictures
    for case in cases:
        (dest / "cases" / f"{case['slug']}.yaml").write_text(case_yaml(case), encoding="utf-8")
    write_pictures(pictures, dest / "cases")
    if course:
        (dest / "courses").mkdir()
        (dest / "courses" / f"{COURSE_SLUG}.yaml").write_text(course_yaml(course), encoding="utf-8")


def case_pictures(cases: list[dict]) -> dict[str, bytes]:
    return {f"{case['slug']}/{exhibit['file']}": picture_bytes(exhibit)
            for case in cases for exhibit in case.get("exhibits", [])}


def write_pictures(pictures: dict[str, bytes], folder: Path) -> None:
    for name, data in pictures.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(data)


# ---------------------------------------------------------------- Hugo site

def dump(data) -> str:
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)


def hugo_front_matter(case: dict, index: int) -> dict:
    elapsed, figs = figures(case)
    people = case["people"]
    # Exhibits as Hugo shows them: the same files, at their own size (Hugo does not resize).
    exhibits = {x["id"]: {"id": x["id"], "src": f"exhibits/{case['slug']}/{x['file']}",
                          "width": x["size"][0], "height": x["size"][1], "alt": x["alt"],
                          **{k: x[k] for k in ("caption", "credit") if x[k]}}
                for x in case.get("exhibits", [])}
    shown_with_events = {e["exhibit"] for e in case["timeline"] if e.get("exhibit")}
    after = [exhibit for key, exhibit in exhibits.items() if key not in shown_with_events]
    return {
        "title": case["title"], "slug": case["slug"],
        "weight": index + 1, "organization": case["organization"], "industry": case["industry"],
        "casedate": case["date"], "location": case["location"], "channels": case["channels"],
        "outcome": case["outcome"], "tags": case["tags"],
        # The listing pages Casebook writes besides tags/ (channels/, outcomes/, themes/).
        "outcomes": [case["outcome"]],
        "themes": sorted({takeaway["theme"] for takeaway in case["takeaways"]}),
        "figures": {k: v for k, v in figs.items() if not k.startswith("_")},
        "people": [dict(key=k, **{f: v for f, v in p.items() if v}) for k, p in people.items()],
        "timeline": [{"when": e["when"], "elapsed": text, "name": people[e["who"]]["name"],
                      "side": people[e["who"]]["side"], "channel": channel,
                      "mark": e["mark"], "what": e["what"],
                      **({"quote": e["quote"]} if e.get("quote") else {}),
                      **({"exhibit": exhibits[e["exhibit"]]} if e.get("exhibit") else {})}
                     for e, text, channel in zip(case["timeline"], elapsed, shown_channels(case))],
        "takeaways": case["takeaways"], "objectives": case["objectives"],
        "discussion": case["discussion"], "sources": case["sources"],
        **({"exhibits": after} if after else {}),
    }


def hugo_config(cases: list[dict]) -> dict:
    spans = [figures(case)[1]["_first_span"] for case in cases]
    midpoints = [s.midpoint for s in spans if s is not None and s.bounded]
    median = format_duration(statistics.median(midpoints)) if midpoints else "unknown"
    return {
        "baseURL": "/", "title": SITE_TITLE, "languageCode": "en", "uglyURLs": True,
        "relativeURLs": True, "disableKinds": ["rss", "sitemap", "robotsTXT", "taxonomy", "section"],
        "taxonomies": {"tag": "tags", "channel": "channels", "outcome": "outcomes", "theme": "themes"},
        "params": {"description": SITE_DESCRIPTION, "median_first_response": f"~{median}",
                   "measured": len(midpoints), "outcomes": OUTCOMES,
                   "themes": [{"key": k, "title": t, "description": d} for k, (t, d) in THEMES.items()]},
    }


def write_hugo(cases: list[dict], dest: Path, pictures: dict[str, bytes] | None = None) -> None:
    """The Hugo site; each case's pictures as static files in static/exhibits/<slug>/."""
    shutil.copytree(HUGO_LAYOUT, dest)
    (dest / "static" / "assets").mkdir(parents=True)
    shutil.copy(STYLE, dest / "static" / "assets" / "style.css")
    write_pictures(case_pictures(cases) if pictures is None else pictures, dest / "static" / "exhibits")
    (dest / "hugo.yaml").write_text(dump(hugo_config(cases)), encoding="utf-8")
    content = dest / "content" / "cases"
    content.mkdir(parents=True)
    for index, case in enumerate(cases):
        text = "---\n" + dump(hugo_front_matter(case, index)) + "---\n" + case["summary"] + "\n"
        (content / f"{case['slug']}.md").write_text(text, encoding="utf-8")


# ---------------------------------------------------------------- main

def make_cases(count: int, exhibits: bool = True, quotes: bool = True) -> list[dict]:
    """Cases 0 to count - 1 (in that order) with the version 2 features asked for."""
    cases = []
    for index in range(count):
        case = make_case(index)
        if quotes:
            add_quotes(case, index)
        if exhibits:
            add_exhibits(case, index)
        cases.append(case)
    return cases


def generate(count: int, dest: Path, exhibits: bool = True, quotes: bool = True,
             course: bool = True) -> None:
    if dest.exists():
        shutil.rmtree(dest)
    cases = make_cases(count, exhibits, quotes)
    pictures = case_pictures(cases)
    chosen = cases[:COURSE_CASES] if course else None
    cases = sort_like_casebook(cases)
    write_casebook(cases, dest / "casebook", pictures, chosen)
    write_hugo(cases, dest / "hugo", pictures)


def sort_like_casebook(cases: list[dict]) -> list[dict]:
    """Newest first, undated last, then by title: the order of Casebook's index."""
    by_title = sorted(cases, key=lambda case: (case["title"].casefold(), case["slug"]))
    return sorted(by_title, key=lambda case: case["date"] or "", reverse=True)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.strip().splitlines()[0])
    parser.add_argument("count", type=int, metavar="N", help="how many cases")
    parser.add_argument("dest", type=Path, metavar="DEST", help="folder to write (replaced)")
    parser.add_argument("--no-exhibits", action="store_true", help="no pictures")
    parser.add_argument("--no-quotes", action="store_true", help="no quoted posts")
    parser.add_argument("--no-course", action="store_true", help="no courses/ folder")
    args = parser.parse_args(argv)   # exits 2 on wrong usage
    generate(args.count, args.dest, exhibits=not args.no_exhibits, quotes=not args.no_quotes,
             course=not args.no_course)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
