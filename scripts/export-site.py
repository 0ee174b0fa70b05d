#!/usr/bin/env python3
"""Export a PureConnect (CIC) site for `ia-licensing site import --icws DIR`.

Logs on to ICWS (Interaction Center Web Services) as an administrator, pages
through the configuration endpoints ia-licensing reads, and writes each
response as it came — `{"items": [...]}` — to DIR, one file per page, named
after its endpoint and first item: users-0000.json, users-0200.json, …,
stations-0000.json, workgroups-0000.json, roles-0000.json,
license-allocations-0000.json. Nothing on the server is changed.

Standard library only (urllib, json, getpass). The password is read from the
ICWS_PASSWORD environment variable or asked for; it is never written anywhere.

  python3 export-site.py --server https://cic1.example.com:8019 --user admin --out site-export

See docs/site-import.md (rights needed, the I3_FEATURE_ICWS_SDK license, time).
"""
import argparse
import getpass
import http.cookiejar
import json
import os
import ssl
import sys
import urllib.error
import urllib.parse
import urllib.request

# The properties read per endpoint (ICWS returns at most 200 items per
# response when properties are selected; null properties are left out).
ENDPOINTS = {
    "users": "configurationId,licenseProperties,workgroups,roles,defaultWorkstation",
    "stations": "configurationId,stationType,active,machineName,stationLicenseProperties",
    "workgroups": "configurationId,hasQueue,utilizations",
    "roles": "configurationId",
    "license-allocations": "configurationId,assignableAllowedCount,assignableConfiguredCount,"
                           "concurrentAllowedCount,concurrentConfiguredCount,concurrentInUseCount",
}
MAX_PAGE = 200


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--server", required=True, help="ICWS base URL, e.g. https://cic1:8019 (HTTP uses port 8018)")
    ap.add_argument("--user", required=True, help="a CIC user with administrator rights to read the configuration")
    ap.add_argument("--out", required=True, help="the folder to write (must not exist, or be empty)")
    ap.add_argument("--page-size", type=int, default=MAX_PAGE, help="items per request, 1 to 200 (default 200)")
    ap.add_argument("--application-name", default="ia-licensing site export")
    ap.add_argument("--insecure", action="store_true", help="accept a self-signed HTTPS certificate")
    ap.add_argument("--endpoints", default=",".join(ENDPOINTS), help="comma-separated (default: all five)")
    args = ap.parse_args()
    if not 1 <= args.page_size <= MAX_PAGE:
        ap.error("--page-size must be 1 to 200 (ICWS returns at most 200 items when properties are selected)")
    if os.path.exists(args.out) and (not os.path.isdir(args.out) or os.listdir(args.out)):
        ap.error("%s exists and is not an empty folder; nothing was written" % args.out)
    endpoints = [e.strip() for e in args.endpoints.split(",") if e.strip()]
    unknown = [e for e in endpoints if e not in ENDPOINTS]
    if unknown:
        ap.error("unknown endpoint(s): %s" % ", ".join(unknown))
    password = os.environ.get("ICWS_PASSWORD") or getpass.getpass("Password for %s: " % args.user)

    context = ssl.create_default_context()
    if args.insecure:
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
    cookies = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(cookies),
                                         urllib.request.HTTPSHandler(context=context))
    base = args.server.rstrip("/")

    def call(method, path, body=None, headers=None):
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(base + path, data=data, method=method)
        req.add_header("Accept-Language", "en-us")
        req.add_header("Content-Type", "application/json")
        for k, v in (headers or {}).items():
            req.add_header(k, v)
        try:
            with opener.open(req, timeout=120) as resp:
                raw = resp.read()
                return resp.status, resp.headers, (json.loads(raw) if raw else None)
        except urllib.error.HTTPError as e:
            detail = e.read().decode("utf-8", "replace")[:300]
            sys.exit("ICWS refused %s %s: HTTP %d %s" % (method, path.split("?")[0], e.code, detail))
        except urllib.error.URLError as e:
            sys.exit("cannot reach %s: %s" % (base, e.reason))

    status, headers, session = call("POST", "/icws/connection", {
        "__type": "urn:inin.com:connection:icAuthConnectionRequestSettings",
        "applicationName": args.application_name,
        "userID": args.user,
        "password": password,
    })
    session_id = (session or {}).get("sessionId") or headers.get("ININ-ICWS-Session-ID")
    token = (session or {}).get("csrfToken") or headers.get("ININ-ICWS-CSRF-Token")
    if not session_id or not token:
        sys.exit("ICWS answered the logon without a session ID and CSRF token (HTTP %d)" % status)
    auth = {"ININ-ICWS-CSRF-Token": token}
    os.makedirs(args.out, exist_ok=True)
    try:
        for endpoint in endpoints:
            first, total = 0, 0
            while True:
                last = first + args.page_size - 1
                query = urllib.parse.urlencode({"select": ENDPOINTS[endpoint]})
                path = "/icws/%s/configuration/%s?%s" % (urllib.parse.quote(session_id), endpoint, query)
                _, _, page = call("GET", path, headers=dict(auth, Range="items=%d-%d" % (first, last)))
                items = (page or {}).get("items", [])
                name = os.path.join(args.out, "%s-%04d.json" % (endpoint, first))
                with open(name, "w", encoding="utf-8", newline="\n") as f:
                    json.dump(page if page is not None else {"items": []}, f, ensure_ascii=False)
                total += len(items)
                # A short page is the last one.
                if len(items) < args.page_size:
                    break
                first += args.page_size
            print("%s: %d items" % (endpoint, total), file=sys.stderr)
    finally:
        # Log off (the session would otherwise stay until it times out).
        try:
            call("DELETE", "/icws/%s/connection" % urllib.parse.quote(session_id), headers=auth)
        except SystemExit:
            pass
    print("Wrote %s; import it with: ia-licensing site import --icws %s -o SITE.ialws" % (args.out, args.out))


if __name__ == "__main__":
    main()
