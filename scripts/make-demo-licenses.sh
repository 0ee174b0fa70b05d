#!/usr/bin/env bash
# Regenerates the demo license files in assets/ with the demo issuer key.
# The demo key is public on purpose: licenses it signs show as DEMO.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${IA_LICENSING:-target/debug/ia-licensing}
key=assets/keys/demo-issuer.key

# The seed's "View License" example: CIC 4.0 production on host G807test.
"$bin" license new \
  --level production --product-version 4.0 \
  --host-id G807test --machine testing \
  --system-type "Media Server Based" --mail-connector "Microsoft Exchange Server" \
  --company "Genesys Customer Care Platform" --install-site "Test Install Site" \
  --generated-by "Work Test80" --generated 2018-08-04 --expires 2100-01-01 \
  --feature I3_FEATURE_VERSION_CIC --feature I3_FEATURE_RWP_CITY --feature I3_FEATURE_SIP \
  --feature I3_FEATURE_SMS --feature I3_FEATURE_MEDIA_SERVERS --feature I3_FEATURE_ADVANCED_SECURITY \
  --feature I3_FEATURE_SU_ALLOWED \
  --license I3_ACCESS_SYSTEM_STATUS_SUPERVISOR_PLUGIN=10+6 \
  --part SW-001-4.0-SL03=1 --part SW-001-4.0-AL02=50 --part SW-001-4.0-AL08=120 \
  --part SW-001-4.0-PL04=100 --part SW-001-4.0-PL08=100 --part SW-001-4.0-PL09=120 \
  --sign-key "$key" -o assets/demo.I3Lic

# A virtual-cloud subscription license (Appendix B's example dates).
"$bin" license new \
  --level production --product-version "2020 R2" \
  --machine vc-cic01 \
  --company "Genesys Customer Care Platform" --install-site "Test Install Site" \
  --generated-by "Genesys Licensing" --generated 2020-05-01 --expires 2100-01-01 \
  --feature I3_FEATURE_VERSION_CIC --feature I3_FEATURE_SIP --feature I3_FEATURE_MEDIA_SERVERS \
  --feature I3_FEATURE_VIRTUAL_CLOUD --ramp-date 2020-06-01 --grace-days 7 \
  --part SW-001-4.0-AL04=20+30 --part SW-001-4.0-AL02=40 --part SW-001-4.0-AA01=5 \
  --sign-key "$key" -o assets/demo-virtual-cloud.I3Lic
