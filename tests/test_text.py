"""The Markdown fast path (`simple_markdown`) against Python-Markdown: whatever it accepts it must
render byte for byte as the full renderer does; anything else it must decline (None)."""
from __future__ import annotations

import importlib.util
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from casebook.model import text
from casebook.build.project import load_project
from casebook.reading.problems import Problems
from casebook.model.text import MarkdownRenderer, simple_markdown
from casebook.reading.yamltree import Mapping, Scalar, Sequence, read_tree
from corpus import write_corpus

ROOT = Path(__file__).resolve().parent.parent
RENDERER = MarkdownRenderer()
# More for a long local run:
#     CASEBOOK_MD_EXAMPLES=20000 pytest tests/test_text.py --hypothesis-seed=N
EXAMPLES = int(os.environ.get("CASEBOOK_MD_EXAMPLES", "600"))


def python_markdown(source: str) -> str:
    """The reference: the full, configured Python-Markdown instance, never the fast path."""
    return RENDERER._md.reset().convert(source)


def assert_exact_or_declined(source: str) -> bool:
    fast = simple_markdown(source)
    if fast is not None:
        assert fast == python_markdown(source), source
    return fast is not None


# ---- Hypothesis: text made mostly of markup characters and the pieces they combine with

PIECES = [
    "*", "**", "***", "_", "__", "[", "]", "(", ")", "](", "[a](", "&", "<", ">", "\\", "`",
    "!", "#", "-", "+", "=", ">", "1.", "2)", ":", "'", '"', "|", "~", "%",
    " ", " ", "  ", "\n", "\n", "\n\n", "    ", "\t", "\r", "\xa0", "\u2028", "\x02", "\x03",
    "a", "b", "word", "Ünï", "K", "ſ", "x_y", "4",
    "http://", "https://", "https://example.org/a_b?q=1&r=2", "javascript:", "data:", "mailto:",
    "HTTP://", "&amp;", "&#42;", "&#x2A;", "&#X2a;", "&copy;", "&K;", "&c", "<b>", "<http://a>",
    "<a@b>", " \"title\"", " 'title'",
]
markup_text = st.lists(st.sampled_from(PIECES), max_size=30).map("".join)

# Fragments near the accepted forms (so that many are accepted and the comparison has teeth),
# spoiled now and then by a random piece.
WORDS = st.sampled_from(["a", "word", "two words", "x-y", "it's", "(so)", "A&B", "1 < 2",
                         "3 > 2", "ok!", "Ünï", "end.", "K"])
forms = st.one_of(
    WORDS,
    WORDS.map(lambda w: f"*{w}*"),
    WORDS.map(lambda w: f"**{w}**"),
    st.tuples(WORDS, st.sampled_from(["https://example.org/p", "http://a.b/c_d?e=1&f=2",
                                      "https://x.org/#frag", "javascript:alert(1)"]))
      .map(lambda t: f"[{t[0]}]({t[1]})"),
)
spans = st.one_of(forms, st.sampled_from(PIECES))
near_text = st.lists(st.tuples(spans, st.sampled_from([" ", "", "\n", "\n\n", ". ", ", "])),
                     max_size=12).map(lambda parts: "".join(a + b for a, b in parts))
# Only the accepted forms, glued by characters that could make them pair differently.
GLUE = st.sampled_from([" ", "", "", "\n", "\n\n", "(", ")", "!", "&", " < ", ">", "*", "x"])
simple_text = st.lists(st.tuples(forms, GLUE),
                       max_size=8).map(lambda parts: "".join(a + b for a, b in parts))


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(markup_text, near_text, simple_text))
def test_fast_path_is_exact_or_declines(source):
    event("taken" if assert_exact_or_declined(source) else "declined")


# Blocks: lines that open (or nearly open) a list item or a quote, and paragraph lines, between
# single, blank and doubled blank lines, spoiled now and then by a random piece.
LINE = st.lists(st.tuples(forms, st.sampled_from([" ", "", "(", ")", "!", "&", " < ", ">", "*"])),
                min_size=1, max_size=4).map(lambda parts: "".join(a + b for a, b in parts))
MARKERS = st.sampled_from(["", "", "- ", "- ", "> ", "> ", "-", ">", "* ", "+ ", "1. ", " - ",
                           "    ", "- - ", "> > ", "> - ", "- > ", "-  ", ">  ", "---", "==="])
BLOCK_LINE = st.one_of(st.tuples(MARKERS, LINE).map("".join), MARKERS, st.sampled_from(PIECES))
blocks_text = st.lists(st.tuples(BLOCK_LINE, st.sampled_from(["\n", "\n", "\n\n", "\n\n",
                                                              "\n\n\n", "\n \n", ""])),
                       max_size=8).map(lambda parts: "".join(a + b for a, b in parts))


# ... and blocks near the accepted ones: 1-3 lines each, all "- ", all "> " or none.
clean_block = st.tuples(st.sampled_from(["", "", "- ", "> "]), st.lists(LINE, min_size=1, max_size=3)) \
    .map(lambda block: "\n".join(block[0] + line for line in block[1]))
clean_blocks = st.lists(st.tuples(clean_block, st.sampled_from(["\n\n", "\n\n", "\n\n", "\n",
                                                                "\n\n\n", ""])),
                        min_size=1, max_size=5).map(lambda parts: "".join(a + b for a, b in parts))


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(blocks_text, clean_blocks))
def test_fast_path_lists_and_quotes_are_exact_or_declined(source):
    event("taken" if assert_exact_or_declined(source) else "declined")


@settings(max_examples=EXAMPLES // 3, deadline=None)
@given(st.text(max_size=40))
def test_fast_path_on_any_text(source):
    event("taken" if assert_exact_or_declined(source) else "declined")


# ---- Edge cases it must decline or get right, named so a failure says which

@pytest.mark.parametrize("source", [
    "snake_case_name", "_em_", "__strong__", "*a **b** c*", "***both***", "**a*", "*a**",
    "* list item", "*\n", "**", "* * *", "- item", "1. item", "2) item", "# Heading", "> quote",
    "Title\n=====", "Title\n---", "    code", "\tcode", "line  \nbreak", "a\\*b",
    "[a](http://x 'title')", '[a](http://x "title")', "[a b](http://x/a b)", "[a](<http://x>)",
    "[a](http://x/(y))", "[a](javascript:alert(1))", "[a](data:text/html,x)", "![alt](http://x)",
    "[ref][id]", "[ref]", "[id]: http://x", "&amp; &#42; &#x2a; &K;", "<b>bold</b>",
    "<http://example.org>", "<me@example.org>", "`code`", "a\x02b", "[a](http://x?a=1&amp;b=2)",
    "*a\nb*", "[a\nb](http://x)", "  indented", "x\xa0", "a\u2028b",
])
def test_edge_cases_are_exact_or_declined(source):
    assert_exact_or_declined(source)


@pytest.mark.parametrize("source", [
    "Falcon *clearly* Rentals posts an update.",
    "**Harbor Telecom replies publicly with an apology.**",
    "Chen asks for the reference. See [the post](https://example.org/posts/279776).",
    "First paragraph with *em*.\n\nSecond, **strong**, on two\nlines, AT&T & 1 < 2 > 0.\n",
    "[A link](http://example.org/a_b?x=1&y=2#top) first, *then em*, (parentheses), 'quotes'.",
    "*a*b*c* and x**y**z",
    "The agent replies.\n\n- Apologizes in public\n- Offers a *refund*",
    "> Posts a photo of the bill.\n\nThe company answers **quickly**.",
    "- one\n- two\n\nThen a paragraph.\n\n> and a quote\n> on two lines",
])
def test_fast_path_takes_the_common_forms(source):
    assert assert_exact_or_declined(source), "the fast path declined a common form"


def test_render_uses_the_fast_path(monkeypatch):
    def refuse(source):
        raise AssertionError("went to Python-Markdown")
    renderer = MarkdownRenderer()
    monkeypatch.setattr(renderer._md, "convert", refuse)
    assert renderer.render("See [the post](https://example.org/p), *now*.") == (
        '<p>See <a href="https://example.org/p" rel="nofollow noopener noreferrer">the post</a>, '
        "<em>now</em>.</p>")


# ---- Every Markdown fragment of real corpora

def fragments(cases_dir: Path, monkeypatch) -> list[str]:
    """Every Markdown source of a project: those a load renders (site themes and case fields)
    and the facilitator notes, rendered only when read."""
    seen: list[str] = []
    original = MarkdownRenderer.render

    def recording(self, source):
        seen.append(source)
        return original(self, source)
    with monkeypatch.context() as patch:
        patch.setattr(MarkdownRenderer, "render", recording)
        project = load_project(ROOT, cases_dir, jobs=1)
    return seen + [case.facilitator_notes.source for case in project.cases
                   if case.facilitator_notes]


def bench_corpus(count: int, dest: Path) -> Path:
    """The benchmark's synthetic cases (bench/generate.py), Casebook's half only."""
    spec = importlib.util.spec_from_file_location("bench_generate", ROOT / "bench" / "generate.py")
    generate = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(generate)
    cases = generate.sort_like_casebook([generate.make_case(i) for i in range(count)])
    generate.write_casebook(cases, dest)
    return dest / "cases"


def check_fragments(sources: list[str]) -> int:
    """Every fragment with markup renders as Python-Markdown does; how many took the fast path."""
    taken = 0
    for source in sources:
        if text._MARKUP_CHARS.search(source):
            assert RENDERER.render(source) == python_markdown(source), source
            taken += simple_markdown(source) is not None
    return taken


def test_shipped_cases_render_as_python_markdown(monkeypatch):
    sources = fragments(ROOT / "cases", monkeypatch)
    assert len(sources) > 50
    assert check_fragments(sources) >= 1


def test_bench_corpus_renders_as_python_markdown(tmp_path, monkeypatch):
    sources = fragments(bench_corpus(150, tmp_path / "casebook"), monkeypatch)
    marked = [s for s in sources if text._MARKUP_CHARS.search(s)]
    taken = check_fragments(sources)
    # About two thirds of the fragments with markup are emphasis and links only (bench/README.md).
    assert taken >= 0.6 * len(marked), (taken, len(marked))


def test_tests_corpus_renders_as_python_markdown(tmp_path, monkeypatch):
    sources = fragments(write_corpus(tmp_path, 150), monkeypatch)
    assert check_fragments(sources) >= 100


def scalars(node) -> list[str]:
    if isinstance(node, Scalar):
        return [node.text]
    children = node.values.values() if isinstance(node, Mapping) else node.items
    return [s for child in children for s in scalars(child)]


@pytest.mark.parametrize("folder", ["hostile", "bad"])
def test_hostile_and_bad_texts_are_exact_or_declined(folder):
    """Every text of the attack and mistake examples, Markdown field or not."""
    texts = []
    for path in sorted((ROOT / "tests" / folder).glob("*.yaml")):
        tree = read_tree(path, path.name, Problems(path.name))
        texts += scalars(tree) if isinstance(tree, (Mapping, Sequence)) else []
    assert len(texts) > 100
    for source in texts:
        assert_exact_or_declined(source)
