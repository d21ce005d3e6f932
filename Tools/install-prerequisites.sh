#!/usr/bin/env bash
# Installs the system packages FieldSync builds and tests with, only those that are missing.
# Needs root (apt-get); as another user it only reports what is missing.
set -euo pipefail

packages=()
command -v pkg-config >/dev/null 2>&1 || packages+=(pkg-config)
pkg-config --exists libpq 2>/dev/null || packages+=(libpq-dev)
pkg-config --exists libcrypto 2>/dev/null || packages+=(libssl-dev)
pkg-config --exists zlib 2>/dev/null || packages+=(zlib1g-dev)
if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 && ! command -v initdb >/dev/null 2>&1; then
    packages+=(postgresql)
fi
command -v setpriv >/dev/null 2>&1 || packages+=(util-linux)
# A headless browser for the dashboard's browser test (Tests/DashboardTests).
if ! command -v chromium >/dev/null 2>&1 && ! command -v chromium-browser >/dev/null 2>&1; then
    packages+=(chromium)
fi
# The deployment checks (Deploy/checks): nginx in front of the server, curl, openssl for a certificate.
[ -x /usr/sbin/nginx ] || command -v nginx >/dev/null 2>&1 || packages+=(nginx)
command -v curl >/dev/null 2>&1 || packages+=(curl)
command -v openssl >/dev/null 2>&1 || packages+=(openssl)

if [ ${#packages[@]} -gt 0 ]; then
    if [ "$(id -u)" -ne 0 ]; then
        echo "missing system packages: ${packages[*]} (install them with apt-get as root)" >&2
        exit 1
    fi
    echo "installing missing system packages: ${packages[*]}"
    export DEBIAN_FRONTEND=noninteractive
    # Packages with a service (postgresql, nginx) must not start it: the tests run their own.
    made_policy=0
    if [ ! -e /usr/sbin/policy-rc.d ]; then
        printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
        chmod 0755 /usr/sbin/policy-rc.d
        made_policy=1
    fi
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${packages[@]}"
    if [ $made_policy = 1 ]; then rm -f /usr/sbin/policy-rc.d; fi
fi

# Python packages for the independent check of the protocol's test vectors.
if ! python3 -c "import rfc8785, cryptography, jsonschema" >/dev/null 2>&1; then
    echo "installing Python packages: rfc8785 cryptography jsonschema"
    python3 -m pip install --quiet --disable-pip-version-check rfc8785 cryptography jsonschema
fi
# schemathesis, which checks the running server against Schema/openapi.yaml (Tools/schemathesis.sh).
if ! python3 -c "import schemathesis" >/dev/null 2>&1; then
    echo "installing Python packages: schemathesis"
    python3 -m pip install --quiet --disable-pip-version-check schemathesis
fi
