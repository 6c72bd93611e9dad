"""A course (or a case) as a SCORM 1.2 package an LMS imports: `<slug>-scorm.zip`.

Inside: `imsmanifest.xml` at the root with the SCORM 1.2 schema files beside it (as packages
carry them), one SCO (`index.html`, a shell that holds the one LMS session of the visit and
shows the pages in a frame), the pages at the site's addresses (`courses/<slug>.html`, the
agenda, and `cases/<slug>.html`, rendered from the site's partials) and their assets (the
site's stylesheet and favicon, the exhibits' web copies, two small scripts). Every file is listed in the manifest; pages link only to each other and to the web.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from casebook.exports.shared import (Export, case_exhibits, exhibit_copies, export_date,
                                     zip_bytes)
from casebook.render.templates import TEMPLATES, environment

SCHEMAS = ("imscp_rootv1p1p2.xsd", "adlcp_rootv1p2.xsd", "imsmd_rootv1p2p1.xsd", "ims_xml.xsd")
SHELL = "index.html"


@dataclass(frozen=True)
class Link:
    href: str       # from the page that shows it (every page is one folder down)
    title: str


def case_page(slug: str) -> str:
    return f"cases/{slug}.html"


def agenda_page(export: Export) -> str:
    return f"courses/{export.slug}.html"


def package_bytes(export: Export, templates: Path = TEMPLATES) -> bytes:
    """The package as a zip: the same bytes for the same export and date."""
    env = environment(templates)
    site_values = {"site": export.site}
    files = package_files(export, env, site_values, templates)
    manifest = manifest_xml(export, [name for name, _ in files])
    schemas = [(name, (templates / "scorm" / "schemas" / name).read_bytes()) for name in SCHEMAS]
    return zip_bytes([("imsmanifest.xml", manifest.encode("utf-8"))] + schemas + files,
                     export_date())


def package_files(export: Export, env, values: dict, templates: Path) -> list[tuple[str, bytes]]:
    """The SCO's files in the order the manifest lists them."""
    order = list(dict.fromkeys(item.case.slug for item in export.case_items))
    agenda = agenda_page(export) if export.course else None
    pages = ([agenda] if agenda else []) + [case_page(slug) for slug in order]
    titles = {case_page(slug): export.cases[slug].title for slug in order}
    titles[agenda] = export.words["agenda"]
    questions: dict[str, tuple] = {}
    for item in export.case_items:   # a case shown twice keeps every question chosen for it
        seen = questions.setdefault(item.case.slug, ())
        questions[item.case.slug] = seen + tuple(q for q in item.questions if q not in seen)

    def render(template: str, page: str, **more) -> bytes:
        index = pages.index(page)
        link = lambda other: Link("../" + other, titles[other])  # noqa: E731
        return env.get_template(template).render(
            **values, export=export, words=export.words, page_path=page,
            previous=link(pages[index - 1]) if index > 0 else None,
            next=link(pages[index + 1]) if index + 1 < len(pages) else None,
            last_case=page == pages[-1] and page != agenda, root="../", pdfs=frozenset(),
            link_themes=False, timeline_gap_labels=True, agenda_href="../" + agenda if agenda
            else None, course=export.course, **more).encode("utf-8")

    files = [(SHELL, env.get_template("scorm/shell.html").render(
        **values, export=export, start=pages[0], pages=pages).encode("utf-8"))]
    if export.course:
        files.append((agenda, render("scorm/agenda.html", agenda)))
    for slug in order:
        files.append((case_page(slug), render("scorm/case.html", case_page(slug),
                                              case=export.cases[slug],
                                              questions=questions[slug])))
    for slug in order:                  # the pictures: the site's web copies, at its paths
        for exhibit in case_exhibits(export.cases[slug]):
            made = exhibit_copies(exhibit)
            files += [(path, made[copy.name]) for copy, path in exhibit.published()]
    files += [("assets/style.css", (templates / "static" / "style.css").read_bytes()),
              ("assets/favicon.svg", (templates / "static" / "favicon.svg").read_bytes()),
              ("assets/scorm.js", (templates / "scorm" / "scorm.js").read_bytes()),
              ("assets/scorm-api.js", (templates / "scorm" / "scorm-api.js").read_bytes())]
    return files


def manifest_xml(export: Export, files: list[str]) -> str:
    """imsmanifest.xml: SCORM 1.2 metadata, one organization with one item, one SCO resource
    that lists every file of the package."""
    title = escape(export.title)
    listed = "\n".join(f"      <file href={quoteattr(name)}/>" for name in files)
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier={quoteattr("casebook-" + export.slug)} version="1.0"
    xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2"
    xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2"
    xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
    xsi:schemaLocation="http://www.imsproject.org/xsd/imscp_rootv1p1p2 imscp_rootv1p1p2.xsd http://www.imsglobal.org/xsd/imsmd_rootv1p2p1 imsmd_rootv1p2p1.xsd http://www.adlnet.org/xsd/adlcp_rootv1p2 adlcp_rootv1p2.xsd">
  <metadata>
    <schema>ADL SCORM</schema>
    <schemaversion>1.2</schemaversion>
  </metadata>
  <organizations default="course">
    <organization identifier="course">
      <title>{title}</title>
      <item identifier="course-item" identifierref="sco" isvisible="true">
        <title>{title}</title>
      </item>
    </organization>
  </organizations>
  <resources>
    <resource identifier="sco" type="webcontent" adlcp:scormtype="sco" href="{SHELL}">
{listed}
    </resource>
  </resources>
</manifest>
"""

