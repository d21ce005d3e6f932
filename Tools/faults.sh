#!/usr/bin/env bash
# Runs the fault campaign alone (Tests/EndToEndTests/FaultCampaign) and prints its count: a polling day
# of reporters, with photos of their Form-45s, syncing through a proxy that delays, cuts, resets and
# damages their connections, while the server is killed mid-batch and mid-photo, PostgreSQL crashes and
# restarts, reporters' processes are killed while recording, syncing and uploading a photo, and
# colleagues carry their days and photos in bundles; after every fault, the invariant (each event on the
# server exactly once, chains intact, tallies equal to an independent fold, the export verified; every
# photo a stored event names stored once and intact, none stored that no event names, no upload piece
# left of a stored photo, none pending on the reporter's laptop).
#
#     Tools/faults.sh                 # 200 faults (as Tools/test.sh runs it)
#     Tools/faults.sh 800 7           # 800 faults, seed 7
set -euo pipefail
cd "$(dirname "$0")/.."

faults=${1:-200}
seed=${2:-20240208}
case "$faults$seed" in
*[!0-9]*) echo "usage: Tools/faults.sh [FAULTS] [SEED] (both whole numbers)" >&2; exit 64 ;;
esac

Tools/install-prerequisites.sh
swift build --build-tests
export FIELDSYNC_FAULTS=$faults FIELDSYNC_FAULT_SEED=$seed
export FIELDSYNC_FAULT_REPORT="$PWD/.build/fault-campaign.txt"
rm -f "$FIELDSYNC_FAULT_REPORT"
status=0
swift test --skip-build --filter FaultCampaignTests >&2 || status=$?
if [ -f "$FIELDSYNC_FAULT_REPORT" ]; then cat "$FIELDSYNC_FAULT_REPORT"; fi
exit $status
