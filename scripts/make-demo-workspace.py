#!/usr/bin/env python3
"""Writes assets/demo.ialws: the trainer's workspace for assets/demo.I3Lic.

Deterministic: running it again gives the same file. A few hundred users and
stations across workgroups carrying one, two and three media types, plus a
handful of deliberate problems so every common diagnostic shows.
"""
import json, os

FIRST = ["Tina", "Sam", "Jane", "John", "Ava", "Liam", "Noah", "Emma", "Olivia", "Mason", "Mia", "Lucas",
         "Ella", "Ethan", "Zoe", "Aiden", "Chloe", "Leo", "Ruby", "Owen", "Nora", "Eli", "Ivy", "Jack"]
LAST = ["Ruiz", "Smith", "Patel", "Nguyen", "Garcia", "Khan", "Okafor", "Jensen", "Rossi", "Kim", "Novak",
        "Silva", "Dubois", "Meyer", "Haddad", "Larsen", "Moreau", "Tanaka", "Walsh", "Costa"]

BS, CLIENT = "I3_LICENSE_BASIC_STATION", "I3_ACCESS_CLIENT"
M1, M3 = "I3_ACCESS_ACD_MEDIA_1", "I3_ACCESS_ACD_MEDIA_3_PLUS"
QM = "I3_ACCESS_RECORDER_QUALITYMONITORING_AGENT"
SYS = "I3_ACCESS_SYSTEM_STATUS_SUPERVISOR_PLUGIN"

workgroups = [
    {"name": "Sales", "media": ["call"]},
    {"name": "Billing", "media": ["call"]},
    {"name": "Service", "media": ["call", "email"]},
    {"name": "Digital", "media": ["chat", "email", "generic"]},
    {"name": "Back Office", "media": []},
]

users, n = [], 0
def person():
    global n
    first, last = FIRST[n % len(FIRST)], LAST[(n // len(FIRST)) % len(LAST)]
    n += 1
    return f"{first.lower()}.{last.lower()}{n}", f"{first} {last}"

def user(uid, name, method="assignable", licenses=(), media=(), groups=()):
    users.append({"id": uid, "name": name, "method": method, "licenses": sorted(licenses),
                  "acd_media_types": sorted(media), "workgroups": sorted(groups)})

# 100 contact-center agents (Media 3 Plus, recorded for Quality Manager).
for i in range(100):
    uid, name = person()
    group = ["Sales", "Billing", "Service", "Digital"][i % 4]
    user(uid, name, licenses=[CLIENT, M3, QM], groups=[group])
# 45 business users.
for i in range(45):
    uid, name = person()
    user(uid, name, licenses=[CLIENT], groups=["Back Office"])
# 10 supervisors with the System Status plug-in (all 10 assignable ones).
for i in range(10):
    uid, name = person()
    user(uid, name, licenses=[CLIENT, M3, SYS], groups=[["Sales", "Service", "Digital"][i % 3]])
# 8 concurrent supervisors sharing the 6 pooled System Status plug-ins.
for i in range(8):
    uid, name = person()
    user(uid, name, method="concurrent", licenses=[SYS])

# --- Deliberate problems (one each) ---
# A Media 1 agent in a two-media workgroup (Service: calls and email).
user("mia.media1", "Mia Media-One", licenses=[CLIENT, M1], media=["call"], groups=["Service"])
# A Media 1 email-only agent in a calls-only queue (Billing).
user("eve.email", "Eve Email-Only", licenses=[CLIENT, M1], media=["email"], groups=["Billing"])
# An Interaction Analyzer user without Interaction Recorder.
user("alan.analyzer", "Alan Analyzer", licenses=[CLIENT, M3, "I3_ACCESS_ANALYZER"], groups=["Sales"])
# A member of an ACD workgroup with no ACD Access license.
user("walt.noacd", "Walt No-ACD", licenses=[CLIENT], groups=["Sales"])

stations = []
for i in range(1, 150):
    sid = f"ws-{100 + i}"
    stations.append({"id": sid, "type": "workstation", "enabled": True, "machine_name": sid,
                     "licenses": [BS], "acd_media_types": []})
for i in range(1, 6):
    sid = f"phone-{i:02d}"
    stations.append({"id": sid, "type": "standalone-phone", "enabled": True, "machine_name": sid,
                     "licenses": [BS], "acd_media_types": []})
for i in range(1, 6):
    sid = f"remote-{i:02d}"
    stations.append({"id": sid, "type": "remote", "enabled": True, "machine_name": sid,
                     "licenses": [BS], "acd_media_types": []})
# A lobby phone that was never licensed (enabled, no Basic Station).
stations.append({"id": "lobby-phone", "type": "standalone-phone", "enabled": True, "machine_name": "lobby-phone",
                 "licenses": [], "acd_media_types": []})
# A remote station without its required Basic Station.
stations.append({"id": "remote-home-01", "type": "remote", "enabled": True, "machine_name": "remote-home-01",
                 "licenses": [], "acd_media_types": []})
# A disabled spare: no Basic Station, and rightly no warning.
stations.append({"id": "spare-01", "type": "workstation", "enabled": False, "machine_name": "spare-01",
                 "licenses": [], "acd_media_types": []})

# Roles (IA's People › Roles) and license policies, with some drift: the
# agents without the Quality Manager (Agent) license, and the lobby phone.
for u in users:
    roles = []
    if any(k.startswith("I3_ACCESS_ACD_MEDIA") for k in u["licenses"]):
        roles.append("Agent")
    if "I3_ACCESS_SYSTEM_STATUS_SUPERVISOR_PLUGIN" in u["licenses"]:
        roles.append("Supervisor")
    if roles:
        u["roles"] = roles
policies = [
    {"name": "Agents", "match": {"role": "Agent"},
     "grant": {"licenses": ["I3_ACCESS_CLIENT", "I3_ACCESS_RECORDER_QUALITYMONITORING_AGENT"]}},
    {"name": "Supervisors", "match": {"role": "Supervisor"},
     "grant": {"licenses": ["I3_ACCESS_SYSTEM_STATUS_SUPERVISOR_PLUGIN"]}},
    {"name": "Lobby phones", "match": {"station_type": "standalone-phone"},
     "grant": {"licenses": [BS]}},
]

doc = {"format": 1, "server": {"host_id": "G807test", "machine_name": "testing"},
       "users": users, "stations": stations, "workgroups": workgroups, "policies": policies}
out = os.path.join(os.path.dirname(__file__), "..", "assets", "demo.ialws")
with open(out, "w") as f:
    json.dump(doc, f, indent=2)
    f.write("\n")
print(f"wrote {out}: {len(users)} users, {len(stations)} stations, {len(workgroups)} workgroups")
