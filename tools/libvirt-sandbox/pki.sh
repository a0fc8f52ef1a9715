#!/usr/bin/env bash
# Makes the certificates for libvirt's TLS transport with openssl, in libvirt's layout. Idempotent:
# an existing $out/ca/cacert.pem means the set is there and is kept.
#   pki.sh DIR [HOST-IP]   (HOST-IP default 127.0.0.1)
# DIR/ca/{cacert,cakey}.pem            the sandbox CA
# DIR/server/{servercert,serverkey}.pem for libvirtd (cert_file, key_file; ca_file = DIR/ca/cacert.pem),
#                                      subjectAltName IP:HOST-IP and DNS:virtuned-sandbox only — so
#                                      `localhost` is a wrong host name, on purpose
# DIR/client/                          pkipath for a good client: cacert.pem, clientcert.pem, clientkey.pem
# DIR/foreign/                         a client certificate from another CA; its cacert.pem holds both CAs,
#                                      so the client trusts libvirtd but libvirtd refuses the client
# DIR/expired/                         a client certificate of the sandbox CA that expired yesterday
# DIR/expired-server/                 a server certificate for HOST-IP that expired yesterday (for the client's check)
# DIR/untrusting/                      only the foreign CA in cacert.pem (and its client certificate):
#                                      libvirtd's certificate is untrusted
set -euo pipefail
out="${1:?usage: pki.sh DIR [HOST-IP]}"
ip="${2:-127.0.0.1}"
[ -f "$out/ca/cacert.pem" ] && exit 0
command -v openssl >/dev/null || { echo "pki: openssl is not installed" >&2; exit 1; }
tmp="$(mktemp -d "${out%/}.tmp.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp"/{ca,server,expired-server,client,foreign,expired,untrusting,foreign-ca}
key() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1" 2>/dev/null; }
ca() { # dir cn
  key "$1/cakey.pem"
  openssl req -x509 -new -key "$1/cakey.pem" -out "$1/cacert.pem" -days 3650 -subj "/O=virtuned sandbox/CN=$2" \
    -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign 2>/dev/null
}
sign() { # ca-dir cert key cn days ext...
  local cadir="$1" cert="$2" keyfile="$3" cn="$4" days="$5"; shift 5
  key "$keyfile"
  openssl req -new -key "$keyfile" -subj "/O=virtuned sandbox/CN=$cn" -out "$cert.csr" 2>/dev/null
  printf '%s\n' "$@" > "$cert.ext"
  openssl x509 -req -in "$cert.csr" -CA "$cadir/cacert.pem" -CAkey "$cadir/cakey.pem" -CAcreateserial \
    -days "$days" -extfile "$cert.ext" -out "$cert" 2>/dev/null
  rm -f "$cert.csr" "$cert.ext"
}
client_ext=(basicConstraints=critical,CA:FALSE keyUsage=critical,digitalSignature,keyEncipherment extendedKeyUsage=clientAuth)
ca "$tmp/ca" "virtuned sandbox CA"
ca "$tmp/foreign-ca" "some other CA"
sign "$tmp/ca" "$tmp/server/servercert.pem" "$tmp/server/serverkey.pem" "$ip" 3650 \
  basicConstraints=critical,CA:FALSE keyUsage=critical,digitalSignature,keyEncipherment extendedKeyUsage=serverAuth \
  "subjectAltName=IP:$ip,DNS:virtuned-sandbox"
sign "$tmp/ca" "$tmp/expired-server/servercert.pem" "$tmp/expired-server/serverkey.pem" "$ip" -1 \
  basicConstraints=critical,CA:FALSE keyUsage=critical,digitalSignature,keyEncipherment extendedKeyUsage=serverAuth \
  "subjectAltName=IP:$ip,DNS:virtuned-sandbox"
sign "$tmp/ca" "$tmp/client/clientcert.pem" "$tmp/client/clientkey.pem" "virtuned-client" 3650 "${client_ext[@]}"
cp "$tmp/ca/cacert.pem" "$tmp/client/cacert.pem"
sign "$tmp/foreign-ca" "$tmp/foreign/clientcert.pem" "$tmp/foreign/clientkey.pem" "virtuned-client" 3650 "${client_ext[@]}"
cat "$tmp/ca/cacert.pem" "$tmp/foreign-ca/cacert.pem" > "$tmp/foreign/cacert.pem"
sign "$tmp/ca" "$tmp/expired/clientcert.pem" "$tmp/expired/clientkey.pem" "virtuned-client" -1 "${client_ext[@]}"
cp "$tmp/ca/cacert.pem" "$tmp/expired/cacert.pem"
cp "$tmp/foreign-ca/cacert.pem" "$tmp/untrusting/cacert.pem"
cp "$tmp/foreign/clientcert.pem" "$tmp/foreign/clientkey.pem" "$tmp/untrusting/"
chmod 600 "$tmp"/*/*key.pem
mkdir -p "$(dirname "$out")"
rm -rf "$out"
mv "$tmp" "$out"
trap - EXIT
