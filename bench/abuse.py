#!/usr/bin/env python3
"""The abuse run: every attack of issue 18 at once against a running gateway, while a pooled legitimate client
reads populated pages beside them, for DURATION seconds (at least two minutes). Standard library only.

Attacks (each in its own threads, all the time):
  amplification  GET /api/products?userId=<attacker>&size=100&populate=userId.products and
                 /api/users/<attacker>?populate=products.userId.products (with the attacker's token), AMPLIFIERS at once; the attacker
                 owns ATTACK_PRODUCTS products with DESCRIPTION-character descriptions (the finding had 100 x 1,000)
  stalled        STALLED connections that POST a 60 KB chunk to /api/products and stall (half with the attacker's
                 token, half without), reopened when the gateway closes them
  trickled       TRICKLED uploads sending their body one byte a second (with the token)
  slowloris      SLOWLORIS connections sending their request line and headers a few bytes every few seconds
  keep-alive     connections mixing 401, 404 and routed 200 on kept-alive connections
  garbage        ?populate garbage (no '=', empty, unbalanced, huge, bad options) on every populatable endpoint
  sign-in        token requests with wrong passwords, as fast as answers come

Watched: the gateway's process (the one listening on its port: a new pid is a restart) and its RSS every half
second; with MANAGEMENT (its actuator's base URL) its peak heap, direct buffer memory, request bodies held and
answer memory in use (Prometheus metrics, every 2 s); with GATEWAY_LOG, how much its log grew. The legitimate
client: POOL kept-alive connections, each request with a 10 s timeout.

Pass: the gateway never restarts, its peak RSS stays under RSS_CAP_MB, the legitimate client gets every answer,
no 5xx but a 503 with Retry-After, at least 99 % 200. Prints one JSON summary line (and exits 1 on a failure).

Usage: bench/abuse.py http://127.0.0.1:8080   (settings from the environment, defaults below)
"""
import http.client
import json
import os
import random
import re
import selectors
import socket
import sys
import threading
import time
import urllib.parse
import urllib.request

DURATION = int(os.environ.get("DURATION", "150"))
ATTACK_PRODUCTS = int(os.environ.get("ATTACK_PRODUCTS", "100"))
DESCRIPTION = int(os.environ.get("DESCRIPTION", "5000"))
AMPLIFIERS = int(os.environ.get("AMPLIFIERS", "8"))
STALLED = int(os.environ.get("STALLED", "1200"))
TRICKLED = int(os.environ.get("TRICKLED", "100"))
SLOWLORIS = int(os.environ.get("SLOWLORIS", "1500"))
KEEPALIVE = int(os.environ.get("KEEPALIVE", "4"))
GARBAGE = int(os.environ.get("GARBAGE", "2"))
SIGN_IN = int(os.environ.get("SIGN_IN", "2"))
POOL = int(os.environ.get("POOL", "4"))
RSS_CAP_MB = int(os.environ.get("RSS_CAP_MB", "512"))
MANAGEMENT = os.environ.get("MANAGEMENT")
GATEWAY_LOG = os.environ.get("GATEWAY_LOG")

base = urllib.parse.urlsplit(sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8080")
HOST, PORT = base.hostname, base.port or 80
stop = threading.Event()
lock = threading.Lock()
counts = {}


def count(group, key):
    with lock:
        bucket = counts.setdefault(group, {})
        bucket[key] = bucket.get(key, 0) + 1


def request(method, path, body=None, token=None, timeout=30):
    connection = http.client.HTTPConnection(HOST, PORT, timeout=timeout)
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = "Bearer " + token
    try:
        connection.request(method, path, body=json.dumps(body) if body is not None else None, headers=headers)
        response = connection.getresponse()
        return response.status, response.read(), response.getheader("Retry-After")
    finally:
        connection.close()


def account(name):
    email = "%s-%d-%d@example.com" % (name.lower(), os.getpid(), random.randrange(1 << 30))
    status, body, _ = request("POST", "/api/users", {"name": name, "email": email, "password": "correct horse battery"})
    assert status in (200, 201), (status, body)
    user = json.loads(body)["id"]
    status, body, _ = request("POST", "/api/auth/token", {"email": email, "password": "correct horse battery"})
    assert status == 200, (status, body)
    return user, json.loads(body)["access_token"], email


def seed():
    attacker, attacker_token, attacker_email = account("Mallory")
    legitimate, legitimate_token, _ = account("Alice")
    words = "lamp shade brass cable switch bulb socket base cord plug ".split()
    for i in range(ATTACK_PRODUCTS):
        description = " ".join(random.choice(words) for _ in range(DESCRIPTION))[:DESCRIPTION]
        status, body, _ = request("POST", "/api/products", {"title": "Product %d" % i, "price": 10 + i,
                                                            "imageUrl": "https://example.com/%d.png" % i,
                                                            "description": description}, attacker_token)
        assert status == 201, (status, body[:300])
        if i == 0:
            first = json.loads(body)["id"]
    status, body, _ = request("POST", "/api/users/%s/cart/items" % legitimate, {"productId": first, "quantity": 1},
                              legitimate_token)
    assert status == 200, (status, body[:300])
    return attacker, attacker_token, attacker_email, legitimate, legitimate_token


# --- the gateway's process -------------------------------------------------------------------------------------

def listening_pid(port):
    """The pid of the process listening on the port (from /proc), or None."""
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            with open(table) as lines:
                next(lines)
                for line in lines:
                    fields = line.split()
                    if int(fields[1].rsplit(":", 1)[1], 16) == port and fields[3] == "0A":
                        inodes.add(fields[9])
        except FileNotFoundError:
            pass
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            for fd in os.listdir("/proc/%s/fd" % pid):
                target = os.readlink("/proc/%s/fd/%s" % (pid, fd))
                if target.startswith("socket:[") and target[8:-1] in inodes:
                    return int(pid)
        except OSError:
            continue
    return None


def rss_mb(pid):
    try:
        with open("/proc/%d/status" % pid) as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        return None


watch = {"pids": [], "peak_rss_mb": 0.0, "samples": 0, "down_samples": 0, "peak_mb": {}}

# what is sampled from the gateway's Prometheus metrics: name, the labels a line must have, summed over those lines
METRICS = {"heap": ("jvm_memory_used_bytes", 'area="heap"'),
           "direct buffers": ("jvm_buffer_memory_used_bytes", 'id="direct"'),
           "request bodies held": ("gateway_request_bodies_held_bytes", ""),
           "answer memory": ("gateway_answer_memory_used_bytes", "")}


def sample_metrics():
    try:
        with urllib.request.urlopen(MANAGEMENT + "/actuator/prometheus", timeout=5) as response:
            text = response.read().decode()
    except OSError:
        return
    for label, (name, must) in METRICS.items():
        total = sum(float(line.rsplit(" ", 1)[1]) for line in text.splitlines()
                    if line.startswith(name + "{") or line.startswith(name + " ") if must in line)
        with lock:
            watch["peak_mb"][label] = round(max(watch["peak_mb"].get(label, 0), total / 2**20), 1)


def watcher():
    last_metrics = 0
    while not stop.is_set():
        if MANAGEMENT and time.time() - last_metrics >= 2:
            last_metrics = time.time()
            sample_metrics()
        pid = listening_pid(PORT)
        with lock:
            if pid is None:
                watch["down_samples"] += 1
            elif not watch["pids"] or watch["pids"][-1] != pid:
                watch["pids"].append(pid)
            if pid:
                rss = rss_mb(pid) or 0
                watch["peak_rss_mb"] = max(watch["peak_rss_mb"], rss)
                watch["samples"] += 1
        stop.wait(0.5)


# --- the attacks ------------------------------------------------------------------------------------------------

def failed(group, error):
    """Counts a request that got no answer, and waits a little: a gateway that is down is not hammered."""
    count(group, type(error).__name__)
    stop.wait(0.1)


def amplifier(attacker, token):
    # a product page is open to anyone; a user is read with a token (the attacker's own)
    paths = [("/api/products?userId=%s&size=100&populate=userId.products" % attacker, None),
             ("/api/users/%s?populate=products.userId.products" % attacker, token)]
    while not stop.is_set():
        path, bearer = random.choice(paths)
        try:
            status, body, retry = request("GET", path, token=bearer, timeout=60)
            count("amplification", "%d%s" % (status, " Retry-After" if retry else ""))
        except (OSError, http.client.HTTPException) as error:
            failed("amplification", error)


def garbage():
    values = ["", "(", "((((", "userId(", "userId[", "a" * 3000, "userId[limit=1000]", "products[sort=$where]",
              "userId.products.userId.products.userId", "%00", "%ff%fe", "userId,,", "[", "userId(name,,)"]
    paths = ["/api/products", "/api/products/%s" % ("b" * 24), "/api/users/%s" % ("a" * 24)]
    while not stop.is_set():
        path = random.choice(paths)
        form = random.choice(["?populate", "?populate=" + urllib.parse.quote(random.choice(values), safe="%"),
                              "?populate&populate=userId", "?populate=userId&size", "?size=&page=x"])
        try:
            status, _, _ = request("GET", path + form, timeout=30)
            count("garbage", status)
        except (OSError, http.client.HTTPException) as error:
            failed("garbage", error)


def sign_in_flood(email):
    while not stop.is_set():
        try:
            status, _, retry = request("POST", "/api/auth/token", {"email": email, "password": "wrong"}, timeout=30)
            count("sign-in", "%d%s" % (status, " Retry-After" if retry else ""))
        except (OSError, http.client.HTTPException) as error:
            failed("sign-in", error)


def keep_alive_mix(token):
    kinds = [("GET", "/api/users", None), ("GET", "/api/nothing", token), ("GET", "/api/products?size=1", None)]
    connection = None
    while not stop.is_set():
        method, path, bearer = random.choice(kinds)
        try:
            if connection is None:
                connection = http.client.HTTPConnection(HOST, PORT, timeout=10)
            connection.request(method, path, headers={"Authorization": "Bearer " + bearer} if bearer else {})
            response = connection.getresponse()
            response.read()
            count("keep-alive", response.status)
        except socket.timeout:
            count("keep-alive", "unanswered")
            connection.close()
            connection = None
        except (OSError, http.client.HTTPException) as error:
            failed("keep-alive", error)
            if connection:
                connection.close()
            connection = None


class Slow:
    """Many sockets in one thread: each sends an opening, then a few bytes every interval, reopened when closed."""

    def __init__(self, group, n, opening, trickle, interval):
        self.group, self.n, self.opening, self.trickle, self.interval = group, n, opening, trickle, interval
        self.selector = selectors.DefaultSelector()

    def open(self):
        s = socket.socket()
        s.setblocking(False)
        try:
            s.connect_ex((HOST, PORT))
            self.selector.register(s, selectors.EVENT_READ, {"sent": 0, "next": time.time() + 1})
            self.pending.append(s)
        except OSError as error:
            count(self.group, type(error).__name__)
            s.close()

    def run(self):
        self.pending = []
        for _ in range(self.n):
            if stop.is_set():
                return
            self.open()
        count(self.group, "opened %d" % self.n)
        while not stop.is_set():
            for s in self.pending:
                try:
                    s.sendall(self.opening(len(self.pending)))
                except OSError:
                    pass
            self.pending = []
            events = self.selector.select(timeout=0.5)
            if len(events) > 100:
                stop.wait(0.2)  # many closed at once (a gateway that is down): do not spin
            for key, _ in events:
                s = key.fileobj
                try:
                    data = s.recv(65536)
                except OSError:
                    data = b""
                status = re.match(rb"HTTP/1\.1 (\d+)", data or b"")
                count(self.group, "closed" if not data else "answered %s" % (status.group(1).decode() if status else "?"))
                self.selector.unregister(s)
                s.close()
                self.open()
            now = time.time()
            for key in list(self.selector.get_map().values()):
                if key.data["next"] <= now:
                    key.data["next"] = now + self.interval
                    try:
                        key.fileobj.send(self.trickle)
                    except OSError:
                        pass
        for key in list(self.selector.get_map().values()):
            key.fileobj.close()


def legitimate_client(legitimate, token, results):
    paths = [("/api/products?size=20&populate=userId", None),
             ("/api/users/%s?populate=cart.items.productId.userId" % legitimate, token)]
    connection = None
    while not stop.is_set():
        path, bearer = random.choice(paths)
        try:
            if connection is None:
                connection = http.client.HTTPConnection(HOST, PORT, timeout=10)
            connection.request("GET", path, headers={"Authorization": "Bearer " + bearer} if bearer else {})
            response = connection.getresponse()
            response.read()
            key = "%d%s" % (response.status, " Retry-After" if response.getheader("Retry-After") else "")
            if response.getheader("Connection", "").lower() == "close":
                connection.close()
                connection = None
        except socket.timeout:
            key = "unanswered"
            connection.close()
            connection = None
        except (OSError, http.client.HTTPException) as error:
            key = "failed: " + type(error).__name__
            if connection:
                connection.close()
            connection = None
            stop.wait(0.1)
        with lock:
            results[key] = results.get(key, 0) + 1
        time.sleep(0.05)


def main():
    started = time.time()
    log_size = os.path.getsize(GATEWAY_LOG) if GATEWAY_LOG else 0
    attacker, attacker_token, attacker_email, legitimate, legitimate_token = seed()
    print("seeded in %.0f s: %d products of %d characters" % (time.time() - started, ATTACK_PRODUCTS, DESCRIPTION),
          file=sys.stderr)
    threads = [threading.Thread(target=watcher)]
    threads += [threading.Thread(target=amplifier, args=(attacker, attacker_token)) for _ in range(AMPLIFIERS)]
    threads += [threading.Thread(target=garbage) for _ in range(GARBAGE)]
    threads += [threading.Thread(target=sign_in_flood, args=(attacker_email,)) for _ in range(SIGN_IN)]
    threads += [threading.Thread(target=keep_alive_mix, args=(legitimate_token,)) for _ in range(KEEPALIVE)]
    chunk = b"f000\r\n" + b"x" * 0xf000 + b"\r\n"

    def stalled_opening(i):
        auth = "Authorization: Bearer %s\r\n" % attacker_token if random.random() < 0.5 else ""
        return ("POST /api/products HTTP/1.1\r\nHost: gateway\r\n%sContent-Type: application/json\r\n"
                "Transfer-Encoding: chunked\r\n\r\n" % auth).encode() + chunk

    def trickled_opening(i):
        return ("POST /api/products HTTP/1.1\r\nHost: gateway\r\nAuthorization: Bearer %s\r\n"
                "Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n{" % attacker_token).encode()

    def slowloris_opening(i):
        return b"GET /api/products HTTP/1.1\r\nHost: gateway\r\n"

    slow = [Slow("stalled", STALLED, stalled_opening, b"", 3600),
            Slow("trickled", TRICKLED, trickled_opening, b" ", 1),
            Slow("slowloris", SLOWLORIS, slowloris_opening, b"X-a: b\r\n", 5)]
    threads += [threading.Thread(target=s.run) for s in slow]
    results = {}
    threads += [threading.Thread(target=legitimate_client, args=(legitimate, legitimate_token, results))
                for _ in range(POOL)]
    for thread in threads:
        thread.daemon = True
        thread.start()
    began = time.time()
    while time.time() - began < DURATION:
        time.sleep(10)
        with lock:
            print("%4.0f s: legitimate %s; gateway pids %s, peak RSS %.0f MB" % (
                time.time() - began, dict(results), watch["pids"], watch["peak_rss_mb"]), file=sys.stderr)
    stop.set()
    for thread in threads:
        thread.join(timeout=15)

    total = sum(results.values())
    ok = results.get("200", 0)
    bad = {k: v for k, v in results.items() if k not in ("200", "503 Retry-After")}
    summary = {"duration_s": DURATION, "legitimate": results, "legitimate_ok_ratio": ok / total if total else 0,
               "gateway_pids": watch["pids"], "gateway_down_samples": watch["down_samples"],
               "peak_rss_mb": round(watch["peak_rss_mb"]), "rss_cap_mb": RSS_CAP_MB, "peak_mb": watch["peak_mb"],
               "log_growth_mb": round((os.path.getsize(GATEWAY_LOG) - log_size) / 2**20, 2) if GATEWAY_LOG else None,
               "attacks": counts}
    failures = []
    if len(watch["pids"]) != 1 or watch["down_samples"]:
        failures.append("the gateway restarted or stopped listening")
    if watch["peak_rss_mb"] >= RSS_CAP_MB:
        failures.append("peak RSS over the cap")
    if bad:
        failures.append("legitimate answers other than 200 and 503 with Retry-After: %s" % bad)
    if total == 0 or ok / total < 0.99:
        failures.append("under 99 % of legitimate requests were 200")
    summary["failures"] = failures
    print(json.dumps(summary))
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
