#!/usr/bin/env python3
"""Regenerates the two tables of docs/license-keys.md from the catalogues
(`ia-licensing license keys|parts --format json`); the prose around them is
kept. Run after changing crates/core/src/model/catalog.rs or crates/core/src/model/parts.rs; the test
`license_keys_doc_matches_the_catalogue` fails until you do."""
import json, re, subprocess, sys

BIN = sys.argv[1] if len(sys.argv) > 1 else "target/debug/ia-licensing"
keys = json.loads(subprocess.check_output([BIN, "license", "keys", "--format", "json"]))
parts = json.loads(subprocess.check_output([BIN, "license", "parts", "--format", "json"]))

def level(k):
    return k["acd_level"] or k["ipa_level"] or ""

rows = ["| key | label | kind | holders | concurrent | level | billing | add-on | needs | assumed |",
        "|---|---|---|---|---|---|---|---|---|---|"]
for k in keys:
    rows.append("| `%s` | %s | %s | %s | %s | %s | %s | %s | %s | %s |" % (
        k["key"], k["label"], k["kind"], k["holders"], "yes" if k["concurrent"] else "no", level(k),
        k["billing"] or "", "yes" if k["add_on"] else "", ", ".join("`%s`" % p for p in k["prerequisites"]),
        "assumed" if k["assumed"] else ""))
key_table = "\n".join(rows)

rows = ["| part number | category | description | kind | keys per unit | upgrades to | assumed |",
        "|---|---|---|---|---|---|---|"]
for p in parts:
    ks = ", ".join("`%s`" % k for k in p["keys"]) or ("(server item)" if p["kind"] == "server" else "(no keys)")
    rows.append("| `%s` | %s | %s | %s | %s | %s | %s |" % (
        p["part_number"], p["product_category"], p["description"], p["kind"], ks, p["upgrades_to"] or "",
        "assumed" if p["assumed"] else ""))
part_table = "\n".join(rows)

doc = open("docs/license-keys.md").read()
doc = re.sub(r"\| key \| label .*?(?=\n\n)", key_table, doc, count=1, flags=re.S)
doc = re.sub(r"\| part number \| category .*?(?=\n\n)", part_table, doc, count=1, flags=re.S)
open("docs/license-keys.md", "w").write(doc)
