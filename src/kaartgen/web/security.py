"""Who may use the page, and from where.

- With a non-local host the page asks for a token (printed at start; `--token` or
  KAARTGEN_TOKEN sets it): `?token=…` once, then a cookie.
- Every state-changing request must come from the page itself: a cross-origin `Origin`
  (or `Sec-Fetch-Site: cross-site`) is refused, and the form or header carries the
  per-server CSRF token.
- A request body larger than the biggest allowed upload is cut off while it arrives.
"""

from __future__ import annotations

import hmac
import secrets
from urllib.parse import parse_qs

from starlette.responses import HTMLResponse, RedirectResponse

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
COOKIE = "kaartgen_token"
CSRF_FIELD = "csrf"
CSRF_HEADER = "x-csrf-token"
MAX_BODY = 200 * 1024 * 1024  # many checklists at once; each file has its own limit

PAGE = """<!doctype html><html lang="nl"><head><meta charset="utf-8"><title>{title}</title>
<link rel="stylesheet" href="/static/style.css"></head><body><main class="narrow"><h1>{title}</h1>
<p>{text}</p><p><a href="/">Terug naar de startpagina</a></p></main></body></html>"""


def refusal(title: str, text: str, status: int) -> HTMLResponse:
    return HTMLResponse(PAGE.format(title=title, text=text), status_code=status)


def new_secret() -> str:
    return secrets.token_urlsafe(24)


def same(a: str | None, b: str | None) -> bool:
    return bool(a) and bool(b) and hmac.compare_digest(str(a), str(b))


def csrf_ok(form, headers, secret: str) -> bool:
    return same(headers.get(CSRF_HEADER) or (form.get(CSRF_FIELD) if form is not None else None), secret)


class Guard:
    """ASGI middleware: token (non-local host), same-origin for unsafe methods, body size cap."""

    def __init__(self, app, token: str | None = None, max_body: int = MAX_BODY):
        self.app = app
        self.token = token
        self.max_body = max_body

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        if self.token:
            response = self._check_token(scope, headers)
            if response is not None:
                return await response(scope, receive, send)
        if scope["method"] not in SAFE_METHODS and not self._same_origin(scope, headers):
            return await refusal("Geweigerd", "Dit verzoek kwam van een andere website en is daarom geweigerd. "
                                              "Gebruik de knoppen op deze pagina zelf.", 403)(scope, receive, send)
        if int(headers.get("content-length") or 0) > self.max_body:
            return await refusal("Te groot", "Wat je stuurde is te groot (meer dan 200 MB in één keer). "
                                             "Stuur minder bestanden tegelijk.", 413)(scope, receive, send)
        await self.app(scope, self._capped(receive), send)

    def _check_token(self, scope, headers):
        query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
        given = (query.get("token") or [None])[0]
        if same(given, self.token):
            response = RedirectResponse(scope["path"], status_code=303)
            response.set_cookie(COOKIE, self.token, httponly=True, samesite="strict")
            return response
        cookies = dict(part.strip().split("=", 1) for part in headers.get("cookie", "").split(";") if "=" in part)
        if same(cookies.get(COOKIE), self.token):
            return None
        return refusal("Toegangscode nodig", "Deze pagina is beveiligd. Open de link met de toegangscode "
                                            "(…/?token=…) die kaartgen serve bij het starten liet zien.", 401)

    @staticmethod
    def _same_origin(scope, headers) -> bool:
        origin = headers.get("origin")
        if origin and origin != "null":
            return origin == f"{scope.get('scheme', 'http')}://{headers.get('host', '')}"
        if origin == "null":
            return False
        return headers.get("sec-fetch-site", "same-origin") in ("same-origin", "none")

    def _capped(self, receive):
        seen = 0

        async def wrapped():
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_body:
                    raise TooLarge()
            return message
        return wrapped


class TooLarge(Exception):
    """The body grew past the cap while it arrived (no or a false Content-Length)."""
