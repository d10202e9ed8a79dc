"""gunicorn settings of the local Rucio's HTTPS front end (dev/rucio.sh starts it with -c).

Client certificates are optional (userpass and token logins need none) but, when one is sent, it
must chain to the test CA; RFC 3820 proxies are accepted, as mod_ssl does with
`SSLVerifyClient optional` on a grid host. The certificate, key and CA come from the command line.
"""

import ssl


def ssl_context(conf, default_ssl_context_factory):
    context = default_ssl_context_factory()
    context.verify_mode = ssl.CERT_OPTIONAL
    context.verify_flags |= ssl.VERIFY_ALLOW_PROXY_CERTS
    return context
