#!/usr/bin/env python3
"""Sign-in flood against `registry serve` (an attacker's view of the sign-in endpoint), measuring the service's memory
and a real user's sign-in while it lasts. Bounded: a fixed number of requests, all on loopback.

1. four concurrent sign-ins with a 150 MB user name each (the body limit must refuse them unread);
2. 20,000 failed sign-ins on 64 connections with distinct 60-character user names from 2,000 forwarded addresses (the throttle's
   memory must stay bounded);
3. 40 concurrent bogus sign-ins, then the real user signs in (must not wait behind them for long).
Prints RSS (VmRSS, VmHWM of the service) after each step as JSON.

Usage: signin_flood.py BASE_URL PID USER PASSWORD"""
import http.client, json, socket, sys, threading, time, urllib.parse

base, pid, user, password = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
host = urllib.parse.urlparse(base)

def memory():
    fields = {}
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            key, _, value = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                fields[key] = int(value.split()[0]) // 1024
    return fields

def sign_in(name, secret, forwarded=None, timeout=60):
    conn = http.client.HTTPConnection(host.hostname, host.port, timeout=timeout)
    headers = {"Content-Type": "application/json"}
    if forwarded:
        headers["X-Forwarded-For"] = forwarded
    start = time.perf_counter()
    try:
        conn.request("POST", "/api/session", body=json.dumps({"username": name, "password": secret}), headers=headers)
        response = conn.getresponse()
        response.read()
        status = response.status
    except OSError as error:
        status = f"connection error ({type(error).__name__})"
    finally:
        conn.close()
    return status, time.perf_counter() - start

def huge_body():
    size = 150 * 1024 * 1024
    prefix = b'{"username":"'
    sock = socket.create_connection((host.hostname, host.port))
    sock.settimeout(30)
    sock.sendall(b"POST /api/session HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: "
                 + str(size + len(prefix) + 20).encode() + b"\r\n\r\n" + prefix)
    chunk = b"a" * (1 << 20)
    sent = 0
    try:
        while sent < size:
            sock.sendall(chunk)
            sent += len(chunk)
    except OSError:
        pass  # the service closed the connection after refusing the body: what we want
    try:
        sock.settimeout(5)
        answer = sock.recv(200).split(b"\r\n")[0].decode(errors="replace")
    except OSError:
        answer = "closed"
    with lock:
        huge_answers.append(answer)
    sock.close()

lock = threading.Lock()
huge_answers = []
results = {"start": memory()}
threads = [threading.Thread(target=huge_body) for _ in range(4)]
for t in threads: t.start()
for t in threads: t.join()
time.sleep(1)
results["after 4 x 150 MB user names"] = memory()
results["answers to the 150 MB bodies"] = huge_answers

statuses = {}
def distinct(worker):
    for i in range(worker, 20000, 64):
        status, _ = sign_in(f"guess-{i:06d}-" + "x" * 48, "wrong password", forwarded=f"10.{(i % 2000) // 250}.{i % 250}.1")
        with lock:
            statuses[status] = statuses.get(status, 0) + 1
threads = [threading.Thread(target=distinct, args=(w,)) for w in range(64)]
start = time.time()
for t in threads: t.start()
for t in threads: t.join()
results["after 20,000 distinct failed sign-ins"] = memory()
results["answers to the 20,000"] = {str(k): v for k, v in sorted(statuses.items())}
results["seconds for the 20,000"] = round(time.time() - start, 1)

bogus = [threading.Thread(target=sign_in, args=(f"bogus{i}", "wrong password", f"192.0.2.{i}")) for i in range(40)]
for t in bogus: t.start()
time.sleep(0.05)
status, seconds = 0, 0.0
for attempt in range(30):
    status, seconds_try = sign_in(user, password, forwarded="198.51.100.77")
    seconds += seconds_try
    if status == 200:
        break
    time.sleep(0.5)
    seconds += 0.5
for t in bogus: t.join()
results["real sign-in behind 40 bogus ones"] = {"status": status, "seconds": round(seconds, 2)}
time.sleep(2)
results["end"] = memory()
print(json.dumps(results, indent=1))
