#!/usr/bin/env bash
# Test certificates of the local Rucio (openssl), kept in one directory of the state dir:
#   ca.pem, ca.key          a certificate authority that signs everything below
#   host.pem, host.key      the server's certificate for localhost / 127.0.0.1
#   usercert.pem, userkey.pem
#                           jdoe's grid certificate (DN in user.dn, RFC 2253 as mod_ssl gives it)
#   x509up                  an RFC 3820 proxy of it (proxy cert, its key, the user cert), 12 h,
#                           made again when less than 6 h are left
#   x509up_expired          the same kind of proxy, expired since 2020
#   oidc-signing.key        the RSA key the local OIDC issuer signs its tokens with
# Usage: bash dev/pki.sh DIR      (idempotent; private keys and proxies are 0600)
set -euo pipefail

DIR="$1"
USER_SUBJECT="/C=CH/O=Rucio Dev/OU=Users/CN=John Doe"
mkdir -p "$DIR"
chmod 0700 "$DIR"
cd "$DIR"
umask 077

quiet() {  # command...: run openssl, show its output only when it fails
  local out
  if ! out="$("$@" 2>&1)"; then
    echo "$out" >&2
    return 1
  fi
}

new_key() { [[ -s "$1" ]] || quiet openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$1"; }

if [[ ! -s ca.pem ]]; then
  new_key ca.key
  quiet openssl req -x509 -new -key ca.key -out ca.pem -days 3650 -subj "/O=Rucio Dev/CN=Rucio Dev CA" \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
    -addext "subjectKeyIdentifier=hash"
  rm -f host.pem usercert.pem
fi

sign() {  # csr, out, extension lines: a certificate of the CA, valid for a year
  printf '%b' "$3" > "$2.ext"
  quiet openssl x509 -req -in "$1" -CA ca.pem -CAkey ca.key -CAcreateserial -days 365 \
    -extfile "$2.ext" -out "$2"
  rm -f "$1" "$2.ext"
}

if [[ ! -s host.pem ]]; then
  new_key host.key
  quiet openssl req -new -key host.key -out host.csr -subj "/O=Rucio Dev/CN=localhost"
  sign host.csr host.pem "basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\nsubjectAltName=DNS:localhost,IP:127.0.0.1\n"
fi

if [[ ! -s usercert.pem ]]; then
  new_key userkey.pem
  quiet openssl req -new -key userkey.pem -out user.csr -subj "$USER_SUBJECT"
  sign user.csr usercert.pem "basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment,dataEncipherment\nextendedKeyUsage=clientAuth\n"
fi
openssl x509 -in usercert.pem -noout -subject -nameopt RFC2253 | sed 's/^subject=//' > user.dn

# Proxies are signed by the user's certificate, as voms-proxy-init / grid-proxy-init do: subject =
# the user's DN plus one CN holding the proxy's serial number, proxyCertInfo critical (RFC 3820).
# `openssl ca` because it sets both dates (an expired proxy needs a start and an end in the past).
proxy() {  # out, start, end (YYYYmmddHHMMSSZ)
  local serial
  serial="$(od -An -N4 -tu4 /dev/urandom | tr -d ' ')"
  rm -rf proxy-ca && mkdir proxy-ca && : > proxy-ca/index.txt && printf '%08X\n' "$serial" > proxy-ca/serial
  cat > proxy-ca/ca.cnf <<CNF
[ca]
default_ca = proxy
[proxy]
database = proxy-ca/index.txt
new_certs_dir = proxy-ca
serial = proxy-ca/serial
default_md = sha256
policy = any
unique_subject = no
[any]
commonName = supplied
[proxy_ext]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature,keyEncipherment
proxyCertInfo = critical,language:id-ppl-inheritAll
CNF
  openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out proxy-ca/key.pem 2>/dev/null
  quiet openssl req -new -key proxy-ca/key.pem -out proxy-ca/req.csr -subj "$USER_SUBJECT/CN=$serial"
  quiet openssl ca -batch -config proxy-ca/ca.cnf -cert usercert.pem -keyfile userkey.pem \
    -in proxy-ca/req.csr -out proxy-ca/cert.pem -startdate "$2" -enddate "$3" \
    -extensions proxy_ext -preserveDN -notext
  # The grid layout: proxy certificate, its private key, then the chain up to the CA.
  openssl x509 -in proxy-ca/cert.pem > "$1.tmp"
  cat proxy-ca/key.pem usercert.pem >> "$1.tmp"
  chmod 0600 "$1.tmp"
  mv "$1.tmp" "$1"
  rm -rf proxy-ca
}

stamp() { date -u -d "$1" +%Y%m%d%H%M%SZ; }
if [[ ! -s x509up ]] || ! openssl x509 -in x509up -noout -checkend 21600 >/dev/null 2>&1; then
  proxy x509up "$(stamp '-5 minutes')" "$(stamp '+12 hours')"
fi
[[ -s x509up_expired ]] || proxy x509up_expired 20200101000000Z 20200101120000Z

new_key oidc-signing.key
chmod 0600 ./*.key userkey.pem x509up x509up_expired
