"""A boolean field's box is empty when off and holds an X when on (Textual's own checkbox shows
`▐X▌` both ways, only its colour differing)."""

from __future__ import annotations

from textual.app import App, ComposeResult

from tests.ui.helpers import screen_lines
from tui_admin.ui.widgets.fields import BoolBox


class OneBox(App[None]):
    def compose(self) -> ComposeResult:
        yield BoolBox("is_active", value=False, id="box")


async def test_an_unticked_box_looks_empty_and_a_ticked_one_holds_an_x() -> None:
    app = OneBox()
    async with app.run_test(size=(40, 5)) as pilot:
        box = app.query_one("#box", BoolBox)
        box.focus()
        await pilot.pause()
        assert "▐ ▌ is_active" in "\n".join(screen_lines(app))
        await pilot.press("space")
        await pilot.pause()
        assert box.value is True
        assert "▐X▌ is_active" in "\n".join(screen_lines(app))
        await pilot.press("space")
        await pilot.pause()
        assert "▐ ▌ is_active" in "\n".join(screen_lines(app))
