#!/usr/bin/env bash
# A self-signed certificate for 127.0.0.1 and localhost, for `make serve` only: production
# settings send secure cookies only over HTTPS, so the local production server speaks TLS.
set -euo pipefail
dir="${1:-.data/tls}"
mkdir -p "$dir"
if [ ! -s "$dir/cert.pem" ]; then
  openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj "/CN=localhost" \
    -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" \
    -keyout "$dir/key.pem" -out "$dir/cert.pem" 2>/dev/null
  chmod 600 "$dir/key.pem"
fi
echo "$dir"
