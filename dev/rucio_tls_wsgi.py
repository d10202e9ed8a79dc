"""The local Rucio behind HTTPS: the client certificate's DN in the environ, as mod_ssl puts it.

Rucio's X.509 login (`/auth/x509`, `/auth/x509_proxy`) reads `SSL_CLIENT_S_DN`, which Apache's
mod_ssl sets (`SSLOptions +StdEnvVars`) from the verified client certificate in RFC 2253 form:
for a proxy that is the proxy's own subject, the user's DN with the proxy's CN in front, which
Rucio strips (`strip_x509_proxy_attributes`). gunicorn has verified the chain during the
handshake (dev/rucio_tls_gunicorn.py); this wrapper only reads the result off the socket.
"""

from cryptography import x509
from rucio_wsgi import application as rucio_application

_MOD_SSL_KEYS = ("SSL_CLIENT_S_DN", "SSL_CLIENT_I_DN", "SSL_CLIENT_VERIFY")


def application(environ, start_response):
    for key in _MOD_SSL_KEYS:
        environ.pop(key, None)  # never from the request itself
    sock = environ.get("gunicorn.socket")
    der = sock.getpeercert(binary_form=True) if hasattr(sock, "getpeercert") else None
    environ["HTTPS"] = "on"
    if der:
        certificate = x509.load_der_x509_certificate(der)
        environ["SSL_CLIENT_S_DN"] = certificate.subject.rfc4514_string()
        environ["SSL_CLIENT_I_DN"] = certificate.issuer.rfc4514_string()
        environ["SSL_CLIENT_VERIFY"] = "SUCCESS"
    else:
        environ["SSL_CLIENT_VERIFY"] = "NONE"
    return rucio_application(environ, start_response)


__all__ = ["application"]
