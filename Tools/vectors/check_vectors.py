#!/usr/bin/env python3
"""Checks Schema/vectors/ with an implementation independent of the Swift code: Python's `rfc8785`
(JSON Canonicalization Scheme) and `cryptography` (Ed25519), following Schema/PROTOCOL.md only.
With `jsonschema` installed, it also checks the vectors' events against Schema/events/.

    pip install rfc8785 cryptography jsonschema
    python3 Tools/vectors/check_vectors.py [Schema/vectors]

What it does from the protocol alone: keys from their seeds; canonical forms; event hashes and
signatures; the verification of a log line by line in the order of §12 (JSON, canonical lines,
position, global chain, ids, signatures, device chains, revocations, a pinned server key) and of the
signed head; the broken event vectors (each must have its named problem and no other this script can
see: JSON, the time and text rules of §1 and §9, the JSON schemas, signatures, and the §10 rules the
vectors exercise); the accepted event vectors; who counts (counting.json); the whole fold of §13
(tallies.json, byte for byte, and each station's summary for each of its seats); the Merkle tree of §17 (tree.json: roots, proofs, the signed tree head) and
witnesses' cosignatures of its head (cosignatures.json, §17.7); and the bundles of §18 (bundles.json: read
and checked in the order of §18.2, each refusal's kind, device and seq).

Exits 0 when every vector checks out, 1 otherwise, printing one line per failure.
"""
import base64
import datetime
import hashlib
import json
import os
import re
import sys

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


# ---------------------------------------------------------------------------------------------------------------
# §1 times, §2 JSON, §9 texts

TIME = re.compile(r"^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))?(?:([Zz])|([+-])(\d{2}):(\d{2}))$")


def days_from_civil(year, month, day):
    y = year - 1 if month <= 2 else year
    era = (y if y >= 0 else y - 399) // 400
    year_of_era = y - era * 400
    day_of_year = (153 * (month - 3 if month > 2 else month + 9) + 2) // 5 + day - 1
    return era * 146097 + year_of_era * 365 + year_of_era // 4 - year_of_era // 100 + day_of_year - 719468


def instant(text):
    """An RFC 3339 time as §1 says, as microseconds since 1970-01-01T00:00:00Z; None if it is not one."""
    match = TIME.match(text) if isinstance(text, str) else None
    if not match:
        return None
    year, month, day, hour, minute, second = (int(match.group(n)) for n in range(1, 7))
    leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
    last = [31, 29 if leap else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1] if 1 <= month <= 12 else 0
    if not (1 <= day <= last and hour <= 23 and minute <= 59 and second <= 59):
        return None
    offset = 0
    if match.group(9):
        hours, minutes = int(match.group(10)), int(match.group(11))
        if hours > 23 or minutes > 59:
            return None
        offset = (hours * 60 + minutes) * (-1 if match.group(9) == "-" else 1)
    fraction = int((match.group(7) or "").ljust(6, "0"))
    seconds = days_from_civil(year, month, day) * 86400 + hour * 3600 + minute * 60 + second - offset * 60
    return seconds * 1_000_000 + fraction


def text_problem(text, limit, free=False):
    """The code of what is wrong with name/district text (free=False) or free text, or None (§9)."""
    if len(text) == 0:
        return "empty"
    if len(text) > limit:
        return "too-long"
    if any((ord(c) < 0x20 and not (free and c in "\n\r\t")) or ord(c) == 0x7F for c in text):
        return "invalid-format"
    return None


class NotJSON(ValueError):
    pass


def strict_json(text):
    """Parses text as §2 says, or raises NotJSON."""
    def pairs(items):
        names = [name for name, _ in items]
        if len(set(names)) != len(names):
            raise NotJSON("duplicate member")
        return dict(items)

    def refuse(value):
        raise NotJSON(f"not an integer: {value}")

    try:
        value = json.loads(text, object_pairs_hook=pairs, parse_float=refuse, parse_constant=refuse)
    except json.JSONDecodeError as error:
        raise NotJSON(str(error))

    def walk(item, depth):
        if depth > 64:
            raise NotJSON("too deep")
        if isinstance(item, bool) or item is None:
            return
        if isinstance(item, int) and abs(item) > 2**53 - 1:
            raise NotJSON("integer out of range")
        strings = [item] if isinstance(item, str) else list(item) if isinstance(item, dict) else []
        for string in strings:
            if "\0" in string or any(0xD800 <= ord(c) <= 0xDFFF for c in string):
                raise NotJSON("U+0000 or a lone surrogate")
        children = item.values() if isinstance(item, dict) else item if isinstance(item, list) else []
        for child in children:
            walk(child, depth + 1)

    if isinstance(text, (bytes, bytearray)) and text.startswith(b"\xef\xbb\xbf"):
        raise NotJSON("byte order mark")
    walk(value, 1)
    return value


# ---------------------------------------------------------------------------------------------------------------
# §12: a log, line by line, in the order of its checks

class Log:
    """Follows a log line by line, as PROTOCOL.md §12 says. Problems are (field, code) in the order of §12."""

    def __init__(self, pinned=None):
        self.position, self.chain = 0, ZERO
        self.keys = {}          # device id → public key (base64url); "server" → the server key
        self.roles = {}
        self.revoked = set()
        self.devices = {}       # device id → (last seq, last hash hex)
        self.ids = set()
        self.events = {}        # id → event, for corrections
        self.calendar = None    # the election's calendar (§9.1 election.defined): name → instant
        self.election_id = None
        self.pinned = pinned

    def read(self, line):
        """Returns the list of (field, code) problems of this line (bytes or text, without its line feed)."""
        raw = line.encode() if isinstance(line, str) else line
        try:
            stored = strict_json(raw)
        except NotJSON:
            self.position += 1
            return [("", "invalid-json")]
        if rfc8785.dumps(stored) != raw:
            self.position += 1
            return [("", "not-canonical")]
        problems = []
        event = {name: stored[name] for name in HASHED + ["signature"]}
        digest = event_hash(event).hex()
        if self.pinned and event["type"] == "fieldsync.server.identified.v1" and event["data"]["publicKey"] != self.pinned:
            problems.append(("data.publicKey", "bad-signature"))
        if stored["position"] != self.position + 1:
            problems.append(("position", "chain-broken"))
        if stored["chain"] != link(self.chain, stored["position"], digest, stored["received"], stored["signature"]):
            problems.append(("chain", "chain-broken"))
        if event["id"] in self.ids:
            problems.append(("id", "already-defined"))
        device = "server" if event["source"] == "/server" else event["source"][len("/devices/"):]
        data = event["data"]
        key = data["publicKey"] if event["type"] == "fieldsync.server.identified.v1" else self.keys.get(device)
        if key is None:
            problems.append(("source", "unknown-device"))
        elif not verify(key, event["signature"], bytes.fromhex(digest)):
            problems.append(("signature", "bad-signature"))
        last_seq, last_hash = self.devices.get(device, (0, ZERO))
        if event["seq"] != last_seq + 1:
            problems.append(("seq", "chain-broken"))
        elif event["prevhash"] != last_hash:
            problems.append(("prevhash", "chain-broken"))
        if device != "server":
            if device not in self.roles:
                problems.append(("source", "unknown-device"))
            else:
                if device in self.revoked:
                    problems.append(("source", "device-revoked"))
                if self.roles[device] != "reporter":
                    problems.append(("source", "role-not-allowed"))
        self.apply(stored, digest)
        return problems

    def apply(self, stored, digest):
        event, data = stored, stored["data"]
        device = "server" if event["source"] == "/server" else event["source"][len("/devices/"):]
        self.position, self.chain = stored["position"], stored["chain"]
        self.ids.add(event["id"])
        self.events.setdefault(event["id"], event)
        self.devices[device] = (event["seq"], digest)
        if event["type"] == "fieldsync.server.identified.v1":
            self.keys["server"] = data["publicKey"]
        elif event["type"] == "fieldsync.election.defined.v1":
            self.calendar = {name: instant(data[name]) for name in CALENDAR_MEMBERS}
            self.election_id = data["id"]
        elif event["type"] == "fieldsync.device.enrolled.v1":
            self.keys[data["device"]] = data["publicKey"]
            self.roles[data["device"]] = data["role"]
        elif event["type"] == "fieldsync.device.revoked.v1":
            self.revoked.add(data["device"])

    def head_problems(self, head):
        """The problems of a signed head, in the order of §12."""
        problems = []
        if head.get("type") != "fieldsync.chain-head.v1":
            problems.append(("type", "unknown-type"))
        if head.get("position") != self.position:
            problems.append(("position", "chain-broken"))
        if head.get("chain") != self.chain:
            problems.append(("chain", "chain-broken"))
        if instant(head.get("time")) is None:
            problems.append(("time", "invalid-format"))
        for name in sorted(set(head) - {"type", "position", "chain", "time", "signature", "publicKey"}):
            problems.append((name, "unknown-member"))
        if "publicKey" in head and head["publicKey"] != self.keys["server"]:
            problems.append(("publicKey", "bad-signature"))
        unsigned = {name: value for name, value in head.items() if name != "signature"}
        if not problems and not verify(self.keys["server"], head.get("signature", ""),
                                       hashlib.sha256(rfc8785.dumps(unsigned)).digest()):
            problems.append(("signature", "bad-signature"))
        return problems


# ---------------------------------------------------------------------------------------------------------------
# §10: one submitted event against the reference data of a log's first lines

# The calendar's members of an election definition; a log's observations are checked against the last one read.
CALENDAR_MEMBERS = ["pollingOpens", "pollingCloses", "observationsFrom", "observationsUntil", "correctionsUntil"]
UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
TYPES = ["server.identified", "election.defined", "constituency.defined", "station.defined", "candidate.defined",
         "device.enrolled", "device.revoked", "device.assigned", "report.reviewed", "official.published",
         "station.opened", "station.closed",
         "agents.observed", "turnout.counted", "incident.observed", "result.reported", "report.corrected"]
COUNTS = ["votesCast", "male", "female", "votersInQueue", "registeredVoters", "rejected", "totalCast"]
NAME_TEXTS = {"name": 200, "district": 100, "reporter": 200}
FREE_TEXTS = ["description", "reason"]


def data_members(schema_folder, kind):
    """The members `data` may have for a type, from its JSON schema."""
    with open(os.path.join(schema_folder, kind + ".schema.json"), encoding="utf-8") as file:
        return set(json.load(file)["properties"]["data"]["properties"])


def shape_problems(event, schema_folder):
    """The §10.1 problems this script can see, in no particular order."""
    problems = []
    for name in sorted(set(event) - set(HASHED) - {"signature"}):
        problems.append((name, "not-allowed" if name in ("position", "received", "chain") else "unknown-member"))
    if not UUID.match(event.get("id", "")):
        problems.append(("id", "invalid-format"))
    kind = event.get("type", "")
    known = [f"fieldsync.{name}.v1" for name in TYPES]
    if kind not in known:
        same = any(kind.rsplit(".", 1)[0] == k.rsplit(".", 1)[0] for k in known)
        return problems + [("type", "unknown-version" if same else "unknown-type")]
    if instant(event.get("time")) is None:
        problems.append(("time", "invalid-format"))
    try:
        if len(b64url_decode(event.get("signature", ""))) != 64:
            raise ValueError
    except ValueError:
        problems.append(("signature", "invalid-format"))
    if event.get("seq") == 1 and event.get("prevhash") != ZERO:
        problems.append(("prevhash", "chain-broken"))
    problems += data_problems(event["data"], kind, "data", schema_folder)
    return problems


def photo_problems(data, path, details_required=False):
    """§9.2: photoSize and photoType come together, only beside photoSha256, within their limits; an
    incident's photoSha256 needs both of them."""
    problems = []
    if "photoSha256" not in data:
        problems += [(f"{path}.{name}", "not-allowed") for name in ("photoSize", "photoType") if name in data]
    if ("photoSize" in data) != ("photoType" in data):
        problems.append((f"{path}.{'photoSize' if 'photoType' in data else 'photoType'}", "missing-member"))
    elif details_required and "photoSha256" in data and "photoSize" not in data:
        problems.append((f"{path}.photoSize", "missing-member"))
    size = data.get("photoSize")
    if size is not None and not (isinstance(size, int) and 1 <= size <= 8 * 1024 * 1024):
        problems.append((f"{path}.photoSize", "out-of-range"))
    if "photoType" in data and data["photoType"] not in ("image/jpeg", "image/png"):
        problems.append((f"{path}.photoType", "not-allowed"))
    return problems


def data_problems(data, kind, path, schema_folder):
    problems = [(f"{path}.{name}", "unknown-member") for name in sorted(set(data) - data_members(schema_folder, kind))]
    for name in ("openedAt", "closedAt", "asOf", "occurredAt", *CALENDAR_MEMBERS):
        if name in data and instant(data[name]) is None:
            problems.append((f"{path}.{name}", "invalid-format"))
    for name, limit in NAME_TEXTS.items():
        if isinstance(data.get(name), str) and text_problem(data[name], limit):
            problems.append((f"{path}.{name}", text_problem(data[name], limit)))
    for name in FREE_TEXTS:
        if isinstance(data.get(name), str) and text_problem(data[name], 2000, free=True):
            problems.append((f"{path}.{name}", text_problem(data[name], 2000, free=True)))
    for name in COUNTS:
        if isinstance(data.get(name), int) and data[name] < 0:
            problems.append((f"{path}.{name}", "out-of-range"))
    counts = ("fieldsync.result.reported.v1", "fieldsync.official.published.v1")
    if kind in counts and sum(data["votes"].values()) + data["rejected"] != data["totalCast"]:
        problems.append((f"{path}.totalCast", "totals-mismatch"))
    if kind == "fieldsync.official.published.v1":
        problems += official_shape_problems(data, path)
    if kind == "fieldsync.result.reported.v1":
        problems += photo_problems(data, path)
    if kind == "fieldsync.incident.observed.v1":
        problems += photo_problems(data, path, details_required=True)
    if kind == "fieldsync.device.assigned.v1":
        for member in ("stations", "constituencies"):
            for offset, code in enumerate(data[member]):
                if code in data[member][:offset]:
                    problems.append((f"{path}.{member}[{offset}]", "duplicate"))
        if not data["stations"] and not data["constituencies"]:
            problems.append((f"{path}.stations", "empty"))
    if kind == "fieldsync.election.defined.v1":
        if not re.match(r"^[a-z][a-z0-9-]{0,63}$", data["id"]):
            problems.append((f"{path}.id", "invalid-format"))
        if not re.match(r"^[+-]((0[0-9]|1[0-3]):[0-5][0-9]|14:00)$", data["utcOffset"]):
            problems.append((f"{path}.utcOffset", "invalid-format"))
        times = {name: instant(data[name]) for name in CALENDAR_MEMBERS}
        for earlier, later in (("pollingOpens", "pollingCloses"), ("observationsFrom", "pollingOpens"),
                               ("pollingCloses", "observationsUntil"), ("observationsUntil", "correctionsUntil")):
            if times[earlier] is not None and times[later] is not None and times[later] < times[earlier]:
                problems.append((f"{path}.{later}", "out-of-range"))
    if kind == "fieldsync.report.reviewed.v1" and data.get("decision") == "verified" and "device" in data:
        problems.append((f"{path}.device", "not-allowed"))
    if kind == "fieldsync.report.corrected.v1" and "replacement" in data:
        replacement = data["replacement"]
        problems += data_problems(replacement["data"], replacement["type"], path + ".replacement.data", schema_folder)
    return problems


def official_shape_problems(data, path):
    """§9.1, §10.1: an official import's form, its station, its source address."""
    problems = []
    if data["form"] not in ("45", "47", "49"):
        problems.append((f"{path}.form", "not-allowed"))
    elif data["form"] == "45" and "station" not in data:
        problems.append((f"{path}.station", "missing-member"))
    elif data["form"] != "45" and "station" in data:
        problems.append((f"{path}.station", "not-allowed"))
    station, seat = data.get("station"), data["constituency"]
    if station and seat.startswith("NA-") and station.rsplit("-", 1)[0] != seat:
        problems.append((f"{path}.constituency", "not-allowed"))
    source = data.get("sourceUrl")
    if source is not None and not re.match(r"^[hH][tT][tT][pP][sS]?://[^\x00-\x20\x7f]+$", source):
        problems.append((f"{path}.sourceUrl", "invalid-format"))
    return problems


def official_reference_problems(data, stations, constituencies, candidates):
    """§10.2: an official import's station, seat and candidates against the reference data."""
    problems, seat = [], data["constituency"]
    if "station" in data:
        station = stations.get(data["station"])
        if station is None:
            problems.append(("data.station", "unknown-station"))
        else:
            if seat not in station_seats(station):
                problems.append(("data.constituency", "constituency-not-of-station"))
            if data["totalCast"] > station["voters"]["total"]:
                problems.append(("data.totalCast", "above-registered"))
    if seat not in constituencies:
        return problems + [("data.constituency", "unknown-constituency")]
    for candidate in sorted(data["votes"]):
        if candidate not in candidates:
            problems.append((f"data.votes.{candidate}", "unknown-candidate"))
        elif candidates[candidate] != seat:
            problems.append((f"data.votes.{candidate}", "candidate-not-standing"))
    problems += [(f"data.votes.{c}", "missing-candidate") for c in sorted(candidates)
                 if candidates[c] == seat and c not in data["votes"]]
    return problems


def reference_problems(event, log):
    """The §10.2 problems this script can see, against the reference data the log has read."""
    problems, data, kind = [], event["data"], event["type"]
    device = "server" if event["source"] == "/server" else event["source"][len("/devices/"):]
    stations, constituencies, candidates = {}, set(), {}
    for seen in log.events.values():
        if seen["type"] == "fieldsync.station.defined.v1":
            stations[seen["data"]["code"]] = seen["data"]
        elif seen["type"] == "fieldsync.constituency.defined.v1":
            constituencies.add(seen["data"]["code"])
        elif seen["type"] == "fieldsync.candidate.defined.v1":
            candidates[seen["data"]["id"]] = seen["data"]["constituency"]
    if device != "server":
        if device not in log.roles:
            problems.append(("source", "unknown-device"))
        elif device in log.revoked:
            problems.append(("source", "device-revoked"))
        elif log.roles[device] != "reporter":
            problems.append(("source", "role-not-allowed"))
    if kind == "fieldsync.device.assigned.v1":
        problems += [(f"data.stations[{n}]", "unknown-station") for n, c in enumerate(data["stations"])
                     if c not in stations]
        problems += [(f"data.constituencies[{n}]", "unknown-constituency") for n, c in enumerate(data["constituencies"])
                     if c not in constituencies]
    if kind == "fieldsync.election.defined.v1" and log.election_id not in (None, data["id"]):
        problems.append(("data.id", "already-defined"))
    if kind == "fieldsync.official.published.v1":
        problems += official_reference_problems(data, stations, constituencies, candidates)
    if kind in ("fieldsync.report.reviewed.v1", "fieldsync.official.published.v1"):
        if kind == "fieldsync.report.reviewed.v1" and data["station"] not in stations:
            problems.append(("data.station", "unknown-station"))
        if data["editor"] not in log.roles:
            problems.append(("data.editor", "unknown-device"))
        elif log.roles[data["editor"]] not in ("editor", "admin"):
            problems.append(("data.editor", "role-not-allowed"))
    if event["source"] == "/server":
        return problems
    station = stations.get(event["subject"])
    if station is None:
        problems.append(("subject", "unknown-station"))
    time = instant(event["time"])
    calendar = log.calendar
    if calendar is None:
        return problems + [("time", "outside-window")]
    correcting = kind == "fieldsync.report.corrected.v1"
    until = calendar["correctionsUntil" if correcting else "observationsUntil"]
    if not calendar["observationsFrom"] <= time <= until:
        problems.append(("time", "outside-window"))
    if kind == "fieldsync.result.reported.v1" and time < calendar["pollingCloses"]:
        problems.append(("time", "outside-window"))
    if correcting:
        target = log.events.get(data["corrects"])
        if target is None:
            problems.append(("data.corrects", "unknown-event"))
        elif target["source"] != event["source"]:
            problems.append(("data.corrects", "source-mismatch"))
        elif target["seq"] >= event["seq"]:
            problems.append(("data.corrects", "not-correctable"))
        if "replacement" in data:
            replacement = data["replacement"]
            if target and replacement["type"] != target["type"]:
                problems.append(("data.replacement.type", "type-mismatch"))
            problems += observation_problems(replacement["type"], replacement["data"], "data.replacement.data", time,
                                             station, candidates, calendar)
    else:
        problems += observation_problems(kind, data, "data", time, station, candidates, calendar)
    return problems


def observation_problems(kind, data, path, time, station, candidates, calendar):
    """Times against their windows and the time of the event that carries them; figures against the station."""
    problems = []
    windows = {"openedAt": ("observationsFrom", "pollingCloses"), "closedAt": ("pollingOpens", "observationsUntil"),
               "asOf": ("pollingOpens", "observationsUntil"), "occurredAt": ("observationsFrom", "observationsUntil")}
    for name, (start, end) in windows.items():
        if name in data:
            if not calendar[start] <= instant(data[name]) <= calendar[end]:
                problems.append((f"{path}.{name}", "outside-window"))
            if instant(data[name]) > time:
                problems.append((f"{path}.{name}", "after-event-time"))
    if station and kind == "fieldsync.turnout.counted.v1":
        for name, limit in (("votesCast", "total"), ("male", "male"), ("female", "female")):
            if data.get(name, 0) > station["voters"][limit]:
                problems.append((f"{path}.{name}", "above-registered"))
    if kind == "fieldsync.result.reported.v1":
        if station and data["totalCast"] > station["voters"]["total"]:
            problems.append((f"{path}.totalCast", "above-registered"))
        standing = {c for c, seat in candidates.items() if seat == data["constituency"]}
        for candidate in data["votes"]:
            if candidate not in candidates:
                problems.append((f"{path}.votes.{candidate}", "unknown-candidate"))
            elif candidate not in standing:
                problems.append((f"{path}.votes.{candidate}", "candidate-not-standing"))
        problems += [(f"{path}.votes.{c}", "missing-candidate") for c in sorted(standing - set(data["votes"]))]
    return problems


def event_problems(text, log, schema_folder):
    """Every problem of one submitted event that this script can see: its shape first, and only if it has none,
    the rules against the reference data and the signature (§10)."""
    try:
        event = strict_json(text.encode())
    except NotJSON:
        return [("", "invalid-json")]
    problems = shape_problems(event, schema_folder)
    if problems:
        return problems
    problems = reference_problems(event, log)
    device = "server" if event["source"] == "/server" else event["source"][len("/devices/"):]
    key = event["data"]["publicKey"] if event["type"] == "fieldsync.server.identified.v1" else log.keys.get(device)
    if key is not None and not verify(key, event["signature"], event_hash(event)):
        problems.append(("signature", "bad-signature"))
    return problems


def check_event_vectors(folder, export_lines):
    """broken.json's events have their one problem and no other; accepted.json's events have none."""
    schema_folder = os.path.join(folder, "..", "events")
    checked = 0
    for name in ("broken.json", "accepted.json"):
        with open(os.path.join(folder, name), encoding="utf-8") as file:
            vectors = json.load(file)
        log = Log()
        for line in export_lines[:vectors["referenceLines"]]:
            log.read(line)
        for case in vectors["cases"]:
            if case.get("kind", "event") != "event":
                continue
            found = event_problems(case["input"], log, schema_folder)
            expected = [(case["expect"]["field"], case["expect"]["code"])] if "expect" in case else []
            if found != expected:
                fail(f"{name} {case['name']}: expected {expected}, found {found}")
            checked += 1
    return checked


# ---------------------------------------------------------------------------------------------------------------
# PROTOCOL.md §13, the fold, in Python: the documents of a set of stored events.

SEAT_PREFIXES = ["NA", "PP", "PS", "PK", "PB"]


def seat_key(code):
    """Seat order: the National Assembly first, then PP, PS, PK and PB (§4), each by number."""
    kind, number = code.split("-")
    return (SEAT_PREFIXES.index(kind), int(number))


def station_seats(definition):
    """The seats a station votes in, national first: its provincial seat too unless it has none (§9.1)."""
    return [definition["national"]] + ([definition["provincial"]] if "provincial" in definition else [])


def station_key(code):
    """Station order: by NA seat, then number (then width)."""
    kind, seat, number = code.split("-")
    return (int(seat), int(number), len(number))


def candidate_key(candidate_id):
    seat, number = candidate_id.rsplit("-C", 1)
    return (seat_key(seat), int(number), len(number))


def utf16_key(text):
    return text.encode("utf-16-be")


def observation_order(record):
    return (instant(record["time"]), record["id"])


def basis_points(cast, registered):
    return (2 * 10_000 * cast + registered) // (2 * registered) if registered > 0 else None


def turnout_object(stations, cast, registered):
    return {"basisPoints": basis_points(cast, registered), "registeredVoters": registered, "stations": stations,
            "votesCast": cast}


HOUR = 3_600_000_000


def turnout_by_hour(stations):
    """§13 turnoutByHour of stations given as (turnout history, registered voters): at each whole UTC hour at or
    after some count's asOf, each station's latest count as of then, summed over the stations that have one."""
    hours = sorted({-(-instant(count["asOf"]) // HOUR) * HOUR for history, _ in stations for count in history})
    points = []
    for hour in hours:
        counted, cast, registered = 0, 0, 0
        for history, total in stations:
            by_then = [count for count in history if instant(count["asOf"]) <= hour]
            if by_then:
                counted, cast, registered = counted + 1, cast + by_then[-1]["votesCast"], registered + total
        at = datetime.datetime.fromtimestamp(hour // 1_000_000, tz=datetime.timezone.utc)
        points.append({"at": at.strftime("%Y-%m-%dT%H:%M:%SZ"), **turnout_object(counted, cast, registered)})
    return points


def events_of(record):
    return [record["id"]] + ([record["correction"]] if record.get("correction") else [])


class Fold:
    """Folds stored events (dicts) as §13 says. Documents come out as Python values."""

    def __init__(self, events):
        self.constituencies, self.stations, self.candidates = {}, {}, {}
        self.coverage = {}           # device → (stations, seats)
        self.index = {}              # id → event
        self.facts = {}              # station → {"observations", "corrections", "reviews", "official"}: lists
        self.polling_opens = None    # from the election's definition: minutes late are counted from it
        self.seat_official = {}      # seat → its official Form-47 and Form-49 events
        self.postponed = set()       # the seats the election's definition postpones: roll-ups leave them out
        self.election = None         # the city's roll-up names the election (§13, "Roll-up document")
        for event in events:
            if event["id"] in self.index:
                continue
            self.index[event["id"]] = event
            kind, data = event["type"], event["data"]
            if event["source"] == "/server":
                if kind == "fieldsync.election.defined.v1":
                    self.polling_opens = instant(data["pollingOpens"])
                    self.postponed = set(data.get("postponed", []))
                    self.election = {"id": data["id"], "name": data["name"], "pollingOpens": data["pollingOpens"],
                                     "synthetic": data.get("synthetic", False)}
                elif kind == "fieldsync.constituency.defined.v1":
                    self.constituencies[data["code"]] = data
                elif kind == "fieldsync.station.defined.v1":
                    self.stations[data["code"]] = data
                elif kind == "fieldsync.candidate.defined.v1":
                    self.candidates[data["id"]] = data
                elif kind == "fieldsync.device.assigned.v1":
                    stations, seats = self.coverage.setdefault(data["device"], (set(), set()))
                    stations.update(data["stations"])
                    seats.update(data["constituencies"])
                elif kind == "fieldsync.report.reviewed.v1":
                    self.station_facts(data["station"])["reviews"].append(event)
                elif kind == "fieldsync.official.published.v1" and "station" in data:
                    self.station_facts(data["station"])["official"].append(event)
                elif kind == "fieldsync.official.published.v1":
                    self.seat_official.setdefault(data["constituency"], []).append(event)
                continue
            facts = self.station_facts(event["subject"])
            facts["corrections" if kind == "fieldsync.report.corrected.v1" else "observations"].append(event)

    def station_facts(self, code):
        return self.facts.setdefault(code, {"observations": [], "corrections": [], "reviews": [], "official": []})

    # Stations

    def station_codes(self):
        return sorted(set(self.stations) | set(self.facts), key=station_key)

    def station(self, code):
        definition = self.stations.get(code)
        facts = self.facts.get(code, {"observations": [], "corrections": [], "reviews": [], "official": []})
        reviews = facts["reviews"]

        def standing(test):
            chosen = [review for review in reviews if test(review["data"])]
            return max(chosen, key=lambda review: review["seq"]) if chosen else None

        def covers(device):
            stations, seats = self.coverage.get(device, (set(), set()))
            own = station_seats(definition) if definition else [code.rsplit("-", 1)[0]]
            return code in stations or bool(seats & set(own))

        devices = sorted({device_of_source(e["source"]) for e in facts["observations"] + facts["corrections"]})
        held = {}
        for device in devices:
            decision = standing(lambda d: d.get("device") == device and d["decision"] != "verified")
            if decision and decision["data"]["decision"] == "rejected":
                held[device] = ("rejected", decision["id"])
            elif not (decision and decision["data"]["decision"] == "accepted") and not covers(device):
                held[device] = ("unassigned", None)

        def split(kind):
            return [e for e in facts[kind] if device_of_source(e["source"]) not in held]

        held_documents = []
        for device in sorted(held):
            own = [e for e in facts["observations"] if device_of_source(e["source"]) == device]
            mine = [e for e in facts["corrections"] if device_of_source(e["source"]) == device]
            effective, _ = self.effective(code, own, mine)
            results = [{"constituency": seat, "report": report}
                       for seat, reports in self.results(effective, definition, [], no_defaults=True)
                       for report in reports]
            listed = sorted(effective, key=lambda record: record["id"])
            held_documents.append({"device": device, "events": [i for r in listed for i in events_of(r)],
                                   "reason": held[device][0], "results": results, "review": held[device][1]})

        effective, corrections = self.effective(code, split("observations"), split("corrections"))
        results = []
        for seat, reports in self.results(effective, definition, held_documents):
            results.append(self.result(seat, reports, held_documents, standing))
        by_kind = {}
        for record in effective:
            by_kind.setdefault(record["type"], []).append(record)
        incidents = sorted(by_kind.get("fieldsync.incident.observed.v1", []), key=observation_order)
        history = sorted(by_kind.get("fieldsync.turnout.counted.v1", []),
                         key=lambda r: (instant(r["data"]["asOf"]), r["id"]))
        registered = definition["voters"]["total"] if definition else None
        opening = self.opening(by_kind.get("fieldsync.station.opened.v1", []))
        closing = self.closing(by_kind.get("fieldsync.station.closed.v1", []))
        document = {
            "agents": self.agents(by_kind.get("fieldsync.agents.observed.v1", [])),
            "closing": closing,
            "corrections": corrections,
            "defined": definition is not None,
            "flags": [],
            "held": held_documents,
            "incidents": [{"description": r["data"]["description"], "device": r["device"], "events": events_of(r),
                           "kind": r["data"]["kind"], "occurredAt": r["data"].get("occurredAt"),
                           "photo": r["data"].get("photoSha256"),
                           "severity": r["data"]["severity"], "time": r["time"]} for r in incidents],
            "name": definition["name"] if definition else None,
            "national": definition["national"] if definition else None,
            "opening": opening,
            "provincial": definition.get("provincial") if definition else None,
            "registeredVoters": registered,
            "results": results,
            "station": code,
            "turnout": {
                "basisPoints": basis_points(history[-1]["data"]["votesCast"], registered)
                if history and registered is not None else None,
                "history": [self.reading(r) for r in history],
                "latest": self.reading(history[-1]) if history else None,
            },
        }
        document["official"] = self.official(facts["official"], results)
        document["flags"] = self.station_flags(code, definition, document, history, incidents, corrections,
                                               held_documents)
        return document

    @staticmethod
    def official(events, results):
        """§13 "Official figures": per seat, the standing official Form-45 against the field's reports."""
        by_seat = {}
        for event in events:
            if event["data"]["form"] == "45":
                by_seat.setdefault(event["data"]["constituency"], []).append(event)
        documents = []
        for seat in sorted(by_seat, key=seat_key):
            ordered = sorted(by_seat[seat], key=lambda e: e["seq"])
            standing = ordered[-1]["data"]
            result = next((r for r in results if r["constituency"] == seat), None)
            reports = []
            for report in result["reports"] if result else []:
                names = set(report["votes"]) | set(standing["votes"])
                differences = {c: report["votes"].get(c, 0) - standing["votes"].get(c, 0) for c in names}
                differences = {c: d for c, d in differences.items() if d != 0}
                rejected = report["rejected"] - standing["rejected"]
                total = report["totalCast"] - standing["totalCast"]
                reports.append({"device": report["device"], "differences": differences,
                                "equal": not differences and rejected == 0 and total == 0,
                                "events": report["events"], "rejected": rejected, "totalCast": total})
            documents.append({"constituency": seat, "event": ordered[-1]["id"], "fileSha256": standing["fileSha256"],
                              "rejected": standing["rejected"], "reports": reports,
                              "sourceUrl": standing.get("sourceUrl"), "superseded": [e["id"] for e in ordered[:-1]],
                              "totalCast": standing["totalCast"], "votes": standing["votes"]})
        return documents

    def effective(self, code, observations, corrections):
        """The observations as they stand after corrections, and the corrections' reports."""
        standing, valid, reports = {}, [], []
        for correction in corrections:
            data = correction["data"]
            target = self.index.get(data["corrects"])
            device = device_of_source(correction["source"])
            problem = None
            if target is None:
                problem = "no such event"
            elif device_of_source(target["source"]) != device:
                problem = f"the event is device {device_of_source(target['source'])}'s"
            elif target["seq"] >= correction["seq"]:
                problem = "the event is not earlier in the device's sequence"
            elif target["source"] == "/server" or target["type"] == "fieldsync.report.corrected.v1":
                problem = f"a {target['type'][:-3]} event cannot be corrected"
            elif target["subject"] != code:
                problem = f"the event is about station {target['subject']}"
            elif "replacement" in data and data["replacement"]["type"] != target["type"]:
                problem = f"a {data['replacement']['type'][:-3]} cannot replace a {target['type'][:-3]}"
            change = "retraction" if data.get("retracted") else "replacement"
            if problem:
                reports.append((device, correction["seq"], {
                    "change": change, "corrects": data["corrects"], "device": device, "event": correction["id"],
                    "outcome": "not-applied", "problem": problem, "supersededBy": None}))
                continue
            valid.append(correction)
            current = standing.get(data["corrects"])
            if current is None or current["seq"] < correction["seq"]:
                standing[data["corrects"]] = correction
        for correction in valid:
            data = correction["data"]
            winner = standing[data["corrects"]]
            device = device_of_source(correction["source"])
            reports.append((device, correction["seq"], {
                "change": "retraction" if data.get("retracted") else "replacement", "corrects": data["corrects"],
                "device": device, "event": correction["id"],
                "outcome": "applied" if winner is correction else "superseded", "problem": None,
                "supersededBy": None if winner is correction else winner["id"]}))
        effective = []
        for event in observations:
            record = {"id": event["id"], "device": device_of_source(event["source"]), "time": event["time"],
                      "type": event["type"], "data": event["data"], "correction": None}
            correction = standing.get(event["id"])
            if correction:
                if correction["data"].get("retracted"):
                    continue
                record["data"], record["correction"] = correction["data"]["replacement"]["data"], correction["id"]
            effective.append(record)
        return effective, [report for _, _, report in sorted(reports, key=lambda item: (item[0], item[1]))]

    @staticmethod
    def latest_per_device(records):
        latest = {}
        for record in records:
            if record["device"] not in latest or observation_order(latest[record["device"]]) < observation_order(record):
                latest[record["device"]] = record
        return latest

    def results(self, effective, definition, held_documents, no_defaults=False):
        """Per seat in seat order, the reports (each device's latest), in device order."""
        by_seat = {}
        for record in effective:
            if record["type"] == "fieldsync.result.reported.v1":
                by_seat.setdefault(record["data"]["constituency"], []).append(record)
        seats = set(by_seat)
        if definition and not no_defaults:
            seats |= set(station_seats(definition))
        for held in held_documents:
            seats |= {result["constituency"] for result in held["results"]}
        answer = []
        for seat in sorted(seats, key=seat_key):
            latest = self.latest_per_device(by_seat.get(seat, []))
            answer.append((seat, [{
                "device": device, "events": events_of(r), "photo": r["data"].get("photoSha256"),
                "registeredVoters": r["data"]["registeredVoters"],
                "rejected": r["data"]["rejected"], "time": r["time"], "totalCast": r["data"]["totalCast"],
                "votes": r["data"]["votes"]} for device, r in sorted(latest.items())]))
        return [item for item in answer if item[1] or not no_defaults]

    @staticmethod
    def figures(report):
        return (report["rejected"], report["totalCast"], {c: v for c, v in report["votes"].items() if v})

    def result(self, seat, reports, held_documents, standing):
        status = ["unreported", "reported"][len(reports)] if len(reports) < 2 else (
            "confirmed" if all(self.figures(r) == self.figures(reports[0]) for r in reports) else "disputed")
        events = [i for r in reports for i in r["events"]]
        verification = standing(lambda d: d["decision"] == "verified" and d["constituency"] == seat)
        standing_id, outdated = None, None
        if verification:
            if status in ("reported", "confirmed") and set(events) == set(verification["data"]["events"]):
                status, standing_id = "verified", verification["id"]
            else:
                outdated = verification["id"]
        counted = None
        if status in ("reported", "confirmed", "verified"):
            counted = {name: reports[0][name] for name in ("rejected", "totalCast", "votes")}
        value_range = None
        if status == "disputed":
            names = sorted({c for r in reports for c in r["votes"]}, key=utf16_key)
            value_range = {
                "maximum": {c: max(r["votes"].get(c, 0) for r in reports) for c in names},
                "minimum": {c: min(r["votes"].get(c, 0) for r in reports) for c in names},
                "rejected": {"maximum": max(r["rejected"] for r in reports),
                             "minimum": min(r["rejected"] for r in reports)},
                "totalCast": {"maximum": max(r["totalCast"] for r in reports),
                              "minimum": min(r["totalCast"] for r in reports)},
            }
        held = sum(1 for h in held_documents for result in h["results"] if result["constituency"] == seat)
        return {"constituency": seat, "counted": counted, "devices": len(reports), "events": events, "held": held,
                "range": value_range, "reports": reports, "status": status, "verification": standing_id,
                "_outdated": outdated}

    @staticmethod
    def reading(record):
        data = record["data"]
        return {"asOf": data["asOf"], "device": record["device"], "events": events_of(record),
                "female": data.get("female"), "male": data.get("male"), "votesCast": data["votesCast"]}

    def opening(self, records):
        latest = sorted(self.latest_per_device(records).values(), key=lambda r: r["id"])
        if not latest:
            return None
        chosen = min(latest, key=lambda r: (instant(r["data"]["openedAt"]), r["id"]))
        late = 0 if self.polling_opens is None else instant(chosen["data"]["openedAt"]) - self.polling_opens
        return {"devices": len(latest),
                "events": events_of(chosen) + [i for r in latest if r is not chosen for i in events_of(r)],
                "materialsComplete": chosen["data"]["materialsComplete"],
                "minutesLate": late // 60_000_000 if late > 0 else 0,
                "openedAt": chosen["data"]["openedAt"], "staffPresent": chosen["data"]["staffPresent"]}

    def closing(self, records):
        latest = sorted(self.latest_per_device(records).values(), key=lambda r: r["id"])
        if not latest:
            return None
        chosen = max(latest, key=lambda r: (instant(r["data"]["closedAt"]), r["id"]))
        return {"closedAt": chosen["data"]["closedAt"], "devices": len(latest),
                "events": events_of(chosen) + [i for r in latest if r is not chosen for i in events_of(r)],
                "votersInQueue": chosen["data"].get("votersInQueue")}

    def agents(self, records):
        parties = {}
        for record in self.latest_per_device(records).values():
            for party, presence in record["data"]["agents"].items():
                if party not in parties or observation_order(parties[party][1]) < observation_order(record):
                    parties[party] = (presence, record)
        return [{"events": events_of(record), "party": party, "presence": presence}
                for party, (presence, record) in sorted(parties.items(), key=lambda item: item[0].encode())]

    def station_flags(self, code, definition, document, history, incidents, corrections, held):
        flags = []

        def flag(flag_code, message, events):
            flags.append({"code": flag_code, "events": events, "message": message, "scope": "station",
                          "subject": code})

        own = set(station_seats(definition)) if definition else set()
        for result in document["results"]:
            seat = result["constituency"]
            if definition and seat not in own and result["reports"]:
                flag("form45-not-of-station", f"Form-45 for {seat}, a seat station {code} does not vote in",
                     result["events"])
            for report in result["reports"]:
                what = f"Form-45 for {seat} from device {report['device']}"
                valid = sum(report["votes"].values())
                if valid + report["rejected"] != report["totalCast"]:
                    flag("form45-totals-mismatch", f"{what}: candidates' votes {valid} + rejected {report['rejected']} "
                         f"is not the total cast {report['totalCast']}", report["events"])
                if report["totalCast"] > report["registeredVoters"]:
                    flag("form45-above-registered", f"{what}: total cast {report['totalCast']} is above the "
                         f"{report['registeredVoters']} registered voters printed on the form", report["events"])
                elif definition and report["totalCast"] > definition["voters"]["total"]:
                    flag("form45-above-registered", f"{what}: total cast {report['totalCast']} is above the "
                         f"station's {definition['voters']['total']} registered voters", report["events"])
        readings = [self.reading(r) for r in history]
        if definition:
            for r in readings:
                if r["votesCast"] > definition["voters"]["total"]:
                    flag("turnout-over-100", f"turnout count {r['votesCast']} as of {r['asOf']} from device "
                         f"{r['device']} is above the station's {definition['voters']['total']} registered voters",
                         r["events"])
        highest, index = None, 0
        while index < len(readings):
            end = index
            while end < len(readings) and instant(readings[end]["asOf"]) == instant(readings[index]["asOf"]):
                end += 1
            group = readings[index:end]
            if highest:
                for r in group:
                    if r["votesCast"] < highest["votesCast"]:
                        flag("turnout-decreased", f"turnout count {r['votesCast']} as of {r['asOf']} from device "
                             f"{r['device']} is lower than {highest['votesCast']} as of {highest['asOf']}",
                             r["events"] + highest["events"])
            for r in group:
                if r["votesCast"] > (highest["votesCast"] if highest else -1):
                    highest = r
            index = end
        closing = document["closing"]
        if closing and definition:
            status = {result["constituency"]: result["status"] for result in document["results"]}
            missing = [seat for seat in station_seats(definition)
                       if status.get(seat, "unreported") == "unreported"]
            if missing:
                flag("closed-without-result", f"closed at {closing['closedAt']} with no Form-45 for "
                     + " and ".join(missing), closing["events"])
        for incident in document["incidents"]:
            if incident["kind"] == "form45-refused":
                flag("form45-refused", f"Form-45 refused, reported by device {incident['device']} at "
                     f"{incident['time']}", incident["events"])
        for correction in corrections:
            if correction["outcome"] == "not-applied":
                flag("correction-not-applied", f"correction from device {correction['device']} of event "
                     f"{correction['corrects']} not applied: {correction['problem']}",
                     [correction["event"]] + ([correction["corrects"]] if correction["corrects"] in self.index else []))
        for device in held:
            if device["reason"] == "unassigned":
                seats = [result["constituency"] for result in device["results"]]
                flag("report-held", f"{len(device['events'])} events from device {device['device']}, which is not "
                     f"assigned to station {code}, are held for review"
                     + (", with a Form-45 for " + " and ".join(seats) if seats else ""), device["events"])
        refusals = [i for i in document["incidents"] if i["kind"] == "form45-refused"]
        for official in document["official"]:
            for report in official["reports"]:
                if report["equal"]:
                    continue
                parts = [f"{c} {d:+d}" for c, d in sorted(report["differences"].items())]
                parts += [f"rejected {report['rejected']:+d}"] if report["rejected"] else []
                parts += [f"total {report['totalCast']:+d}"] if report["totalCast"] else []
                flag("official-differs-from-field", f"the official Form-45 for {official['constituency']} differs "
                     f"from device {report['device']}'s: " + ", ".join(parts), [official["event"]] + report["events"])
            if refusals:
                reporters = "1 reporter" if len(refusals) == 1 else f"{len(refusals)} reporters"
                flag("official-for-refused-station", f"an official Form-45 for {official['constituency']} was "
                     f"published for a station where the Form-45 was refused to {reporters}",
                     [official["event"]] + [e for i in refusals for e in i["events"]])
        for result in document["results"]:
            if result["_outdated"]:
                flag("verification-outdated", f"the verification of the {result['constituency']} result no longer "
                     f"matches its reports (now {result['status']})", [result["_outdated"]] + result["events"])
        return sort_flags(flags)

    # Seats and roll-ups

    def seat_codes(self):
        codes = set(self.constituencies) | {c["constituency"] for c in self.candidates.values()}
        for station in self.stations.values():
            codes |= set(station_seats(station))
        return sorted(codes, key=seat_key)

    def seat(self, code, station_documents):
        definition = self.constituencies.get(code)
        counts = dict.fromkeys(("confirmed", "counted", "disputed", "held", "reported", "total", "unreported",
                                "verified"), 0)
        votes, verified, low, high = {}, {}, {}, {}
        rejected = cast = registered = live_stations = live_cast = live_registered = 0
        disputed_stations, disputed_events, rejecting_events = [], set(), set()
        disputed_rejected, disputed_cast = [0, 0], [0, 0]
        station_flags = {}
        histories = []
        all_registered = 0
        official45 = {"differing": 0, "rejected": 0, "stations": 0, "totalCast": 0, "votes": {}}
        official45_events = []
        for station_code, station in self.stations.items():
            if code not in station_seats(station):
                continue
            document = station_documents[station_code]
            total = station["voters"]["total"]
            all_registered += total
            for official in document["official"]:
                if official["constituency"] == code:
                    official45["stations"] += 1
                    official45["differing"] += any(not report["equal"] for report in official["reports"])
                    official45["rejected"] += official["rejected"]
                    official45["totalCast"] += official["totalCast"]
                    for candidate, count in official["votes"].items():
                        official45["votes"][candidate] = official45["votes"].get(candidate, 0) + count
                    official45_events.append(official["event"])
            histories.append((document["turnout"]["history"], total))
            result = next((r for r in document["results"] if r["constituency"] == code), None)
            status = result["status"] if result else "unreported"
            counts["total"] += 1
            counts[status] += 1
            if result and result["held"] > 0:
                counts["held"] += 1
            if status in ("reported", "confirmed", "verified"):
                counts["counted"] += 1
                for candidate, count in result["counted"]["votes"].items():
                    votes[candidate] = votes.get(candidate, 0) + count
                    if status == "verified":
                        verified[candidate] = verified.get(candidate, 0) + count
                rejected += result["counted"]["rejected"]
                cast += result["counted"]["totalCast"]
                registered += total
                if result["counted"]["rejected"] > 0:
                    rejecting_events |= set(result["events"])
            if status == "disputed":
                for candidate, count in result["range"]["minimum"].items():
                    low[candidate] = low.get(candidate, 0) + count
                for candidate, count in result["range"]["maximum"].items():
                    high[candidate] = high.get(candidate, 0) + count
                disputed_rejected[0] += result["range"]["rejected"]["minimum"]
                disputed_rejected[1] += result["range"]["rejected"]["maximum"]
                disputed_cast[0] += result["range"]["totalCast"]["minimum"]
                disputed_cast[1] += result["range"]["totalCast"]["maximum"]
                disputed_stations.append(station_code)
                disputed_events |= set(result["events"])
            if document["turnout"]["latest"]:
                live_stations += 1
                live_cast += document["turnout"]["latest"]["votesCast"]
                live_registered += total
            for flag in document["flags"]:
                station_flags[flag["code"]] = station_flags.get(flag["code"], 0) + 1
        ids = {c for c, d in self.candidates.items() if d["constituency"] == code}
        ids |= {c for sums in (votes, low, high) for c, n in sums.items() if n}
        candidates = []
        for candidate in ids:
            d = self.candidates.get(candidate)
            candidates.append({
                "backedBy": d.get("backedBy") if d else None, "candidate": candidate,
                "disputedMaximum": high.get(candidate, 0), "disputedMinimum": low.get(candidate, 0),
                "independent": (not d.get("party")) if d else None, "name": d["name"] if d else None,
                "party": d.get("party") if d else None, "verifiedVotes": verified.get(candidate, 0),
                "votes": votes.get(candidate, 0)})
        candidates.sort(key=lambda c: (-c["votes"], candidate_key(c["candidate"])))
        by_party = {"backedIndependentsApart": {}, "countingBackedIndependents": {}}
        for c in candidates:
            add_party(by_party, self.candidates.get(c["candidate"]), c["votes"])
        lead = None
        if counts["counted"] > 0 and candidates:
            runner = candidates[1] if len(candidates) > 1 else None
            lead = {"leader": candidates[0]["candidate"],
                    "margin": candidates[0]["votes"] - runner["votes"] if runner else None,
                    "runnerUp": runner["candidate"] if runner else None}
        flags = []
        if lead and lead["runnerUp"] and rejected > 0 and rejected >= lead["margin"]:
            flags.append({"code": "rejected-at-or-above-margin", "events": sorted(rejecting_events),
                          "message": f"{rejected} rejected ballots are at or above the margin of {lead['margin']} "
                                     f"between {lead['leader']} and {lead['runnerUp']}",
                          "scope": "constituency", "subject": code})
        if disputed_stations:
            n = len(disputed_stations)
            stations_text = "1 disputed station" if n == 1 else f"{n} disputed stations"
            message = None
            if lead:
                leader = candidates[0]
                floor = leader["votes"] + leader["disputedMinimum"]
                challengers = [c for c in candidates[1:] if c["votes"] + c["disputedMaximum"] >= floor]
                if challengers:
                    others = f" (and {len(challengers) - 1} more)" if len(challengers) > 1 else ""
                    message = (f"{stations_text} could put {challengers[0]['candidate']}{others} level with or ahead "
                               f"of the leader {leader['candidate']}")
            else:
                message = f"no station counts yet; the leader rests on {stations_text}"
            if message:
                flags.append({"code": "disputed-could-change-leader", "events": sorted(disputed_events),
                              "message": message, "scope": "constituency", "subject": code})
        official45["votes"] = {c: n for c, n in official45["votes"].items() if n}
        field = {"rejected": rejected, "totalCast": cast, "votes": votes}
        official = self.seat_official_document(code, official45, field, counts)
        if official:
            flags += self.seat_official_flags(code, official, sorted(official45_events), candidates, lead, counts,
                                              all_registered - registered, all_registered)
        return {
            "assembly": "national" if code.startswith("NA-") else "provincial",
            "candidates": candidates, "constituency": code, "defined": definition is not None,
            "disputed": {"rejected": {"maximum": disputed_rejected[1], "minimum": disputed_rejected[0]},
                         "stations": sorted(disputed_stations, key=station_key),
                         "totalCast": {"maximum": disputed_cast[1], "minimum": disputed_cast[0]}},
            "district": definition["district"] if definition else None,
            "flags": sort_flags(flags), "lead": lead,
            "liveTurnout": turnout_object(live_stations, live_cast, live_registered),
            "name": definition["name"] if definition else None, "official": official,
            "postponed": code in self.postponed, "rejected": rejected,
            "stationFlags": station_flags, "stations": counts, "totalCast": cast,
            "turnout": turnout_object(counts["counted"], cast, registered),
            "turnoutByHour": turnout_by_hour(histories), "_histories": histories,
            "validVotes": sum(c["votes"] for c in candidates), "votesByParty": by_party,
        }

    def seat_official_document(self, code, official45, field, counts):
        """§13 "Official figures", per seat: the standing Form-47 and 49 against the field and the Form-45s."""
        def comparison(figures, stations, official):
            names = set(figures["votes"]) | set(official["votes"])
            differences = {c: figures["votes"].get(c, 0) - official["votes"].get(c, 0) for c in names}
            differences = {c: d for c, d in differences.items() if d != 0}
            rejected = figures["rejected"] - official["rejected"]
            total = figures["totalCast"] - official["totalCast"]
            return {"differences": differences, "equal": not differences and rejected == 0 and total == 0,
                    "rejected": rejected, "stations": stations, "totalCast": total}

        forms = {}
        for form in ("47", "49"):
            events = sorted((e for e in self.seat_official.get(code, []) if e["data"]["form"] == form),
                            key=lambda e: e["seq"])
            if not events:
                forms[form] = None
                continue
            data = events[-1]["data"]
            forms[form] = {
                "event": events[-1]["id"], "field": comparison(field, counts["counted"], data),
                "fileSha256": data["fileSha256"],
                "form45": comparison(official45, official45["stations"], data) if official45["stations"] else None,
                "rejected": data["rejected"], "sourceUrl": data.get("sourceUrl"),
                "superseded": [e["id"] for e in events[:-1]], "totalCast": data["totalCast"], "votes": data["votes"]}
        if forms["47"] is None and forms["49"] is None and official45["stations"] == 0:
            return None
        if forms["49"]:
            standing, figures = "49", forms["49"]
        elif forms["47"]:
            standing, figures = "47", forms["47"]
        elif counts["total"] > 0 and official45["stations"] == counts["total"]:
            standing, figures = "45", official45
        else:
            standing, figures = None, None
        leader = None
        if figures and figures["votes"]:
            leader = min(figures["votes"], key=lambda c: (-figures["votes"][c], candidate_key(c)))
        return {"form45": dict(official45), "form47": forms["47"], "form49": forms["49"], "leader": leader,
                "standing": standing}

    @staticmethod
    def seat_official_flags(code, official, form45_events, candidates, lead, counts, uncounted_registered,
                            registered):
        """§13 flags: field-changes-winner and official-exceeds-stations."""
        def stations(n):
            return "1 station" if n == 1 else f"{n} stations"

        flags = []
        standing, leader = official["standing"], official["leader"]
        if lead and standing and leader and leader != lead["leader"]:
            votes = {c["candidate"]: c["votes"] for c in candidates}
            ahead = votes.get(lead["leader"], 0) - votes.get(leader, 0)
            if ahead > uncounted_registered:
                name = "Form-45s" if standing == "45" else f"Form-{standing}"
                events = form45_events if standing == "45" else [official["form" + standing]["event"]]
                flags.append({"code": "field-changes-winner", "events": events,
                              "message": f"the field's counted votes put {lead['leader']} ahead of {leader}, the leader "
                                         f"on the official {name}, by {ahead} votes, more than the "
                                         f"{uncounted_registered} registered voters of the "
                                         f"{stations(counts['total'] - counts['counted'])} the field does not count",
                              "scope": "constituency", "subject": code})
        if counts["total"] == 0:
            return flags
        for form in ("47", "49"):
            result = official["form" + form]
            if not result:
                continue
            bounds = []
            sum45 = official["form45"]
            if sum45["stations"] == counts["total"] and result["totalCast"] > sum45["totalCast"]:
                bounds.append(f"the {sum45['totalCast']} ballots cast on the official Form-45s of its "
                              f"{stations(counts['total'])}")
            if result["totalCast"] > registered:
                bounds.append(f"the {registered} registered voters of its {stations(counts['total'])}")
            if bounds:
                flags.append({"code": "official-exceeds-stations", "events": [result["event"]],
                              "message": f"the official Form-{form} total cast {result['totalCast']} exceeds "
                                         + " and ".join(bounds), "scope": "constituency", "subject": code})
        return flags

    def roll_up(self, district, seats, postponed):
        # Each assembly on its own: NA, and each provincial assembly by its seats' prefix (§13, "Roll-ups").
        assemblies, flags = {}, {}
        for prefix in ["NA"] + sorted({seat["constituency"].split("-")[0] for seat in seats} - {"NA"}):
            assemblies[prefix] = {"official": {"seats": 0, "seatsDiffering": 0, "seatsWinnerChanged": 0,
                                             "stationsDiffering": 0},
                                "rejected": 0, "seats": 0, "seatsInDoubt": 0,
                                "seatsLed": {"backedIndependentsApart": {}, "countingBackedIndependents": {}},
                                "seatsWithLeader": 0, "stations": {}, "turnout": [0, 0, 0], "turnoutByHour": []}
        for seat in seats:
            total = assemblies[seat["constituency"].split("-")[0]]
            total["seats"] += 1
            if seat["lead"]:
                total["seatsWithLeader"] += 1
                add_party(total["seatsLed"], self.candidates.get(seat["lead"]["leader"]), 1)
            if any(flag["code"] == "disputed-could-change-leader" for flag in seat["flags"]):
                total["seatsInDoubt"] += 1
            for name, count in seat["stations"].items():
                total["stations"][name] = total["stations"].get(name, 0) + count
            for offset, name in enumerate(("stations", "votesCast", "registeredVoters")):
                total["turnout"][offset] += seat["turnout"][name]
            total["rejected"] += seat["rejected"]
            if seat["official"]:
                summary, official = total["official"], seat["official"]
                complete = seat["stations"]["counted"] == seat["stations"]["total"]
                summary["seats"] += 1
                if official["form45"]["differing"] > 0 or (complete and any(
                        official[form] and not official[form]["field"]["equal"] for form in ("form47", "form49"))):
                    summary["seatsDiffering"] += 1
                if any(flag["code"] == "field-changes-winner" for flag in seat["flags"]):
                    summary["seatsWinnerChanged"] += 1
                summary["stationsDiffering"] += official["form45"]["differing"]
            total["turnoutByHour"] += seat["_histories"]
            counted = list(seat["flags"]) + ([] if seat["assembly"] == "provincial" else [
                {"code": code} for code, count in seat["stationFlags"].items() for _ in range(count)])
            for flag in counted:
                flags[flag["code"]] = flags.get(flag["code"], 0) + 1
        for total in assemblies.values():
            total["stations"] = total["stations"] or dict.fromkeys(
                ("confirmed", "counted", "disputed", "held", "reported", "total", "unreported", "verified"), 0)
            total["turnout"] = turnout_object(*total["turnout"])
            total["turnoutByHour"] = turnout_by_hour(total["turnoutByHour"])
        national = assemblies.pop("NA")
        return {"area": "city" if district is None else "district", "district": district,
                "election": self.election if district is None else None, "flags": flags,
                "national": national, "postponed": sorted(postponed, key=seat_key), "provincial": assemblies}

    def documents(self):
        stations = {code: self.station(code) for code in self.station_codes()}
        seats = {code: self.seat(code, stations) for code in self.seat_codes()}
        # Roll-ups leave out the seats the election postponed (§13, "Roll-ups").
        defined = [seats[code] for code in self.constituencies if code not in self.postponed]
        left_out = [code for code in self.constituencies if code in self.postponed]
        districts = {name: self.roll_up(name, [s for s in defined if s["district"] == name],
                                        [c for c in left_out if self.constituencies[c]["district"] == name])
                     for name in sorted({c["district"] for c in self.constituencies.values()})}
        city = self.roll_up(None, defined, left_out)
        for document in stations.values():
            for result in document["results"]:
                del result["_outdated"]
        for seat in seats.values():
            del seat["_histories"]
        return {"stations": stations, "constituencies": seats, "districts": districts, "city": city}


def add_party(sums, candidate, count):
    if candidate and candidate.get("party"):
        together = apart = candidate["party"]
    elif candidate and candidate.get("backedBy"):
        together, apart = candidate["backedBy"], f"(independent backed by {candidate['backedBy']})"
    else:
        together = apart = "(independent)"
    sums["countingBackedIndependents"][together] = sums["countingBackedIndependents"].get(together, 0) + count
    sums["backedIndependentsApart"][apart] = sums["backedIndependentsApart"].get(apart, 0) + count


def sort_flags(flags):
    return sorted(flags, key=lambda f: (f["code"], f["events"], f["message"].encode()))


def device_of_source(source):
    return "server" if source == "/server" else source[len("/devices/"):]


def summary_seats(document):
    """The seats whose answers carry a summary of the station: those its definition names."""
    return [seat for seat in (document["national"], document["provincial"]) if seat is not None]


def station_summary(document, seat):
    """PROTOCOL.md §13 "Station summary": what the page of the station's seat `seat` reads of its document."""
    if document is None:
        return None

    def pick(value, names):
        return None if value is None else {key: item for key, item in value.items() if key in names}

    flags = {}
    for flag in document["flags"]:
        flags[flag["code"]] = flags.get(flag["code"], 0) + 1
    incident = ("description", "device", "kind", "occurredAt", "severity", "time")
    return {
        "closing": pick(document["closing"], ("closedAt",)),
        "defined": document["defined"],
        "flags": flags,
        "held": [pick(held, ("device", "reason", "review")) for held in document["held"]],
        "incidents": [pick(item, incident) for item in document["incidents"]],
        "name": document["name"],
        "national": document["national"],
        "official": [item for item in document["official"] if item["constituency"] == seat],
        "opening": pick(document["opening"], ("minutesLate", "openedAt")),
        "provincial": document["provincial"],
        "registeredVoters": document["registeredVoters"],
        "results": [
            {**pick(result, ("constituency", "counted", "devices", "held", "status")),
             "range": pick(result["range"], ("rejected", "totalCast")),
             "reports": [pick(report, ("device", "photo")) for report in result["reports"]]}
            for result in document["results"] if result["constituency"] == seat],
        "station": document["station"],
        "statuses": {result["constituency"]: result["status"] for result in document["results"]},
        "turnout": {"basisPoints": document["turnout"]["basisPoints"],
                    "latest": pick(document["turnout"]["latest"], ("asOf", "votesCast"))},
    }


def check_tallies(folder, export_lines):
    """tallies.json: every document is canonical, and is what this fold makes of the same events."""
    with open(os.path.join(folder, "tallies.json"), encoding="utf-8") as file:
        tallies = json.load(file)
    for case in tallies["cases"]:
        log = Log()
        for number, line in enumerate(export_lines[:case["base"]] + case["lines"], 1):
            for field, code in log.read(line):
                fail(f"tallies.json {case['name']} line {number}: {field} {code}")
        events = [json.loads(line) for line in export_lines[:case["base"]] + case["lines"]]
        cutoff = case["asOf"]
        if cutoff and "position" in cutoff:
            events = [e for e in events if e["position"] <= cutoff["position"]]
        elif cutoff:
            events = [e for e in events if e["type"] in ("fieldsync.device.assigned.v1", "fieldsync.report.reviewed.v1")
                      or instant(e["time"]) <= instant(cutoff["time"])]
        if case["position"] != max((e["position"] for e in events), default=0):
            fail(f"tallies.json {case['name']}: position")
        computed = Fold(events).documents()
        for kind in ("stations", "constituencies", "districts"):
            if sorted(case[kind]) != sorted(computed[kind]):
                fail(f"tallies.json {case['name']}: {kind} {sorted(case[kind])}, computed {sorted(computed[kind])}")
        keys = sorted(f"{seat}/{code}" for code, document in computed["stations"].items()
                      for seat in summary_seats(document))
        if sorted(case["summaries"]) != keys:
            fail(f"tallies.json {case['name']}: summaries {sorted(case['summaries'])}, computed {keys}")
        pairs = [(f"{kind} {key}", case[kind][key], computed[kind].get(key))
                 for kind in ("stations", "constituencies", "districts") for key in case[kind]]
        pairs += [(f"summary {key}", case["summaries"][key],
                   station_summary(computed["stations"].get(key.partition("/")[2]), key.partition("/")[0]))
                  for key in case["summaries"]]
        pairs.append(("city", case["city"], computed["city"]))
        for what, text, document in pairs:
            if rfc8785.dumps(json.loads(text)).decode() != text:
                fail(f"tallies.json {case['name']} {what}: not canonical")
            mine = rfc8785.dumps(document).decode() if document is not None else None
            if mine != text:
                fail(f"tallies.json {case['name']} {what}: differs from the fold\n  vector   {text}\n  computed {mine}")
    return len(tallies["cases"])


# ---------------------------------------------------------------------------------------------------------------
# JSON schemas; who counts

def check_schemas(folder, events, lines, broken, accepted=()):
    """Valid and accepted events and stored lines match Schema/events/; broken events with a shape problem do
    not."""
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
    for case in accepted:
        event = json.loads(case["input"])
        errors = list(validator(event["type"] + ".schema.json").iter_errors(event))
        if errors:
            fail(f"accepted.json {case['name']}: schema: {errors[0].message}")
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
    return (f"schemas: {len(events)} events, {len(accepted)} accepted events and {len(lines)} stored lines match, "
            f"{refused} broken events refused")


def enrollment_check(label, alphabet, public_key_b64, random):
    """The 8 check characters of an enrollment code (PROTOCOL.md §4.1): the first 40 bits of
    SHA-256(label, 0x00, SHA-256 of the raw server key, the 8 random characters) in Crockford's base32."""
    fingerprint = hashlib.sha256(b64url_decode(public_key_b64)).digest()
    digest = hashlib.sha256(label.encode() + b"\x00" + fingerprint + random.encode()).digest()
    bits = int.from_bytes(digest[:5], "big")
    return "".join(alphabet[(bits >> shift) & 31] for shift in range(35, -5, -5))


def base32(alphabet, raw):
    bits = int.from_bytes(raw, "big")
    return "".join(alphabet[(bits >> shift) & 31] for shift in range(len(raw) * 8 - 5, -5, -5))


def typed_code(alphabet, text):
    """A code as typed: case, dashes and spaces ignored; O reads as 0, I and L as 1."""
    text = text.upper().replace("-", "").replace(" ", "").replace("O", "0").replace("I", "1").replace("L", "1")
    return text if len(text) == 16 and all(c in alphabet for c in text) else None


def check_enrollment_codes(file, keys):
    alphabet, label = file["alphabet"], file["checkLabel"]
    for item in file["codes"]:
        name, key = item["name"], keys[item["serverKey"]]
        random = base32(alphabet, bytes.fromhex(item["randomHex"]))
        check = enrollment_check(label, alphabet, key, random)
        normalized = random + check
        shown = "-".join(normalized[i:i + 4] for i in range(0, 16, 4))
        if hashlib.sha256(b64url_decode(key)).hexdigest() != item["fingerprint"]:
            fail(f"enrollment-codes.json {name}: fingerprint")
        if random != item["random"] or check != item["check"] or shown != item["code"]:
            fail(f"enrollment-codes.json {name}: expected {shown}, the file has {item['code']}")
        expected_input = label.encode() + b"\x00" + bytes.fromhex(item["fingerprint"]) + random.encode()
        if expected_input.hex() != item["checkInputHex"]:
            fail(f"enrollment-codes.json {name}: the check's input")
        for typed in item["typed"]:
            if typed_code(alphabet, typed) != normalized:
                fail(f"enrollment-codes.json {name}: '{typed}' does not read as the code")
        for other in item["notBoundTo"]:
            if enrollment_check(label, alphabet, keys[other], random) == check:
                fail(f"enrollment-codes.json {name}: also bound to {other}")
    return len(file["codes"])


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
    seats_of_station = station_seats(definition) if definition else [station.rsplit("-", 1)[0]]

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
            for field, code in log.read(line):
                fail(f"counting.json {case['name']} line {number}: {field} {code}")
        found = station_counting(base + case["lines"], "NA-248-017")
        expected = dict(case["expect"])
        expected["flags"] = sorted(expected["flags"])
        if found != expected:
            fail(f"counting.json {case['name']}: expected {expected}, computed {found}")
    return len(counting["cases"])


def check_broken_logs(folder, log):
    """broken.json's logs and heads: the first line with a problem, and the first problem on it, as §12 orders
    them; `log` has read export.ndjson."""
    with open(os.path.join(folder, "broken.json"), encoding="utf-8") as file:
        cases = json.load(file)["cases"]
    checked = 0
    for case in cases:
        expect, name = case["expect"], case["name"]
        wanted = (expect["field"], expect["code"])
        if case["kind"] == "export":
            broken = Log(pinned=case.get("serverKey"))
            first = next(((number, found) for number, line in enumerate(case["input"], 1)
                          if (found := broken.read(line))), None)
            if first is None or first[0] != expect["line"] or first[1][0] != wanted:
                fail(f"broken.json {name}: expected line {expect['line']} {wanted}, found {first}")
            checked += 1
        elif case["kind"] == "head":
            found = log.head_problems(case["input"])
            if not found or found[0] != wanted:
                fail(f"broken.json {name}: expected {wanted}, found {found}")
            checked += 1
    return checked


# ---------------------------------------------------------------------------------------------------------------
# §17 the Merkle tree, its proofs and signed tree heads

def leaf_hash(chain_hex):
    return hashlib.sha256(b"\x00" + bytes.fromhex(chain_hex)).digest()


def node_hash(left, right):
    return hashlib.sha256(b"\x01" + left + right).digest()


def split(n):
    """The largest power of two smaller than n (n >= 2)."""
    k = 1
    while k * 2 < n:
        k *= 2
    return k


def tree_root(leaves):
    """MTH of §17.1, recursively."""
    if not leaves:
        return hashlib.sha256(b"").digest()
    if len(leaves) == 1:
        return leaves[0]
    k = split(len(leaves))
    return node_hash(tree_root(leaves[:k]), tree_root(leaves[k:]))


def inclusion_path(m, leaves):
    """PATH(m, D[n]) of §17.2: from the leaf up."""
    if len(leaves) <= 1:
        return []
    k = split(len(leaves))
    if m < k:
        return inclusion_path(m, leaves[:k]) + [tree_root(leaves[k:])]
    return inclusion_path(m - k, leaves[k:]) + [tree_root(leaves[:k])]


def consistency_path(m, leaves, whole=True):
    """SUBPROOF(m, D[n], b) of §17.2: from the bottom up."""
    n = len(leaves)
    if m == n:
        return [] if whole else [tree_root(leaves)]
    k = split(n)
    if m <= k:
        return consistency_path(m, leaves[:k], whole) + [tree_root(leaves[k:])]
    return consistency_path(m - k, leaves[k:], False) + [tree_root(leaves[:k])]


def verify_inclusion(index, size, leaf, path, root):
    """§17.2, verifying an inclusion proof (RFC 9162 §2.1.3.2)."""
    if index >= size or index < 0:
        return False
    fn, sn, r = index, size - 1, leaf
    for p in path:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            while not fn & 1 and fn != 0:
                fn >>= 1
                sn >>= 1
        else:
            r = node_hash(r, p)
        fn >>= 1
        sn >>= 1
    return sn == 0 and r == root


def verify_consistency(first, second, path, first_root, second_root):
    """§17.2, verifying a consistency proof (RFC 9162 §2.1.4.2)."""
    if first < 1 or first > second:
        return False
    if first == second:
        return not path and first_root == second_root
    if not path:
        return False
    if first & (first - 1) == 0:
        path = [first_root] + path
    fn, sn = first - 1, second - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr = node_hash(c, fr)
            sr = node_hash(c, sr)
            while not fn & 1 and fn != 0:
                fn >>= 1
                sn >>= 1
        else:
            sr = node_hash(sr, c)
        fn >>= 1
        sn >>= 1
    return fr == first_root and sr == second_root and sn == 0


def range_path(a, b, leaves):
    """RANGE(a, b, D[n]) of §17.2: the leaves a … b − 1, from the bottom up."""
    n = len(leaves)
    if a == 0 and b == n:
        return []
    k = split(n)
    if b <= k:
        return range_path(a, b, leaves[:k]) + [tree_root(leaves[k:])]
    if a >= k:
        return range_path(a - k, b - k, leaves[k:]) + [tree_root(leaves[:k])]
    return range_path(a, k, leaves[:k]) + range_path(0, b - k, leaves[k:])


def verify_range(a, b, size, leaf_hashes, path, expected):
    """§17.2, verifying a range proof: ROOT(a, b, 0, size) from the leaf hashes, taking the proof's hashes in
    order, every one of them."""
    if not 0 <= a < b <= size or len(leaf_hashes) != b - a:
        return False
    taken = iter(path)
    missing = object()

    def compute(lo_wanted, hi_wanted, lo, hi):
        if lo_wanted == lo and hi_wanted == hi:
            return tree_root(leaf_hashes[lo_wanted - a:hi_wanted - a])
        middle = lo + split(hi - lo)
        if hi_wanted <= middle:
            left = compute(lo_wanted, hi_wanted, lo, middle)
            right = next(taken, missing)
        elif lo_wanted >= middle:
            right = compute(lo_wanted, hi_wanted, middle, hi)
            left = next(taken, missing)
        else:
            left = compute(lo_wanted, middle, lo, middle)
            right = compute(middle, hi_wanted, middle, hi)
        if left is missing or right is missing:
            return missing
        return node_hash(left, right)

    result = compute(a, b, 0, size)
    return result is not missing and next(taken, missing) is missing and result == expected


def check_tree(tree, export_lines, server_key):
    """tree.json: leaves and roots from export.ndjson's chain links, every proof as PATH, SUBPROOF and RANGE
    make it and verifying, every broken proof failing, and the signed tree head."""
    chains = [json.loads(line)["chain"] for line in export_lines]
    leaves = [leaf_hash(chain) for chain in chains]
    for leaf, chain, item in zip(leaves, chains, tree["leaves"]):
        if item["chain"] != chain or item["leafHash"] != leaf.hex() or item["leafInputHex"] != "00" + chain:
            fail(f"tree.json leaf {item['position']}")
    roots = {n: tree_root(leaves[:n]) for n in range(len(leaves) + 1)}
    for item in tree["roots"]:
        if roots[item["size"]].hex() != item["root"]:
            fail(f"tree.json root of {item['size']}")
    checked = 0
    for item in tree["inclusion"]:
        position, size = item["position"], item["size"]
        path = [bytes.fromhex(h) for h in item["path"]]
        if path != inclusion_path(position - 1, leaves[:size]):
            fail(f"tree.json inclusion of {position} in {size}: not PATH")
        if not verify_inclusion(position - 1, size, leaves[position - 1], path, roots[size]):
            fail(f"tree.json inclusion of {position} in {size}: does not verify")
        checked += 1
    for item in tree["consistency"]:
        first, second = item["from"], item["to"]
        path = [bytes.fromhex(h) for h in item["path"]]
        if path != consistency_path(first, leaves[:second]):
            fail(f"tree.json consistency from {first} to {second}: not PROOF")
        if not verify_consistency(first, second, path, roots[first], roots[second]):
            fail(f"tree.json consistency from {first} to {second}: does not verify")
        checked += 1
    for item in tree["ranges"]:
        first, last, size = item["first"], item["last"], item["size"]
        path = [bytes.fromhex(h) for h in item["path"]]
        if path != range_path(first - 1, last, leaves[:size]):
            fail(f"tree.json range {first} to {last} in {size}: not RANGE")
        if not verify_range(first - 1, last, size, leaves[first - 1:last], path, roots[size]):
            fail(f"tree.json range {first} to {last} in {size}: does not verify")
        if first == last and path != inclusion_path(first - 1, leaves[:size]):
            fail(f"tree.json range {first} to {last} in {size}: not the inclusion proof of its one leaf")
        checked += 1
    for item in tree["broken"]:
        path = [bytes.fromhex(h) for h in item["path"]]
        if item["kind"] == "range":
            leaf_hashes = [bytes.fromhex(h) for h in item["leafHashes"]]
            root = roots.get(item["size"], bytes(32))
            holds = verify_range(item["first"] - 1, item["last"], item["size"], leaf_hashes, path, root)
        elif item["kind"] == "inclusion":
            leaf_position = item["leafOfPosition"]
            leaf = leaves[leaf_position - 1] if 1 <= leaf_position <= len(leaves) else bytes(32)
            holds = verify_inclusion(item["position"] - 1, item["size"], leaf, path, roots[item["size"]])
        else:
            holds = verify_consistency(item["from"], item["to"], path, roots[item["from"]], roots[item["to"]])
        if holds:
            fail(f"tree.json broken {item['reason']}: verifies")
        checked += 1
    head = tree["head"]
    unsigned = {name: value for name, value in head.items() if name != "signature"}
    if head.get("type") != "fieldsync.tree-head.v1" or head.get("publicKey") != server_key:
        fail("tree.json head: type or key")
    if not verify(server_key, head["signature"], hashlib.sha256(rfc8785.dumps(unsigned)).digest()):
        fail("tree.json head: signature")
    if head["root"] != roots[head["size"]].hex() or head["size"] != len(leaves):
        fail("tree.json head: not the root of the whole log")
    return checked


# Bundles (§18)

JPEG, PNG = bytes([0xFF, 0xD8, 0xFF]), bytes([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
MAXIMUM_PHOTO = 8_388_608


class BundleRefused(Exception):
    def __init__(self, kind, device=None, seq=None):
        super().__init__(kind)
        self.kind, self.device, self.seq = kind, device, seq


def photo_type(raw):
    return "image/jpeg" if raw.startswith(JPEG) else "image/png" if raw.startswith(PNG) else None


def named_photo(data):
    """The photo an event's data names (a result's, or a correction's replacement's): (sha256, size, type)."""
    if "photoSha256" in data:
        return data["photoSha256"], data.get("photoSize"), data.get("photoType")
    replacement = data.get("replacement")
    if isinstance(replacement, dict) and isinstance(replacement.get("data"), dict):
        return named_photo(replacement["data"])
    return None


def read_bundle(raw):
    """Reads a bundle as §18.2 says, in its order; returns (manifest, events, photos) or raises BundleRefused."""
    end = raw.find(b"\n")
    if end < 0:
        raise BundleRefused("truncated" if raw.startswith(b"{") else "malformed")
    try:
        manifest = strict_json(raw[:end].decode())
    except (NotJSON, UnicodeDecodeError, ValueError):
        raise BundleRefused("malformed")
    members = {"format", "version", "authors", "events", "photos", "contentBytes", "contentSha256"}
    if not isinstance(manifest, dict) or set(manifest) != members or manifest["format"] != "fieldsync-bundle" \
            or manifest["version"] != 1:
        raise BundleRefused("malformed")
    authors = manifest["authors"]
    for author in authors:
        if author["events"] != author["lastSeq"] - author["firstSeq"] + 1 or author["firstSeq"] < 1:
            raise BundleRefused("malformed")
    if len({author["device"] for author in authors}) != len(authors) \
            or manifest["events"] != sum(author["events"] for author in authors):
        raise BundleRefused("malformed")
    content = raw[end + 1:]
    if len(content) < manifest["contentBytes"]:
        raise BundleRefused("truncated")
    lines = content.split(b"\n")
    if lines[-1] == b"":
        lines.pop()
    events, photos = [], []
    for line in lines:
        try:
            if line.startswith(b'{"bytes":"'):
                photo = json.loads(line)
                data = b64url_decode(photo["bytes"])
                if set(photo) != {"bytes", "sha256"} or hashlib.sha256(data).hexdigest() != photo["sha256"] \
                        or photo_type(data) is None or len(data) > MAXIMUM_PHOTO:
                    raise BundleRefused("tampered")
                photos.append({"sha256": photo["sha256"], "size": len(data), "type": photo_type(data)})
            else:
                event = json.loads(line)
                if rfc8785.dumps(event) != line or set(event) != set(HASHED) | {"signature"}:
                    raise BundleRefused("tampered")
                events.append(event)
        except (ValueError, KeyError, TypeError):
            raise BundleRefused("tampered")

    runs = {}
    for event in events:
        runs.setdefault(event["source"].removeprefix("/devices/"), []).append(event)
    listed = {author["device"] for author in authors}
    for device in sorted(runs):
        if device not in listed:
            raise BundleRefused("tampered", device)
    for author in authors:
        device = author["device"]
        run = runs.get(device)
        if not run:
            raise BundleRefused("chain-broken", device, author["firstSeq"])
        for previous, event in zip(run, run[1:]):
            if event["seq"] <= previous["seq"]:
                raise BundleRefused("chain-broken", device, event["seq"])
            if event["seq"] > previous["seq"] + 1:
                raise BundleRefused("chain-broken", device, previous["seq"] + 1)
            if event["prevhash"] != event_hash(previous).hex():
                raise BundleRefused("chain-broken", device, event["seq"])
        first, last = run[0], run[-1]
        if first["seq"] > author["firstSeq"]:
            raise BundleRefused("chain-broken", device, author["firstSeq"])
        if last["seq"] < author["lastSeq"]:
            raise BundleRefused("chain-broken", device, last["seq"] + 1)
        if first["seq"] != author["firstSeq"] or last["seq"] != author["lastSeq"]:
            raise BundleRefused("tampered", device)
        if first["prevhash"] != author["prevhash"]:
            raise BundleRefused("tampered", device, first["seq"])
        if event_hash(last).hex() != author["lastHash"]:
            raise BundleRefused("tampered", device, last["seq"])

    if photos != manifest["photos"]:
        raise BundleRefused("tampered")
    named = {}
    for event in events:
        photo = named_photo(event["data"])
        if photo and photo[0] not in named:
            named[photo[0]] = photo
    for photo in photos:
        stated = named.get(photo["sha256"])
        if stated is None or stated[1] not in (None, photo["size"]) or stated[2] not in (None, photo["type"]):
            raise BundleRefused("tampered")
    if len(content) != manifest["contentBytes"] or hashlib.sha256(content).hexdigest() != manifest["contentSha256"]:
        raise BundleRefused("tampered")
    return manifest, events, photos


def check_bundles(bundles, keys):
    """bundles.json: each valid bundle reads, with its manifest, and each event is signed by its author's key;
    each broken one is refused with its kind, device and seq."""
    authors = {device_of(key): key for key in keys.values()}
    checked = 0
    for item in bundles["valid"]:
        try:
            manifest, events, _ = read_bundle(item["bundle"].encode())
        except BundleRefused as refused:
            fail(f"bundles.json {item['name']}: refused ({refused.kind} {refused.device} {refused.seq})")
            continue
        if manifest != item["manifest"]:
            fail(f"bundles.json {item['name']}: manifest")
        for event in events:
            key = authors.get(event["source"].removeprefix("/devices/"))
            if key is None or not verify(key, event["signature"], event_hash(event)):
                fail(f"bundles.json {item['name']}: the signature of {event['source']} seq {event['seq']}")
        checked += 1
    for item in bundles["broken"]:
        try:
            read_bundle(item["bundle"].encode())
            fail(f"bundles.json {item['name']}: reads")
        except BundleRefused as refused:
            if (refused.kind, refused.device, refused.seq) != (item["kind"], item.get("device"), item.get("seq")):
                fail(f"bundles.json {item['name']}: refused as {refused.kind} {refused.device} {refused.seq}")
        checked += 1
    return checked


# §17.7 witnesses' cosignatures

COSIGNATURE_MEMBERS = {"type", "size", "root", "time", "server", "witness", "signature"}


def cosignature_counts(item, head, fingerprint, witnesses):
    """Whether a cosignature counts for the signed tree head `head` of the server key with `fingerprint`: exactly
    its members, its type, signed by the key it names (one of `witnesses`) over the SHA-256 of the canonical form
    without `signature`, and naming the head's size, root and time and the server key's fingerprint."""
    if set(item) != COSIGNATURE_MEMBERS or item["type"] != "fieldsync.tree-head-cosignature.v1":
        return False
    if item["witness"] not in witnesses.values():
        return False
    unsigned = {name: value for name, value in item.items() if name != "signature"}
    if not verify(item["witness"], item["signature"], hashlib.sha256(rfc8785.dumps(unsigned)).digest()):
        return False
    return (item["size"], item["root"], item["time"], item["server"]) == (
        head["size"], head["root"], head["time"], fingerprint)


def check_cosignatures(file, tree_head, server_key):
    """cosignatures.json: witness keys from their seed labels; each cosignature's signed text, hash and signature;
    the served head (its signature without `cosignatures`); each K-of-N policy; every broken cosignature refused."""
    witnesses = {}
    for entry in file["witnesses"]:
        seed = hashlib.sha256(entry["seedLabel"].encode()).digest()
        public = Ed25519PrivateKey.from_private_bytes(seed).public_key().public_bytes_raw()
        if seed.hex() != entry["privateSeedHex"] or b64url(public) != entry["publicKey"]:
            fail(f"cosignatures.json witness {entry['name']}: seed or public key")
        witnesses[entry["name"]] = entry["publicKey"]
    fingerprint = hashlib.sha256(b64url_decode(server_key)).hexdigest()
    if file["serverFingerprint"] != fingerprint:
        fail("cosignatures.json: the server key's fingerprint")
    checked = 0
    for item in file["cosignatures"]:
        cosignature = item["cosignature"]
        unsigned = {name: value for name, value in cosignature.items() if name != "signature"}
        if rfc8785.dumps(unsigned).decode() != item["signingInput"]:
            fail(f"cosignatures.json {item['witness']}: signing input")
        if hashlib.sha256(item["signingInput"].encode()).hexdigest() != item["signingHash"]:
            fail(f"cosignatures.json {item['witness']}: signing hash")
        if cosignature["witness"] != witnesses[item["witness"]]:
            fail(f"cosignatures.json {item['witness']}: witness key")
        if not cosignature_counts(cosignature, tree_head, fingerprint, witnesses):
            fail(f"cosignatures.json {item['witness']}: does not count")
        checked += 1
    served = file["served"]
    head = {name: value for name, value in served.items() if name != "cosignatures"}
    unsigned = {name: value for name, value in head.items() if name != "signature"}
    if head != tree_head or not verify(server_key, head["signature"], hashlib.sha256(rfc8785.dumps(unsigned)).digest()):
        fail("cosignatures.json served: not tree.json's signed head")
    for policy in file["policies"]:
        trusted = {witnesses[name] for name in policy["trusted"]}
        counted = {item["witness"] for item in served["cosignatures"]
                   if item.get("witness") in trusted and cosignature_counts(item, head, fingerprint, witnesses)}
        if (len(counted) >= policy["required"]) != policy["accepted"]:
            fail(f"cosignatures.json policy {policy}")
        checked += 1
    for item in file["broken"]:
        if cosignature_counts(item["cosignature"], head, fingerprint, witnesses):
            fail(f"cosignatures.json broken {item['reason']}: counts")
        checked += 1
    return checked


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

    log = Log(pinned=keys["server"])
    with open(os.path.join(folder, "export.ndjson"), "rb") as file:
        content = file.read()
    if not content.endswith(b"\n"):
        fail("export.ndjson: the last line has no line feed")
    lines = [line.decode() for line in content.split(b"\n")[:-1]]
    for number, line in enumerate(lines, 1):
        for field, code in log.read(line):
            fail(f"export.ndjson line {number}: {field} {code}")
    for field, code in log.head_problems(load("head.json")):
        fail(f"head.json: {field} {code}")

    codes = check_enrollment_codes(load("enrollment-codes.json"), keys)
    broken = check_broken_logs(folder, log)
    events = check_event_vectors(folder, lines)
    counting = check_counting(folder, lines)
    tallies = check_tallies(folder, lines)
    tree = check_tree(load("tree.json"), lines, keys["server"])
    bundles = check_bundles(load("bundles.json"), keys)
    cosignatures = check_cosignatures(load("cosignatures.json"), load("tree.json")["head"], keys["server"])
    schemas = check_schemas(folder, load("events.json")["events"], lines, load("broken.json")["cases"],
                            load("accepted.json")["cases"])

    print(f"{'FAILED' if failures else 'ok'}: keys, canonical cases, {len(load('events.json')['events'])} events, "
          f"{len(lines)} export lines, head, {broken} broken logs and heads, {events} broken and accepted events, "
          f"{counting} counting cases, {tallies} tally cases (every document, byte for byte), {codes} enrollment codes "
          f"checked in Python; the Merkle tree's roots and {tree} proofs and its signed head; {cosignatures} "
          f"cosignatures, policies and broken cosignatures; {bundles} bundles; "
          f"{schemas}")
    return 1 if failures else 0


if __name__ == "__main__":
    default = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "Schema", "vectors")
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else default))
