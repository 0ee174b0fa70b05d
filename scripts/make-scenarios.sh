#!/usr/bin/env bash
# Regenerates the trainer scenarios in assets/scenarios/: for each, a license
# (signed with the demo key), a workspace and an events file.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${IA_LICENSING:-target/debug/ia-licensing}
key=assets/keys/demo-issuer.key
out=assets/scenarios
common=(--level production --product-version "2020 R2" --host-id G807test --machine testing
        --company "Training" --install-site "Classroom" --generated-by "ia-licensing scenarios"
        --generated 2026-01-05 --expires 2100-01-01 --sign-key "$key")

# 1. The seed's John Smith day: one user, three applications, on subscription
#    billing (usage tracking upload): the billing categories and the cost.
"$bin" license new "${common[@]}" --feature I3_FEATURE_USAGE_TRACKING_UPLOAD --part SW-001-4.0-AL04=10 \
    --license I3_ACCESS_RECORDER=10 -o $out/john-smith.I3Lic
# 2. Shift change: 60 concurrent agents share 50 pooled Client Access and ACD Media 1.
#    Perpetual: on a subscription license "Nothing stops multiple users from
#    logging on at the same time" (seed, Subscription license scenario), so
#    pools that fill up and deny logons are the perpetual model's.
"$bin" license new "${common[@]}" --part SW-001-4.0-AL04=0+50 --license I3_LICENSE_BASIC_STATION=60 -o $out/shift-change.I3Lic
# 3. Dynamic remote logons: 10 Basic Stations, 8 assigned to stations, so 2 are left
#    (perpetual, for the same reason).
"$bin" license new "${common[@]}" --part SW-001-4.0-AL02=10 -o $out/dynamic-remote.I3Lic

python3 - "$out" <<'PY'
import json, sys
out = sys.argv[1]
def dump(name, obj):
    with open(f"{out}/{name}", "w") as f:
        json.dump(obj, f, indent=1)
        f.write("\n")
ws = lambda users, stations, wgs=(): {"format": 1, "server": {"host_id": "G807test", "machine_name": "testing"},
                                      "users": users, "stations": stations, "workgroups": list(wgs)}
# The site's own prices for the cost estimate (docs/cost.md).
prices = {"currency": "USD", "per_user_per_period": {"agent": 95.0, "business-user": 35.0, "multi-channel": 25.0,
          "recorder": 12.0, "supervisor": 20.0}, "per_assignable_license_per_month": {"I3_LICENSE_BASIC_STATION": 5.0}}
st = lambda sid, kind="workstation", lic=("I3_LICENSE_BASIC_STATION",): {"id": sid, "type": kind, "enabled": True, "machine_name": sid, "licenses": list(lic), "acd_media_types": []}

# John Smith: Client Access, ACD Media 1 and Recorder, assignable.
dump("john-smith.ialws", ws(
    [{"id": "john.smith", "name": "John Smith", "method": "assignable",
      "licenses": ["I3_ACCESS_CLIENT", "I3_ACCESS_ACD_MEDIA_1", "I3_ACCESS_RECORDER"], "acd_media_types": ["call"], "workgroups": ["Support"]}],
    [st("ws-js")], [{"name": "Support", "media": ["call"]}]) | {"price_list": prices})
day = "2026-06-01"
dump("john-smith.events.json", [
    {"at": f"{day}T08:00:00", "event": "logon", "user": "john.smith", "station": "ws-js", "application": "IC Business Manager"},
    {"at": f"{day}T08:30:00", "event": "logon", "user": "john.smith", "station": "ws-js", "application": "Interaction Connect"},
    {"at": f"{day}T15:00:00", "event": "logoff", "user": "john.smith", "station": "ws-js", "application": "IC Business Manager"},
    {"at": f"{day}T15:30:00", "event": "logon", "user": "john.smith", "station": "ws-js", "application": "Interaction Desktop"},
    {"at": f"{day}T16:00:00", "event": "logoff", "user": "john.smith", "station": "ws-js", "application": "Interaction Connect"},
    {"at": f"{day}T16:30:00", "event": "logoff", "user": "john.smith", "station": "ws-js", "application": "Interaction Desktop"},
])

# Shift change: 35 early agents 07:00-15:00, 25 late agents from 14:30.
agents = [{"id": f"agent{i:02d}", "name": f"Agent {i:02d}", "method": "concurrent",
           "licenses": ["I3_ACCESS_CLIENT", "I3_ACCESS_ACD_MEDIA_1"], "acd_media_types": ["call"], "workgroups": ["Queue"]}
          for i in range(1, 61)]
dump("shift-change.ialws", ws(agents, [st(f"ws-{i:02d}") for i in range(1, 61)], [{"name": "Queue", "media": ["call"]}])
     | {"price_list": prices})
events = []
for i in range(1, 36):
    events.append({"at": f"{day}T07:{i % 30:02d}:00", "event": "logon", "user": f"agent{i:02d}", "station": f"ws-{i:02d}", "application": "Interaction Connect"})
    events.append({"at": f"{day}T15:{i % 30:02d}:00", "event": "logoff", "user": f"agent{i:02d}", "station": f"ws-{i:02d}", "application": "Interaction Connect"})
for i in range(36, 61):
    events.append({"at": f"{day}T14:{30 + (i - 36):02d}:00", "event": "logon", "user": f"agent{i:02d}", "station": f"ws-{i:02d}", "application": "Interaction Connect"})
    events.append({"at": f"{day}T22:30:00", "event": "logoff", "user": f"agent{i:02d}", "station": f"ws-{i:02d}", "application": "Interaction Connect"})
events.sort(key=lambda e: e["at"])
dump("shift-change.events.json", events)

# Dynamic remote: 8 of 10 Basic Stations on stations; 4 travellers dial in.
travellers = [{"id": f"traveller{i}", "name": f"Traveller {i}", "method": "assignable",
               "licenses": ["I3_ACCESS_CLIENT"], "acd_media_types": [], "workgroups": []} for i in range(1, 5)]
dump("dynamic-remote.ialws", ws(travellers, [st(f"office-{i}") for i in range(1, 9)]))
dump("dynamic-remote.events.json", [
    {"at": f"{day}T09:0{i}:00", "event": "dynamic-remote-logon", "user": f"traveller{i}", "phone": f"+1317555010{i}", "application": "Interaction Connect"}
    for i in range(1, 5)
] + [{"at": f"{day}T17:00:00", "event": "logoff", "user": f"traveller{i}", "application": "Interaction Connect"} for i in range(1, 5)])
PY
ls $out
