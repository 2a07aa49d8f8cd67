"""Turn `{{ … }}` in content into text, in a sandbox where only fields and filters exist.

Jinja2 is imported only when a string holds a template (~15 ms of every start saved). A
template is checked on its parsed tree before anything is compiled or run, so loops, calls,
arithmetic (`10**10**10`) and method lookups never get the chance to run; what is refused
is named in the writer's words, never by Jinja's node names.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import cache
from typing import Any

from ..errors import Diagnostics
from ..read.model import Text
from .text import date_text, lower, number_text, upper


@cache
def _environment(lang: str) -> Any:
    from jinja2 import StrictUndefined
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    env = ImmutableSandboxedEnvironment(undefined=StrictUndefined, autoescape=False)
    env.filters.clear()
    env.filters.update(
        date=_filter(lambda d: date_text(d, lang), dt.date, "a date such as event.date"),
        number=_filter(lambda n: number_text(n, lang), (int, float), "a number"),
        upper=_filter(lambda s: upper(s, lang), str, "text"),
        lower=_filter(lambda s: lower(s, lang), str, "text"),
    )
    env.globals.clear()
    return env


def _filter(apply, accepts, wanted: str):
    """A template filter that names what it needs instead of failing inside Babel."""

    from jinja2 import TemplateError, Undefined

    def run(value):
        if isinstance(value, Undefined):
            value._fail_with_undefined_error()
        if not isinstance(value, accepts):
            raise TemplateError(f"this filter needs {wanted}, found {_kind(value)}")
        return apply(value)

    return run


_HINT = (
    "write {{ event.title }}, {{ event.date | date }} or {{ event.venue | upper }}: the "
    "event's fields (title, subtitle, date, start, venue, city, country) and the filters "
    "date, number, upper and lower"
)
MAX_RENDERED = 10_000
FILTERS = frozenset({"date", "number", "upper", "lower"})
NAMES = frozenset({"event"})


def _refused(tree: Any) -> str:
    """Why a template is refused, or "": only `{{ name.field | filter }}` is allowed.

    Checked on the parsed tree before anything is compiled or run, so loops, calls,
    arithmetic (`10**10**10`) and method lookups never get the chance to run.
    """
    from jinja2 import nodes

    allowed = (
        nodes.Template,
        nodes.Output,
        nodes.TemplateData,
        nodes.Name,
        nodes.Getattr,
        nodes.Filter,
    )
    for node in tree.find_all(nodes.Node):
        if isinstance(node, nodes.Name) and node.name not in NAMES:
            return f"unknown name '{node.name}'"
        if isinstance(node, nodes.Getattr) and node.attr.startswith("_"):
            return f"'{node.attr}' is not available"
        if isinstance(node, nodes.Filter) and node.name not in FILTERS:
            return f"unknown filter '{node.name}'"
        if not isinstance(node, allowed):
            allowed_here = "{{ event.field }} or {{ event.field | filter }}"
            return f"only {allowed_here} may be written here, found {_what(node)}"
    return ""


# What a writer calls what the template language would call by its node name.
_WORDS = {
    ("Add", "Sub", "Mul", "Div", "FloorDiv", "Mod", "Pow", "Neg", "Pos"): "arithmetic",
    ("For",): "a loop ({% for %})",
    ("If", "CondExpr"): "a condition (if)",
    ("Call",): "a call: ( ) after a name",
    ("Getitem", "Slice"): "an index: [ ] after a name",
    ("Concat",): "joining with ~",
    ("Compare", "Not", "And", "Or", "Test"): "a comparison",
    ("Assign", "AssignBlock"): "an assignment ({% set %})",
    ("Include", "Import", "FromImport", "Extends"): "another template ({% include %})",
    ("Const", "Tuple", "List", "Dict", "TemplateData"): "a value written in the template",
}


def _what(node: Any) -> str:
    name = type(node).__name__
    words = next((w for names, w in _WORDS.items() if name in names), "")
    return words or "a {% … %} block"


def _kind(value: Any) -> str:
    if isinstance(value, str):
        return "text"
    if isinstance(value, dt.date):
        return "a date"
    return "a number" if isinstance(value, int | float) else "a part of the event"


def expand(text: Text, context: dict[str, Any], diags: Diagnostics, field: str) -> Text:
    """Render `{{ ... }}` in a content string in the sandbox; other text is returned as is."""
    if "{{" not in text and "{%" not in text and "{#" not in text:
        return text
    from jinja2 import TemplateError, UndefinedError

    env = _environment(text.lang or "en")
    try:
        problem = _refused(env.parse(str(text)))
        if problem:
            raise TemplateError(problem)
        rendered = env.from_string(str(text)).render(context)
        if len(rendered) > MAX_RENDERED:
            raise TemplateError(f"the result is longer than {MAX_RENDERED:,} characters")
    except UndefinedError as exc:
        missing = re.search(r"attribute '([^']*)'|'([^']*)' is undefined", exc.message or "")
        name = next((g for g in (missing.groups() if missing else ()) if g), "?")
        diags.error("template", text.loc, field, f"template error: unknown field '{name}'", _HINT)
        return text
    except TemplateError as exc:
        reason = exc.message or "the template cannot be read"
        diags.error("template", text.loc, field, f"template error: {reason}", _HINT)
        return text
    except Exception as exc:  # the sandbox raises SecurityError; filters raise on bad input
        reason = str(exc) or exc.__class__.__name__
        diags.error("template", text.loc, field, f"template refused: {reason}")
        return text
    return Text(rendered, text.loc, text.lang)
