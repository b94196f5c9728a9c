"""People's text on screen: always shown as typed, never read as markup; and fitted
into table cells without breaking the layout.

Textual reads a plain ``str`` as markup almost everywhere (Static, Label, an option's
prompt, a border title, a toast, a palette entry), and a DataTable reads it as Rich
markup. A name like "[/b]" would then crash the screen, "[red]Ana" would turn red and
"[@click=app.quit]" would become a button. So text that came from a person or a file
goes on screen only through these helpers:

- ``literal(text)``: the text as it is.
- ``styled("[b]$name[/b] owns it", name=owner)``: our markup, their text as data.
- ``table_cell(text)``: the same for a DataTable cell or column label (Rich ``Text``).
- ``lines([...])``: lines of Content or plain ``str`` (taken literally), one per line.
- ``markup_escape(text)``: only where Textual takes nothing but a markup string (a
  command palette entry's title).
"""

from __future__ import annotations

from collections.abc import Iterable

from rich.text import Text
from textual.content import Content
from textual.widgets import Static


def literal(text: str) -> Content:
    """``text`` exactly as typed: brackets, backslashes and dollars show as themselves."""
    return Content(text)


def styled(template: str, **values: object) -> Content:
    """Our own markup, with people's text put into it as data.

    Only ``template`` is read as markup; each ``$name`` in it is replaced by the text of
    ``values[name]``, which is never parsed, so it can neither close, open nor click.
    """
    # Content() drops the control codes (bell, backspace, CR) a terminal would act on,
    # as it does for the template and for literal().
    return Content.from_markup(template, **{name: Content(str(value)).plain
                                            for name, value in values.items()})


def lines(parts: Iterable[Content | str]) -> Content:
    """One line each; a plain ``str`` among them is taken literally, not as markup."""
    return Content("\n").join(parts)


def table_cell(text: str, style: str = "") -> Text:
    """A DataTable cell or column label: the table reads a ``str`` as Rich markup.

    Made as the table makes one from a ``str`` for a one-line row, less the markup.
    """
    return Text(text, style=style, no_wrap=True, end="")


def markup_escape(text: str) -> str:
    """``text`` as markup that shows it as typed, for an API that takes only markup.

    Every "[" gets a backslash: Textual reads "\\[" as "[" and leaves other backslashes
    alone. (``textual.markup.escape`` misses "[A]" and unbalanced backslashes.)
    """
    return text.replace("[", "\\[")


def show(widget: Static, text: str | Content) -> None:
    """Put ``text`` (taken literally when a ``str``) in ``widget`` only if it changed.

    Every Static.update lays the whole screen out again; on a form that re-shows its
    figures at each keystroke, that made typing lag behind the keys (130 ms a key).
    """
    content = literal(text) if isinstance(text, str) else text
    current = widget.content
    if not (isinstance(current, Content) and current.plain == content.plain
            and current.spans == content.spans):
        widget.update(content)


def one_line(text: str, width: int) -> str:
    """Collapse line breaks and tabs, and cut to ``width`` with an ellipsis."""
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: max(width - 1, 0)] + "…"
