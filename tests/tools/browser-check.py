#!/usr/bin/env python3
# tests/tools/browser-check.py OUTDIR NAME SERVER... -- `make browser-check`: a
# real browser looks at a directory listing after uploads (lesson 09).
# Starts SERVER -w 0 DOCROOT on a fresh docroot with an empty up/, PUTs
# files whose names need escaping -- a space, &, <, >, #, %, ?, quotes,
# UTF-8 -- with curl -T (each must be 201), then opens /up/ in headless
# Chromium and reads the page as Chromium built it (--dump-dom):
#   - the listing shows exactly ../ and the uploaded names, as text, each
#     name once (no temporary file, no name half-escaped or escaped twice);
#   - each link, resolved by the URL rules (RFC 3986 §5, Python's
#     urljoin) against the page's address, fetched with curl through the
#     same server, is 200 and gives the bytes that were uploaded.  (This is
#     stricter than a browser: curl refuses a raw space or byte above 127
#     in a URL, which a browser would escape itself.  A raw #, ? or %
#     breaks the link in both.)
# A screenshot of the page goes to OUTDIR/NAME.png for a person to look
# at (NAME says which server it was): whether a name
# shows as characters or as empty boxes depends on the fonts installed,
# which no server can change.  Prints what it checked; exit 1 on a failure.
#
#   python3 tests/tools/browser-check.py build/browser-check cpp build/lesson-09/httpd-cpp
#   python3 tests/tools/browser-check.py build/browser-check asm qemu-aarch64 build/lesson-09/httpd-asm
import html.parser, os, shutil, subprocess, sys, tempfile, time, urllib.parse

# The names, as they are on the disk.
NAMES = [
    "a b&c<d>é ü.txt",              # space, &, <, >, Latin letters in UTF-8
    "日本 #%?'\".bin",               # CJK, and what ends a path or a query
    "x+y;z=1,(2)[3]~.html",         # sub-delims: legal in a path, left alone or escaped
]

def body_for(i):
    # different bytes and sizes per file, every byte value somewhere
    return bytes((i * 7 + k * 13) % 256 for k in range(1000 + i * 4099))

class Links(html.parser.HTMLParser):
    """The (href, text) of every <a> inside <tbody>: the listing's rows."""
    def __init__(self):
        super().__init__()
        self.in_body = False
        self.href = None
        self.links = []
        self.title = ""
        self.in_title = False
    def handle_starttag(self, tag, attrs):
        if tag == "tbody":
            self.in_body = True
        elif tag == "title":
            self.in_title = True
        elif tag == "a" and self.in_body:
            self.href = dict(attrs).get("href")
            self.text = ""
    def handle_endtag(self, tag):
        if tag == "tbody":
            self.in_body = False
        elif tag == "title":
            self.in_title = False
        elif tag == "a" and self.href is not None:
            self.links.append((self.href, self.text))
            self.href = None
    def handle_data(self, data):
        if self.href is not None:
            self.text += data
        if self.in_title:
            self.title += data

def chromium(args, out):
    # --no-sandbox: Chromium's sandbox does not start as root or in most
    # containers; the page is our own listing on 127.0.0.1.
    cmd = ["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
           "--user-data-dir=" + out["profile"]] + args
    return subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, timeout=120)

def main():
    if len(sys.argv) < 4:
        sys.exit("usage: browser-check.py OUTDIR NAME SERVER...")
    outdir, label, server = sys.argv[1], sys.argv[2], sys.argv[3:]
    if shutil.which("chromium") is None:
        sys.exit("browser-check: no chromium here -- on Debian, as root: apt-get install -y chromium")
    os.makedirs(outdir, exist_ok=True)
    top = tempfile.mkdtemp(prefix="metal-browser.")
    site = os.path.join(top, "site")
    os.makedirs(os.path.join(site, "up"))
    srv = subprocess.Popen(server + ["-w", "0", site], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    failures = []
    def check(ok, what):
        print(("  ok    " if ok else "  FAIL  ") + what)
        if not ok:
            failures.append(what)
    try:
        line = srv.stdout.readline().decode()          # listening on http://127.0.0.1:PORT/
        port = int(line.rsplit(":", 1)[1].strip("/\n"))
        base = f"http://127.0.0.1:{port}"
        print(f"{label}: {' '.join(server)} -w 0 DOCROOT (port {port})")
        # 1. the uploads, each name percent-encoded whole (RFC 3986 §2.1)
        for i, name in enumerate(NAMES):
            src = os.path.join(top, f"body{i}")
            with open(src, "wb") as f:
                f.write(body_for(i))
            url = base + "/up/" + urllib.parse.quote(name, safe="")
            r = subprocess.run(["curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "-T", src, url],
                               stdout=subprocess.PIPE, timeout=60)
            check(r.stdout == b"201", f"PUT /up/{name!r}: {r.stdout.decode()} (201 expected)")
        # 2. the listing, as Chromium builds it
        listing = base + "/up/"
        prof = {"profile": os.path.join(top, "profile")}
        dom = chromium(["--dump-dom", listing], prof).stdout.decode("utf-8", "replace")
        p = Links()
        p.feed(dom)
        check(p.title == "Index of /up/", f"the page's title: {p.title!r}")
        texts = [t for _, t in p.links]
        check(sorted(texts) == sorted(["../"] + NAMES),
              f"the listing shows ../ and the {len(NAMES)} names, nothing else: {texts!r}")
        # 3. every link, resolved against the page's address, fetched through the server
        for href, text in p.links:
            if text == "../":
                continue
            target = urllib.parse.urljoin(listing, href)
            got = subprocess.run(["curl", "-s", "-w", "\n%{http_code}", target],
                                 stdout=subprocess.PIPE, timeout=60).stdout
            body, _, status = got.rpartition(b"\n")
            want = body_for(NAMES.index(text)) if text in NAMES else None
            check(status == b"200" and body == want,
                  f"link {href} -> {status.decode()}, {len(body)} bytes, {'the same' if body == want else 'NOT the'} bytes as the upload of {text!r}")
        # 4. the screenshot, for a person
        png = os.path.join(outdir, f"{label}.png")
        chromium([f"--screenshot={png}", "--window-size=900,360", listing], prof)
        check(os.path.exists(png) and os.path.getsize(png) > 1000, f"screenshot: {png}")
    finally:
        srv.terminate()
        srv.wait()
        shutil.rmtree(top, ignore_errors=True)
    print(f"{label}: {'all checks passed' if not failures else str(len(failures)) + ' failed'}")
    return 1 if failures else 0

if __name__ == "__main__":
    sys.exit(main())
