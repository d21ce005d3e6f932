#!/usr/bin/env bash
# Runs every test of FieldSync: builds the program and the tests, then `swift test` (unit, PostgreSQL,
# HTTP, end-to-end and browser tests). Tests start their own PostgreSQL with the project's launcher.
#
# What the tests need beyond a Swift toolchain (PostgreSQL's server programs, libpq and OpenSSL
# headers, pkg-config) is installed with apt-get when missing and when this runs as root.
set -euo pipefail
cd "$(dirname "$0")/.."

Tools/install-prerequisites.sh
swift build --build-tests
swift test --skip-build "$@"

# The protocol's test vectors, checked by an implementation that shares no code with ours.
python3 Tools/vectors/check_vectors.py Schema/vectors
