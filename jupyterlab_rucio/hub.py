"""JupyterHub side: hand each user's OIDC token to their server and keep it fresh all day.

Use it in `jupyterhub_config.py` with OAuthenticator (JupyterHub runs as root with
LocalProcessSpawner, or any spawner whose users' homes the hub can write)::

    from jupyterlab_rucio.hub import RucioGenericOAuthenticator

    c.JupyterHub.authenticator_class = RucioGenericOAuthenticator
    c.RucioGenericOAuthenticator.enable_auth_state = True  # plus the usual OAuth settings

or mix `RucioTokenMixin` into another OAuthenticator class (the mixin goes first).

At every spawn the user's access token is exchanged (RFC 8693) for one whose audience is
`rucio_audience`, written to `~/<rucio_token_file>` (mode 0600, owned by the user, in a
directory of mode 0700), and the server is told where it is with `RUCIO_OIDC_AUTH=file` and
`RUCIO_OIDC_FILE_NAME` (the variables rucio-jupyterlab's images use, which this extension
reads too). While the server runs, the hub renews the token with the user's refresh token
before it expires and rewrites the file; the extension reads the file at every use, so the
server never restarts for a new token. When renewal is impossible (the refresh token was
revoked, the identity provider's session ended) the file keeps the expired token and the
extension's next action says that the user has to sign in at the hub again.

Why a file the hub rewrites rather than the server asking the hub: OAuthenticator's
`refresh_user` only renews once the provider has refused the current access token, and
JupyterHub calls it only while handling the user's own requests (`auth_refresh_age`); and a
server token may only hold scopes its owner holds, so reading `auth_state` through the hub API
would also give the user's browser the refresh token.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import inspect
import json
import os
import pwd
import time
from typing import Any
from urllib.parse import urlencode

from traitlets import Bool, Float, HasTraits, Unicode

EXCHANGE_GRANT = "urn:ietf:params:oauth:grant-type:token-exchange"
ACCESS_TOKEN_TYPE = "urn:ietf:params:oauth:token-type:access_token"  # noqa: S105 - a type name


def token_expiry(token: str) -> float:
    """The `exp` of a JWT (0 when it has none or is not a JWT: treated as expired)."""
    try:
        payload = token.split(".")[1]
        claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    except (IndexError, ValueError, binascii.Error):
        return 0.0
    exp = claims.get("exp") if isinstance(claims, dict) else None
    return float(exp) if isinstance(exp, (int, float)) else 0.0


def write_user_file(username: str, relative: str, text: str) -> str:
    """Write `text` to `~username/relative` as that user's own 0600 file; returns the path.

    The hub runs as root and the directories belong to the user, so nothing is followed through
    a symbolic link and every directory must be owned by the user.
    """
    account = pwd.getpwnam(username)
    parts = relative.split("/")
    directory = os.open(account.pw_dir, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW)
    try:
        for part in parts[:-1]:
            try:
                os.mkdir(part, 0o700, dir_fd=directory)
                os.chown(part, account.pw_uid, account.pw_gid, dir_fd=directory)
            except FileExistsError:
                pass
            inner = os.open(part, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW, dir_fd=directory)
            os.close(directory)
            directory = inner
            if os.fstat(directory).st_uid != account.pw_uid:
                raise PermissionError(f"{part} in {account.pw_dir} does not belong to {username}")
        temporary = f".{parts[-1]}.{os.getpid()}.tmp"
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW
        handle = os.open(temporary, flags, 0o600, dir_fd=directory)
        try:
            os.fchown(handle, account.pw_uid, account.pw_gid)
            os.write(handle, text.encode())
        finally:
            os.close(handle)
        os.replace(temporary, parts[-1], src_dir_fd=directory, dst_dir_fd=directory)
    finally:
        os.close(directory)
    return os.path.join(account.pw_dir, relative)


async def _maybe_await(result: Any) -> Any:
    # Authenticator hooks may be plain functions or coroutines.
    return await result if inspect.isawaitable(result) else result


class RucioTokenMixin(HasTraits):
    """Mixin for an OAuthenticator class: the Rucio token of each running server, kept fresh."""

    rucio_audience = Unicode(
        "rucio", help="Audience of the token handed to the server (Rucio's `[oidc]` audience)."
    ).tag(config=True)
    rucio_token_exchange = Bool(
        True,
        help="Exchange the login token for one with `rucio_audience` (RFC 8693). Turn off when "
        "the provider's access tokens are already meant for Rucio.",
    ).tag(config=True)
    rucio_token_file = Unicode(
        ".rucio/hub-token", help="Where the token goes, relative to the user's home."
    ).tag(config=True)
    rucio_refresh_interval = Float(
        30.0, help="Seconds between checks of running servers' tokens."
    ).tag(config=True)
    rucio_refresh_margin = Float(
        60.0, help="Renew a token when it has fewer seconds than this left."
    ).tag(config=True)

    _rucio_users: dict[str, Any]  # name -> user, of the servers whose token is renewed
    _rucio_expiry: dict[str, float]  # name -> expiry of the token in the user's file
    _rucio_task: asyncio.Task | None = None

    async def _post_token(self, params: dict[str, str]) -> dict[str, Any]:
        if not self.basic_auth:
            params = dict(params, client_id=self.client_id, client_secret=self.client_secret)
        return await self.httpfetch(
            self.token_url,
            method="POST",
            headers=self.build_token_info_request_headers(),
            body=urlencode(params).encode(),
            validate_cert=self.validate_server_cert,
        )

    async def rucio_token(self, access_token: str) -> str:
        """The token for Rucio: the access token itself, or its RFC 8693 exchange."""
        if not self.rucio_token_exchange:
            return access_token
        answer = await self._post_token(
            {
                "grant_type": EXCHANGE_GRANT,
                "subject_token": access_token,
                "subject_token_type": ACCESS_TOKEN_TYPE,
                "requested_token_type": ACCESS_TOKEN_TYPE,
                "audience": self.rucio_audience,
            }
        )
        return answer["access_token"]

    async def _hand_over(self, user: Any, auth_state: dict[str, Any]) -> str:
        token = await self.rucio_token(auth_state["access_token"])
        path = write_user_file(user.name, self.rucio_token_file, token + "\n")
        if not hasattr(self, "_rucio_expiry"):
            self._rucio_expiry = {}
        self._rucio_expiry[user.name] = token_expiry(token)
        await user.save_auth_state(auth_state)
        return path

    async def pre_spawn_start(self, user: Any, spawner: Any) -> None:
        await _maybe_await(super().pre_spawn_start(user, spawner))
        auth_state = await user.get_auth_state()
        if not auth_state or not auth_state.get("access_token"):
            self.log.warning("No auth_state for %s: the server gets no Rucio token", user.name)
            return
        path = await self._hand_over(user, auth_state)
        spawner.environment["RUCIO_OIDC_AUTH"] = "file"
        spawner.environment["RUCIO_OIDC_FILE_NAME"] = path
        if not hasattr(self, "_rucio_users"):
            self._rucio_users = {}
        self._rucio_users[user.name] = user
        if self._rucio_task is None or self._rucio_task.done():
            self._rucio_task = asyncio.ensure_future(self._refresh_loop())

    async def post_spawn_stop(self, user: Any, spawner: Any) -> None:
        getattr(self, "_rucio_users", {}).pop(user.name, None)
        await _maybe_await(super().post_spawn_stop(user, spawner))

    async def _refresh_loop(self) -> None:
        while self._rucio_users:
            for user in list(self._rucio_users.values()):
                try:
                    await self.refresh_rucio_token(user)
                except Exception:  # one user's failure must not stop the others' renewals
                    self.log.exception("Renewing the Rucio token of %s failed", user.name)
            await asyncio.sleep(self.rucio_refresh_interval)

    async def refresh_rucio_token(self, user: Any) -> bool:
        """Renew the user's token if it nears expiry; False when it cannot be renewed."""
        # The token in the file counts, not auth_state's: a new login at the hub replaces
        # auth_state (a fresh access token) but not the file the server reads.
        if self._rucio_expiry.get(user.name, 0) - time.time() > self.rucio_refresh_margin:
            return True
        auth_state = await user.get_auth_state() or {}
        refresh_token = auth_state.get("refresh_token")
        if not refresh_token:
            self._rucio_users.pop(user.name, None)
            self.log.warning("%s has no refresh token: their Rucio token will expire", user.name)
            return False
        try:
            token_info = await self._post_token(
                self.build_refresh_token_request_params(refresh_token)
            )
        except Exception as error:
            # The user signs in at the hub again; their server's next Rucio action says so.
            self._rucio_users.pop(user.name, None)
            self.log.warning("The refresh token of %s was refused (%s)", user.name, error)
            return False
        # Providers may not return the refresh token again; OAuthenticator's refresh_user then
        # rebuilds auth_state from token_response, which must keep it.
        token_info.setdefault("refresh_token", refresh_token)
        auth_state.update(
            access_token=token_info["access_token"],
            refresh_token=token_info["refresh_token"] or refresh_token,
            id_token=token_info.get("id_token", auth_state.get("id_token")),
            token_response=token_info,
        )
        await self._hand_over(user, auth_state)
        self.log.info("Renewed the Rucio token of %s", user.name)
        return True


def __getattr__(name: str) -> Any:
    # GenericOAuthenticator is imported only where JupyterHub runs.
    if name == "RucioGenericOAuthenticator":
        from oauthenticator.generic import GenericOAuthenticator

        class RucioGenericOAuthenticator(RucioTokenMixin, GenericOAuthenticator):
            """GenericOAuthenticator whose users' servers get a fresh Rucio token all day."""

        globals()[name] = RucioGenericOAuthenticator
        return RucioGenericOAuthenticator
    raise AttributeError(name)
