"""Contact-sheet thumbnails are rendered again only for pages that draw something new, and a
sheet made from kept thumbnails is the sheet made from scratch, byte for byte."""

from __future__ import annotations

import io

import pikepdf

from booklet.output import staging, thumbnails


def _pdf(texts: list[str], colour: str = "0 0 1 rg") -> bytes:
    pdf = pikepdf.new()
    name = pikepdf.Name
    font = pdf.make_indirect(
        pikepdf.Dictionary(Type=name.Font, Subtype=name.Type1, BaseFont=name.Helvetica)
    )
    for text in texts:
        pdf.add_blank_page(page_size=(200, 300))
        page = pdf.pages[-1]
        page.Resources = pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=font))
        page.Contents = pdf.make_stream(
            f"{colour} 20 20 160 60 re f BT /F1 24 Tf 20 200 Td ({text}) Tj ET".encode()
        )
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def test_only_pages_that_draw_something_new_are_rendered_again():
    thumbnails._kept.clear()
    rendered = []

    def render(page):
        rendered.append(1)
        return staging._render(page)

    first = _pdf(["one", "two", "three"])
    thumbnails.thumbnails(first, 32, render)
    assert len(rendered) == 3
    thumbnails.thumbnails(first, 32, render)
    assert len(rendered) == 3  # nothing new
    edited = _pdf(["one", "2", "three"])
    thumbnails.thumbnails(edited, 32, render)
    assert len(rendered) == 4  # the edited page only
    recoloured = _pdf(["one", "2", "three"], colour="1 0 0 rg")
    thumbnails.thumbnails(recoloured, 32, render)
    assert len(rendered) == 7  # every page draws the new colour


def _counted_renders(monkeypatch) -> list[int]:
    rendered, render = [0], staging._render

    def counted(page):
        rendered[0] += 1
        return render(page)

    monkeypatch.setattr(staging, "_render", counted)
    return rendered


def test_a_sheet_from_kept_thumbnails_is_the_sheet_made_from_scratch(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    rendered = _counted_renders(monkeypatch)
    data = _pdf(["alpha", "beta", "gamma", "delta", "epsilon"])
    thumbnails._kept.clear()
    cold = staging.contact_sheet(data)
    assert rendered[0] == 5 and len(list(tmp_path.rglob("thumb-*.marshal"))) == 5
    warm = staging.contact_sheet(data)
    thumbnails._kept.clear()  # as a new process: from the cache folder
    again = staging.contact_sheet(data)
    assert rendered[0] == 5  # nothing rendered again: kept, in the process and the folder
    assert warm == again == cold
    keys = thumbnails.page_keys(data, 32)
    assert len(set(keys)) == 5  # five different pages, five keys


def test_forms_nested_past_pythons_depth_are_rendered_without_being_kept(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    rendered = _counted_renders(monkeypatch)
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(100, 100))
    inner = pdf.make_stream(b"0 0 1 rg 10 10 80 80 re f")
    inner.Type, inner.Subtype = pikepdf.Name.XObject, pikepdf.Name.Form
    inner.BBox = [0, 0, 100, 100]
    for _ in range(3000):  # each form draws the one inside it
        outer = pdf.make_stream(b"/F Do")
        outer.Type, outer.Subtype = pikepdf.Name.XObject, pikepdf.Name.Form
        outer.BBox = [0, 0, 100, 100]
        outer.Resources = pikepdf.Dictionary(XObject=pikepdf.Dictionary(F=inner))
        inner = outer
    page = pdf.pages[0]
    page.Resources = pikepdf.Dictionary(XObject=pikepdf.Dictionary(F=inner))
    page.Contents = pdf.make_stream(b"/F Do")
    out = io.BytesIO()
    pdf.save(out)
    thumbnails._kept.clear()
    sheet = staging.contact_sheet(out.getvalue())
    assert sheet.startswith(b"\x89PNG") and rendered[0] == 1
    assert not list(tmp_path.rglob("thumb-*"))  # no key to keep it by: not in the folder
    assert staging.contact_sheet(out.getvalue()) == sheet
    assert rendered[0] == 2  # nor found again in the process


def test_a_new_process_renders_only_the_pages_no_run_rendered_before(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    rendered = []

    def render(page):
        rendered.append(1)
        return staging._render(page)

    first = _pdf(["one", "two", "three"])
    thumbnails._kept.clear()
    made = thumbnails.thumbnails(first, 32, render, "test")
    assert len(rendered) == 3 and len(list(tmp_path.rglob("thumb-*.marshal"))) == 3
    thumbnails._kept.clear()  # a new process
    again = thumbnails.thumbnails(_pdf(["one", "2", "three"]), 32, render, "test")
    assert len(rendered) == 4  # the edited page only
    assert again[0].tobytes() == made[0].tobytes() and again[0].size == made[0].size
    for kept in tmp_path.rglob("thumb-*.marshal"):  # torn files: rendered again
        kept.write_bytes(kept.read_bytes()[:30])
    thumbnails._kept.clear()
    thumbnails.thumbnails(first, 32, render, "test")
    assert len(rendered) == 7
    thumbnails._kept.clear()
    thumbnails.thumbnails(first, 32, render, "other")  # another way of drawing: not these
    assert len(rendered) == 10
    thumbnails._kept.clear()


def test_a_page_drawn_another_way_is_another_thumbnail(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    data = _pdf(["one"])
    thumbnails._kept.clear()
    small = thumbnails.thumbnails(data, 32, lambda page: page.render(scale=0.5).to_pil(), "a")
    large = thumbnails.thumbnails(data, 32, lambda page: page.render(scale=1.0).to_pil(), "b")
    assert large[0].width == 2 * small[0].width  # the first caller's image was handed out
    thumbnails._kept.clear()
