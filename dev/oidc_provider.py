"""The login side of the local OIDC issuer: what JupyterHub's OAuthenticator speaks to.

Authorization-code flow with a login page (`/authorize`), the token endpoint (`/token`) with the
grants `authorization_code`, `refresh_token` and RFC 8693 token exchange (audience `rucio`),
`/userinfo`, and RFC 7009 revocation (`/revoke`). Access tokens are the same RS256 JWTs that
`oidc_issuer.py mint` prints, so Rucio validates them for real; their lifetime is the client's.

Clients and users come from two JSON files in the registry directory, read at every request so
that `dev/hub.sh` can register the hub while the issuer runs:
  clients.json  {"<client_id>": {"secret": ..., "redirect_uris": [...], "token_lifetime": 120}}
  users.json    {"<username>": {"password": ..., "sub": ..., "email": ...}}
For the tests (local, not part of OIDC): `/stats` answers how many tokens each grant issued per
user (renewals are counted there), and POST `/sessions/end` with `username` ends that user's
sessions at the provider (their refresh tokens stop working), as an administrator would.
State (codes, refresh tokens, issued tokens) lives in memory: a restart signs everyone out.
"""

from __future__ import annotations

import base64
import html
import json
import secrets
import threading
import time
from collections import Counter
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

EXCHANGE_GRANT = "urn:ietf:params:oauth:grant-type:token-exchange"
ACCESS_TOKEN_TYPE = "urn:ietf:params:oauth:token-type:access_token"  # noqa: S105 - a type name
CODE_LIFETIME = 60
REFRESH_LIFETIME = 24 * 3600

Minter = Callable[..., str]

LOGIN_PAGE = """<!doctype html>
<html><head><meta charset="utf-8"><title>Sign in - local identity provider</title></head>
<body><main>
<h1>Sign in</h1>
<p>to continue to <strong>{client}</strong></p>
{error}
<form method="post" action="/authorize">
{hidden}
<label>Username <input name="username" autocomplete="username" autofocus></label>
<label>Password <input name="password" type="password" autocomplete="current-password"></label>
<button type="submit">Sign in</button>
</form>
</main></body></html>
"""


class ProviderError(Exception):
    def __init__(self, status: int, error: str, description: str) -> None:
        super().__init__(description)
        self.status, self.error, self.description = status, error, description


class Provider:
    """Codes, tokens and counters; thread-safe (the HTTP server is threaded)."""

    def __init__(self, registry: Path, issuer: str, mint: Minter) -> None:
        self.registry, self.issuer, self.mint = registry, issuer, mint
        self.lock = threading.Lock()
        self.codes: dict[str, dict[str, Any]] = {}
        self.refresh_tokens: dict[str, dict[str, Any]] = {}
        self.access_tokens: dict[str, dict[str, Any]] = {}
        self.issued: Counter[tuple[str, str]] = Counter()

    def _read(self, name: str) -> dict[str, Any]:
        try:
            data = json.loads((self.registry / name).read_text())
        except (OSError, ValueError):
            return {}
        return data if isinstance(data, dict) else {}

    def client(self, client_id: str, secret: str | None = None) -> dict[str, Any]:
        client = self._read("clients.json").get(client_id)
        if not isinstance(client, dict):
            raise ProviderError(401, "invalid_client", f"unknown client {client_id!r}")
        if secret is not None and not secrets.compare_digest(str(client.get("secret")), secret):
            raise ProviderError(401, "invalid_client", "wrong client secret")
        return client

    def user(self, username: str, password: str) -> dict[str, Any] | None:
        user = self._read("users.json").get(username)
        if isinstance(user, dict) and secrets.compare_digest(str(user.get("password")), password):
            return dict(user, username=username)
        return None

    def new_code(self, client_id: str, redirect_uri: str, user: dict[str, Any]) -> str:
        code = secrets.token_urlsafe(24)
        with self.lock:
            self.codes[code] = {
                "client_id": client_id,
                "redirect_uri": redirect_uri,
                "user": user,
                "expires": time.time() + CODE_LIFETIME,
            }
        return code

    def _tokens(self, client_id: str, user: dict[str, Any], grant: str, refresh: bool) -> dict:
        lifetime = int(self.client(client_id).get("token_lifetime", 3600))
        access = self.mint(sub=user["sub"], lifetime=lifetime, audience=client_id)
        answer: dict[str, Any] = {
            "access_token": access,
            "token_type": "Bearer",
            "expires_in": lifetime,
            "scope": "openid profile email offline_access",
            "id_token": self.mint(sub=user["sub"], lifetime=lifetime, audience=client_id),
        }
        with self.lock:
            self.access_tokens[access] = {"user": user, "expires": time.time() + lifetime}
            self.issued[(user["username"], grant)] += 1
            if refresh:
                token = secrets.token_urlsafe(32)
                self.refresh_tokens[token] = {
                    "client_id": client_id,
                    "user": user,
                    "expires": time.time() + REFRESH_LIFETIME,
                }
                answer["refresh_token"] = token
        return answer

    def token(self, form: dict[str, str], client_id: str) -> dict[str, Any]:
        grant = form.get("grant_type", "")
        now = time.time()
        if grant == "authorization_code":
            with self.lock:
                entry = self.codes.pop(form.get("code", ""), None)
            if not entry or entry["expires"] < now or entry["client_id"] != client_id:
                raise ProviderError(400, "invalid_grant", "unknown or expired code")
            if entry["redirect_uri"] != form.get("redirect_uri"):
                raise ProviderError(400, "invalid_grant", "redirect_uri does not match")
            return self._tokens(client_id, entry["user"], grant, refresh=True)
        if grant == "refresh_token":
            # Refresh tokens are not rotated: valid until they expire or are revoked.
            with self.lock:
                entry = self.refresh_tokens.get(form.get("refresh_token", ""))
            if not entry or entry["expires"] < now or entry["client_id"] != client_id:
                raise ProviderError(400, "invalid_grant", "the refresh token is not valid")
            return self._tokens(client_id, entry["user"], grant, refresh=False)
        if grant == EXCHANGE_GRANT:
            return self.exchange(form)
        raise ProviderError(400, "unsupported_grant_type", f"grant_type {grant!r}")

    def exchange(self, form: dict[str, str]) -> dict[str, Any]:
        """RFC 8693: a valid access token of this issuer for one with the requested audience."""
        if form.get("subject_token_type") != ACCESS_TOKEN_TYPE:
            raise ProviderError(400, "invalid_request", "subject_token_type must be access_token")
        user = self.bearer(form.get("subject_token", ""))
        if user is None:
            raise ProviderError(400, "invalid_grant", "the subject token is not valid")
        audience = form.get("audience") or "rucio"
        with self.lock:
            lifetime = max(
                1, int(self.access_tokens[form["subject_token"]]["expires"] - time.time())
            )
            self.issued[(user["username"], EXCHANGE_GRANT)] += 1
        token = self.mint(sub=user["sub"], lifetime=lifetime, audience=audience)
        with self.lock:
            self.access_tokens[token] = {"user": user, "expires": time.time() + lifetime}
        return {
            "access_token": token,
            "issued_token_type": ACCESS_TOKEN_TYPE,
            "token_type": "Bearer",
            "expires_in": lifetime,
        }

    def bearer(self, token: str) -> dict[str, Any] | None:
        with self.lock:
            entry = self.access_tokens.get(token)
        if not entry or entry["expires"] < time.time():
            return None
        return entry["user"]

    def revoke(self, token: str) -> None:
        with self.lock:
            self.refresh_tokens.pop(token, None)
            self.access_tokens.pop(token, None)

    def end_sessions(self, username: str) -> int:
        """What an identity provider's "sign out everywhere" does: the user's refresh tokens go."""
        with self.lock:
            ended = [t for t, e in self.refresh_tokens.items() if e["user"]["username"] == username]
            for token in ended:
                del self.refresh_tokens[token]
        return len(ended)

    def stats(self) -> dict[str, dict[str, int]]:
        with self.lock:
            counts: dict[str, dict[str, int]] = {}
            for (username, grant), count in self.issued.items():
                counts.setdefault(username, {})[grant] = count
        return counts


def make_handler(provider: Provider, documents: dict[str, Any]) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def _send(self, status: int, body: bytes, content_type: str, headers=()) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            for name, value in headers:
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(body)

        def _json(self, status: int, document: Any) -> None:
            self._send(status, json.dumps(document).encode(), "application/json")

        def _error(self, error: ProviderError) -> None:
            document = {"error": error.error, "error_description": error.description}
            self._json(error.status, document)

        def _form(self) -> dict[str, str]:
            length = int(self.headers.get("Content-Length") or 0)
            fields = parse_qs(self.rfile.read(length).decode(), keep_blank_values=True)
            return {key: values[0] for key, values in fields.items()}

        def _client(self, form: dict[str, str]) -> str:
            """Client authentication: HTTP Basic or client_id/client_secret in the form."""
            header = self.headers.get("Authorization", "")
            if header.startswith("Basic "):
                client_id, _, secret = base64.b64decode(header[6:]).decode().partition(":")
            else:
                client_id, secret = form.get("client_id", ""), form.get("client_secret", "")
            provider.client(client_id, secret)
            return client_id

        def do_GET(self) -> None:  # noqa: N802 - the name http.server calls
            url = urlsplit(self.path)
            if url.path == "/authorize":
                self._login_page({k: v[0] for k, v in parse_qs(url.query).items()})
            elif url.path == "/userinfo":
                self._userinfo()
            elif url.path == "/stats":
                self._json(200, provider.stats())
            elif url.path in documents:
                self._json(200, documents[url.path])
            else:
                self._json(404, {"error": "not_found"})

        def do_POST(self) -> None:  # noqa: N802
            path = urlsplit(self.path).path
            form = self._form()
            try:
                if path == "/authorize":
                    self._login(form)
                elif path == "/token":
                    self._json(200, provider.token(form, self._client(form)))
                elif path == "/sessions/end":
                    self._json(200, {"ended": provider.end_sessions(form.get("username", ""))})
                elif path == "/revoke":
                    self._client(form)
                    provider.revoke(form.get("token", ""))
                    self._json(200, {})
                else:
                    self._json(404, {"error": "not_found"})
            except ProviderError as error:
                self._error(error)

        def _login_page(self, params: dict[str, str], error: str = "") -> None:
            try:
                client = provider.client(params.get("client_id", ""))
            except ProviderError as failure:
                self._error(failure)
                return
            if params.get("redirect_uri") not in client.get("redirect_uris", []):
                self._error(ProviderError(400, "invalid_request", "redirect_uri not registered"))
                return
            kept = ("client_id", "redirect_uri", "state", "scope", "response_type", "nonce")
            hidden = "\n".join(
                f'<input type="hidden" name="{name}" value="{html.escape(params[name])}">'
                for name in kept
                if name in params
            )
            shown = f'<p role="alert">{html.escape(error)}</p>' if error else ""
            page = LOGIN_PAGE.format(
                client=html.escape(params["client_id"]), error=shown, hidden=hidden
            )
            self._send(401 if error else 200, page.encode(), "text/html; charset=utf-8")

        def _login(self, form: dict[str, str]) -> None:
            user = provider.user(form.get("username", ""), form.get("password", ""))
            if user is None:
                self._login_page(form, "Wrong username or password.")
                return
            client = provider.client(form.get("client_id", ""))
            redirect_uri = form.get("redirect_uri", "")
            if redirect_uri not in client.get("redirect_uris", []):
                raise ProviderError(400, "invalid_request", "redirect_uri not registered")
            query = {"code": provider.new_code(form["client_id"], redirect_uri, user)}
            if form.get("state"):
                query["state"] = form["state"]
            separator = "&" if "?" in redirect_uri else "?"
            location = f"{redirect_uri}{separator}{urlencode(query)}"
            self._send(302, b"", "text/plain", [("Location", location)])

        def _userinfo(self) -> None:
            header = self.headers.get("Authorization", "")
            user = provider.bearer(header[7:]) if header.startswith("Bearer ") else None
            if user is None:
                error = ProviderError(401, "invalid_token", "the access token is not valid")
                self._error(error)
                return
            self._json(
                200,
                {
                    "sub": user["sub"],
                    "preferred_username": user["username"],
                    "name": user["username"],
                    "email": user.get("email", f"{user['username']}@localhost"),
                },
            )

        def log_message(self, format: str, *values) -> None:  # noqa: A002
            # Query strings carry codes; only the path is logged.
            request = self.requestline.split("?")[0]
            print(f"{self.log_date_time_string()} {request} {values[1:]}", flush=True)

    return Handler
