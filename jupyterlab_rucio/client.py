"""Talking to Rucio without blocking Jupyter: clients per credential, a bounded pool, timeouts.

`rucio_http_error` is the one place where Rucio and network failures become HTTP statuses.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import os
import random
import re
import threading
import time
import weakref
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, TypeVar

import requests
from rucio.client.client import Client
from rucio.common import exception as rucio_errors
from tornado.web import HTTPError

from .config import InstanceConfig
from .credentials import ensure_private_dir
from .login import check_not_expired, credential_expiry, with_token_from_file
from .streams import close_idle_connections

T = TypeVar("T")
log = logging.getLogger(__name__)


class _HideSecretHeaders(logging.Filter):
    """rucio-clients logs every request header at DEBUG, hiding only X-Rucio-Auth-Token: the
    password of a userpass login (sent again when Rucio's token runs out) must not follow."""

    _SECRET = re.compile(r"^(HTTP header:\s+X-Rucio-(?:Password|Auth-Token)):.*", re.DOTALL)

    def filter(self, record: logging.LogRecord) -> bool:
        found = self._SECRET.match(record.getMessage())
        if found:
            record.msg, record.args = f"{found.group(1)}: [hidden]", ()
        return True


#: rucio-clients' own log lines, under the extension's logger so that Jupyter's log settings
#: (--debug, logging_config) apply to them, with secret headers hidden.
rucio_clients_log = logging.getLogger("jupyterlab_rucio.rucio_clients")
rucio_clients_log.addFilter(_HideSecretHeaders())

#: `sort` for every `list_replicas`: without one, Rucio's server orders each file's PFNs by
#: GeoIP distance, a lookup per file that dominates large listings. The extension picks the
#: PFN it needs itself (by RSE, or by priority), so any order will do.
REPLICA_SORT = "random"

_STATUS_BY_ERROR: list[tuple[tuple[type[BaseException], ...], int]] = [
    (
        (
            rucio_errors.CannotAuthenticate,
            rucio_errors.NoAuthInformation,
            rucio_errors.MissingClientParameter,
            rucio_errors.IdentityError,
            rucio_errors.IdentityNotFound,
            rucio_errors.ErrorLoadingCredentials,
        ),
        401,
    ),
    (
        (
            rucio_errors.AccessDenied,
            rucio_errors.ScopeAccessDenied,
            rucio_errors.RSEAccessDenied,
            rucio_errors.RSEWriteBlocked,
            rucio_errors.InsufficientAccountLimit,
            rucio_errors.CannotAuthorize,
        ),
        403,
    ),
    (
        (
            rucio_errors.DataIdentifierNotFound,
            rucio_errors.ScopeNotFound,
            rucio_errors.RSENotFound,
            rucio_errors.RuleNotFound,
            rucio_errors.AccountNotFound,
            rucio_errors.ReplicaNotFound,
        ),
        404,
    ),
    (
        (
            rucio_errors.DataIdentifierAlreadyExists,
            rucio_errors.Duplicate,
            rucio_errors.DuplicateRule,
            rucio_errors.FileAlreadyExists,
            rucio_errors.FileReplicaAlreadyExists,
        ),
        409,
    ),
    (
        (
            rucio_errors.InputValidationError,
            rucio_errors.InvalidObject,
            rucio_errors.InvalidType,
            rucio_errors.InvalidRSEExpression,
            rucio_errors.InvalidReplicationRule,
            rucio_errors.InvalidPath,
            rucio_errors.InvalidValueForKey,
            rucio_errors.UnsupportedOperation,
            rucio_errors.UnsupportedDIDType,
            rucio_errors.DIDFilterSyntaxError,
            rucio_errors.InsufficientTargetRSEs,
            rucio_errors.StagingAreaRuleRequiresLifetime,
            rucio_errors.ScratchDiskLifetimeConflict,
        ),
        400,
    ),
]


class RucioClientLogger:
    """A logger for rucio-clients' upload/download helpers, which call their logger both as
    `logger.log(level, msg)` and as `logger(level, msg)`."""

    def __init__(self, logger: logging.Logger) -> None:
        self._logger = logger

    def log(self, level: int, msg: str, *args: Any, **kwargs: Any) -> None:
        self._logger.log(level, msg, *args, **kwargs)

    __call__ = log


def http_error_message(error: HTTPError) -> str:
    """The message of an HTTPError as it was written: tornado doubles every '%' of a message
    given without arguments, so formatting with the (possibly empty) arguments undoes it."""
    try:
        return error.log_message % error.args
    except (TypeError, ValueError):
        return error.log_message


# rucio-clients' message when Rucio (or a proxy in front of it) answered an HTTP error without
# Rucio's own error description, e.g. 503 from an overloaded server.
BUSY_STATUS = re.compile(r"http status code: (429|502|503|504)\b")
# Attempts of one Rucio call when it answers 502/503/504: rucio-clients retries them.
BUSY_ATTEMPTS = Client.AUTH_RETRIES + 1
BACKOFF_CAP_SECONDS = 10.0
# A connection to Rucio that no call has used for this long is closed (Apache's default
# KeepAliveTimeout, which Rucio's servers keep): an idle user holds none of a shared Rucio's
# connections, whether or not Rucio closes them itself.
IDLE_CONNECTION_SECONDS = 5.0


def busy_message(status: int) -> str:
    if status == 429:
        return "Rucio asks to slow down (HTTP 429); try again in a minute"
    return (
        f"Rucio is busy or unavailable (HTTP {status}) and did not answer after "
        f"{BUSY_ATTEMPTS} attempts; try again in a minute"
    )


def rucio_reason(error: BaseException) -> str:
    """Rucio's own explanation, without the generic preamble its exceptions carry."""
    args = [str(a) for a in getattr(error, "args", ()) if a]
    text = "; ".join(args) if args else str(error)
    return text.strip() or type(error).__name__


# OpenSSL's reason inside requests' message, e.g. "[SSL: CERTIFICATE_VERIFY_FAILED] certificate
# verify failed: unable to get local issuer certificate (_ssl.c:1006)".
_SSL_REASON = re.compile(r"\[SSL: ([A-Z0-9_]+)\] ([^(')\]]+)")


def tls_http_error(error: BaseException) -> HTTPError:
    """A TLS failure, said plainly: the server's certificate, or the client's, was refused."""
    found = _SSL_REASON.search(str(error))
    code, reason = (found.group(1), found.group(2).strip()) if found else ("", "")
    if code == "CERTIFICATE_VERIFY_FAILED" or "certificate verify failed" in str(error):
        return HTTPError(
            502,
            "TLS error: Rucio's server certificate could not be verified "
            f"({reason or 'certificate verify failed'}); check the CA bundle (ca_cert) "
            "of this instance",
        )
    if "ALERT" in code:
        # The server ended the handshake: it did not accept the client certificate or proxy.
        return HTTPError(
            401, f"Rucio refused the credentials: the server rejected the certificate ({reason})"
        )
    return HTTPError(502, f"TLS error talking to Rucio: {reason or type(error).__name__}")


def rucio_http_error(error: BaseException) -> HTTPError:
    if isinstance(error, HTTPError):
        return error
    if isinstance(error, (asyncio.TimeoutError, requests.Timeout)):
        return HTTPError(504, "Rucio did not answer in time")
    if isinstance(error, requests.exceptions.SSLError):
        return tls_http_error(error)
    if isinstance(error, OSError) and "CA certificate bundle" in str(error):
        # requests, when the configured CA bundle does not exist
        return HTTPError(502, "TLS error: the CA bundle (ca_cert) of this instance cannot be read")
    if isinstance(error, (requests.ConnectionError, rucio_errors.ServerConnectionException)):
        return HTTPError(502, "Rucio is unreachable")
    for classes, status in _STATUS_BY_ERROR:
        if isinstance(error, classes):
            prefix = "Rucio refused the credentials: " if status == 401 else ""
            return HTTPError(status, prefix + rucio_reason(error))
    if isinstance(error, rucio_errors.RucioException):
        busy = BUSY_STATUS.search(rucio_reason(error))
        if busy:
            return HTTPError(503, busy_message(int(busy.group(1))))
        return HTTPError(502, f"Rucio failed: {rucio_reason(error)}")
    if isinstance(error, requests.RequestException):
        return HTTPError(502, f"Rucio request failed: {type(error).__name__}")
    log.exception("Unexpected error while talking to Rucio", exc_info=error)
    return HTTPError(500, f"Unexpected error: {type(error).__name__}")


def credential_fingerprint(instance: InstanceConfig, credential: dict[str, Any]) -> str:
    """Changes whenever anything that identifies the user changes (including the secret)."""
    material = json.dumps([instance.name, instance.rucio_url, credential], sort_keys=True)
    return hashlib.sha256(material.encode()).hexdigest()[:32]


class _PrivateTokenClient(Client):
    """A Client whose cached token lives in a private directory tied to one credential.

    The stock client shares one token file per account under /tmp; a wrong password would then
    still "work" with a token cached from an earlier login, and tokens of different users on a
    shared machine would sit side by side.
    """

    token_dir: str = ""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _read_environment_once(self)

    def _back_off(self, retry_number: int, reason: str) -> None:
        # rucio-clients waits 0.25 s * 2**n before retrying a 502/503/504; with jitter, so that
        # the users of a hub that Rucio turned away do not all come back at the same moment.
        delay = min(BACKOFF_CAP_SECONDS, 0.5 * 2**retry_number) * random.uniform(0.5, 1.5)  # noqa: S311
        log.info("Rucio answered %s; retrying in %.1f s", reason, delay)
        time.sleep(delay)

    def _BaseClient__get_token(self) -> None:  # noqa: N802 - overrides BaseClient.__get_token
        # rucio-clients answers a 401 by logging in again; for OIDC that is its interactive
        # browser flow, which would wait for input on the server. A token Rucio no longer
        # accepts is refused instead: the hub (or the user) must provide a fresh one.
        if self.auth_type == "oidc":
            raise rucio_errors.CannotAuthenticate(
                "Rucio no longer accepts the OIDC access token (expired or revoked)"
            )
        before = self.session
        super()._BaseClient__get_token()
        # rucio-clients logs in again on a session of its own making.
        _read_environment_once(self)
        if self.session is not before:
            close_idle_connections(before)

    def _get_auth_tokens(self):
        token_file = os.path.join(self.token_dir, "auth_token")
        return None, os.path.join(self.token_dir, "auth_token_expiry"), token_file, self.token_dir


def _auth_request(instance: InstanceConfig, credential: dict[str, Any], timeout: float):
    """Log in once over plain HTTP: Rucio tells us the account and the token's expiry."""
    check_not_expired(credential)
    method = credential["method"]
    headers = {"X-Rucio-VO": instance.vo} if instance.vo else {}
    if credential.get("account"):
        headers["X-Rucio-Account"] = credential["account"]
    cert: Any = None
    path = "/auth/validate"
    if method == "userpass":
        path = "/auth/userpass"
        headers["X-Rucio-Username"] = credential.get("username") or ""
        headers["X-Rucio-Password"] = credential.get("password") or ""
    elif method == "x509":
        path, cert = "/auth/x509", (credential["cert_path"], credential["key_path"])
    elif method == "x509_proxy":
        path, cert = "/auth/x509_proxy", credential["proxy_path"]
    else:
        headers["X-Rucio-Auth-Token"] = credential.get("token") or ""
    response = requests.get(
        instance.auth_url + path,
        headers=headers,
        cert=cert,
        verify=instance.ca_cert or True,
        timeout=timeout,
    )
    refused = response.headers.get("ExceptionClass") in ("CannotAuthenticate", "AccessDenied")
    if response.status_code in (401, 403) or refused:
        # Rucio answers an unknown token with 500 + CannotAuthenticate and no useful message.
        reason = response.headers.get("ExceptionMessage") or response.reason
        if not reason or reason.startswith("NoneType"):
            reason = "the token or identity was not accepted"
        accounts = response.headers.get("X-Rucio-Auth-Accounts")
        if accounts:
            reason = f"the identity maps to several accounts ({accounts}); choose one"
        raise rucio_errors.CannotAuthenticate(reason)
    response.raise_for_status()
    if method == "oidc":
        account, lifetime = parse_validate_reply(response.text)
        return account, lifetime, None
    token = response.headers.get("X-Rucio-Auth-Token")
    return (
        response.headers.get("X-Rucio-Auth-Account") or credential.get("account"),
        iso_utc(response.headers.get("X-Rucio-Auth-Token-Expires")),
        token,
    )


def log_in(
    instance: InstanceConfig, credential: dict[str, Any], token_root: Path, timeout: float
) -> tuple[Client, str, str | None]:
    """Authenticate from scratch (blocking): the client, its account and token expiry."""
    account, expires_at, token = _auth_request(instance, credential, timeout)
    if not account:
        raise rucio_errors.CannotAuthenticate("Rucio did not say which account this is")
    credential = dict(credential, account=account)
    token_dir = ensure_private_dir(token_root / credential_fingerprint(instance, credential))
    if token:
        _write_private(token_dir / "auth_token", token)
    return build_client(instance, credential, token_root, timeout), account, expires_at


def _write_private(path: Path, text: str) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(text)


def _read_environment_once(client: Client) -> None:
    """requests reads the proxy variables (walking all of `os.environ`), `no_proxy` and
    `~/.netrc` again for every request: a tenth of a first page's CPU on a single-user server
    with a hub's environment. They do not change while the server runs, so the client's
    session gets them once, here. Hosts that the environment proxies differently (one of them
    in `no_proxy`) keep the per-request lookup."""
    session = getattr(client, "session", None)
    if not isinstance(session, requests.Session):
        return
    found = [requests.utils.get_environ_proxies(host) for host in (client.host, client.auth_host)]
    if found[0] != found[1]:
        return
    session.proxies.update({key: url for key, url in found[0].items() if key != "no"})
    if client.ca_cert is True:
        # What requests would take from the environment for verify=True, as it would.
        client.ca_cert = (
            os.environ.get("REQUESTS_CA_BUNDLE") or os.environ.get("CURL_CA_BUNDLE") or True
        )
    session.trust_env = False


def build_client(
    instance: InstanceConfig, credential: dict[str, Any], token_root: Path, timeout: float
) -> Client:
    """Create and authenticate a Client (blocking: call on the pool)."""
    method = credential["method"]
    creds: dict[str, Any]
    if method == "userpass":
        creds = {"username": credential.get("username"), "password": credential.get("password")}
    elif method == "x509":
        creds = {
            "client_cert": credential.get("cert_path"),
            "client_key": credential.get("key_path"),
        }
    elif method == "x509_proxy":
        creds = {"client_proxy": credential.get("proxy_path")}
    else:
        creds = {}
    token_dir = ensure_private_dir(token_root / credential_fingerprint(instance, credential))
    if method == "oidc":
        if not credential.get("token"):
            raise rucio_errors.NoAuthInformation("no OIDC token available")
        # Rucio accepts the IdP access token as its auth token; the client reads it from here.
        _write_private(token_dir / "auth_token", credential["token"])
    client_class = type("InstanceClient", (_PrivateTokenClient,), {"token_dir": str(token_dir)})
    return client_class(
        rucio_host=instance.rucio_url,
        auth_host=instance.auth_url,
        account=credential.get("account") or None,
        ca_cert=instance.ca_cert or (True if instance.rucio_url.startswith("https") else None),
        auth_type=method,
        creds=creds,
        timeout=max(1, int(timeout)),
        user_agent="jupyterlab-rucio",
        vo=instance.vo or "def",
        logger=rucio_clients_log,
    )


def parse_validate_reply(text: str) -> tuple[str | None, str | None]:
    """Account and expiry from /auth/validate, which answers with a Python dict's repr."""
    account = re.search(r"'account':\s*'([^']*)'", text)
    lifetime = re.search(r"'lifetime':\s*datetime\.datetime\(([\d,\s]+)\)", text)
    expires_at = None
    if lifetime:
        parts = [int(p) for p in lifetime.group(1).split(",")[:6]]
        expires_at = datetime(*parts, tzinfo=timezone.utc).isoformat()
    return (account.group(1) if account else None), expires_at


def token_expiry(client: Client) -> str | None:
    """When the client's current Rucio token expires (None if Rucio does not say)."""
    epoch = getattr(client, "token_exp_epoch", None)
    if epoch:
        return datetime.fromtimestamp(int(epoch), tz=timezone.utc).isoformat()
    try:
        response = client.session.get(
            f"{client.auth_host}/auth/validate",
            headers={"X-Rucio-Auth-Token": client.auth_token},
            verify=client.ca_cert if client.ca_cert is not None else True,
            timeout=client.timeout,
        )
    except requests.RequestException:
        return None
    return parse_validate_reply(response.text)[1] if response.ok else None


def iso_or_none(moment: datetime | None) -> str | None:
    return moment.astimezone(timezone.utc).isoformat() if moment else None


def iso_utc(value: Any) -> str | None:
    """Rucio's naive UTC time stamps (several formats) as ISO 8601 with an explicit zone."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        moment = value
    else:
        text = str(value)
        moment = None
        for fmt in ("%Y-%m-%dT%H:%M:%S", "%a, %d %b %Y %H:%M:%S %Z", "%Y-%m-%d %H:%M:%S"):
            try:
                moment = datetime.strptime(text.split(".")[0], fmt)
                break
            except ValueError:
                continue
        if moment is None:
            return text
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc).isoformat()


class RucioGateway:
    """Runs blocking rucio-clients calls on a bounded pool with a timeout each."""

    def __init__(
        self,
        token_root: Path,
        max_workers: int,
        timeout: float,
        transfer_workers: int = 2,
        paging_workers: int = 8,
    ) -> None:
        self.timeout = timeout
        self._token_root = ensure_private_dir(token_root)
        self._pool = ThreadPoolExecutor(max_workers=max_workers, thread_name_prefix="rucio")
        # Pages of listings read to their end wait for rows a listing's own thread is still
        # reading from Rucio: they wait on threads of their own, so that a first page, details or
        # availability is never queued behind them.
        self._paging_pool = ThreadPoolExecutor(
            max_workers=paging_workers, thread_name_prefix="rucio-paging"
        )
        # Uploads and downloads take as long as the bytes need: they get their own threads so
        # that they never hold up quick calls such as searches.
        self._transfer_pool = ThreadPoolExecutor(
            max_workers=transfer_workers, thread_name_prefix="rucio-transfer"
        )
        self._clients: dict[str, tuple[Client, str]] = {}
        self._lock = threading.Lock()
        # When each cached client was last asked for, and clients replaced by a new log-in (a
        # call may still be using one): their pooled connections are closed once idle.
        self._last_used: dict[str, float] = {}
        self._replaced: weakref.WeakKeyDictionary[Client, float] = weakref.WeakKeyDictionary()
        threading.Thread(
            target=_close_idle_connections,
            args=(weakref.ref(self), IDLE_CONNECTION_SECONDS),
            name="rucio-idle-connections",
            daemon=True,
        ).start()

    async def run(
        self,
        func: Callable[..., T],
        *args: Any,
        timeout: float | None = None,
        passthrough: tuple[type[Exception], ...] = (),
    ) -> T:
        """`func(*args)` on the pool; failures become HTTP errors, except the `passthrough`
        ones (the caller's own refusals of bad input), which are raised as they are."""
        return await self._run(self._pool, func, args, timeout, passthrough)

    async def run_paging(self, func: Callable[..., T], *args: Any) -> T:
        """Run a page that may wait for a listing being read (see paging.py)."""
        return await self._run(self._paging_pool, func, args, None)

    async def _run(
        self,
        pool: ThreadPoolExecutor,
        func: Callable[..., T],
        args: tuple,
        timeout: float | None,
        passthrough: tuple[type[Exception], ...] = (),
    ) -> T:
        loop = asyncio.get_running_loop()
        future = loop.run_in_executor(pool, lambda: func(*args))
        try:
            return await asyncio.wait_for(future, timeout or self.timeout)
        except passthrough:
            raise
        except Exception as error:  # noqa: BLE001 - every failure is mapped once, here
            raise rucio_http_error(error) from error

    async def run_transfer(self, func: Callable[..., T], *args: Any) -> T:
        """Run a long transfer; errors are returned as raised (the caller records them)."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._transfer_pool, lambda: func(*args))

    def _client_sync(self, instance: InstanceConfig, credential: dict[str, Any]):
        # Read on every call: a token file rewritten by the hub gives a new token (and client),
        # and a proxy or token that has run out is refused before Rucio is asked.
        credential = with_token_from_file(credential)
        check_not_expired(credential)
        key = credential_fingerprint(instance, credential)
        with self._lock:
            cached = self._cached(key)
        if cached is not None:
            return cached
        client, account, _ = log_in(instance, credential, self._token_root, self.timeout)
        self._cache(key, client, account)
        return client, account

    def _cached(self, key: str) -> tuple[Client, str] | None:
        """The cached client (with the lock held), marked as used now."""
        cached = self._clients.get(key)
        if cached is not None:
            self._last_used[key] = time.monotonic()
        return cached

    def _cache(self, key: str, client: Client, account: str) -> None:
        with self._lock:
            old = self._clients.get(key)
            if old is not None and old[0] is not client:
                self._replaced[old[0]] = time.monotonic()
            self._clients[key] = (client, account)
            self._last_used[key] = time.monotonic()

    def idle_sessions(self, idle_seconds: float) -> list[requests.Session]:
        """The sessions of clients no call has asked for in `idle_seconds`."""
        now = time.monotonic()
        with self._lock:
            clients = [
                client
                for key, (client, _) in self._clients.items()
                if now - self._last_used.get(key, 0.0) >= idle_seconds
            ]
            clients += [c for c, at in list(self._replaced.items()) if now - at >= idle_seconds]
        sessions = [getattr(c, "session", None) for c in clients]
        return [s for s in sessions if isinstance(s, requests.Session)]

    async def client(
        self, instance: InstanceConfig, credential: dict[str, Any] | None
    ) -> tuple[Client, str]:
        """A logged-in client for the credential (cached) and the account it acts as."""
        if credential is None:
            raise HTTPError(401, f"No Rucio credentials saved for instance {instance.name}")
        if credential.get("method") == "userpass":
            with self._lock:
                # Signed in already (every request but the first): no trip through the pool.
                # Other methods read a certificate, proxy or token file that may have changed
                # or run out, which _client_sync checks on the pool.
                cached = self._cached(credential_fingerprint(instance, credential))
            if cached is not None:
                return cached
        return await self.run(self._client_sync, instance, credential)

    async def validate(self, instance: InstanceConfig, credential: dict[str, Any]) -> dict:
        """Log in from scratch (never with a cached token) and report account and expiry."""

        def check() -> dict[str, Any]:
            current = with_token_from_file(credential)
            client, account, expires_at = log_in(instance, current, self._token_root, self.timeout)
            self._cache(credential_fingerprint(instance, current), client, account)
            return {
                "account": account,
                "expires_at": expires_at,
                "credential_expires_at": iso_or_none(credential_expiry(current)),
            }

        return await self.run(check)


def _close_idle_connections(gateway_ref: weakref.ref, idle_seconds: float) -> None:
    """Every second, close the pooled connections of clients idle for `idle_seconds`; ends
    with the gateway."""
    while True:
        time.sleep(min(1.0, idle_seconds))
        gateway = gateway_ref()
        if gateway is None:
            return
        for session in gateway.idle_sessions(idle_seconds):
            try:
                close_idle_connections(session)
            except Exception:  # noqa: BLE001 - the next round tries again
                log.debug("closing idle Rucio connections failed", exc_info=True)
        del gateway
