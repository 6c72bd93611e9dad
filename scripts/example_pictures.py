"""The README's example exhibits: made-up "screenshots" of social posts, drawn with Pillow and
stamped EXAMPLE, for docs/example/cases/ (a sample casebook kept out of the shipped cases/:
the seed articles carry no pictures we may publish).

    python scripts/example_pictures.py        # rewrites docs/example/cases/example-pictures/

The same Pillow and fonts give the same bytes.
"""
from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

ROOT = Path(__file__).resolve().parent.parent
FOLDER = ROOT / "docs" / "example" / "cases" / "example-pictures"
FONTS = Path("/usr/share/fonts/truetype/noto")

WHITE, INK, MUTED, LINE = (255, 255, 255), (20, 23, 28), (96, 103, 112), (207, 212, 218)
BLUE, RED = (29, 99, 196), (178, 34, 34)


def font(size: int, bold: bool = False):
    name = "NotoSans-Bold.ttf" if bold else "NotoSans-Regular.ttf"
    try:
        return ImageFont.truetype(str(FONTS / name), size)
    except OSError:   # no Noto: Pillow's own font (FreeType), so the script still runs
        return ImageFont.load_default(size)


def stamp(image: Image.Image) -> Image.Image:
    """EXAMPLE across the picture and a banner saying it is made up."""
    width, height = image.size
    mark = Image.new("RGBA", (width, height), (0, 0, 0, 0))
    draw = ImageDraw.Draw(mark)
    size = width // 6
    draw.text((width / 2, height / 2), "EXAMPLE", font=font(size, True), fill=RED + (70,),
              anchor="mm")
    mark = mark.rotate(28, resample=Image.Resampling.BICUBIC, center=(width / 2, height / 2))
    image = Image.alpha_composite(image.convert("RGBA"), mark)
    draw = ImageDraw.Draw(image)
    banner = max(44, height // 16)
    draw.rectangle((0, height - banner, width, height), fill=RED)
    draw.text((width / 2, height - banner / 2), "EXAMPLE · made up for Casebook's documentation",
              font=font(banner // 2, True), fill=WHITE, anchor="mm")
    return image.convert("RGB")


def post(draw, x, y, width, name, handle, text, time, avatar) -> int:
    """One post as a social app shows it; returns the y below it."""
    draw.ellipse((x, y, x + 72, y + 72), fill=avatar)
    draw.text((x + 92, y + 2), name, font=font(30, True), fill=INK)
    draw.text((x + 92, y + 40), f"{handle} · {time}", font=font(26), fill=MUTED)
    lines, line = [], ""
    for word in text.split():
        trial = f"{line} {word}".strip()
        if draw.textlength(trial, font=font(32)) > width - 92:
            lines.append(line)
            line = word
        else:
            line = trial
    lines.append(line)
    for n, text_line in enumerate(lines):
        draw.text((x + 92, y + 90 + n * 46), text_line, font=font(32), fill=INK)
    bottom = y + 90 + len(lines) * 46 + 30
    draw.line((x, bottom, x + width, bottom), fill=LINE, width=2)
    return bottom + 30


def phone_screenshot(posts, height=1500) -> Image.Image:
    image = Image.new("RGB", (1080, height), WHITE)
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, 1080, 110), fill=(246, 247, 249))
    draw.text((540, 55), "Post", font=font(34, True), fill=INK, anchor="mm")
    y = 150
    for name, handle, text, time, avatar in posts:
        y = post(draw, 48, y, 984, name, handle, text, time, avatar)
    return stamp(image)


def main() -> None:
    FOLDER.mkdir(parents=True, exist_ok=True)
    customer = ("Example Customer", "@example_customer", (214, 120, 40))
    company = ("Example Air", "@ExampleAir", BLUE)
    pictures = {
        "complaint.png": phone_screenshot([
            (*customer[:2], "Third hour on the tarmac at an example airport and nobody tells us "
             "anything. Is anyone at @ExampleAir reading this?", "09:12", customer[2])],
            height=620),
        "reply.png": phone_screenshot([
            (*customer[:2], "Third hour on the tarmac and nobody tells us anything.", "09:12",
             customer[2]),
            (*company[:2], "We're sorry for the wait. We're checking with the crew now and will "
             "reply here within ten minutes.", "09:14", company[2])], height=860),
        "follow-up.png": phone_screenshot([
            (*company[:2], "Update: the flight leaves at 10:05. Please send us a direct message "
             "with your booking reference and we will refund your meal.", "09:23", company[2]),
            (*customer[:2], "Thank you, that was quick. Message sent.", "09:31", customer[2])],
            height=820),
    }
    for name, image in pictures.items():
        image.save(FOLDER / name, "PNG", optimize=True)
        print(f"wrote {(FOLDER / name).relative_to(ROOT)}")


if __name__ == "__main__":
    main()
