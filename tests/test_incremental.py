"""plan_pages: which pages a change touches, and that writing only those gives the full build."""
import shutil
from pathlib import Path

import pytest

from casebook.model.catalog import build_catalog
from casebook.build.incremental import changed_cases, plan_pages, write_pages
from casebook.build.project import load_project
from casebook.render.templates import environment
from sitecheck import build_site

ROOT = Path(__file__).resolve().parent.parent
TWC = "twc-patrick-stewart-cable-wait"
TWC_TAGS = {"celebrity", "public-reply", "fast-first-reply", "viral"}


@pytest.fixture
def project_dir(tmp_path):
    shutil.copytree(ROOT / "cases", tmp_path / "cases")
    shutil.copy(ROOT / "site.yaml", tmp_path / "site.yaml")
    return tmp_path


def catalog_of(project_dir):
    return build_catalog(load_project(ROOT, project_dir / "cases"))


def edit(project_dir, slug, old, new):
    path = project_dir / "cases" / f"{slug}.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {slug}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def neighbour_pages(catalog, slug):
    around = catalog.neighbours[slug]
    return {f"cases/{case.slug}.html" for case in (around.previous, around.next) if case}


def written(plan):
    return {page.path for page in plan.write}


def test_nothing_changed_writes_nothing(project_dir):
    plan = plan_pages(catalog_of(project_dir), catalog_of(project_dir))
    assert not plan
    assert plan.write == [] and plan.delete == []


def test_no_old_catalog_writes_every_page(project_dir, tmp_path):
    new = catalog_of(project_dir)
    assert written(plan_pages(None, new)) == html_files(project_dir, tmp_path / "full")


def test_a_case_edit_touches_its_page_neighbours_index_lessons_and_tags(project_dir):
    old = catalog_of(project_dir)
    edit(project_dir, TWC, "Patrick Stewart waits for his cable", "Patrick Stewart waits for cable")
    new = catalog_of(project_dir)
    plan = written(plan_pages(old, new))
    touched = ({f"cases/{TWC}.html", "index.html", "lessons.html"} | neighbour_pages(new, TWC)
               | {f"tags/{tag}.html" for tag in TWC_TAGS})
    assert touched <= plan
    untouched = {f"cases/{case.slug}.html" for case in new.cases} | {
        f"tags/{tag}.html" for tag in new.tags} | {"404.html"}
    assert not (untouched - touched) & plan
    assert changed_cases(old, new) == ([TWC], [])


def test_a_new_tag_gets_its_page_and_a_dropped_tag_loses_it(project_dir):
    old = catalog_of(project_dir)
    edit(project_dir, TWC, "tags: [celebrity, public-reply, fast-first-reply, viral]",
         "tags: [public-reply, fast-first-reply, viral, star-trek]")
    new = catalog_of(project_dir)
    plan = plan_pages(old, new)
    assert "tags/star-trek.html" in written(plan)
    assert plan.delete == ["tags/celebrity.html"]  # no other case has it


def test_a_deleted_case_loses_its_page_and_the_pages_only_it_had(project_dir, tmp_path):
    old, old_files = catalog_of(project_dir), html_files(project_dir, tmp_path / "old")
    (project_dir / "cases" / f"{TWC}.yaml").unlink()
    new = catalog_of(project_dir)
    plan = plan_pages(old, new)
    assert set(plan.delete) == old_files - html_files(project_dir, tmp_path / "new")
    assert {f"cases/{TWC}.html", "tags/celebrity.html", "tags/viral.html"} <= set(plan.delete)
    assert neighbour_pages(old, TWC) <= written(plan)
    assert changed_cases(old, new) == ([], [TWC])


def test_a_site_change_rewrites_every_page(project_dir):
    old = catalog_of(project_dir)
    site = project_dir / "site.yaml"
    site.write_text(site.read_text(encoding="utf-8").replace(
        "title: Social Customer Service Casebook", "title: Another Casebook", 1), encoding="utf-8")
    new = catalog_of(project_dir)
    assert new.site.title == "Another Casebook"
    assert written(plan_pages(old, new)) == written(plan_pages(None, new))


def test_a_new_handout_rewrites_its_case_page_and_the_index(project_dir):
    catalog = catalog_of(project_dir)
    plan = plan_pages(catalog, catalog, frozenset(), frozenset({TWC}))
    assert written(plan) == {f"cases/{TWC}.html", "index.html"}
    handbook = plan_pages(catalog, catalog, frozenset(), frozenset({"handbook"}))
    assert written(handbook) == written(plan_pages(None, catalog))


def add_case(project_dir):
    source = (project_dir / "cases" / f"{TWC}.yaml").read_text(encoding="utf-8")
    (project_dir / "cases" / "a-copy-of-the-cable-wait.yaml").write_text(
        source.replace("title: Patrick Stewart waits", "title: Another actor waits", 1)
        .replace("tags: [celebrity,", "tags: [copied, celebrity,", 1), encoding="utf-8")


EDITS = {
    "title": lambda d: edit(d, TWC, "title: Patrick Stewart waits", "title: A knight waits"),
    "date moves it first": lambda d: edit(d, TWC, "industry: Cable\n",
                                          "industry: Cable\ndate: 2014-02\n"),
    "tags": lambda d: edit(d, TWC, "[celebrity, public-reply,", "[public-reply, new-tag,"),
    "draft": lambda d: edit(d, TWC, "industry: Cable\n", "industry: Cable\ndraft: true\n"),
    "theme of a takeaway": lambda d: edit(d, TWC, "theme: channel", "theme: speed"),
    "added": add_case,
    "deleted": lambda d: (d / "cases" / f"{TWC}.yaml").unlink(),
}


@pytest.mark.parametrize("change", EDITS)
def test_writing_the_plan_gives_the_same_site_as_a_full_build(project_dir, tmp_path, change):
    old = catalog_of(project_dir)
    build_site(tmp_path / "incremental", project_dir / "cases")
    EDITS[change](project_dir)
    new = catalog_of(project_dir)
    plan = plan_pages(old, new)
    write_pages(environment(), new, plan, tmp_path / "incremental", frozenset())
    build_site(tmp_path / "full", project_dir / "cases")
    assert tree(tmp_path / "incremental") == tree(tmp_path / "full")
    assert len(plan.write) < len(plan_pages(None, new).write)


def html_files(project_dir, folder):
    """The pages a build of the project's cases writes."""
    build_site(folder, project_dir / "cases")
    return {path.relative_to(folder).as_posix() for path in folder.rglob("*.html")}


def tree(folder):
    return {path.relative_to(folder).as_posix(): path.read_bytes()
            for path in sorted(folder.rglob("*")) if path.is_file()}
