"""Exhibits and quoted posts: pictures checked where they lie, published resized without their
metadata, cached by content; a quote shown as a post card, never live."""
from __future__ import annotations

import io
import os
import re
import struct
import time
import zlib
from html.parser import HTMLParser
from pathlib import Path

import pytest
from PIL import Image

from casebook.build import exhibits as exhibit_build
from casebook.reading.exhibits import read_picture, PictureProblem
from casebook.reading.formats import MAX_EXHIBITS
from casebook.reading.load import shown
from conftest import CASE_YAML
from harness import problem_lines, run_cli, tree_hash

CAMERA = "SecretCam 3000"   # written into the test photo's EXIF: must never be published

EXHIBIT_CASE = CASE_YAML.replace("""  - when: within 2 minutes
    who: twc
    what: Replies publicly.
""", """  - when: within 2 minutes
    who: twc
    channel: Twitter
    what: Replies publicly.
    quote: "We're on it! <script>alert(1)</script> https://example.org"
    exhibit: reply
""").replace("""  - when: later
    who: shatner
""", """  - when: later
    who: shatner
    exhibit: reply
""") + """exhibits:
  - id: reply
    file: reply.jpg
    alt: The company's reply, two minutes after the tweet
    caption: The reply *as posted*
    credit: Screenshot from the source article
  - id: thread
    file: shots/thread.png
    alt: The whole thread
"""


def photo(width=2400, height=1600, orientation=None, gps=True) -> bytes:
    """A JPEG as a phone writes it: EXIF with the camera, a GPS position, an ICC profile."""
    image = Image.new("RGB", (width, height), (200, 120, 40))
    for x in range(0, width, 97):
        image.paste((20, 40, 160), (x, 0, x + 30, height))
    exif = Image.Exif()
    exif[0x010F] = "Phone maker"          # Make
    exif[0x0110] = CAMERA                 # Model
    if orientation:
        exif[0x0112] = orientation
    if gps:
        gps_ifd = exif.get_ifd(0x8825)
        gps_ifd[1] = "N"
        gps_ifd[2] = (48.0, 51.0, 29.0)
        gps_ifd[3] = "E"
        gps_ifd[4] = (2.0, 17.0, 40.0)
    from PIL import ImageCms
    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    out = io.BytesIO()
    image.save(out, "JPEG", quality=95, exif=exif, icc_profile=icc, comment=b"secret comment")
    return out.getvalue()


def png(width=300, height=200, mode="RGBA") -> bytes:
    out = io.BytesIO()
    Image.new(mode, (width, height), (10, 200, 90, 128) if mode == "RGBA" else (10, 200, 90)).save(out, "PNG")
    return out.getvalue()


def write_exhibit_case(project, text=EXHIBIT_CASE, jpeg=None, thread=None):
    folder = project.cases / "picard"
    (folder / "shots").mkdir(parents=True, exist_ok=True)
    (folder / "reply.jpg").write_bytes(jpeg if jpeg is not None else photo())
    (folder / "shots" / "thread.png").write_bytes(thread if thread is not None else png())
    return project.write("picard.yaml", text)


class Images(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        if tag in ("img", "source", "figure", "picture"):
            self.tags.append((tag, dict(attrs)))


def tags_of(html: str) -> list[tuple[str, dict]]:
    parser = Images()
    parser.feed(html)
    return parser.tags


# --- reading: every bad input is a problem at its line ------------------------------------------

def png_header(width: int, height: int) -> bytes:
    """A PNG whose header claims `width` x `height` and whose data is a few bytes."""
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"\0" * 16)) + chunk(b"IEND", b""))


def bomb() -> bytes:
    """A real picture of 64 million pixels in a few kilobytes: a decompression bomb."""
    out = io.BytesIO()
    Image.new("1", (8000, 8000)).save(out, "PNG", optimize=True)
    return out.getvalue()


def damaged_jpeg() -> bytes:
    data = photo(800, 600, gps=False)
    return data[:len(data) // 2]


BAD = {
    # name: (change to the case folder, change to the case text, line, path, words)
    "missing file": (lambda f: (f / "reply.jpg").unlink(), None,
                     "exhibits[1].file", "`reply.jpg` is not there"),
    "outside the folder": (None, ("file: reply.jpg", "file: ../secret.jpg"),
                           "exhibits[1].file", "is outside the case's folder"),
    "absolute path": (None, ("file: reply.jpg", "file: /etc/passwd"),
                      "exhibits[1].file", "is outside the case's folder"),
    "file is a link": (lambda f: ((f / "reply.jpg").unlink(), (f.parent / "elsewhere.jpg").write_bytes(photo(50, 50)),
                                  (f / "reply.jpg").symlink_to(f.parent / "elsewhere.jpg")), None,
                       "exhibits[1].file", "goes through a link (`reply.jpg`)"),
    "subfolder is a link": (lambda f: ((f / "shots" / "thread.png").unlink(), (f / "shots").rmdir(),
                                       (f.parent / "other").mkdir(), (f.parent / "other" / "thread.png").write_bytes(png()),
                                       (f / "shots").symlink_to(f.parent / "other")), None,
                            "exhibits[2].file", "goes through a link (`shots`)"),
    "not a picture": (lambda f: (f / "reply.jpg").write_text("title: not a picture\n"), None,
                      "exhibits[1].file", "is not a picture Casebook can show"),
    "unsupported format": (lambda f: Image.new("RGB", (20, 20)).save(f / "reply.jpg", "BMP"), None,
                           "exhibits[1].file", "is not a picture Casebook can show (expected a PNG, JPEG"),
    "damaged": (lambda f: (f / "reply.jpg").write_bytes(damaged_jpeg()), None,
                "exhibits[1].file", "is damaged or incomplete"),
    "too many pixels": (lambda f: (f / "reply.jpg").write_bytes(png_header(10_000, 6_000)), None,
                        "exhibits[1].file", "more than 50 million"),
    "decompression bomb": (lambda f: (f / "reply.jpg").write_bytes(bomb()), None,
                           "exhibits[1].file", "more than 50 million"),
    "too large a file": (lambda f: os.truncate(f / "reply.jpg", 20 * 1024 * 1024 + 1), None,
                         "exhibits[1].file", "is 20.0 MB (a picture is at most 20 MB"),
    "missing alt": (None, ("    alt: The company's reply, two minutes after the tweet\n", ""),
                    "exhibits[1].alt", "is missing (required: text"),
    "empty alt": (None, ("alt: The company's reply, two minutes after the tweet", 'alt: ""'),
                  "exhibits[1].alt", "is empty"),
    "unknown exhibit on an event": (None, ("    exhibit: reply\n  - when: next day", "    exhibit: replies\n  - when: next day"),
                                    "timeline[2].exhibit", "`replies` is not an exhibit of this case"),
    "duplicate id": (None, ("id: thread", "id: reply"), "exhibits[2].id",
                     "`reply` is the id of exhibit 1 already"),
    "not a folder": (lambda f: (os.rename(f, f.parent / "moved"), (f.parent / "picard").write_text("x")), None,
                     "exhibits[1].file", "is not a folder"),
}


def _line_of(text: str, path: str, words: str) -> int:
    """The line the problem must be reported at: the field named last in `path`."""
    lines = text.splitlines()
    if path.startswith("timeline[2]"):
        return next(i for i, line in enumerate(lines, 1) if line.strip().startswith("exhibit: repl"))
    index = int(re.search(r"exhibits\[(\d)\]", path).group(1))
    starts = [i for i, line in enumerate(lines, 1) if line.startswith("  - id: ")]
    start = starts[index - 1]
    end = starts[index] if index < len(starts) else len(lines) + 1
    field = path.rsplit(".", 1)[1]
    for i in range(start, end):
        if lines[i - 1].strip().startswith(("- " if i == start else "") + f"{field}:"):
            return i
    return start   # a missing field: reported at its exhibit


@pytest.mark.parametrize("name", sorted(BAD))
def test_a_bad_exhibit_is_a_problem_at_its_line_and_nothing_is_published(name, project, capsys):
    write_exhibit_case(project)
    assert run_cli(project.args("--only", "site"), capsys)[0] == 0
    before = tree_hash(project.out / "site")
    change_folder, change_text, path, words = BAD[name]
    text = EXHIBIT_CASE
    if change_text:
        assert change_text[0] in text
        text = text.replace(change_text[0], change_text[1], 1)
    case = project.write("picard.yaml", text)
    if change_folder:
        change_folder(project.cases / "picard")

    started = time.monotonic()
    code, _, stderr = run_cli(project.args("--only", "site"), capsys)

    assert code == 1, stderr
    assert "Traceback" not in stderr
    reported = problem_lines(stderr, shown(case))
    assert reported[0][:2] == (_line_of(text, path, words), path), stderr
    assert all(words in message for _, _, message in reported), stderr
    assert len(reported) == (2 if name == "not a folder" else 1), stderr   # both pictures
    assert tree_hash(project.out / "site") == before
    assert time.monotonic() - started < 10


def rgb_bomb(side: int = 8000) -> bytes:
    """A valid PNG of side x side RGB pixels, all black: 192 MB of pixels in 200 kB."""
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    packer = zlib.compressobj(9)
    row = b"\0" * (1 + 3 * side)
    data = b"".join(packer.compress(row) for _ in range(side)) + packer.flush()
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", side, side, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", data) + chunk(b"IEND", b""))


CHECK_IN_A_FRESH_PROCESS = """
import sys, time
from pathlib import Path
from casebook.reading.exhibits import read_picture, PictureProblem
import PIL.Image, PIL.PngImagePlugin   # loaded before the clock starts: only the check is timed
started = time.monotonic()
try:
    read_picture(Path(sys.argv[1]), sys.argv[2])
    print("accepted")
except PictureProblem as problem:
    print(problem)
print(time.monotonic() - started)
# The peak of this program's own memory (ru_maxrss would count the parent's from before exec).
print(next(line.split()[1] for line in open("/proc/self/status") if line.startswith("VmHWM:")))
"""


@pytest.mark.parametrize("name", ["bomb.png", "claims.png"])
def test_a_decompression_bomb_is_refused_from_its_header_fast_and_small(name, tmp_path):
    import subprocess
    import sys
    folder = tmp_path / "case"
    folder.mkdir()
    (folder / name).write_bytes(rgb_bomb() if name == "bomb.png" else png_header(30_000, 30_000))
    assert (folder / name).stat().st_size < 300_000
    done = subprocess.run([sys.executable, "-c", CHECK_IN_A_FRESH_PROCESS, str(folder), name],
                          capture_output=True, text=True, check=True, cwd=Path(__file__).parent.parent)
    message, seconds, peak_kb = done.stdout.splitlines()
    assert "more than 50 million" in message
    assert float(seconds) < 0.5    # decoding 64 million pixels takes seconds
    # Decoding would take 192 MB (2.7 GB for the header's claim); the process stays small.
    assert int(peak_kb) < 120 * 1024, peak_kb


def test_too_many_exhibits_are_refused_before_any_picture_is_opened(project, capsys):
    many = "".join(f"  - id: shot-{n}\n    file: missing-{n}.png\n    alt: Shot {n}\n" for n in range(MAX_EXHIBITS + 1))
    text = EXHIBIT_CASE.split("exhibits:\n")[0] + "exhibits:\n" + many
    case = write_exhibit_case(project, text.replace("exhibit: reply", "exhibit: shot-1"))
    code, _, stderr = run_cli(project.args("check"), capsys)
    assert code == 1
    line = text.splitlines().index("exhibits:") + 2   # where the list starts, as for any list
    # One problem for the list, none for the files that are not there: they were not opened.
    assert problem_lines(stderr, shown(case)) == [
        (line, "exhibits", f"has {MAX_EXHIBITS + 1} items (at most {MAX_EXHIBITS})")]


def test_a_turned_photo_is_measured_as_shown(tmp_path):
    (tmp_path / "turned.jpg").write_bytes(photo(600, 400, orientation=6, gps=False))
    picture = read_picture(tmp_path, "turned.jpg")
    assert (picture.width, picture.height) == (400, 600)


def test_case_folders_and_pictures_are_never_cases(project, capsys):
    write_exhibit_case(project)
    # A picture in the cases folder itself, and a YAML file inside a case's folder.
    (project.cases / "stray.png").write_bytes(png())
    (project.cases / "picard" / "notes.yaml").write_text("title: not a case\n")
    code, out, stderr = run_cli(project.args("--only", "site"), capsys)
    assert code == 0, stderr
    assert out.strip().splitlines()[-1].startswith("1 cases, ")
    assert sorted(p.name for p in (project.out / "site" / "cases").iterdir()) == ["picard.html"]


# --- publishing ---------------------------------------------------------------------------------

@pytest.fixture
def built(project, capsys):
    write_exhibit_case(project)
    code, _, stderr = run_cli(project.args("--only", "site"), capsys)
    assert code == 0, stderr
    return project


def test_published_copies_carry_no_metadata(built):
    files = sorted((built.out / "site" / "exhibits" / "picard").iterdir())
    assert files
    original = (built.cases / "picard" / "reply.jpg").read_bytes()
    assert CAMERA.encode() in original and b"secret comment" in original   # the test is real
    for path in files:
        data = path.read_bytes()
        for secret in (CAMERA.encode(), b"Phone maker", b"secret comment", b"Exif", b"GPS",
                       b"ICC_PROFILE", b"http://ns.adobe.com/xap"):
            assert secret not in data, (path.name, secret)
        with Image.open(path) as image:
            assert not image.getexif(), path.name
            assert not {"exif", "icc_profile", "xmp", "comment"} & set(image.info), (path.name, image.info)


def test_web_copies_have_srcset_sizes_and_fallback(built):
    html = (built.out / "site" / "cases" / "picard.html").read_text()
    tags = tags_of(html)
    sources = [attrs for tag, attrs in tags if tag == "source"]
    images = [attrs for tag, attrs in tags if tag == "img"]
    assert len(images) == 2 and len(sources) == 2   # the reply once (two events name it), the thread
    reply_source, reply = sources[0], images[0]
    assert reply_source["type"] == "image/webp"
    assert reply["alt"] == "The company's reply, two minutes after the tweet"
    assert reply["loading"] == "lazy" and reply["sizes"] and reply_source["sizes"] == reply["sizes"]
    assert (reply["width"], reply["height"]) == ("1200", "800")
    site = built.out / "site"
    # WebP in each width; one JPEG, at the largest, for a browser without WebP.
    for srcset, kind, widths in ((reply_source["srcset"], "WEBP", ["400w", "800w", "1200w"]),
                                 (reply["srcset"], "JPEG", ["1200w"])):
        entries = [entry.split() for entry in srcset.split(", ")]
        assert [w for _, w in entries] == widths
        for url, width in entries:
            with Image.open(site / "cases" / url) as image:
                assert image.format == kind and f"{image.width}w" == width
                assert abs(image.height - image.width * 2 / 3) <= 1
    assert (site / "cases" / reply["src"]).is_file()
    # The thread has transparency: its fallback is PNG, at its own width (below 400).
    thread = images[1]
    assert thread["src"].endswith("-300.png") and (thread["width"], thread["height"]) == ("300", "200")
    assert sources[1]["srcset"].endswith("-300.webp 300w")
    # The second event that names `reply` does not show it again; the thread follows the timeline.
    assert html.count('id="exhibit-reply"') == 1
    assert html.index('id="exhibit-thread"') > html.index('id="exhibits-heading"') > html.index('class="timeline"')


def test_the_web_copy_is_a_fraction_of_a_large_original(project, capsys):
    noisy = Image.effect_noise((4000, 3000), 60).convert("RGB")
    out = io.BytesIO()
    noisy.save(out, "JPEG", quality=95)
    write_exhibit_case(project, jpeg=out.getvalue())
    assert run_cli(project.args("--only", "site"), capsys)[0] == 0
    original = len(out.getvalue())
    biggest = max(p.stat().st_size for p in (project.out / "site/exhibits/picard").glob("reply-*"))
    assert biggest < original / 5, (biggest, original)


def test_unchanged_pictures_are_not_encoded_again_and_the_site_is_the_same(built, capsys):
    first = tree_hash(built.out / "site")
    exhibit_build.encode_log.clear()
    assert run_cli(built.args("--only", "site"), capsys)[0] == 0
    assert exhibit_build.encode_log == []
    assert tree_hash(built.out / "site") == first
    # A changed picture is a new key: that one is encoded again, the page shows it.
    (built.cases / "picard" / "shots" / "thread.png").write_bytes(png(320, 200))
    assert run_cli(built.args("--only", "site"), capsys)[0] == 0
    assert len(exhibit_build.encode_log) == 1
    assert "-320.png" in (built.out / "site/cases/picard.html").read_text()


def test_the_same_pictures_give_the_same_bytes(built, tmp_path, capsys):
    other = tmp_path / "again"
    assert run_cli(["--cases", built.cases, "--out", other, "--only", "site", "--quiet"], capsys)[0] == 0
    assert tree_hash(other / "site" / "exhibits") == tree_hash(built.out / "site" / "exhibits")


# --- quoted posts -------------------------------------------------------------------------------

def test_a_quote_is_a_post_card_with_nothing_live(built):
    html = (built.out / "site" / "cases" / "picard.html").read_text()
    card = re.search(r'<figure class="post">.*?</figure>', html, re.S).group()
    assert "We&#39;re on it! &lt;script&gt;alert(1)&lt;/script&gt; https://example.org" in card
    assert "<a " not in card and "<script" not in card
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", card))
    assert "Time Warner Cable" in text and "on Twitter" in text and "≤ 2 min since the start" in text


# --- the README's example -----------------------------------------------------------------------

ROOT = Path(__file__).resolve().parent.parent


def test_the_example_with_pictures_is_kept_out_of_the_shipped_casebook():
    shipped = list((ROOT / "cases").iterdir())
    assert all(path.is_file() and path.suffix == ".yaml" for path in shipped), shipped
    assert not (ROOT / "cases" / "example-pictures.yaml").exists()


def test_the_example_case_is_valid_and_its_pictures_say_example(tmp_path):
    from casebook.reading.load import Loader
    loader = Loader()
    site, _ = loader.site(ROOT / "site.yaml")
    case, problems = loader.case(ROOT / "docs/example/cases/example-pictures.yaml", site)
    assert problems == [] and len(case.exhibits) == 3
    assert case.title.startswith("Example:") and "made up" in case.summary.source
    for exhibit in case.exhibits:
        assert exhibit.alt.startswith("Made-up screenshot marked EXAMPLE")
        assert exhibit.picture.width == 1080


@pytest.mark.parametrize("kind", ["WEBP", "GIF", "PNG-palette"])
def test_each_format_a_case_may_use_is_published(project, capsys, kind):
    out = io.BytesIO()
    if kind == "GIF":   # animated, with a transparent colour: its first frame, PNG fallback
        frames = [Image.new("RGBA", (240, 160), (0, 0, 0, 0)) for _ in range(2)]
        frames[0].paste((200, 30, 30, 255), (20, 20, 120, 120))
        frames[1].paste((30, 30, 200, 255), (100, 20, 200, 120))
        frames[0].save(out, "GIF", save_all=True, append_images=frames[1:])
        assert Image.open(io.BytesIO(out.getvalue())).n_frames == 2
    elif kind == "WEBP":
        Image.new("RGB", (500, 300), (30, 90, 200)).save(out, "WEBP")
    else:
        Image.new("RGB", (240, 160), (30, 90, 200)).convert("P").save(out, "PNG")
    write_exhibit_case(project, thread=out.getvalue())
    assert run_cli(project.args("--only", "site"), capsys)[0] == 0
    html = (project.out / "site/cases/picard.html").read_text()
    thread = [attrs for tag, attrs in tags_of(html) if tag == "img"][1]
    with Image.open(project.out / "site" / "cases" / thread["src"]) as image:
        assert image.format == ("PNG" if kind == "GIF" else "JPEG")
        assert image.size == (int(thread["width"]), int(thread["height"]))


def test_a_case_s_pictures_together_have_a_pixel_budget(project, capsys):
    """Four pictures of 49 million pixels each are each allowed, but not together: the first
    one past the case's budget is the problem, at its line, and nothing is decoded for it."""
    from casebook.model.pictures import MAX_CASE_PIXELS
    big = png(7000, 7000, "RGB")          # 49 million pixels, a few hundred kilobytes
    shots = "".join(f"  - id: shot-{n}\n    file: shot-{n}.png\n    alt: Shot {n}\n" for n in range(4))
    text = EXHIBIT_CASE.split("exhibits:\n")[0] + "exhibits:\n" + shots
    case = write_exhibit_case(project, text.replace("exhibit: reply", "exhibit: shot-1"))
    for n in range(4):
        (project.cases / "picard" / f"shot-{n}.png").write_bytes(big)
    code, _, stderr = run_cli(project.args("check"), capsys)
    assert code == 1
    over = next(n for n in range(1, 5) if n * 49_000_000 > MAX_CASE_PIXELS) - 1
    line = text.splitlines().index(f"    file: shot-{over}.png") + 1
    assert problem_lines(stderr, shown(case)) == [
        (line, f"exhibits[{over + 1}].file",
         f"the case's pictures hold {(over + 1) * 49} million pixels up to this one, more than "
         f"{MAX_CASE_PIXELS // 1_000_000} million in all (save some of them smaller)")]


# --- encoding once, checking without decoding, the picture store (issue 22) ---------------------

def test_the_print_copy_of_a_picture_at_most_1200_wide_is_the_web_fallback_encoded_once(tmp_path, monkeypatch):
    from casebook.render import images
    folder = tmp_path / "case"
    folder.mkdir()
    (folder / "shot.jpg").write_bytes(photo(1000, 700, gps=False))
    picture = read_picture(folder, "shot.jpg")
    encoded = []
    real = images.encode
    monkeypatch.setattr(images, "encode", lambda image, copy: encoded.append(copy.name) or real(image, copy))
    made = images.make_copies(picture)
    assert sorted(made) == ["print.jpg", "w1000.jpg", "w1000.webp", "w400.webp", "w800.webp"]
    assert made["print.jpg"] == made["w1000.jpg"]
    assert sorted(encoded) == ["w1000.jpg", "w1000.webp", "w400.webp", "w800.webp"]   # print: reused


def test_checking_a_picture_decodes_no_pixels(tmp_path, monkeypatch):
    from PIL import ImageFile
    def no_decoding(self):
        raise AssertionError("the check decoded the pixels")
    monkeypatch.setattr(ImageFile.ImageFile, "load", no_decoding)
    folder = tmp_path / "case"
    folder.mkdir()
    turned_png = io.BytesIO()
    exif = Image.Exif()
    exif[0x0112] = 6
    Image.new("RGB", (60, 40)).save(turned_png, "PNG", exif=exif)
    webp, gif = io.BytesIO(), io.BytesIO()
    Image.new("RGB", (50, 30)).save(webp, "WEBP")
    Image.new("P", (50, 30)).save(gif, "GIF")
    for name, data, size in (("a.jpg", photo(640, 480, orientation=6), (480, 640)),
                             ("b.png", png(300, 200), (300, 200)),
                             ("c.png", turned_png.getvalue(), (40, 60)),
                             ("d.webp", webp.getvalue(), (50, 30)), ("e.gif", gif.getvalue(), (50, 30))):
        (folder / name).write_bytes(data)
        picture = read_picture(folder, name)
        assert (picture.width, picture.height) == size, name


def _cut(data: bytes, keep: float) -> bytes:
    return data[:int(len(data) * keep)]


def _bad_crc_png() -> bytes:
    data = bytearray(png(300, 200, mode="RGB"))
    data[data.index(b"IDAT") + 10] ^= 0xFF
    return bytes(data)


@pytest.mark.parametrize("name, data", [
    ("cut.png", lambda: _cut(png(300, 200), 0.6)),
    ("checksum.png", _bad_crc_png),
    ("cut.jpg", lambda: _cut(photo(800, 600, gps=False), 0.9)),
    ("cut.webp", lambda: _cut((lambda o: (Image.new("RGB", (200, 100), (1, 2, 3)).save(o, "WEBP", quality=100), o.getvalue())[1])(io.BytesIO()), 0.7)),
    ("cut.gif", lambda: _cut((lambda o: (Image.effect_noise((200, 100), 50).convert("P").save(o, "GIF"), o.getvalue())[1])(io.BytesIO()), 0.7)),
])
def test_a_cut_off_or_broken_file_is_refused_without_decoding(name, data, tmp_path):
    folder = tmp_path / "case"
    folder.mkdir()
    (folder / name).write_bytes(data())
    with pytest.raises(PictureProblem, match="is damaged or incomplete"):
        read_picture(folder, name)


def test_pixels_that_do_not_decode_stop_the_build_naming_the_file(project, capsys):
    # Whole in its structure (every PNG checksum right), but the compressed pixels are garbage.
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    broken = (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 300, 200, 8, 2, 0, 0, 0))
              + chunk(b"IDAT", b"not zlib data at all" * 10) + chunk(b"IEND", b""))
    write_exhibit_case(project, thread=broken)
    code, _, stderr = run_cli(project.args("--only", "site"), capsys)
    assert code == 1, stderr
    assert "Traceback" not in stderr
    assert "thread.png" in stderr and "damaged" in stderr, stderr
    assert not (project.out / "site").exists()


def test_a_cold_output_takes_the_copies_from_the_picture_store_byte_identical(project, capsys, tmp_path, monkeypatch):
    monkeypatch.setenv("CASEBOOK_CACHE_DIR", str(tmp_path / "store"))
    write_exhibit_case(project)
    exhibit_build.encode_log.clear()
    assert run_cli(project.args("--only", "site"), capsys)[0] == 0     # empty store: encoded
    assert len(exhibit_build.encode_log) == 2
    first = tree_hash(project.out / "site")
    store = exhibit_build.picture_store()
    assert store.is_relative_to(tmp_path / "store") and len(list(store.glob("*/*"))) == 2

    exhibit_build.encode_log.clear()
    other = tmp_path / "cold"                                         # an empty output, warm store
    assert run_cli(["--cases", project.cases, "--out", other, "--only", "site", "--quiet"], capsys)[0] == 0
    assert exhibit_build.encode_log == []
    assert tree_hash(other / "site") == first


@pytest.mark.parametrize("damage", ["copy changed", "copy cut", "copy missing", "manifest forged", "manifest garbage"])
def test_a_damaged_or_tampered_store_entry_is_encoded_again(damage, project, capsys, tmp_path, monkeypatch):
    import json
    monkeypatch.setenv("CASEBOOK_CACHE_DIR", str(tmp_path / "store"))
    write_exhibit_case(project)
    assert run_cli(project.args("--only", "site"), capsys)[0] == 0
    first = tree_hash(project.out / "site")
    store = exhibit_build.picture_store()
    entry = next(e for e in store.glob("*/*") if (e / "w1200.webp").exists())   # the reply's
    copy = entry / "w1200.webp"
    if damage == "copy changed":
        copy.write_bytes(png(1200, 800))
    elif damage == "copy cut":
        copy.write_bytes(copy.read_bytes()[:100])
    elif damage == "copy missing":
        copy.unlink()
    elif damage == "manifest forged":   # the copy and its listed hash changed, not the signature
        copy.write_bytes(png(1200, 800))
        wrapper = json.loads((entry / "manifest.json").read_text())
        body = json.loads(wrapper["body"])
        body["copies"]["w1200.webp"] = [copy.stat().st_size, __import__("hashlib").sha256(copy.read_bytes()).hexdigest()]
        wrapper["body"] = json.dumps(body, sort_keys=True)
        (entry / "manifest.json").write_text(json.dumps(wrapper))
    else:
        (entry / "manifest.json").write_text("{not json")
    exhibit_build.encode_log.clear()
    other = tmp_path / "cold"
    assert run_cli(["--cases", project.cases, "--out", other, "--only", "site", "--quiet"], capsys)[0] == 0
    assert exhibit_build.encode_log == [entry.name]
    assert tree_hash(other / "site") == first
    with Image.open(entry / "w1200.webp") as image:   # the entry was written again, whole
        assert image.format == "WEBP" and image.size == (1200, 800)


def test_the_picture_store_is_pruned_by_age_and_size(tmp_path, monkeypatch):
    store = tmp_path / "exhibits" / "recipe"
    now = time.time()
    for index, (age_days, size) in enumerate([(1, 400), (2, 400), (3, 400), (90, 10)]):
        entry = store / f"{index:02d}" / f"{index:02d}entry"
        entry.mkdir(parents=True)
        (entry / "w400.webp").write_bytes(b"x" * size)
        os.utime(entry, (now - age_days * 86400, now - age_days * 86400))
    old_recipe = tmp_path / "exhibits" / "old-recipe"
    old_recipe.mkdir()
    os.utime(old_recipe, (now - 90 * 86400, now - 90 * 86400))
    monkeypatch.setattr(exhibit_build, "STORE_MAX_BYTES", 900)
    exhibit_build.prune_store(store, now)
    assert sorted(e.name for e in store.glob("*/*")) == ["00entry", "01entry"]   # too old; least recently used
    assert not old_recipe.exists()
    (store / "00" / "00entry").rename(store / "00" / "kept")
    exhibit_build.prune_store(store, now + 60)   # pruned once a day at most
    assert (store / "00" / "kept").exists()
