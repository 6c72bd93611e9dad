"""A generated corpus of valid cases, to check the website at the size of a real casebook.

Deterministic (a seeded random generator, no clock): the same count always writes the same
files. It covers what the shipped cases do not: every outcome and mark, dates and no dates,
every kind of time phrase, long titles, accented and non-Latin names, Markdown with links,
multi-word channels.

    python -m tests.corpus DIR [COUNT]    writes DIR/cases/*.yaml and DIR/site.yaml
"""
from __future__ import annotations

import random
import shutil
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent

ORGANIZATIONS = ["Northwind Air", "Bluewater Telecom", "Café Lumière", "Grünwald Bank",
                 "Oakridge Energy", "Sakura Mobile", "Atlas Insurance", "Harbor Freight Lines",
                 "Pixelbox Games", "Riverside Hospital", "Nordlicht Rail", "Mercado Verde"]
INDUSTRIES = ["Airline", "Telecom", "Hospitality", "Banking", "Utilities", "Retail",
              "Insurance", "Logistics", "Games", "Healthcare", "Rail"]
PLACES = ["Lisbon", "Toronto, Canada", "São Paulo", "Kyoto", "Manchester", "Cape Town", None]
CHANNELS = ["Twitter", "Facebook", "Email", "Phone", "Live chat", "In person", "Blog", "Forum"]
OUTCOMES = ["positive", "negative", "mixed", "unresolved", "unknown"]
TAGS = ["refund", "delay", "billing", "outage", "public-reply", "viral", "apology", "escalation",
        "manager-call", "fast-first-reply", "slow-reply", "loyalty", "vip", "lost-luggage",
        "privacy", "accessibility", "chatbot", "policy", "goodwill", "humour"]
CUSTOMERS = ["Zoë Müller", "Amara Okafor", "Kenji Watanabe", "Lucía Fernández", "Oliver Smith",
             "Priya Raman", "Yusuf Demir", "Chloé Martin", "Николай Петров", "王芳"]
PUBLIC = ["A local newspaper", "Followers of the customer", "A rival brand", "A consumer blog"]
WHENS = ["within 2 minutes", "20 minutes later", "about 3 hours later", "within hours",
         "same day", "next day", "days later", "later", "after 2 days", "within 5 minutes",
         "about 1 week later", "45 seconds later", "within days", "2 weeks later"]
ACTIONS = ["posts a complaint about {topic}", "replies publicly and asks for details",
           "sends a direct message asking for the booking number", "calls the support line",
           "shares the exchange, which is picked up widely", "offers a refund and an apology",
           "writes a blog post about **{topic}**", "escalates the case to a manager",
           "closes the ticket without an answer", "thanks the team in public"]
TOPICS = ["a cancelled flight", "a double charge", "a broken router", "a lost parcel",
          "a rude agent", "an outage", "a missed appointment", "a wrong invoice"]
WORDS = ("customer service team reply public channel refund apology manager queue waiting "
         "complaint policy social media response follow-up promise delivery account").split()


def make_case(rng: random.Random, number: int, themes: list[str]) -> dict:
    organization = rng.choice(ORGANIZATIONS)
    topic = rng.choice(TOPICS)
    channels = rng.sample(CHANNELS, rng.randint(1, 3))
    customer, company = rng.choice(CUSTOMERS), f"{organization} support"
    people = {"customer": {"name": customer, "side": "customer", "note": f"Customer of {organization}"},
              "company": {"name": company, "side": "company"}}
    if rng.random() < 0.5:
        people["public"] = {"name": rng.choice(PUBLIC), "side": "public"}
    case = {
        "title": title(rng, number, organization, topic),
        "organization": organization,
        "industry": rng.choice(INDUSTRIES),
        "channels": channels,
        "outcome": OUTCOMES[number % len(OUTCOMES)],
        "tags": sorted(rng.sample(TAGS, rng.randint(0, 4))),
        "summary": summary(rng, customer, organization, topic),
        "people": people,
        "timeline": timeline(rng, list(people), channels, topic),
        "takeaways": [{"lesson": sentence(rng, 6).rstrip("."), "theme": rng.choice(themes),
                       "detail": sentence(rng, 20)} for _ in range(rng.randint(1, 3))],
        "discussion": [sentence(rng, 10).rstrip(".") + "?" for _ in range(rng.randint(0, 3))],
        "sources": [{"title": f"What {organization} learned from {topic}",
                     "author": rng.choice(CUSTOMERS),
                     "url": f"https://example.org/articles/{number}"}],
    }
    for optional in ("tags", "discussion"):
        if not case[optional]:
            del case[optional]
    if rng.random() < 0.7:
        case["date"] = f"{rng.randint(2008, 2023)}-{rng.randint(1, 12):02d}"
    place = rng.choice(PLACES)
    if place:
        case["location"] = place
    if rng.random() < 0.3:
        case["facilitator_notes"] = "FACILITATOR ONLY: do not publish this sentence."
    return case


def title(rng: random.Random, number: int, organization: str, topic: str) -> str:
    text = f"{organization} and {topic}, case {number}"
    if number % 17 == 0:  # some long titles, near the limit of 120 characters
        text += ": " + " ".join(rng.choice(WORDS) for _ in range(12))
    return text[:120].rstrip()


def summary(rng: random.Random, customer: str, organization: str, topic: str) -> str:
    return (f"{customer} complained about *{topic}* after {organization} did not answer. "
            + sentence(rng, 30) + "\n\n"
            + f"See [the original article](https://example.org/{organization.split()[0].lower()}). "
            + sentence(rng, 25))


def timeline(rng: random.Random, people: list[str], channels: list[str], topic: str) -> list[dict]:
    events = []
    for index in range(rng.randint(2, 8)):
        who = "customer" if index == 0 else rng.choice(people)
        if index == 1:
            who = "company"
        event = {"when": "start" if index == 0 else rng.choice(WHENS), "who": who,
                 "what": rng.choice(ACTIONS).format(topic=topic).capitalize() + "."}
        if rng.random() < 0.8:
            event["channel"] = rng.choice(channels)
        if index and rng.random() < 0.25:
            event["mark"] = rng.choice(["escalation", "resolution", "turning-point"])
        events.append(event)
    return events


def sentence(rng: random.Random, length: int) -> str:
    words = [rng.choice(WORDS) for _ in range(length)]
    return " ".join(words).capitalize() + "."


def write_corpus(dest: Path, count: int = 200, seed: int = 4) -> Path:
    """Write `count` cases into dest/cases with the repository's site.yaml; the cases folder."""
    rng = random.Random(seed)
    cases = dest / "cases"
    cases.mkdir(parents=True, exist_ok=True)
    shutil.copy(ROOT / "site.yaml", dest / "site.yaml")
    themes = list(yaml.safe_load((ROOT / "site.yaml").read_text(encoding="utf-8"))["themes"])
    for number in range(1, count + 1):
        case = make_case(rng, number, themes)
        text = yaml.safe_dump(case, allow_unicode=True, sort_keys=False, width=100)
        (cases / f"case-{number:03d}.yaml").write_text(text, encoding="utf-8")
    return cases


if __name__ == "__main__":
    write_corpus(Path(sys.argv[1]), int(sys.argv[2]) if len(sys.argv) > 2 else 200)
