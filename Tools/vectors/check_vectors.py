#!/usr/bin/env python3
"""Checks Schema/vectors/ with an implementation independent of the Swift code: Python's `rfc8785`
(JSON Canonicalization Scheme) and `cryptography` (Ed25519), following Schema/PROTOCOL.md only.
With `jsonschema` installed, it also checks the vectors' events against Schema/events/.

    pip install rfc8785 cryptography jsonschema
    python3 Tools/vectors/check_vectors.py [Schema/vectors]

Exits 0 when every vector checks out, 1 otherwise, printing one line per failure.
"""
import base64
import hashlib
import json
import os
import sys
from datetime import datetime

import rfc8785
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

HASHED = ["specversion", "id", "source", "type", "time", "subject", "datacontenttype", "data", "seq", "prevhash"]
ZERO = "0" * 64
failures = []


def fail(message):
    failures.append(message)
    print("FAIL", message)


def b64url_decode(text):
    if "=" in text:
        raise ValueError("padding")
    raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    if base64.urlsafe_b64encode(raw).decode().rstrip("=") != text:
        raise ValueError("not the canonical encoding")
    return raw


def b64url(raw):
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def event_hash(event):
    return hashlib.sha256(rfc8785.dumps({name: event[name] for name in HASHED})).digest()


def verify(public_key_b64, signature_b64, message):
    try:
        Ed25519PublicKey.from_public_bytes(b64url_decode(public_key_b64)).verify(b64url_decode(signature_b64), message)
        return True
    except (InvalidSignature, ValueError):
        return False


def device_of(public_key_b64):
    return hashlib.sha256(b64url_decode(public_key_b64)).hexdigest()[:20]


def link(previous, position, event_hash_hex, received, signature):
    document = {"event": event_hash_hex, "position": position, "previous": previous, "received": received,
                "signature": signature}
    return hashlib.sha256(rfc8785.dumps(document)).hexdigest()


class Log:
    """Follows a log line by line, as PROTOCOL.md's verification section says."""

    def __init__(self):
        self.position, self.chain = 0, ZERO
        self.keys = {}          # device id → public key (base64url); "server" → the server key
        self.revoked = set()
        self.devices = {}       # device id → (last seq, last hash hex)
        self.ids = set()

    def read(self, line):
        """Returns the list of (field, problem) found on this line."""
        problems = []
        stored = json.loads(line)
        event = {name: stored[name] for name in HASHED + ["signature"]}
        digest = event_hash(event).hex()
        if stored["position"] != self.position + 1:
            problems.append(("position", "does not follow"))
        if stored["chain"] != link(self.chain, stored["position"], digest, stored["received"], stored["signature"]):
            problems.append(("chain", "link does not match"))
        if event["id"] in self.ids:
            problems.append(("id", "seen before"))
        self.ids.add(event["id"])
        device = "server" if event["source"] == "/server" else event["source"][len("/devices/"):]
        data = event["data"]
        key = data["publicKey"] if event["type"] == "fieldsync.server.identified.v1" else self.keys.get(device)
        if key is None or not verify(key, event["signature"], bytes.fromhex(digest)):
            problems.append(("signature", "does not verify"))
        if device in self.revoked:
            problems.append(("source", "device revoked"))
        last_seq, last_hash = self.devices.get(device, (0, ZERO))
        if event["seq"] != last_seq + 1:
            problems.append(("seq", "device chain gap"))
        elif event["prevhash"] != last_hash:
            problems.append(("prevhash", "device chain broken"))
        self.devices[device] = (event["seq"], digest)
        self.position, self.chain = stored["position"], stored["chain"]
        if event["type"] == "fieldsync.server.identified.v1":
            self.keys["server"] = data["publicKey"]
        elif event["type"] == "fieldsync.device.enrolled.v1":
            if data["device"] != device_of(data["publicKey"]):
                problems.append(("data.device", "not the key's device id"))
            self.keys[data["device"]] = data["publicKey"]
        elif event["type"] == "fieldsync.device.revoked.v1":
            self.revoked.add(data["device"])
        return problems

    def head_problems(self, head):
        problems = []
        if head.get("type") != "fieldsync.chain-head.v1":
            problems.append(("type", "not a chain head"))
        if head.get("position") != self.position:
            problems.append(("position", "not the last position"))
        if head.get("chain") != self.chain:
            problems.append(("chain", "not the last link"))
        unsigned = {name: value for name, value in head.items() if name != "signature"}
        if not verify(self.keys["server"], head.get("signature", ""), hashlib.sha256(rfc8785.dumps(unsigned)).digest()):
            problems.append(("signature", "does not verify"))
        return problems


def check_schemas(folder, events, lines, broken):
    """Valid events and stored lines match Schema/events/; broken events with a shape problem do not."""
    try:
        from jsonschema import Draft202012Validator
        from referencing import Registry, Resource
    except ImportError:
        return "JSON schemas not checked (no jsonschema)"
    schema_folder = os.path.join(folder, "..", "events")
    resources = []
    for name in sorted(os.listdir(schema_folder)):
        with open(os.path.join(schema_folder, name), encoding="utf-8") as file:
            resources.append((name, Resource.from_contents(json.load(file))))
    registry = Registry().with_resources(resources)

    def validator(name):
        return Draft202012Validator(registry[name].contents, registry=registry)

    for item in events:
        errors = list(validator(item["event"]["type"] + ".schema.json").iter_errors(item["event"]))
        if errors:
            fail(f"events.json {item['name']}: schema: {errors[0].message}")
    stored = validator("stored-event.schema.json")
    for number, line in enumerate(lines, 1):
        errors = list(stored.iter_errors(json.loads(line)))
        if errors:
            fail(f"export.ndjson line {number}: schema: {errors[0].message}")
    refused = 0
    shape_codes = {"unknown-member", "unknown-version", "invalid-format", "not-allowed", "out-of-range"}
    for case in broken:
        if case["kind"] != "event" or case["expect"]["code"] not in shape_codes:
            continue
        event = json.loads(case["input"])
        name = event["type"] + ".schema.json"
        if name not in [resource_name for resource_name, _ in resources]:
            name = "fieldsync.turnout.counted.v1.schema.json"
        if not list(validator(name).iter_errors(event)):
            fail(f"broken.json {case['name']}: the schema accepts it")
        refused += 1
    return f"schemas: {len(events)} events and {len(lines)} stored lines match, {refused} broken events refused"


def instant(text):
    """An RFC 3339 time as microseconds since 1970 (§1)."""
    return int(datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp() * 1_000_000)


def station_counting(lines, station):
    """PROTOCOL.md §13, "Who counts" and the result statuses, for one station of a log without corrections:
    per seat the status, the counted devices, the held count and the standing verification; the held
    devices; the report-held and verification-outdated flags."""
    stations, coverage, roles, reviews, observations = {}, {}, {}, [], []
    for line in lines:
        event = json.loads(line)
        kind, data = event["type"], event["data"]
        if kind == "fieldsync.station.defined.v1":
            stations[data["code"]] = data
        elif kind == "fieldsync.device.assigned.v1":
            covered = coverage.setdefault(data["device"], (set(), set()))
            covered[0].update(data["stations"])
            covered[1].update(data["constituencies"])
        elif kind == "fieldsync.report.reviewed.v1" and data["station"] == station:
            reviews.append((event["seq"], event["id"], data))
        elif event["source"] != "/server" and event["subject"] == station:
            observations.append(event)
    definition = stations.get(station)
    seats_of_station = [definition["national"], definition["provincial"]] if definition else [station.rsplit("-", 1)[0]]

    def latest(candidates):
        return max(candidates, key=lambda item: item[0]) if candidates else None

    held, admitted = {}, set()
    for device in sorted({event["source"][len("/devices/"):] for event in observations}):
        decision = latest([(seq, review_id, data["decision"]) for seq, review_id, data in reviews
                           if data.get("device") == device and data["decision"] != "verified"])
        stations_covered, seats_covered = coverage.get(device, (set(), set()))
        covered = station in stations_covered or bool(seats_covered & set(seats_of_station))
        if decision and decision[2] == "rejected":
            held[device] = ("rejected", decision[1])
        elif (decision and decision[2] == "accepted") or covered:
            admitted.add(device)
        else:
            held[device] = ("unassigned", None)

    reports = {}   # seat → device → (instant, id, figures)
    held_reports = {}
    for event in observations:
        if event["type"] != "fieldsync.result.reported.v1":
            continue
        device, data = event["source"][len("/devices/"):], event["data"]
        key = (instant(event["time"]), event["id"])
        if device in held:
            held_reports.setdefault(data["constituency"], set()).add(device)
            continue
        current = reports.setdefault(data["constituency"], {}).get(device)
        if current is None or key > current[:2]:
            figures = (data["rejected"], data["totalCast"], {c: v for c, v in data["votes"].items() if v})
            reports[data["constituency"]][device] = key + (figures,)

    results, flags = {}, []
    for seat in sorted(set(seats_of_station) | set(reports) | set(held_reports)):
        by_device = reports.get(seat, {})
        devices = sorted(by_device)
        figures = [by_device[device][2] for device in devices]
        status = ["unreported", "reported"][len(devices)] if len(devices) < 2 else (
            "confirmed" if all(f == figures[0] for f in figures) else "disputed")
        verification = latest([(seq, review_id, data) for seq, review_id, data in reviews
                               if data["decision"] == "verified" and data["constituency"] == seat])
        standing = None
        if verification:
            ids = {by_device[device][1] for device in devices}
            if status in ("reported", "confirmed") and ids == set(verification[2]["events"]):
                status, standing = "verified", verification[1]
            else:
                flags.append("verification-outdated")
        results[seat] = {"status": status, "devices": devices, "held": len(held_reports.get(seat, ())),
                         "verification": standing}
    flags += ["report-held" for device in held if held[device][0] == "unassigned"]
    return {"results": results, "flags": sorted(flags),
            "held": [{"device": device, "reason": reason, "review": review}
                     for device, (reason, review) in sorted(held.items())]}


def check_counting(folder, export_lines):
    path = os.path.join(folder, "counting.json")
    with open(path, encoding="utf-8") as file:
        counting = json.load(file)
    base = export_lines[:counting["baseLines"]]
    for case in counting["cases"]:
        log = Log()
        for number, line in enumerate(base + case["lines"], 1):
            for field, problem in log.read(line):
                fail(f"counting.json {case['name']} line {number}: {field} {problem}")
        found = station_counting(base + case["lines"], "NA-248-017")
        expected = dict(case["expect"])
        expected["flags"] = sorted(expected["flags"])
        if found != expected:
            fail(f"counting.json {case['name']}: expected {expected}, computed {found}")
    return len(counting["cases"])


def main(folder):
    def load(name):
        with open(os.path.join(folder, name), encoding="utf-8") as file:
            return json.load(file)

    keys = {}
    for entry in load("keys.json")["keys"]:
        seed = hashlib.sha256(entry["seedLabel"].encode()).digest()
        public = Ed25519PrivateKey.from_private_bytes(seed).public_key().public_bytes_raw()
        if seed.hex() != entry["privateSeedHex"] or b64url(public) != entry["publicKey"]:
            fail(f"keys.json {entry['name']}: seed or public key")
        if hashlib.sha256(public).hexdigest()[:20] != entry["deviceOfKey"]:
            fail(f"keys.json {entry['name']}: device id")
        keys[entry["name"]] = entry["publicKey"]

    for case in load("canonical.json")["cases"]:
        if rfc8785.dumps(json.loads(case["input"])).decode() != case["canonical"]:
            fail(f"canonical.json {case['name']}")

    for item in load("events.json")["events"]:
        event, name = item["event"], item["name"]
        hashed = rfc8785.dumps({member: event[member] for member in HASHED}).decode()
        if hashed != item["hashed"]:
            fail(f"events.json {name}: canonical form")
        if hashlib.sha256(hashed.encode()).hexdigest() != item["hash"]:
            fail(f"events.json {name}: hash")
        if rfc8785.dumps(event).decode() != item["submitted"]:
            fail(f"events.json {name}: submitted form")
        if not verify(keys[item["signer"]], event["signature"], bytes.fromhex(item["hash"])):
            fail(f"events.json {name}: signature")

    log = Log()
    with open(os.path.join(folder, "export.ndjson"), encoding="utf-8") as file:
        lines = file.read().splitlines()
    for number, line in enumerate(lines, 1):
        for field, problem in log.read(line):
            fail(f"export.ndjson line {number}: {field} {problem}")
    for field, problem in log.head_problems(load("head.json")):
        fail(f"head.json: {field} {problem}")

    counting = check_counting(folder, lines)
    schemas = check_schemas(folder, load("events.json")["events"], lines, load("broken.json")["cases"])

    checked = 0
    for case in load("broken.json")["cases"]:
        expect, name = case["expect"], case["name"]
        if case["kind"] == "export":
            broken = Log()
            first = next(((number, found) for number, line in enumerate(case["input"], 1)
                          if (found := broken.read(line))), None)
            if first is None or first[0] != expect["line"] or expect["field"] not in [f for f, _ in first[1]]:
                fail(f"broken.json {name}: expected line {expect['line']} {expect['field']}, found {first}")
            checked += 1
        elif case["kind"] == "head":
            if expect["field"] not in [f for f, _ in log.head_problems(case["input"])]:
                fail(f"broken.json {name}: the head was accepted")
            checked += 1
        elif expect["code"] == "bad-signature":
            event = json.loads(case["input"])
            device = "server" if event["source"] == "/server" else event["source"][len("/devices/"):]
            if device in log.keys and verify(log.keys[device], event["signature"], event_hash(event)):
                fail(f"broken.json {name}: the signature verified")
            checked += 1

    print(f"{'FAILED' if failures else 'ok'}: keys, canonical cases, {len(load('events.json')['events'])} events, "
          f"{len(lines)} export lines, head, {checked} broken vectors, {counting} counting cases checked in Python; "
          f"{schemas}")
    return 1 if failures else 0


if __name__ == "__main__":
    default = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "Schema", "vectors")
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else default))
