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
        read_only = bool(getattr(app, "read_only", False))
        sub_title = app.sub_title.removesuffix(" (read-only)") if read_only else app.sub_title
        title = plain(f"{app.title} — {sub_title}" if sub_title else app.title,
                      no_wrap=True, overflow="ellipsis", justify="center")
        if read_only:  # first, so a long URL cannot cut it off; on every screen, so that a key
            # that did nothing is not taken for a bug
            title = plain(" READ-ONLY ", style="bold reverse", no_wrap=True, overflow="ellipsis",
                          justify="center") + plain("  ") + title
        self.update(title, layout=False)  # one line, the screen's width: its size never changes
