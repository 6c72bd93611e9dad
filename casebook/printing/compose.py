"""Composing one PDF from PDFs laid out separately (with pikepdf, i.e. qpdf).

A handbook is its front matter (cover, contents), one laid-out chapter per case (and, in the
facilitator edition, each case's notes part) and the lessons chapter, put together page by page.
What WeasyPrint would have made of one long document is rebuilt here from the parts: one
structure tree (PDF/UA), one outline, links from the contents and the lessons to the chapters,
and the printed footer and page numbers, stamped last as artifacts so they stay out of the
structure tree. The first part gives the document its metadata (title, language, XMP with the
PDF/UA identification, MarkInfo, ViewerPreferences): it was laid out with the document's own.
"""
from __future__ import annotations

from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

import pikepdf
from pikepdf import Array, Dictionary, Name, OutlineItem

# Links between parts are laid out as links to this pseudo-URI (`CHAPTER_LINK + id`); composing
# turns each into a link to the page where the part with that id starts.
CHAPTER_LINK = "x-casebook-part:"


@dataclass(frozen=True)
class Part:
    """One laid-out PDF to put into the composed document."""

    path: Path
    anchor: str | None = None      # what CHAPTER_LINK + anchor links point at (its first page)
    nested: bool = False           # its bookmarks go under the previous part's first bookmark


def compose(parts: list[Part], stamp: Path | None, target: Path) -> int:
    """Write the parts, in order, as one PDF to `target`; stamp page i with page i of `stamp`
    (the footer and page number). Returns the number of pages."""
    with ExitStack() as stack:
        out = stack.enter_context(pikepdf.open(parts[0].path))
        sources = [out] + [stack.enter_context(pikepdf.open(part.path)) for part in parts[1:]]
        starts = append_pages(out, sources)
        merge_structure(out, sources, starts)
        merge_outlines(out, sources, starts, [part.nested for part in parts])
        anchors = {part.anchor: out.pages[start] for part, start in zip(parts, starts)
                   if part.anchor}
        link_parts(out, anchors)
        if len(parts) > 1:
            drop_named_destinations(out)
        if stamp is not None:
            stamp_pages(out, stack.enter_context(pikepdf.open(stamp)))
        save(out, target)
        return len(out.pages)


def append_pages(out: pikepdf.Pdf, sources: list[pikepdf.Pdf]) -> list[int]:
    """Copy every page of sources[1:] to the end of `out` (sources[0]); the index of each
    source's first page in `out`."""
    starts = [0]
    for source in sources[1:]:
        starts.append(len(out.pages))
        out.pages.extend(source.pages)
    return starts


def merge_structure(out: pikepdf.Pdf, sources: list[pikepdf.Pdf], starts: list[int]) -> None:
    """One structure tree: the elements under each part's root element become children of the
    first part's root element, in order; the parent tree is renumbered (marked-content ids are
    per page, so they stay), and so are the pages' /StructParents and annotations' /StructParent."""
    tree = out.Root.StructTreeRoot
    root = _single(tree.K)
    kids = _as_list(root.K)
    nums = list(tree.ParentTree.Nums)
    next_key = _next_key(nums)
    for source, start in zip(sources[1:], starts[1:]):
        copied = out.copy_foreign(source.Root.StructTreeRoot)
        for kid in _as_list(_single(copied.K).K):
            if isinstance(kid, Dictionary):
                kid.P = root
            kids.append(kid)
        offset = next_key
        part_nums = list(copied.ParentTree.Nums)
        for i in range(0, len(part_nums), 2):
            nums += [int(part_nums[i]) + offset, part_nums[i + 1]]
        for page in out.pages[start:start + len(source.pages)]:
            if "/StructParents" in page.obj:
                page.obj.StructParents = int(page.obj.StructParents) + offset
            for annotation in page.obj.get("/Annots", []):
                if "/StructParent" in annotation:
                    annotation.StructParent = int(annotation.StructParent) + offset
        next_key = max(next_key, offset + _next_key(part_nums))
    root.K = Array(kids)
    tree.ParentTree = out.make_indirect(Dictionary(Nums=Array(nums)))
    tree.ParentTreeNextKey = next_key


def _single(obj):
    return obj[0] if isinstance(obj, Array) else obj


def _as_list(obj) -> list:
    if obj is None:
        return []
    return list(obj) if isinstance(obj, Array) else [obj]


def _next_key(nums) -> int:
    keys = [int(nums[i]) for i in range(0, len(nums), 2)]
    return max(keys) + 1 if keys else 0


def merge_outlines(out: pikepdf.Pdf, sources: list[pikepdf.Pdf], starts: list[int],
                   nested: list[bool]) -> None:
    """Every part's bookmarks in part order, pointing at the pages they pointed at; a nested
    part's bookmarks become children of the bookmark before them."""
    items: list[OutlineItem] = []
    for index, source in enumerate(sources):
        with source.open_outline() as outline:
            copied = [_copy_item(out, source, item) for item in outline.root]
        if nested[index] and items:
            items[-1].children.extend(copied)
        else:
            items.extend(copied)
    with out.open_outline() as outline:
        outline.root[:] = items


def _copy_item(out: pikepdf.Pdf, source: pikepdf.Pdf, item: OutlineItem) -> OutlineItem:
    destination = item.destination
    if source is not out and destination is not None:
        # The page it points at was copied already: copying it again gives that copy.
        destination = Array([out.copy_foreign(destination[0]), *list(destination)[1:]])
    copy = OutlineItem(item.title, destination=destination)
    copy.children.extend(_copy_item(out, source, child) for child in item.children)
    return copy


def link_parts(out: pikepdf.Pdf, anchors: dict[str, pikepdf.Page]) -> None:
    """Links to CHAPTER_LINK + id become links to the first page of the part with that id."""
    for page in out.pages:
        for annotation in page.obj.get("/Annots", []):
            action = annotation.get("/A")
            uri = str(action.get("/URI", "")) if action is not None else ""
            if not uri.startswith(CHAPTER_LINK):
                continue
            target = anchors.get(uri[len(CHAPTER_LINK):])
            if target is None:
                raise ValueError(f"a link points at a part that is not there: {uri}")
            del annotation.A
            box = target.mediabox
            annotation.Dest = Array([target.obj, Name.XYZ, box[0], box[3], 0])


def drop_named_destinations(out: pikepdf.Pdf) -> None:
    """The first part's named destinations name only its own pages: drop them, links and
    bookmarks use explicit destinations."""
    names = out.Root.get("/Names")
    if names is not None and "/Dests" in names:
        del names.Dests
        if not names.keys():
            del out.Root.Names


STAMP_MARK = b"/Artifact <</Type /Pagination /Subtype /Footer>> BDC\n"


def stamp_pages(out: pikepdf.Pdf, stamp: pikepdf.Pdf) -> None:
    """Draw page i of `stamp` (laid out with the same paper and margins) over page i, as a
    pagination artifact: its own tags are dropped, so nothing of it enters the structure."""
    if len(stamp.pages) != len(out.pages):
        raise ValueError(f"{len(stamp.pages)} stamp pages for {len(out.pages)} pages")
    for number, (page, stamp_page) in enumerate(zip(out.pages, stamp.pages), start=1):
        form = out.copy_foreign(untagged_form(stamp, stamp_page))
        # A name of our own (prefix= would add a random one): pages may share resources.
        name = page.add_resource(form, Name.XObject, Name(f"/CasebookStamp{number}"))
        page.contents_add(pikepdf.Stream(out, b"q\n"), prepend=True)
        page.contents_add(pikepdf.Stream(out, b"Q\n" + STAMP_MARK
                                         + b"q %s Do Q\nEMC\n" % str(name).encode()))


def untagged_form(pdf: pikepdf.Pdf, page: pikepdf.Page) -> pikepdf.Stream:
    """The page as a form XObject, without its marked-content operators."""
    instructions = [instruction for instruction in pikepdf.parse_content_stream(page)
                    if str(instruction.operator) not in ("BDC", "BMC", "EMC")]
    content = pikepdf.unparse_content_stream(instructions)
    box = page.mediabox
    return pdf.make_indirect(pikepdf.Stream(pdf, content, Type=Name.XObject, Subtype=Name.Form,
                                            BBox=Array(list(box)), Resources=page.obj.Resources))


def save(pdf: pikepdf.Pdf, target: Path) -> None:
    """Byte-identical for the same parts: an /ID from the content, no dates added, and the
    metadata left exactly as laid out."""
    target.parent.mkdir(parents=True, exist_ok=True)
    pdf.save(target, deterministic_id=True, fix_metadata_version=False,
             compress_streams=True, object_stream_mode=pikepdf.ObjectStreamMode.generate)
