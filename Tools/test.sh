#!/usr/bin/env bash
# Runs every test of FieldSync: checks the formatting (swift-format), builds the program and the tests,
# then `swift test` (unit, PostgreSQL, HTTP, end-to-end and browser tests), the protocol's vectors in
# Python, the deployment checks in Deploy/checks, and schemathesis against the API document. Tests
# start their own PostgreSQL with the project's launcher.
#
#     Tools/test.sh                      # everything (what CI runs)
#     Tools/test.sh --fast               # everything but the fault campaign, the browser tests, the
#                                        # deployment checks and schemathesis: a developer's loop
#     Tools/test.sh --filter SyncTests   # some tests only (no deployment checks)
#
# What the tests need beyond a Swift toolchain (PostgreSQL's server programs, libpq and OpenSSL
# headers, pkg-config) is installed with apt-get when missing and when this runs as root.
set -euo pipefail
cd "$(dirname "$0")/.."

fast=false
if [ "${1:-}" = "--fast" ]; then
    fast=true
    shift
    # The suites tagged faultCampaign or browser skip themselves (Tests/FieldSyncTestSupport/TestScope.swift).
    export FIELDSYNC_TESTS=fast
fi

Tools/install-prerequisites.sh

# Formatting first: the code must be as swift-format (configured in .swift-format) writes it. To
# format: swift format -i --recursive --parallel --configuration .swift-format Sources Tests Tools Package.swift
swift format lint --strict --recursive --parallel --configuration .swift-format Sources Tests Tools Package.swift

swift build --build-tests
# The fault campaign (Tests/EndToEndTests/FaultCampaign) writes its count here; printed at the end.
export FIELDSYNC_FAULT_REPORT="$PWD/.build/fault-campaign.txt"
rm -f "$FIELDSYNC_FAULT_REPORT"
# Its output is kept too: when a test fails, the failures are printed again at the end, where a
# reader of a long run's last lines finds them.
test_output=.build/swift-test-output.txt
status=0
swift test --skip-build "$@" 2>&1 | tee "$test_output" || status=$?
if [ "$status" -ne 0 ]; then
    echo "== failed (swift test exited with $status)"
    grep -E '^(✘|error:)|: error:|Fatal error|unexpected signal' "$test_output" | grep -v '^✘ Suite ' || true
    exit "$status"
fi

# The protocol's test vectors, checked by an implementation that shares no code with ours.
python3 Tools/vectors/check_vectors.py Schema/vectors

# The deployment checks, with the program just built: PostgreSQL roles, the service's own user and
# its systemd units, TLS and limits through nginx, and a backup that restores; then schemathesis.
# Skipped when tests are filtered (arguments given) and in a fast run.
if [ $# -eq 0 ] && [ "$fast" = false ]; then
    export FIELDSYNC="$(swift build --show-bin-path)/fieldsync"
    for check in Deploy/checks/roles.sh Deploy/checks/service-user.sh Deploy/checks/tls.sh \
        Deploy/checks/backup-restore.sh; do
        echo "== $check"
        bash "$check"
    done
    # The running server against Schema/openapi.yaml: no 5xx, answers as documented (about 3 minutes).
    echo "== Tools/schemathesis.sh"
    bash Tools/schemathesis.sh
fi

if [ -f "$FIELDSYNC_FAULT_REPORT" ]; then
    echo "== fault campaign"
    cat "$FIELDSYNC_FAULT_REPORT"
fi
