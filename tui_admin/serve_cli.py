"""`sqladmin-tui serve [URL] [--models M] [--read-only] [--host H] [--port P]`: the same admin in
a browser, each tab its own app process; loopback only unless `--allow-remote`, and a token
on every request (see `tui_admin.web`).
"""

from __future__ import annotations

import argparse
import os
import secrets
import shlex
import sys
from collections.abc import Sequence
from pathlib import Path

from tui_admin.cli import HelpFormatter, add_target, settle_args

DESCRIPTION = """\
Serve the admin to a browser: each tab runs its own sqladmin-tui process with these options, so a
teammate without a terminal can use it. Every start makes a random token and prints the URL to
open; a request without it (the page, its files, the websocket) gets 403. It listens on
127.0.0.1 only, unless --host names another address and --allow-remote is given.
"""

EPILOG = """\
needs the web extra: pip install 'sqladmin-tui[web]'.

exit status: 0 after ctrl+c, 1 when it cannot listen, 2 on bad usage (a remote --host without
--allow-remote included).

examples:
  sqladmin-tui serve                                   # the demo, on http://127.0.0.1:8000
  sqladmin-tui serve postgresql+psycopg://me@db/shop --models shop.models --read-only --port 8080
  sqladmin-tui serve @staging --host 0.0.0.0 --allow-remote --token-file ~/.admin-token
"""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="sqladmin-tui serve", description=DESCRIPTION, epilog=EPILOG,
                                     formatter_class=HelpFormatter)
    add_target(parser)
    parser.add_argument("--read-only", action="store_true", help="refuse every write, in every tab")
    parser.add_argument("--host", default="127.0.0.1", help="the address to listen on (default: 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8000, help="the port to listen on (default: 8000)")
    parser.add_argument("--allow-remote", action="store_true",
                        help="allow a --host other machines can reach: whoever has the URL can use the admin")
    parser.add_argument("--token-file", type=Path, metavar="FILE",
                        help="read the token from FILE (its first line) instead of making a new one")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    from tui_admin.web_check import is_loopback

    if not is_loopback(args.host) and not args.allow_remote:
        parser.error(f"--host {args.host} can be reached from other machines, and the admin can write to the "
                     "database: add --allow-remote to serve it there anyway (and --read-only if it should not write)")
    url, config = settle_args(parser, args)
    try:
        token = _token(args.token_file)
    except (OSError, ValueError) as exc:
        print(f"sqladmin-tui serve: error: {exc}", file=sys.stderr)
        return 2
    try:
        from tui_admin.web import AdminServer
    except ImportError as exc:
        print(f"sqladmin-tui serve: error: {exc.name or exc} is not installed: pip install 'sqladmin-tui[web]'",
              file=sys.stderr)
        return 2
    command = [sys.executable, "-m", "tui_admin"]
    models = args.models
    if models:
        command += ["--models", os.path.abspath(models) if models.endswith(".py") else models]
    if args.read_only or config.read_only:
        command.append("--read-only")
    if url is not None:
        os.environ["DATABASE_URL"] = url  # to each tab's process through its environment, never its command line
    if not is_loopback(args.host):
        print(f"warning: serving on {args.host}: anyone who can reach it with the token can "
              f"{'read' if '--read-only' in command else 'write to'} the database", file=sys.stderr)
    host = f"[{args.host}]" if ":" in args.host else args.host
    print(f"sqladmin-tui serve: open http://{host}:{args.port}/?token={token}", flush=True)
    server = AdminServer(shlex.join(command), token=token, host=args.host, port=args.port)
    try:
        server.serve()
    except OSError as exc:
        print(f"sqladmin-tui serve: error: cannot listen on {args.host}:{args.port}: {exc.strerror or exc}",
              file=sys.stderr)
        return 1
    return 0


def _token(path: Path | None) -> str:
    if path is None:
        return secrets.token_urlsafe(24)
    token = path.expanduser().read_text(encoding="utf-8").strip().splitlines()[0].strip() if path.exists() else ""
    if len(token) < 16:
        raise ValueError(f"--token-file {path}: needs a token of at least 16 characters on its first line")
    return token
