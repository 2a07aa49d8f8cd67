"""Turn an event folder into the folders its layouts and fonts are looked up in, project first."""

from __future__ import annotations

import site
import sys
import sysconfig
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import display_path


def bundled_root() -> Path:
    """booklet's own layouts, fonts and sample event: the source tree of an editable
    install, else `<prefix>/share/booklet`, where a wheel puts them (its data files)."""
    tree = Path(__file__).resolve().parents[3]
    prefixes = [sysconfig.get_path("data"), sys.prefix, site.USER_BASE]  # venv, system, --user
    for folder in (tree, *(Path(p) / "share" / "booklet" for p in prefixes if p)):
        if (folder / "layouts").is_dir() and (folder / "fonts").is_dir():
            return folder
    return tree


@dataclass(frozen=True)
class Project:
    """Where layouts and fonts are looked up: the project's own `layouts/` and `fonts/`
    (either may be missing), then booklet's own. A project file of the same name wins."""

    root: Path
    bundled: Path = field(default_factory=bundled_root)

    @property
    def layouts(self) -> Path:
        """The project's own layouts folder (which may be booklet's own)."""
        return self.root / "layouts"

    @property
    def fonts(self) -> Path:
        """The project's own fonts folder (which may be booklet's own)."""
        return self.root / "fonts"

    @property
    def layout_folders(self) -> tuple[Path, ...]:
        """The folders layouts are looked up in, in order: the project's, then booklet's."""
        return _distinct(self.layouts, self.bundled / "layouts")

    @property
    def font_folders(self) -> tuple[Path, ...]:
        """The folders font files are looked up in, in order: the project's, then booklet's."""
        return _distinct(self.fonts, self.bundled / "fonts")

    def layout_names(self) -> list[str]:
        """Every layout either folder holds, by name, sorted."""
        return sorted({p.stem for f in self.layout_folders for p in _layout_files(f)})

    def find_layout(self, name: str, below: Path | None = None) -> Path | None:
        """The file of layout `name`: the first folder that has it wins. `below`: a layouts
        folder; only the folders after it are searched (a layout that extends its own name
        extends the one it hides)."""
        folders = self.layout_folders
        if below is not None:
            here = below.resolve()
            after = [n for n, f in enumerate(folders) if f.resolve() == here]
            folders = folders[after[0] + 1 :] if after else ()
        for folder in folders:
            path = folder / f"{name}.yaml"
            if name in {p.stem for p in _layout_files(folder)}:
                return path
        return None

    def layout_file(self, name: str) -> Path:
        """The file of layout `name`, or where the project would keep it when none has it
        (reading that says it is missing)."""
        return self.find_layout(name) or self.layout_folders[0] / f"{name}.yaml"

    def show(self, path: Path) -> str:
        return display_path(path)

    def shown_layout_folders(self) -> str:
        """The layout folders as a message names them: "layouts/ or /usr/share/booklet/layouts/"."""
        return " or ".join(f"{shown_folder(f)}/" for f in self.layout_folders)


def shown_folder(folder: Path) -> str:
    """A folder as a message names it: as found, relative to the working folder when it is
    inside it (a `fonts/` that is a link stays `fonts`), else as display_path shows it."""
    try:
        return str(folder.absolute().relative_to(Path.cwd()))
    except ValueError:
        return display_path(folder)


def _distinct(own: Path, bundled: Path) -> tuple[Path, ...]:
    """The project's folder (if it has one) and booklet's, once if they are the same."""
    if not own.is_dir():
        return (bundled,)
    if bundled.is_dir() and own.resolve() == bundled.resolve():
        return (own,)
    return (own, bundled)


def _layout_files(folder: Path) -> list[Path]:
    return [p for p in folder.glob("*.yaml") if p.is_file()]


def find_project(start: Path) -> Project:
    """The nearest folder at or above `start` with a `layouts/` folder (a `fonts/` folder
    beside it is optional), else booklet's own."""
    for folder in (start.resolve(), *start.resolve().parents):
        if (folder / "layouts").is_dir():
            return Project(folder)
    return Project(bundled_root())
