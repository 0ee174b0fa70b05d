#!/usr/bin/env python3
"""Export a PureConnect (CIC) site for `ia-licensing site import --icws DIR`.

Logs on to ICWS (Interaction Center Web Services) as an administrator, pages
through the configuration endpoints ia-licensing reads, and writes each
response as it came — `{"items": [...]}` — to DIR, one file per page, named
after its endpoint and first item: users-0000.json, users-0200.json, …,
stations-0000.json, workgroups-0000.json, roles-0000.json,
license-allocations-0000.json. Nothing on the server is changed.

A page shorter than asked does not end a list (ICWS enforces its limits
whatever the Range asks): the next page starts after the last item received.
A list ends at an empty page, at a 416 (Range Not Satisfiable), or at the
total a Content-Range gives. A server that ignores Range is caught: the whole
list in the first response is kept with a warning; the same items sent again,
pages past the announced total, or more than --max-items items (1,000,000 by
default) end the script with an error. The pages are written to a temporary
folder beside DIR and renamed to DIR only once every endpoint is complete, so
a failure leaves no partial export behind.

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
import re
import shutil
import signal
import ssl
import sys
import tempfile
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
# Bounds on a server that never ends a list: items and pages per endpoint
# (--max-items raises the first), and what `site import` reads at most.
MAX_ITEMS = 1000000
MAX_PAGES = 20000
MAX_EXPORT_BYTES = 256 * 1024 * 1024


def content_range(value):
    """`items A-B/TOTAL` (or `items */TOTAL`) as (A, TOTAL); None parts unknown."""
    m = re.match(r"^\s*items\s+(?:(\d+)-(\d+)|\*)/(\d+|\*)\s*$", value or "")
    if not m:
        return None, None
    first = int(m.group(1)) if m.group(1) else None
    total = int(m.group(3)) if m.group(3) != "*" else None
    return first, total


def item_id(item):
    ident = item.get("configurationId") if isinstance(item, dict) else None
    return json.dumps(ident.get("id") if isinstance(ident, dict) else item, sort_keys=True)


def export_endpoint(call, auth, session_id, endpoint, size, folder, limits):
    """Pages through one endpoint with `Range: items=N-M`, writing each
    response to `folder`; returns how many items it holds.

    The ICWS help enforces its result limits "regardless of the value of the
    Range header", so a page shorter than asked says only that the server
    sent fewer, not that the list ended: the next page is asked from the
    item after the last one received. The list ends at an empty page, at a
    416 (Range Not Satisfiable), or when the total a Content-Range
    (`items A-B/TOTAL`) announced is reached. A server that does not page as
    asked is caught, and `limits` bound the rest, instead of paging forever.
    """
    first, total, pages, seen, received = 0, 0, 0, set(), []
    query = urllib.parse.urlencode({"select": ENDPOINTS[endpoint]})
    path = "/icws/%s/configuration/%s?%s" % (urllib.parse.quote(session_id), endpoint, query)
    while True:
        last = first + size - 1
        status, headers, page = call("GET", path, headers=dict(auth, Range="items=%d-%d" % (first, last)),
                                     allow=(416,))
        pages += 1
        if status == 416:
            # Range Not Satisfiable: nothing is left past the items received.
            if first == 0:
                write_page(folder, endpoint, 0, {"items": []}, limits)
            break
        items = (page or {}).get("items", []) if isinstance(page, dict) else None
        if not isinstance(items, list):
            fail("ICWS answered %s items %d-%d without a list of items" % (endpoint, first, last))
        start, count = content_range(headers.get("Content-Range"))
        if len(items) > size:
            if first > 0:
                fail("ICWS sent %d %s when %d were asked (items %d-%d): it does not page as asked"
                     % (len(items), endpoint, size, first, last))
            # The whole list in one response: keep it, and ask no more.
            print("warning: ICWS ignored Range items=%d-%d and sent all %d %s in one response; kept as it is, "
                  "no further pages asked" % (first, last, len(items), endpoint), file=sys.stderr)
            write_page(folder, endpoint, first, page, limits)
            total += len(items)
            break
        if not items:
            # An empty page: the list has ended (an empty list is written
            # once, so the folder says the endpoint was exported).
            if first == 0:
                write_page(folder, endpoint, 0, page, limits)
            break
        if start is not None and start != first:
            fail("ICWS answered items %d-... when items %d-%d of %s were asked: it does not page as asked"
                 % (start, first, last, endpoint))
        if count is not None and first + len(items) > count:
            fail("ICWS announced %s %s but sent %s: the list cannot be trusted"
                 % (thousands(count), endpoint, thousands(first + len(items))))
        ids = [item_id(i) for i in items]
        if first > 0 and ids == received and total < size:
            # A server that ignores Range sends its whole list whatever is
            # asked: a list shorter than a page came whole in the first
            # response, and has come again.
            print("warning: ICWS ignored Range items=%d-%d and sent the same %d %s again; the first response "
                  "held the whole list, kept as it is" % (first, last, total, endpoint), file=sys.stderr)
            break
        if first > 0 and all(i in seen for i in ids):
            fail("ICWS sent the same items again for %s items %d-%d: it does not page as asked, and the rest "
                 "of the list cannot be read" % (endpoint, first, last))
        seen.update(ids)
        received.extend(ids)
        write_page(folder, endpoint, first, page, limits)
        total += len(items)
        if count is not None and total >= count:
            break
        if total > limits.max_items:
            fail("ICWS sent more than %s %s without ending the list (no empty page, no 416, no total reached); "
                 "if the site really is this large, give a larger --max-items" % (thousands(limits.max_items), endpoint))
        if pages >= limits.max_pages:
            fail("ICWS sent %s pages of %s (%s items) without ending the list (no empty page, no 416, no total "
                 "reached)" % (thousands(pages), endpoint, thousands(total)))
        first += len(items)
    return total


def thousands(n):
    return "{:,}".format(n)


def fail(message):
    """Ends the export: the temporary folder is removed, nothing is written."""
    sys.exit("%s; nothing was written" % message)


class Limits:
    """What one export may hold before it is stopped: items and pages per
    endpoint, and bytes in all (what `site import` reads at most)."""

    def __init__(self, max_items):
        self.max_items = max_items
        self.max_pages = MAX_PAGES
        self.bytes = 0


def write_page(folder, endpoint, first, page, limits):
    text = json.dumps(page, ensure_ascii=False)
    limits.bytes += len(text.encode("utf-8"))
    if limits.bytes > MAX_EXPORT_BYTES:
        fail("the export is larger than the 256 MiB `ia-licensing site import` reads (at %s items %d-...); "
             "export fewer properties or split the site" % (endpoint, first))
    name = os.path.join(folder, "%s-%04d.json" % (endpoint, first))
    with open(name, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--server", required=True, help="ICWS base URL, e.g. https://cic1:8019 (HTTP uses port 8018)")
    ap.add_argument("--user", required=True, help="a CIC user with administrator rights to read the configuration")
    ap.add_argument("--out", required=True, help="the folder to write (must not exist, or be empty)")
    ap.add_argument("--page-size", type=int, default=MAX_PAGE, help="items per request, 1 to 200 (default 200)")
    ap.add_argument("--application-name", default="ia-licensing site export")
    ap.add_argument("--insecure", action="store_true", help="accept a self-signed HTTPS certificate")
    ap.add_argument("--endpoints", default=",".join(ENDPOINTS), help="comma-separated (default: all five)")
    ap.add_argument("--max-items", type=int, default=MAX_ITEMS,
                    help="stop with an error when one endpoint sends more items than this without ending its list "
                         "(default 1,000,000)")
    args = ap.parse_args()
    if not 1 <= args.page_size <= MAX_PAGE:
        ap.error("--page-size must be 1 to 200 (ICWS returns at most 200 items when properties are selected)")
    if args.max_items < 1:
        ap.error("--max-items must be 1 or more")
    if os.path.exists(args.out) and (not os.path.isdir(args.out) or os.listdir(args.out)):
        ap.error("%s exists and is not an empty folder; nothing was written" % args.out)
    endpoints = [e.strip() for e in args.endpoints.split(",") if e.strip()]
    unknown = [e for e in endpoints if e not in ENDPOINTS]
    if unknown:
        ap.error("unknown endpoint(s): %s" % ", ".join(unknown))
    password = os.environ.get("ICWS_PASSWORD") or getpass.getpass("Password for %s: " % args.user)
    # Stopped by the system (a service stop, `kill`): end as Ctrl+C does,
    # so the temporary folder is removed rather than left behind.
    if hasattr(signal, "SIGTERM"):
        signal.signal(signal.SIGTERM, lambda *_: fail("the export was stopped"))

    context = ssl.create_default_context()
    if args.insecure:
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
    cookies = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(cookies),
                                         urllib.request.HTTPSHandler(context=context))
    base = args.server.rstrip("/")

    def call(method, path, body=None, headers=None, allow=()):
        """One request: (status, headers, JSON body). An HTTP error ends the
        script, unless its status is in `allow` (then it is returned)."""
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
            if e.code in allow:
                return e.code, e.headers, None
            detail = e.read().decode("utf-8", "replace")[:300]
            sys.exit("ICWS refused %s %s: HTTP %d %s" % (method, path.split("?")[0], e.code, detail))
        except urllib.error.URLError as e:
            sys.exit("cannot reach %s: %s" % (base, e.reason))
        except ValueError as e:
            sys.exit("ICWS answered %s %s with something that is not JSON: %s" % (method, path.split("?")[0], e))

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
    # Pages go to a temporary folder beside the output, renamed to it only
    # once every endpoint is complete: a failure never leaves a partial
    # export that would import as if it were the whole site.
    parent = os.path.dirname(os.path.abspath(args.out))
    os.makedirs(parent, exist_ok=True)
    work = tempfile.mkdtemp(prefix=".%s.partial-" % os.path.basename(os.path.abspath(args.out)), dir=parent)
    try:
        limits = Limits(args.max_items)
        try:
            for endpoint in endpoints:
                total = export_endpoint(call, auth, session_id, endpoint, args.page_size, work, limits)
                print("%s: %d items" % (endpoint, total), file=sys.stderr)
        finally:
            # Log off (the session would otherwise stay until it times out).
            try:
                call("DELETE", "/icws/%s/connection" % urllib.parse.quote(session_id), headers=auth)
            except SystemExit:
                pass
        if os.path.isdir(args.out):
            os.rmdir(args.out)  # empty (checked above); replaced by the export
        os.rename(work, args.out)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    print("Wrote %s; import it with: ia-licensing site import --icws %s -o SITE.ialws" % (args.out, args.out))


if __name__ == "__main__":
    main()
