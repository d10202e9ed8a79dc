"""A minimal OpenID Connect issuer for the local Rucio, over HTTPS with the test CA.

`serve` publishes what a resource server needs to check an access token on its own: the
discovery document (/.well-known/openid-configuration) and the signing key (/jwks). `mint`
prints an RS256 JWT access token such as an identity provider hands to JupyterHub, with the
issuer, audience and scope that Rucio's `[oidc]` settings expect (`bash dev/rucio.sh token`).
With `--registry DIR` it is also a login provider for JupyterHub (dev/oidc_provider.py: login
page, token endpoint with refresh tokens and token exchange, userinfo, revocation).

Usage:
  python dev/oidc_issuer.py serve --key KEY --cert CERT --certkey CERTKEY --issuer URL --port N
                                  [--registry DIR]
  python dev/oidc_issuer.py mint --key KEY --issuer URL --sub SUB [--lifetime S | --expired]
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import ssl
import sys
import time
import uuid
from http.server import ThreadingHTTPServer
from pathlib import Path

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

sys.path.insert(0, str(Path(__file__).parent))
import oidc_provider  # noqa: E402 - beside this file

AUDIENCE = "rucio"
SCOPE = "openid profile"


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def load_key(path: str) -> rsa.RSAPrivateKey:
    key = serialization.load_pem_private_key(Path(path).read_bytes(), password=None)
    assert isinstance(key, rsa.RSAPrivateKey)
    return key


def key_id(key: rsa.RSAPrivateKey) -> str:
    der = key.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return hashlib.sha256(der).hexdigest()[:16]


def jwks(key: rsa.RSAPrivateKey) -> dict:
    numbers = key.public_key().public_numbers()

    def number(value: int) -> str:
        return b64url(value.to_bytes((value.bit_length() + 7) // 8, "big"))

    return {
        "keys": [
            {
                "kty": "RSA",
                "use": "sig",
                "alg": "RS256",
                "kid": key_id(key),
                "n": number(numbers.n),
                "e": number(numbers.e),
            }
        ]
    }


def discovery(issuer: str) -> dict:
    return {
        "issuer": issuer,
        "authorization_endpoint": f"{issuer}/authorize",
        "token_endpoint": f"{issuer}/token",
        "introspection_endpoint": f"{issuer}/introspect",
        "userinfo_endpoint": f"{issuer}/userinfo",
        "jwks_uri": f"{issuer}/jwks",
        "response_types_supported": ["code"],
        "subject_types_supported": ["public"],
        "id_token_signing_alg_values_supported": ["RS256"],
        "scopes_supported": ["openid", "profile"],
        "grant_types_supported": [
            "authorization_code",
            "refresh_token",
            "urn:ietf:params:oauth:grant-type:token-exchange",
        ],
        "revocation_endpoint": f"{issuer}/revoke",
    }


def mint(
    key: rsa.RSAPrivateKey,
    issuer: str,
    sub: str,
    lifetime: int,
    now: float,
    audience: str = AUDIENCE,
) -> str:
    header = {"alg": "RS256", "typ": "JWT", "kid": key_id(key)}
    claims = {
        "iss": issuer,
        "sub": sub,
        "aud": audience,
        "scope": SCOPE,
        "iat": int(now),
        "nbf": int(now),
        "exp": int(now) + lifetime,
        "jti": str(uuid.uuid4()),
        "client_id": "jupyterhub",
    }
    signing_input = ".".join(
        b64url(json.dumps(part, separators=(",", ":")).encode()) for part in (header, claims)
    )
    signature = key.sign(signing_input.encode(), padding.PKCS1v15(), hashes.SHA256())
    return f"{signing_input}.{b64url(signature)}"


def serve(args: argparse.Namespace) -> None:
    key = load_key(args.key)
    documents = {
        "/.well-known/openid-configuration": discovery(args.issuer),
        "/jwks": jwks(key),
    }

    # Without a registry there are no clients and no users: the issuer only publishes its keys.
    provider = oidc_provider.Provider(
        Path(args.registry or "/nonexistent"),
        args.issuer,
        lambda **claims: mint(key, args.issuer, now=time.time(), **claims),
    )
    Handler = oidc_provider.make_handler(provider, documents)  # noqa: N806 - a class

    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(args.cert, args.certkey)
    server = ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    print(f"OIDC issuer {args.issuer} listening", flush=True)
    server.serve_forever()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    serve_parser = commands.add_parser("serve")
    serve_parser.add_argument("--key", required=True)
    serve_parser.add_argument("--cert", required=True)
    serve_parser.add_argument("--certkey", required=True)
    serve_parser.add_argument("--issuer", required=True)
    serve_parser.add_argument("--port", type=int, required=True)
    serve_parser.add_argument("--registry", help="directory of clients.json and users.json")
    mint_parser = commands.add_parser("mint")
    mint_parser.add_argument("--key", required=True)
    mint_parser.add_argument("--issuer", required=True)
    mint_parser.add_argument("--sub", required=True)
    mint_parser.add_argument("--lifetime", type=int, default=3600)
    mint_parser.add_argument("--expired", action="store_true")
    args = parser.parse_args()
    if args.command == "serve":
        serve(args)
    else:
        # An expired token: issued two hours ago, valid for one.
        now = time.time() - 7200 if args.expired else time.time()
        print(mint(load_key(args.key), args.issuer, args.sub, args.lifetime, now))


if __name__ == "__main__":
    main()
