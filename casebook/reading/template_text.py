"""The placeholder words `build.py new` writes where the author has something to write, and
the check that none is left in a case that is published (not a draft).

Defined once here: `new` (casebook/authoring/new.py) writes them, `check` looks for exactly
these. A value counts as template text only when it is one of them as a whole, so a case's own
words ("The customer", an importer's neutral event text) are never flagged."""
from __future__ import annotations

from casebook.reading.problems import Problems
from casebook.reading.yamltree import Mapping, Node, Sequence

ORGANIZATION = "Name of the organization"
CUSTOMER = "Name of the customer"
SUMMARY = "What happened, in one to three short paragraphs (Markdown)."
FIRST_EVENT = "What the customer did first."
ANSWER = "How the organization answered."
LESSON = "The lesson, as one headline"
DETAIL = "Why it matters (Markdown)."
OBJECTIVE = "What a trainee should take away"
QUESTION = "A question for the room"
FACILITATOR_NOTES = "Points for the trainer only (never on the site or the participant handouts)."
SOURCE_TITLE = "Title of the article"
AUTHOR = "Name of the author"
PUBLISHER = "Name of the publisher"
CHANNEL = "Name of the channel"       # `import` of a table that names no channel
URL = "https://example.org/article"   # an example address, not flagged: examples use it

PLACEHOLDERS = frozenset({ORGANIZATION, CUSTOMER, SUMMARY, FIRST_EVENT, ANSWER, LESSON, DETAIL,
                          OBJECTIVE, QUESTION, FACILITATOR_NOTES, SOURCE_TITLE, AUTHOR,
                          PUBLISHER, CHANNEL})


def report_template_text(tree: Node, problems: Problems) -> None:
    """A problem at each value that is still one of `new`'s placeholders."""
    pending: list[tuple[Node, str]] = [(tree, "")]
    while pending:
        node, path = pending.pop()
        if isinstance(node, Mapping):
            pending += [(value, f"{path}.{key}" if path else key)
                        for key, value in reversed(node.values.items())]
        elif isinstance(node, Sequence):
            pending += [(item, f"{path}[{index}]")
                        for index, item in reversed(list(enumerate(node.items, 1)))]
        elif " ".join(node.text.split()) in PLACEHOLDERS:
            problems.add(node.line, path, f"`{' '.join(node.text.split())}` is text from the "
                                          "template that `new` writes (write the case's own "
                                          "words here, or keep `draft: true` until the case "
                                          "is written)")
