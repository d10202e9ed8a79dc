"""What a credential says about itself, read on the server before Rucio is asked.

Certificates, proxies and OIDC access tokens carry their own end of validity: the extension
reads it (without checking signatures: Rucio and its TLS front end do that) to show how long a
credential lasts, to warn before it runs out, and to refuse an expired one with a message that
says what to do instead of the TLS alert or the bare 401 that Rucio would give.
"""

from __future__ import annotations

import base64
import binascii
import json
import os
import re
from datetime import datetime, timezone
from typing import Any

from rucio.common.exception import CannotAuthenticate

_PEM_CERTIFICATE = re.compile(
    rb"-----BEGIN CERTIFICATE-----\s*(.+?)\s*-----END CERTIFICATE-----", re.DOTALL
)
# Larger files are not certificates, proxies or tokens; they are not read whole.
_MAX_CREDENTIAL_BYTES = 1 << 20
# An access token as a bearer token may be written (RFC 6750 b64token), and its longest form.
_BEARER_TOKEN = re.compile(r"^[A-Za-z0-9._~+/-]+=*$")
MAX_TOKEN_CHARS = 16384


def default_proxy_path() -> str:
    """Where grid tools leave the proxy: `X509_USER_PROXY`, else /tmp/x509up_u<uid>."""
    return os.environ.get("X509_USER_PROXY") or f"/tmp/x509up_u{os.getuid()}"  # noqa: S108


def _read_bytes(path: str, what: str) -> bytes:
    try:
        with open(path, "rb") as handle:
            return handle.read(_MAX_CREDENTIAL_BYTES)
    except OSError as error:
        raise CannotAuthenticate(f"cannot read the {what} {path}: {error.strerror}") from error


def _der_element(data: bytes, offset: int) -> tuple[int, int, int]:
    """(tag, start of the content, end of the content) of the DER element at `offset`."""
    tag, length = data[offset], data[offset + 1]
    start = offset + 2
    if length & 0x80:
        count = length & 0x7F
        length = int.from_bytes(data[start : start + count], "big")
        start += count
    end = start + length
    if end > len(data):
        raise ValueError("truncated DER")
    return tag, start, end


def _der_time(tag: int, text: str) -> datetime:
    # UTCTime (tag 0x17, YYMMDDHHMMSSZ) or GeneralizedTime (0x18, YYYYMMDDHHMMSSZ).
    pattern = "%y%m%d%H%M%SZ" if tag == 0x17 else "%Y%m%d%H%M%SZ"
    return datetime.strptime(text, pattern).replace(tzinfo=timezone.utc)


def certificate_not_after(der: bytes) -> datetime:
    """The notAfter of a DER X.509 certificate (RFC 5280: tbsCertificate.validity)."""
    _, cert_start, _ = _der_element(der, 0)
    _, tbs_start, tbs_end = _der_element(der, cert_start)
    offset = tbs_start
    fields: list[tuple[int, int, int]] = []
    while offset < tbs_end and len(fields) < 5:
        element = _der_element(der, offset)
        fields.append(element)
        offset = element[2]
    if fields and fields[0][0] == 0xA0:  # [0] version, present from v2 on
        fields = fields[1:]
    # serialNumber, signature, issuer, validity
    _, validity_start, _ = fields[3]
    _, _, not_before_end = _der_element(der, validity_start)
    tag, start, end = _der_element(der, not_before_end)
    return _der_time(tag, der[start:end].decode("ascii"))


def certificates_not_after(path: str, what: str) -> datetime:
    """When the first certificate of a PEM file (a certificate, or a proxy's chain) expires."""
    blocks = _PEM_CERTIFICATE.findall(_read_bytes(path, what))
    if not blocks:
        raise CannotAuthenticate(f"the {what} {path} holds no PEM certificate")
    try:
        # A proxy ends when the first certificate of its chain does.
        return min(certificate_not_after(base64.b64decode(block)) for block in blocks)
    except (ValueError, IndexError, binascii.Error) as error:
        raise CannotAuthenticate(f"the {what} {path} holds an unreadable certificate") from error


def jwt_claims(token: str) -> dict[str, Any]:
    """The claims of a JWT, unverified; {} for a token that is not a JWT (Rucio's own)."""
    parts = token.split(".")
    if len(parts) != 3:
        return {}
    try:
        payload = base64.urlsafe_b64decode(parts[1] + "=" * (-len(parts[1]) % 4))
        claims = json.loads(payload)
    except (ValueError, binascii.Error):
        return {}
    return claims if isinstance(claims, dict) else {}


def token_not_after(token: str) -> datetime | None:
    exp = jwt_claims(token).get("exp")
    if isinstance(exp, (int, float)) and not isinstance(exp, bool):
        return datetime.fromtimestamp(exp, tz=timezone.utc)
    return None


def read_token_file(path: str) -> str:
    """An access token kept in a file (JupyterHub and token agents rewrite it in place)."""
    token = _read_bytes(path, "token file").decode("utf-8", "replace").strip()
    if not token:
        raise CannotAuthenticate(f"the token file {path} is empty")
    if len(token) > MAX_TOKEN_CHARS or not _BEARER_TOKEN.match(token):
        raise CannotAuthenticate(f"the token file {path} does not hold an access token")
    return token


def _when(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M UTC")


def credential_expiry(credential: dict[str, Any]) -> datetime | None:
    """When the credential itself stops being valid (None: it does not say, e.g. a password)."""
    method = credential.get("method")
    if method == "x509" and credential.get("cert_path"):
        return certificates_not_after(credential["cert_path"], "certificate")
    if method == "x509_proxy" and credential.get("proxy_path"):
        return certificates_not_after(credential["proxy_path"], "proxy")
    if method == "oidc" and credential.get("token"):
        return token_not_after(credential["token"])
    return None


def _fresh_token_hint() -> str:
    # A JupyterHub single-user server knows its hub: the hub's login renews the token.
    base_url = os.environ.get("JUPYTERHUB_BASE_URL")
    if base_url and os.environ.get("JUPYTERHUB_SERVICE_PREFIX"):
        login = f"{base_url.rstrip('/')}/hub/login"
        return f"your hub session has ended: sign in to the hub again at {login}"
    return "sign in to the hub again or choose a fresh token"


def check_not_expired(credential: dict[str, Any], now: datetime | None = None) -> datetime | None:
    """The credential's expiry; raises CannotAuthenticate with what to do if it has passed."""
    expires = credential_expiry(credential)
    if expires is None or expires > (now or datetime.now(timezone.utc)):
        return expires
    method = credential["method"]
    if method == "x509_proxy":
        message = (
            f"the X.509 proxy {credential['proxy_path']} expired at {_when(expires)}; "
            "make a new one (voms-proxy-init) and sign in again"
        )
    elif method == "x509":
        message = f"the certificate {credential['cert_path']} expired at {_when(expires)}"
    else:
        message = f"the OIDC access token expired at {_when(expires)}; " + _fresh_token_hint()
    raise CannotAuthenticate(message)


def with_token_from_file(credential: dict[str, Any]) -> dict[str, Any]:
    """An OIDC credential whose token lives in a file: the file's current token (read now)."""
    if credential.get("method") == "oidc" and credential.get("token_file"):
        return dict(credential, token=read_token_file(credential["token_file"]))
    return credential
