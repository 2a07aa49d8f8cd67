"""Turn an event folder and the project's layouts into validated content and layouts."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from ..errors import BookletError, Diagnostics, Location, display_path, fail
from .folders import Project, bundled_root, find_project  # noqa: F401 (their old home)
from .layout import Layout
from .layout_checks import check_features, check_kind
from .model import BuildSpec, Content
from .nodes import Node, load_yaml, merge, overlay, suggest
from .paper import check_office_sheet
from .references import check_content
from .remembered import remembered
from .scalars import canonical_language
from .schema import Converter
from .translation_record import HASHES

SAMPLE_EVENT = Path("content") / "commemoration"
MM = 72 / 25.4
QR_MIN_SIZE = 15 * MM
BUILD_FILE = "build.yaml"
BASE_FILE = "event.yaml"


@remembered(lambda event_dir: [(event_dir, (BUILD_FILE, BASE_FILE))])
def read_build_spec(event_dir: Path, diags: Diagnostics) -> BuildSpec | None:
    path = own_file(event_dir, BUILD_FILE)
    node = load_yaml(path)
    spec = Converter(diags).convert(node, BuildSpec, "")
    if not isinstance(spec, BuildSpec):
        return None
    for lang in spec.languages:
        check_language(lang, diags)
    for key in ("documents", "languages"):
        if not getattr(spec, key):
            diags.error(
                "missing", Location(display_path(path)), key, f"expected at least one in {key}"
            )
    if spec.languages:
        _check_base_language(event_dir, spec, diags)
    return spec


def _check_base_language(event_dir: Path, spec: BuildSpec, diags: Diagnostics) -> None:
    """The first language of the build file is the one event.yaml is written in."""
    base = event_dir / BASE_FILE
    if not base.is_file():
        return
    written = _language_of(load_yaml(base))
    first = spec.languages[0]
    if written != first:
        diags.error(
            "language",
            first.loc,
            "languages",
            f"the first language must be event.yaml's own, '{written}', found '{first}'",
            f"list {written} first, or set `language: {first}` in event.yaml",
        )


def check_language(lang, diags: Diagnostics, field: str = "languages") -> None:
    """A language code Babel knows (az, tr, en-GB), located where it is written."""
    from babel import Locale, UnknownLocaleError

    try:
        Locale.parse(str(lang), sep="-")
    except (UnknownLocaleError, ValueError, TypeError):
        diags.error(
            "language",
            getattr(lang, "loc", None),
            field,
            f"unknown language code '{lang}'",
            "use a code like az, tr, en, ru, ar or en-GB",
        )


def own_file(folder: Path, name: str) -> Path:
    """A file of the event folder, refused if a link takes it outside the folder."""
    path = folder / name
    if path.exists() and not path.resolve().is_relative_to(folder.resolve()):
        raise fail("path", Location(display_path(path)), "", "links outside the event folder")
    return path


@remembered(lambda event_dir, lang: [(event_dir, (BASE_FILE, *translation_names(lang)))])
def read_content(event_dir: Path, lang: str, diags: Diagnostics) -> Content | None:
    """The event in one language: the base file with that language's translation laid over it.

    A regional tag reads its own file if there is one, else its language's: en-GB reads
    event.en-GB.yaml, else event.en.yaml, else the base file if that is written in en."""
    base_path = own_file(event_dir, BASE_FILE)
    base = load_yaml(base_path)
    base_lang = _language_of(base)
    node, base_file = base, ""
    names = translation_names(lang)
    found = [n for n in names if own_file(event_dir, n).is_file()]
    if lang != base_lang and not (lang.split("-")[0] == base_lang and not found):
        if not found:
            tr_path = own_file(event_dir, names[0])
            raise fail(
                "i18n-file",
                Location(display_path(base_path)),
                "",
                f"no translation file {display_path(tr_path)} for language '{lang}'",
                "create it with the translated strings, or remove the language from build.yaml",
            )
        node = overlay(base, without_hashes(load_yaml(own_file(event_dir, found[0]))), "", diags)
        base_file = display_path(base_path)
    converter = Converter(diags, lang, base_file)
    content = converter.convert(node, Content, "")
    if not isinstance(content, Content):
        return None
    check_content(content, diags, converter.refused)
    return dataclasses.replace(content, language=lang)


def translation_names(lang: str) -> tuple[str, ...]:
    """The translation files a language tag reads, the first found: its own, its language's."""
    return tuple(dict.fromkeys((f"event.{lang}.yaml", f"event.{lang.split('-')[0]}.yaml")))


def translation_language(event_dir: Path, lang: str, base_lang: str) -> str:
    """The language whose translation file a language reads (ar for ar-EG without a file of
    its own), or "" when it reads the base file alone (en-GB of an event written in en)."""
    names = [n for n in translation_names(lang) if (event_dir / n).is_file()]
    if names:
        return names[0].removeprefix("event.").removesuffix(".yaml")
    return "" if lang == base_lang or lang.split("-")[0] == base_lang else lang


def without_hashes(node: Node) -> Node:
    """A translation tree without its `source-hashes` record, which is not content."""
    if not node.is_map or HASHES not in node.value:  # type: ignore[operator]
        return node
    values = {k: v for k, v in node.value.items() if k != HASHES}  # type: ignore[union-attr]
    return Node(values, node.loc, node.key_locs, node.plain)


def _language_of(node: Node) -> str:
    value = node.value.get("language") if node.is_map else None  # type: ignore[union-attr]
    if value is None or not value.is_scalar:
        return "en"
    return canonical_language(value.value)  # type: ignore[arg-type]


def layout_node(project: Project, name: str) -> Node:
    """A layout's tree with the layouts it extends merged underneath (house style first).

    Each name is looked up in the project's layouts/, then in booklet's: a project layout
    of the same name wins, also where a bundled layout extends it. A layout that extends
    its own name extends the one it hides, in the folders after its own."""
    return _layout_tree(project, project.layout_file(name), ())


def _layout_tree(project: Project, path: Path, chain: tuple[Path, ...]) -> Node:
    node = load_yaml(path)
    parent = _extends(node)
    if parent is None or parent.is_null:
        return node
    found = _parent_file(project, path, parent)
    if found is None:
        raise _no_parent(project, path, parent)
    if found.resolve() in {p.resolve() for p in (path, *chain)} or len(chain) > 8:
        circle = " → ".join(display_path(p) for p in (*chain, path, found))
        raise fail(
            "reference",
            parent.loc,
            "extends",
            f"layouts extend each other in a circle: {circle}",
            "one of them must extend another layout, or none",
        )
    return merge(_layout_tree(project, found, (*chain, path)), node)


def _sheet_cause(node: Node, where: str) -> Location:
    """Where a layout's office sheet comes from: its own `trim` or `imposition` line, else
    the `trim` line of the layout it extends."""
    found = [node.key_locs.get(key) for key in ("trim", "imposition")]
    own = [loc for loc in found if loc is not None and loc.file == where]
    return (own or [loc for loc in found if loc is not None] or [Location(where)])[0]


def _extends(node: Node) -> Node | None:
    return node.value.get("extends") if node.is_map else None  # type: ignore[union-attr]


def _parent_file(project: Project, path: Path, parent: Node) -> Path | None:
    """The file `extends:` names: the first folder's, or, for the layout's own name, the
    first after the layout's own folder."""
    if not parent.is_scalar:
        return None
    below = path.parent if parent.value == path.stem else None
    return project.find_layout(str(parent.value), below)


def _no_parent(project: Project, path: Path, parent: Node) -> BookletError:
    available = project.layout_names()
    if parent.is_scalar and parent.value == path.stem:
        return fail(
            "reference",
            parent.loc,
            "extends",
            f"no layout {parent.kind_name()} below this one to extend: a layout that "
            "extends its own name extends the bundled layout it hides",
            f"extend another layout: {', '.join(n for n in available if n != path.stem)}",
        )
    hint = suggest(str(parent.value), available) or f"available: {', '.join(available)}"
    return fail("reference", parent.loc, "extends", f"no layout {parent.kind_name()}", hint)


def layout_lineage(project: Project, name: str) -> set[Path]:
    """The files a layout is made of: its own and each one it extends, resolved (an
    unreadable one ends the line: the build reports it)."""
    files: list[Path] = []
    path = project.find_layout(name)
    while path is not None and path.resolve() not in files and len(files) < 10:
        files.append(path.resolve())
        try:
            parent = _extends(load_yaml(path))
        except BookletError:
            break
        path = _parent_file(project, path, parent) if parent is not None else None
    return set(files)


@remembered(lambda project, name: [(folder, None) for folder in project.layout_folders])
def read_layout(project: Project, name: str, diags: Diagnostics) -> Layout | None:
    node = layout_node(project, name)
    layout = Converter(diags).convert(node, Layout, "")
    if not isinstance(layout, Layout):
        return None
    where = display_path(project.layout_file(name))
    check_kind(layout, Location(where), diags)
    check_features(layout, Location(where), diags)
    check_office_sheet(layout, _sheet_cause(node, where), diags)
    if layout.bilingual:
        check_language(layout.bilingual, diags, "bilingual")
    if layout.qr.size < QR_MIN_SIZE:
        diags.warn(
            "qr-too-small",
            Location(where),
            "qr.size",
            f"QR codes {layout.qr.size / MM:.1f} mm wide may not scan when printed",
            "make them at least 15 mm",
        )
    for required in ("ink", "paper", "night", "accent", "muted", "rule", "pale"):
        if required not in layout.palette:
            diags.error(
                "missing", Location(where), f"palette.{required}", "this colour is required"
            )
    for fld in dataclasses.fields(layout.styles):
        style = getattr(layout.styles, fld.name)
        if style.font not in layout.fonts:
            diags.error(
                "reference",
                _located(style.font, where),
                f"styles.{fld.name.replace('_', '-')}.font",
                f"no font family '{style.font}'",
                suggest(style.font, list(layout.fonts)),
            )
        if style.color not in layout.palette:
            diags.error(
                "reference",
                _located(style.color, where),
                f"styles.{fld.name.replace('_', '-')}.color",
                f"no colour '{style.color}' in palette",
                suggest(style.color, list(layout.palette)),
            )
    return layout


def _located(value: object, where: str) -> Location:
    """Where a layout's value was written, or the layout itself for a default it never
    wrote (a style's colour 'ink' when the layout's palette lost 'ink')."""
    loc = getattr(value, "loc", None)
    return loc if isinstance(loc, Location) and loc.file else Location(where)


def check_layouts_exist(project: Project, names: tuple[str, ...], event_dir: Path) -> None:
    available = project.layout_names()
    problems = Diagnostics()
    for name in names:
        if name not in available:
            problems.error(
                "reference",
                getattr(name, "loc", None) or Location(display_path(event_dir / BUILD_FILE)),
                "documents",
                f"no layout '{name}' in {project.shown_layout_folders()}",
                suggest(name, available) or f"available: {', '.join(available)}",
            )
    if problems.errors:
        raise BookletError(problems.errors)
