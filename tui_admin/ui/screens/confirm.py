"""A yes/no question: `y` confirms, `n` or `escape` declines."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from tui_admin.core.format import plural
from tui_admin.ui.text import plain_lines

if TYPE_CHECKING:
    from tui_admin.core.deletion import DeletePlan


class ConfirmScreen(ModalScreen[bool]):
    BINDINGS = [
        Binding("y", "answer(True)", "Yes", id="confirm.yes"),
        Binding("n,escape", "answer(False)", "No", id="confirm.no"),
    ]

    def __init__(self, question: str, *, yes: str = "Yes", no: str = "No", allowed: bool = True) -> None:
        """`question` is shown as plain text (it names records and echoes their values)."""
        super().__init__()
        self.question = question
        self.yes = yes
        self.no = no
        self.allowed = allowed

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm-dialog"):
            yield Static(plain_lines(self.question), id="confirm-question")
            with Horizontal(id="confirm-buttons"):
                if self.allowed:
                    yield Button(f"{self.yes} (y)", variant="error", id="confirm-yes")  # the caller's words, not data
                yield Button(f"{self.no} (n)" if self.allowed else "Close (esc)", id="confirm-no")

    def on_mount(self) -> None:
        self.query_one("#confirm-no", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "confirm-yes")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes and self.allowed)


def deleted_what(model: str, plan: DeletePlan) -> str:
    """What a delete removes, as its question and its notices name it: `Hero “Deadpond”`, or the
    plan's own label for many rows (`2 Hero rows`)."""
    return plan.label if plan.many else f"{model} “{plan.label}”"


def delete_question(model: str, plan: DeletePlan) -> str:
    """The confirmation text: what goes, and what else goes with it (or why it cannot go), with
    the first few rows of each table by name."""

    def named(table: str) -> str:
        shown = plan.examples.get(table)
        return f": {', '.join(shown)}{', …' if len(shown) < plan_rows(table) else ''}" if shown else ""

    def plan_rows(table: str) -> int:
        return sum(n for t, n in [*plan.links, *plan.cascades, *plan.set_null] if t == table) or sum(
            n for t, _, n in plan.blockers if t == table)

    what = deleted_what(model, plan)
    if not plan.allowed:
        lines = [f"{what} cannot be deleted:"]
        lines += [f"  {plural(n, f'{table} row')} refer{'s' if n == 1 else ''} to {'them' if plan.many else 'it'} "
                  f"({table}.{column}){named(table)}"
                  for table, column, n in plan.blockers]
        lines.append("Reassign or delete those first.")
        return "\n".join(lines)
    lines = [f"Delete {what}?"]
    lines += [f"  also removes {'their' if plan.many else 'its'} {plural(n, 'link row')} in {table}"
              for table, n in plan.links]
    lines += [f"  the database also deletes {plural(n, f'{table} row')} (ON DELETE CASCADE){named(table)}"
              for table, n in plan.cascades]
    lines += [f"  the database clears the key of {plural(n, f'{table} row')} (ON DELETE SET NULL){named(table)}"
              for table, n in plan.set_null]
    lines.append("This cannot be undone.")
    return "\n".join(lines)
