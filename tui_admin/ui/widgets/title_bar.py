"""`TitleBar`: the top line of every screen: the app and which database is open (its URL with the
password masked). One Static instead of Textual's `Header`, whose four widgets were restyled on
every screen opened (a few ms each time, measured with bench/run.py); the title never changes
while the app runs."""

from __future__ import annotations

from textual.widgets import Static

from tui_admin.ui.text import plain


class TitleBar(Static):
    DEFAULT_CSS = """
    TitleBar {
        dock: top;
        height: 1;
        width: 100%;
        background: $panel;
        color: $foreground;
    }
    """

    def on_mount(self) -> None:
        app = self.app
        title = f"{app.title} — {app.sub_title}" if app.sub_title else app.title
        self.update(plain(title, no_wrap=True, overflow="ellipsis", justify="center"))
