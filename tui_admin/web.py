"""The admin in a browser: textual-serve runs one app process per browser tab, and this module
makes that safe to leave running on a developer's machine.

- **A token on every request.** The page, its static files, the websocket and downloads all
  answer 403 without it. The printed URL carries it once (`/?token=…`, as Jupyter does); the
  page then sets it as an HttpOnly, SameSite=Strict cookie, so the websocket and the static files
  (whose URLs textual-serve builds without it) carry it too. It is compared in constant time.
- **No secret leaves the server.** The database URL reaches each app process through its
  environment, never its command line (which `ps` shows and textual-serve logs and puts in the
  page title); the access log names paths without their query (the token); the app itself only
  ever shows the URL with its password masked.
- **A websocket from another origin is refused** (a page elsewhere cannot drive the admin with
  the user's cookie), whatever the browser's cookie rules.
"""

from __future__ import annotations

import hmac
import logging
from typing import Any

from aiohttp import web
from aiohttp.abc import AbstractAccessLogger
from textual_serve.server import Server

COOKIE = "sqladmin_tui_token"
log = logging.getLogger("sqladmin-tui.web")


class PathOnlyAccessLogger(AbstractAccessLogger):
    """The access log without query strings: the token never reaches a log file."""

    def log(self, request: web.BaseRequest, response: web.StreamResponse, time: float) -> None:
        self.logger.info("%s %s %s %.0f ms", request.method, request.path, response.status, time * 1000)


class AdminServer(Server):
    """textual-serve's server with the token guard, the origin check and quiet logs."""

    def __init__(self, command: str, *, token: str, host: str, port: int) -> None:
        super().__init__(command, host=host, port=port, title="sqladmin-tui")
        self.token = token

    def _valid(self, given: str | None) -> bool:
        return given is not None and hmac.compare_digest(given.encode(), self.token.encode())

    @web.middleware
    async def guard(self, request: web.Request, handler: Any) -> web.StreamResponse:
        query_token = request.query.get("token")
        if not (self._valid(query_token) or self._valid(request.cookies.get(COOKIE))):
            raise web.HTTPForbidden(text="403: this admin needs the token in the URL that sqladmin-tui serve printed\n")
        origin = request.headers.get("Origin")
        if request.path == "/ws" and origin is not None and origin.split("://", 1)[-1] != request.host:
            raise web.HTTPForbidden(text="403: a websocket from another origin\n")
        response = await handler(request)
        if query_token is not None and request.path == "/":
            response.set_cookie(COOKIE, self.token, httponly=True, samesite="Strict")
        return response

    async def _make_app(self) -> web.Application:
        app = await super()._make_app()
        app.middlewares.append(self.guard)
        return app

    async def on_startup(self, app: web.Application) -> None:
        """Say where it serves, not what it runs: the command names the models, and its default
        message would print it."""
        log.info("serving sqladmin-tui on %s", self.public_url)

    def serve(self, debug: bool = False) -> None:
        """textual-serve's `serve`, with the path-only access log."""
        self.debug = debug
        self.initialize_logging()
        web.run_app(
            self._make_app(),
            host=self.host,
            port=self.port,
            access_log_class=PathOnlyAccessLogger,
            print=lambda *args: None,
        )
