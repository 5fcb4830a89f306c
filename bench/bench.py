#!/usr/bin/env python3
"""Helpers of bench/run.sh (Python 3 standard library only).

  bench.py seed <user-url> <product-url> <state.json> <token-file>
                                                           1,000 users (signed up with passwords, one token each),
                                                           5,000 products (each created with its owner's token),
                                                           carts of 5 items (each filled with its user's token);
                                                           the cart user's access token goes to <token-file>
  bench.py probe <scenarios.json> <id> <token-file> <out.json>
                                                           one request of a scenario: its status, and whether the answer
                                                           is what the scenario measures (exit 1 if not)
  bench.py calls <name=management-url>...                  backend requests served so far (all non-actuator URIs), by
                                                           service, from each service's metrics on its management port
  bench.py cache <management-url>                          a gateway's populate cache hits and misses so far ({} if it
                                                           publishes none)
  bench.py rss <pid>...                                    VmHWM and VmRSS in MB per pid
  bench.py cpu <name=pid>...                               CPU time (user + system) each process has used, in ms
  bench.py cpu-window <wrk.json> <before> <after>          CPU per process over a wrk run, per request (from two cpu)
  bench.py writer <user-url> <product-url> <out.json> <token-file>
                                                           a user of its own for the write scenario (signs up, gets a
                                                           token, puts a product in its cart)
  bench.py flags <out.json> <pid>...                       each JVM's launch settings by module (a pid that is no JVM:
                                                           its JVM children, as ./run.sh starts them)
  bench.py hey <hey-output.txt> <rate> <out.json>           hey's summary as JSON
  bench.py median <results-dir> <rounds> <id>...           each scenario's median round (by its processes' CPU per
                                                           request) copied to wrk-<id>, cpu-<id>, calls-<id>; every
                                                           round's figures in rounds-<id>.json
  bench.py report <results-dir> <BENCHMARKS.md> <command>  the table, the chart's data, and BENCHMARKS.md

Sizes come from the environment: USERS (1000), PRODUCTS (5000), CART_ITEMS (5), SEED_THREADS (8).
"""
import datetime
import http.client
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor

TIMEOUT = 30


class Client:
    """One keep-alive connection per thread to one base URL."""

    def __init__(self, base):
        parts = urllib.parse.urlsplit(base)
        self.host, self.port = parts.hostname, parts.port
        self.local = threading.local()

    def request(self, method, path, body=None, token=None):
        for attempt in range(2):  # one reconnect if the server closed an idle connection
            conn = getattr(self.local, "conn", None)
            if conn is None:
                conn = self.local.conn = http.client.HTTPConnection(self.host, self.port, timeout=TIMEOUT)
            try:
                headers = {"Content-Type": "application/json"} if body is not None else {}
                if token is not None:
                    headers["Authorization"] = f"Bearer {token}"
                conn.request(method, path, body=json.dumps(body) if body is not None else None, headers=headers)
                response = conn.getresponse()
                data = response.read()
                if response.status >= 300:
                    raise RuntimeError(f"{method} {path}: {response.status} {data[:300]!r}")
                return json.loads(data) if data else None
            except (http.client.HTTPException, ConnectionError):
                conn.close()
                self.local.conn = None
                if attempt == 1:
                    raise


def seed(user_url, product_url, state_file, token_file):
    users_n = int(os.environ.get("USERS", 1000))
    products_n = int(os.environ.get("PRODUCTS", 5000))
    cart_items = int(os.environ.get("CART_ITEMS", 5))
    threads = int(os.environ.get("SEED_THREADS", 8))
    users, products = Client(user_url), Client(product_url)
    run = datetime.datetime.now().strftime("%H%M%S")
    started = time.monotonic()
    timings = {}

    def email(i):
        return f"bench-{run}-{i:04d}@example.com"

    def password(i):
        return f"bench-password-{run}-{i:04d}"  # 8-128 characters

    def timed(phase, fn, items):
        t = time.monotonic()
        out = list(pool.map(fn, items))
        timings[phase] = round(time.monotonic() - t, 1)
        return out

    with ThreadPoolExecutor(threads) as pool:
        # sign-up (open), then one access token per user: every write below is made by its owner
        user_ids = timed("signUp", lambda i: users.request("POST", "/users", {
            "name": f"Bench User {i:04d}", "email": email(i), "password": password(i)})["id"], range(users_n))
        tokens = timed("tokens", lambda i: users.request("POST", "/auth/token", {
            "email": email(i), "password": password(i)})["access_token"], range(users_n))
        # product i belongs to user i mod USERS (created with that user's token, so it owns it): any 50
        # consecutive products have 50 distinct owners
        product_ids = timed("products", lambda i: products.request("POST", "/products", {
            "title": f"Product {i:05d}", "imageUrl": f"https://example.com/p/{i}.png",
            "price": round((i % 500) + 0.99, 2), "description": f"Benchmark product number {i}, a fine thing to own."},
            token=tokens[i % users_n])["id"], range(products_n))

        def fill_cart(i):
            for k in range(cart_items):
                product = product_ids[(i * 7 + k * 997) % products_n]  # owners vary across the cart
                users.request("POST", f"/users/{user_ids[i]}/cart/items", {"productId": product, "quantity": k + 1},
                              token=tokens[i])
        timed("carts", fill_cart, range(users_n))
    page = products.request("GET", "/products?page=0&size=50")
    owners = {p["userId"] for p in page["content"]}
    cart_user = user_ids[0]
    cart = users.request("GET", f"/users/{cart_user}/cart", token=tokens[0])
    # the users of page 0 of 20 (scenarios 7 and 8) and how many products each owns (user j owns products j, j + USERS, ...)
    index = {u: j for j, u in enumerate(user_ids)}
    users_page = users.request("GET", "/users?page=0&size=20", token=tokens[0])["content"]
    owned = [len(range(index[u["id"]], products_n, users_n)) if u["id"] in index else 0 for u in users_page]
    # the token of the user of scenarios 4 and 5, for wrk and hey; kept out of the state and the report
    with open(token_file, "w") as f:
        f.write(tokens[0])
    state = {"users": len(user_ids), "products": len(product_ids), "cartItems": cart_items,
             "cartUser": cart_user, "page0Items": len(page["content"]), "page0DistinctOwners": len(owners),
             "cartUserItems": len(cart["items"]), "usersPage0Owned": owned, "seedSeconds": round(time.monotonic() - started, 1),
             "seedPhaseSeconds": timings}
    with open(state_file, "w") as f:
        json.dump(state, f, indent=2)
    print(json.dumps(state))


def served(base):
    """Requests a service has answered, summed over every URI but its actuator's."""
    def metric(query=""):
        try:
            with urllib.request.urlopen(f"{base}/actuator/metrics/http.server.requests{query}", timeout=TIMEOUT) as r:
                return json.load(r)
        except urllib.error.HTTPError as e:
            if e.code == 404:
                return None
            raise
    whole = metric()
    if whole is None:
        return 0
    uris = next((t["values"] for t in whole["availableTags"] if t["tag"] == "uri"), [])
    total = 0
    for uri in uris:
        if uri.startswith("/actuator"):
            continue
        m = metric("?tag=" + urllib.parse.quote(f"uri:{uri}"))
        total += int(next(x["value"] for x in m["measurements"] if x["statistic"] == "COUNT"))
    return total


def calls(*named_bases):
    for attempt in range(5):  # a refused connection right after a burst of load is retried, a few times
        try:
            print(json.dumps({name: served(base) for name, _, base in (a.partition("=") for a in named_bases)}))
            return
        except urllib.error.URLError as e:
            if attempt == 4:
                raise
            print(f"metrics not readable ({e}); retrying", file=sys.stderr)
            time.sleep(1)


def metric_count(base, name, tag=None):
    """The COUNT of a meter on a management port, optionally of one tag value; None if there is no such meter."""
    query = "?tag=" + urllib.parse.quote(tag) if tag else ""
    try:
        with urllib.request.urlopen(f"{base}/actuator/metrics/{name}{query}", timeout=TIMEOUT) as r:
            m = json.load(r)
    except urllib.error.HTTPError as e:
        if e.code in (400, 404):
            return None
        raise
    return sum(x["value"] for x in m["measurements"] if x["statistic"] in ("COUNT", "TOTAL"))


def cache(base):
    """Hits and misses of a gateway's caches so far: Micrometer's cache meters (cache.gets by result, as Caffeine's
    binder publishes them), or else meters named like *populate*cache*hit* / *miss*; {} if it publishes neither."""
    hit, miss = metric_count(base, "cache.gets", "result:hit"), metric_count(base, "cache.gets", "result:miss")
    if hit is None or miss is None:
        with urllib.request.urlopen(f"{base}/actuator/metrics", timeout=TIMEOUT) as r:
            names = json.load(r)["names"]
        found = {kind: [n for n in names if re.search(rf"populate.*cache.*{kind}", n)] for kind in ("hit", "miss")}
        if not (found["hit"] and found["miss"]):
            print("{}")
            return
        hit, miss = (sum(metric_count(base, n) or 0 for n in found[kind]) for kind in ("hit", "miss"))
    print(json.dumps({"hits": hit, "misses": miss}))


def probe(scenarios_file, scenario_id, token_file, out_file):
    """One request of a scenario, as wrk will send it: its status, and for a scenario that expects a populated field
    on each element of a page ("expect"), whether every element has it as an array, or for a filtered page ("total"),
    whether its totalElements is the number of matches the seed made. Exit 1 unless both hold."""
    s = next(x for x in json.load(open(scenarios_file)) if str(x["id"]) == scenario_id)
    headers = {"Authorization": "Bearer " + open(token_file).read().strip()} if s.get("auth") else {}
    try:
        with urllib.request.urlopen(urllib.request.Request(s["url"], headers=headers), timeout=TIMEOUT) as r:
            status, body = r.status, r.read()
    except urllib.error.HTTPError as e:
        status, body = e.code, e.read()
    result = {"status": status, "ok": 200 <= status < 300}
    if not result["ok"]:
        try:
            problem = json.loads(body)
            result["detail"] = problem.get("detail") or problem.get("title") or ""
        except ValueError:
            result["detail"] = body[:200].decode(errors="replace")
    elif s.get("total") is not None:
        total = (json.loads(body).get("page") or {}).get("totalElements")
        result["ok"] = total == s["total"]
        result["detail"] = f"totalElements {total}, expected {s['total']}"
    elif s.get("expect"):
        content = json.loads(body).get("content", [])
        sizes = [len(x[s["expect"]]) for x in content if isinstance(x.get(s["expect"]), list)]
        result["ok"] = bool(content) and len(sizes) == len(content)
        result["detail"] = (f"{len(content)} elements, each with {s['expect']}: {min(sizes)}-{max(sizes)} entries"
                            if result["ok"] else f"{len(content)} elements, {len(sizes)} with {s['expect']} as an array")
    with open(out_file, "w") as f:
        json.dump(result, f)
    print(json.dumps(result))
    sys.exit(0 if result["ok"] else 1)


def rss(*pids):
    out = {}
    for pid in pids:
        fields = {}
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                key, _, value = line.partition(":")
                if key in ("VmHWM", "VmRSS"):
                    fields[key] = round(int(value.split()[0]) / 1024, 1)
        out[pid] = fields
    print(json.dumps(out))


def cpu(*named_pids):
    """CPU time each process has used so far, in ms: utime + stime, fields 14 and 15 of /proc/<pid>/stat."""
    tick = os.sysconf("SC_CLK_TCK")
    out = {}
    for arg in named_pids:
        name, _, pid = arg.partition("=")
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rpartition(")")[2].split()  # the command in parentheses may hold spaces
        out[name] = (int(fields[11]) + int(fields[12])) * 1000 / tick  # fields[0] is field 3
    print(json.dumps(out))


def cpu_window(wrk_file, before, after):
    """Each process's CPU over a wrk run (two cpu snapshots around it) and per request wrk completed."""
    requests = json.load(open(wrk_file))["requests"]
    before, after = json.loads(before), json.loads(after)
    ms = {name: after[name] - before[name] for name in after if name in before}
    print(json.dumps({"requests": requests, "ms": ms,
                      "perRequest": {name: v / max(1, requests) for name, v in ms.items()}}))


def median(results, rounds, *ids):
    """Each scenario's figures are those of its median round, by the CPU per request of the processes serving it
    (one round whole, so that its throughput, latency, calls and CPU belong together); every round's in rounds-<id>."""
    scenarios = {str(s["id"]): s for s in json.load(open(f"{results}/scenarios.json"))}
    for id in ids:
        measured = []
        for k in range(1, int(rounds) + 1):
            cpu = json.load(open(f"{results}/cpu-{id}.r{k}.json"))
            total = sum(cpu["perRequest"].get(p, 0) for p in scenarios[id]["processes"])
            measured.append({"round": k, "cpu": total, "rps": json.load(open(f"{results}/wrk-{id}.r{k}.json"))["rps"]})
        chosen = sorted(measured, key=lambda m: m["cpu"])[(len(measured) - 1) // 2]
        for kind in ("wrk-{}.json", "wrk-{}.txt", "cpu-{}.json", "calls-{}.json"):
            shutil.copyfile(f"{results}/" + kind.format(f"{id}.r{chosen['round']}"), f"{results}/" + kind.format(id))
        json.dump({"rounds": measured, "median": chosen["round"]}, open(f"{results}/rounds-{id}.json", "w"))


def writer(user_url, product_url, out_file, token_file):
    """A user of its own for the write scenario: signs up, gets a token, and puts the first product of the first page
    in its cart, the line the scenario then sets again and again."""
    users, products = Client(user_url), Client(product_url)
    run = datetime.datetime.now().strftime("%H%M%S%f")
    email, password = f"bench-writer-{run}@example.com", f"bench-writer-password-{run}"
    user = users.request("POST", "/users", {"name": "Bench Writer", "email": email, "password": password})["id"]
    token = users.request("POST", "/auth/token", {"email": email, "password": password})["access_token"]
    product = products.request("GET", "/products?page=0&size=1")["content"][0]["id"]
    users.request("PUT", f"/users/{user}/cart/items/{product}", {"quantity": 1}, token=token)
    with open(token_file, "w") as f:
        f.write(token)
    with open(out_file, "w") as f:
        json.dump({"user": user, "product": product, "path": f"/users/{user}/cart/items/{product}"}, f)


def flags(out_file, *pids):
    """The launch settings of each service's JVM, by module: MALLOC_ARENA_MAX, JDK_JAVA_OPTIONS and JAVA_TOOL_OPTIONS
    from its environment, then the java command's arguments before -jar (argument files, @file, read)."""
    def cmdline(pid):
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            return [a.decode() for a in f.read().split(b"\0")[:-1]]

    def children(pid):
        out = []
        for entry in os.listdir("/proc"):
            try:
                with open(f"/proc/{entry}/stat") as f:
                    if entry.isdigit() and f.read().rpartition(")")[2].split()[1] == str(pid):
                        out.append(entry)
            except OSError:
                pass
        return out

    def descendants(pid):  # ./run.sh runs each JVM under a supervising shell of its own
        return [d for c in children(pid) for d in [c] + descendants(c)]

    jvms = []
    for pid in pids:
        jvms += [pid] if "-jar" in cmdline(pid) else [c for c in descendants(pid) if "-jar" in cmdline(c)]
    out = {}
    for pid in jvms:
        args = cmdline(pid)
        at = args.index("-jar")
        module = re.sub(r"-[0-9].*$", "", os.path.basename(args[at + 1]))
        with open(f"/proc/{pid}/environ", "rb") as f:
            env = dict(e.decode().split("=", 1) for e in f.read().split(b"\0") if b"=" in e)
        settings = [f"{k}={env[k]}" for k in ("MALLOC_ARENA_MAX", "JDK_JAVA_OPTIONS", "JAVA_TOOL_OPTIONS") if k in env]
        for a in args[1:at]:
            if a.startswith("@"):
                with open(os.path.join(f"/proc/{pid}/cwd", a[1:])) as f:  # '#' starts a comment there
                    settings += [word for line in f for word in line.split("#", 1)[0].split()]
            else:
                settings.append(a)
        out[module] = " ".join(settings)
    with open(out_file, "w") as f:
        json.dump(out, f)


def hey(text_file, rate, out_file):
    """hey's text summary as JSON: requests, p50/p99 in ms, responses that were not 2xx or failed."""
    text = open(text_file).read()
    pct, codes, errors, section = {}, {}, 0, None
    for line in text.splitlines():
        s = line.strip()
        if s.endswith("distribution:"):
            section = s
        elif section == "Latency distribution:" and "% in " in s:
            p, _, v = s.partition("% in ")
            pct[int(p)] = float(v.split()[0]) * 1000
        elif section == "Status code distribution:" and s.startswith("["):
            code, n = s[1:].split("]")
            codes[int(code)] = int(n.split()[0])
        elif section == "Error distribution:" and s.startswith("["):
            errors += int(s[1:].split("]")[0])
    non2xx = sum(n for c, n in codes.items() if not 200 <= c < 300)
    result = {"rate": int(rate), "requests": sum(codes.values()) + errors, "p50_ms": pct.get(50), "p99_ms": pct.get(99),
              "errors": non2xx + errors, "codes": codes}
    with open(out_file, "w") as f:
        json.dump(result, f)
    print(json.dumps(result))


def load(path, default=None):
    try:
        with open(path) as f:
            return json.load(f)
    except FileNotFoundError:
        return default


def num(x):
    """JMH writes "NaN" as a string when it has too few iterations for an error."""
    try:
        return float(x)
    except (TypeError, ValueError):
        return float("nan")


def fmt(x, digits=1):
    return "—" if x is None else f"{x:,.{digits}f}"


def report(results, out, command):
    scenarios = load(f"{results}/scenarios.json")
    state = load(f"{results}/seed.json", {})
    env = load(f"{results}/env.json", {})
    rows = []
    for s in scenarios:
        w = load(f"{results}/wrk-{s['id']}.json")
        h = load(f"{results}/hey-{s['id']}.json")
        c = load(f"{results}/calls-{s['id']}.json")
        rows.append({**s, "wrk": w, "hey": h, "calls": c, "cpu": load(f"{results}/cpu-{s['id']}.json"),
                     "rounds": load(f"{results}/rounds-{s['id']}.json", {}),
                     "probe": load(f"{results}/probe-{s['id']}.json", {})})
    base = rows[0]["wrk"]
    by_id = {r["id"]: r for r in rows}

    def rps_ratio(a, b):
        """a's throughput over b's; None if either has none (not measured, or no request completed in the window)."""
        return a["wrk"]["rps"] / b["wrk"]["rps"] if a and b and a["wrk"] and b["wrk"] and b["wrk"]["rps"] else None

    def ratio(r):
        return rps_ratio(r, rows[0])

    # the chart's data: scenario, throughput, p99 (ms), of the scenarios measured
    with open(f"{results}/chart.dat", "w") as f:
        for r in (r for r in rows if r["wrk"]):
            f.write(f"{r['id']} \"{r['short']}\" {r['wrk']['rps']:.1f} {r['wrk']['p99_ms']:.2f}\n")

    def not_measured(r):
        """Why a scenario has no figures: its probe's answer (a feature missing answers 400), or nothing measured."""
        p = r["probe"]
        if p.get("status") and not 200 <= p["status"] < 300:
            return f"HTTP {p['status']}" + (f": {p['detail']}" if p.get("detail") else "")
        return p.get("detail") or "no figures"

    def calls_cell(c):
        by = c.get("perRequestBy")
        return fmt(c.get("perRequest"), 2) + (" (" + " + ".join(f"{by[k]:.2f}" for k in ("user-service", "product-service"))
                                               + ")" if by else "")

    lines = ["| # | Scenario | req/s | vs 1 | p50 ms | p99 ms | errors | backend calls / request (user-service + "
             "product-service) | unresolved |",
             "|---|---|---:|---:|---:|---:|---:|---:|---:|"]
    for r in rows:
        w, c = r["wrk"], r["calls"] or {}
        if not w:
            lines.append(f"| {r['id']} | {r['name']}: **not measured** (below) | — | — | — | — | — | — | — |")
            continue
        errors = w["errors"]
        lines.append(f"| {r['id']} | {r['name']} | {fmt(w['rps'], 0)} | {fmt(ratio(r) and ratio(r) * 100, 0)} % | {fmt(w['p50_ms'], 2)} "
                     f"| {fmt(w['p99_ms'], 2)} | {errors} | {calls_cell(c)} | {c.get('unresolvedWarnings', 0)} |")
    table = "\n".join(lines)

    def cache_hits(r):
        """The cache's hits among its lookups over the scenario's measured run, as text ("" if it publishes no meters)."""
        h = (r["calls"] or {}).get("cache") or {}
        if not h or not h["hits"] + h["misses"]:
            return ""
        return f"cache hits {h['hits'] / (h['hits'] + h['misses']) * 100:.1f} % of {h['hits'] + h['misses']:,.0f} lookups"

    # what scenarios 7-9 show, in words, from the figures above
    notes = []
    r3_, r7_, r8_, r9_, r10_ = (by_id.get(i) for i in (3, 7, 8, 9, 10))
    if rps_ratio(r7_, r8_) is not None:
        by7, by8 = ((r["calls"] or {}).get("perRequestBy", {}).get("product-service") for r in (r7_, r8_))
        notes.append(f"A page of 20 users with `populate=products[limit=3]`: batched (7) {r7_['wrk']['rps']:,.0f} req/s, one call "
                     f"per user (8) {r8_['wrk']['rps']:,.0f} req/s, {rps_ratio(r7_, r8_):.1f} ×"
                     + (f"; product-service served {by7:.2f} calls per request batched against {by8:.2f} per user"
                        if by7 is not None and by8 is not None else "") + ".")
    if rps_ratio(r9_, r3_) is not None:
        hits = cache_hits(r9_)
        notes.append(f"Scenario 3 with the populate cache on (9): {rps_ratio(r9_, r3_):.1f} × its throughput "
                     f"with the cache off (3), {calls_cell(r9_['calls'] or {})} backend calls per request"
                     + (f"; {hits}" if hits else "") + f" (TTL {env.get('cacheTtl', '?')}).")
    same10 = load(f"{results}/same-10.json", {}).get("same")
    if rps_ratio(r10_, r3_) is not None:
        notes.append(f"Scenario 3 sharing identical lookups in flight (10): {rps_ratio(r10_, r3_):.1f} × its throughput "
                     f"without (3), {calls_cell(r10_['calls'] or {})} backend calls per request against "
                     f"{calls_cell(r3_['calls'] or {})}; its answer to one request "
                     + ("was" if same10 else "was **not**") + " the same as 3's.")
    unmeasured = [r for r in rows if not r["wrk"]]
    if unmeasured:
        notes.append("Not measured: " + "; ".join(f"{r['id']} ({not_measured(r)})" for r in unmeasured)
                     + ". A scenario is measured only if its first request answers 2xx with what it measures.")
    if notes:
        table += "\n\n" + "\n".join(f"- {n}" for n in notes)

    fixed = ["| # | Scenario | rate | requests | p50 ms | p99 ms | non-2xx / errors |", "|---|---|---:|---:|---:|---:|---:|"]
    for r in rows:
        h = r["hey"]
        if h:
            fixed.append(f"| {r['id']} | {r['name']} | {h['rate']} req/s | {h['requests']} | {fmt(h['p50_ms'], 2)} "
                         f"| {fmt(h['p99_ms'], 2)} | {h['errors']} |")
    fixed_table = "\n".join(fixed)

    # CPU per request: every process's CPU time over the measured run ÷ the requests wrk completed in it
    processes = {"user-service": "user-service", "product-service": "product-service", "gateway": "gateway",
                 "gateway-per-id": "gateway (per-id)", "gateway-cached": "gateway (cached)",
                 "gateway-shared": "gateway (shared)"}

    def cpu_of(r, process=None):
        """ms of CPU per request: of one process, or of the processes that serve the scenario together."""
        c = r.get("cpu")
        if not c:
            return None
        if process:
            return c["perRequest"].get(process)
        return sum(c["perRequest"].get(p, 0) for p in r["processes"])

    def each_round(r):
        """The total of every round, in the order they ran, the median's (the row's figures) in bold."""
        rounds = r.get("rounds") or {}
        return ", ".join(f"**{m['cpu']:.2f}**" if m["round"] == rounds["median"] else f"{m['cpu']:.2f}"
                         for m in rounds.get("rounds", [])) or "—"

    cpu_lines = ["| # | Scenario | " + " | ".join(processes.values()) + " | **total** | each round's total | processes serving it |",
                 "|---|---|" + "---:|" * (len(processes) + 1) + "---|---|"]
    for r in rows:
        cells = []
        for p in processes:
            v = cpu_of(r, p)
            cells.append("—" if v is None else f"{v:.2f}" if p in r["processes"] else f"({v:.2f})")
        cpu_lines.append(f"| {r['id']} | {r['name']} | " + " | ".join(cells) + f" | **{fmt(cpu_of(r), 2)}** | "
                         + each_round(r) + " | " + ", ".join(r["processes"]) + " |")
    cpu_table = "\n".join(cpu_lines)

    # the write scenario, on the in-memory store and on the file store (user-service-file is that user-service)
    writes = {store: {"wrk": load(f"{results}/wrk-write-{store}.json"), "cpu": load(f"{results}/cpu-write-{store}.json"),
                      "user": "user-service" if store == "memory" else "user-service-file"} for store in ("memory", "file")}
    write_text = "Not measured in this run."
    if all(w["wrk"] and w["cpu"] for w in writes.values()):
        write_lines = ["| Store of user-service | writes/s | p50 ms | p99 ms | errors | user-service CPU / write ms "
                       "| product-service CPU / write ms | total ms |", "|---|---:|---:|---:|---:|---:|---:|---:|"]
        for store, w in writes.items():
            u, pr = w["cpu"]["perRequest"][w["user"]], w["cpu"]["perRequest"]["product-service"]
            w["userMs"] = u
            write_lines.append(f"| {store} | {fmt(w['wrk']['rps'], 0)} | {fmt(w['wrk']['p50_ms'], 2)} | {fmt(w['wrk']['p99_ms'], 2)} "
                               f"| {w['wrk']['errors']} | {u:.2f} | {pr:.2f} | {u + pr:.2f} |")
        m, f_ = writes["memory"], writes["file"]
        write_text = "\n".join(write_lines) + (
            f"\n\nThe durable acknowledgement costs user-service **{f_['userMs'] - m['userMs']:+.2f} ms of CPU per write** "
            f"({m['userMs']:.2f} → {f_['userMs']:.2f} ms, {(f_['userMs'] / m['userMs'] - 1) * 100:+.0f} %), the median write "
            f"{f_['wrk']['p50_ms'] - m['wrk']['p50_ms']:+.2f} ms ({m['wrk']['p50_ms']:.2f} → {f_['wrk']['p50_ms']:.2f} ms) and "
            f"throughput {(f_['wrk']['rps'] / m['wrk']['rps'] - 1) * 100:+.0f} % ({m['wrk']['rps']:,.0f} → "
            f"{f_['wrk']['rps']:,.0f} writes/s) at {env.get('connections')} connections.")

    # start-up: seconds from launching ./run.sh to readiness UP
    startup = []
    if os.path.exists(f"{results}/startup.jsonl"):
        startup = [json.loads(line) for line in open(f"{results}/startup.jsonl") if line.strip()]
    alone = {}
    for service in ("user-service", "product-service", "gateway"):
        times = [r["readyUs"][service] / 1e6 for r in startup if r["label"] == service]
        if times:
            alone[service] = times
    together = [max(r["readyUs"].values()) / 1e6 for r in startup if r["label"] == "all"]
    launched = [r["launchedUs"] / 1e6 for r in startup if r["label"] == "all" and r["launchedUs"] is not None]
    startup_text = "Not measured in this run."
    if alone or together:
        start_lines = ["| Started | ready after (s), each start | median s | max s | target |", "|---|---|---:|---:|---:|"]
        for service, times in alone.items():
            start_lines.append(f"| {service} alone | {', '.join(f'{t:.1f}' for t in times)} | {statistics.median(times):.1f} "
                               f"| {max(times):.1f} | ≤ 3 s |")
        if together:
            start_lines.append(f"| `./run.sh`, all three ready | {', '.join(f'{t:.1f}' for t in together)} "
                               f"| {statistics.median(together):.1f} | {max(together):.1f} | ≤ 8 s |")
        each = {service: statistics.median([r["readyUs"][service] / 1e6 for r in startup if r["label"] == "all"])
                for service in ("user-service", "product-service", "gateway") if together}
        startup_text = "\n".join(start_lines)
        if together:
            startup_text += ("\n\nWithin `./run.sh` (medians): " + ", ".join(f"{k} ready at {v:.1f} s" for k, v in each.items())
                             + (f"; the first JVM was launched {statistics.median(launched):.1f} s after `./run.sh` (the "
                                "keys generated before)." if launched else "."))

    # the JVM settings of the services here and under ./run.sh
    flags_bench, flags_run = load(f"{results}/flags-bench.json", {}), load(f"{results}/flags-run.json", {})
    flags_text = ""
    if flags_bench and flags_run:
        flags_lines = ["| Service | benchmark | `./run.sh` |", "|---|---|---|"]
        for service in flags_bench:
            flags_lines.append(f"| {service} | `{flags_bench[service] or '(none)'}` | `{flags_run.get(service) or '(none)'}` |")
        flags_text = ("JVM settings of each service (environment `MALLOC_ARENA_MAX`, `JDK_JAVA_OPTIONS`, `JAVA_TOOL_OPTIONS` "
                      "and the java command's options, read from `/proc/<pid>`) here and under `./run.sh` (its first "
                      "start-up run):\n\n" + "\n".join(flags_lines))

    rss_data = load(f"{results}/rss.json", {})
    rss_lines = ["| Process | -Xmx and flags | peak RSS (VmHWM) MB |", "|---|---|---:|"]
    for name, v in rss_data.items():
        rss_lines.append(f"| {name} | `{env.get('jvmOpts', '')}` | {fmt(v.get('VmHWM'))} |")

    jmh = load(f"{results}/jmh.json", [])
    jmh_lines = ["| Benchmark | mode | score | error (99.9 %) | unit |", "|---|---|---:|---:|---|"]
    for b in jmh:
        m = b["primaryMetric"]
        jmh_lines.append(f"| {b['benchmark'].rsplit('.', 1)[-1]} | {b['mode']} | {num(m['score']):.2f} | ± {num(m['scoreError']):.2f} "
                         f"| {m['scoreUnit']} |")

    soak = load(f"{results}/soak.json")

    def target(name, ok, detail):
        return f"| {name} | {'met' if ok else '**missed**'} | {detail} |"

    r1, r2, r3, r5, r6, r7, r8, r9, r10 = (by_id.get(i) for i in (1, 2, 3, 5, 6, 7, 8, 9, 10))
    r11, r12 = by_id.get(11), by_id.get(12)
    targets = ["| Target | Result | Measured |", "|---|---|---|"]

    def cpu_target(name, value, limit, what):
        if value is not None:
            targets.append(target(f"{name} ≤ {limit} ms", value <= limit, f"{value:.2f} ms ({what})"))

    # issue 20's targets (lean hops): half the CPU per request of the 2026-11-28 run
    cpu_target("CPU per request, 1 (page straight from product-service)", cpu_of(r1, "product-service"), 0.8, "product-service")
    cpu_target("CPU per request, 2 (pass-through), the gateway's own share", cpu_of(r2, "gateway"), 0.35, "gateway")
    for r, what, limit in ((r3, "3 (populated page)", 2.7), (r5, "5 (nested cart populate)", 2.2),
                           (r7, "7 (20 users, their products)", 3.7)):
        if r and r.get("cpu"):
            cpu_target(f"CPU per request, {what}, the three services together", cpu_of(r), limit,
                       " + ".join(f"{p} {cpu_of(r, p):.2f}" for p in r["processes"]))
    targets.append(target("2 ≥ 80 % of 1's throughput", ratio(r2) >= 0.8, f"{ratio(r2) * 100:.0f} %"))
    targets.append(target("3 ≥ 45 % of 1's throughput", ratio(r3) >= 0.45, f"{ratio(r3) * 100:.0f} %"))
    x = rps_ratio(r3, r6)
    targets.append(target("3 ≥ 10 × 6's throughput", x is not None and x >= 10,
                          f"{x:.1f} ×" if x is not None else "6 completed no request in its window"))
    if r9:
        name = "9 (3 with the populate cache on) ≥ 3 × 3's throughput, same run"
        x = rps_ratio(r9, r3)
        if x is not None:
            targets.append(target(name, x >= 3, f"{x:.1f} × ({r9['wrk']['rps']:,.0f} against {r3['wrk']['rps']:,.0f} req/s)"
                                  + (f"; {cache_hits(r9)}" if cache_hits(r9) else "")))
        else:
            targets.append(target(name, False, f"not measured ({not_measured(r9)})" if not r9["wrk"]
                                  else "3 completed no request in its window"))
    if r10:
        name = "10 (3 sharing lookups in flight): backend calls per request below 2, the same answers as 3"
        per = (r10["calls"] or {}).get("perRequest")
        if r10["wrk"] and per is not None:
            targets.append(target(name, per < 2 and bool(same10),
                                  f"{per:.2f} calls per request; " + ("the same answer" if same10 else "a different answer")))
        else:
            targets.append(target(name, False, f"not measured ({not_measured(r10)})"))
    for r, what in ((r11, "11 (filtered through a forward reference)"), (r12, "12 (filtered through a reverse list)")):
        if not r:
            continue
        name = f"{what}: 2 backend calls per request"
        per = (r["calls"] or {}).get("perRequest")
        if r["wrk"] and per is not None:
            targets.append(target(name, abs(per - 2) < 0.05, f"{calls_cell(r['calls'])} calls per request"))
        else:
            targets.append(target(name, False, f"not measured ({not_measured(r)})"))
    if r1["hey"] and r3["hey"] and r1["hey"]["p99_ms"] and r3["hey"]["p99_ms"]:
        y = r3["hey"]["p99_ms"] / r1["hey"]["p99_ms"]
        targets.append(target(f"3's p99 ≤ 2.5 × 1's at {r1['hey']['rate']} req/s", y <= 2.5,
                              f"{r3['hey']['p99_ms']:.2f} ms vs {r1['hey']['p99_ms']:.2f} ms: {y:.2f} ×"))
    else:
        targets.append(target("3's p99 ≤ 2.5 × 1's at a fixed moderate rate", False, "not measured (hey gave no p99)"))
    for service, times in alone.items():
        targets.append(target(f"start-up: {service} alone ready ≤ 3 s (median of {len(times)})",
                              statistics.median(times) <= 3, f"{statistics.median(times):.1f} s (max {max(times):.1f} s)"))
    if together:
        targets.append(target(f"start-up: `./run.sh`, all three ready ≤ 8 s (median of {len(together)})",
                              statistics.median(together) <= 8,
                              f"{statistics.median(together):.1f} s (max {max(together):.1f} s)"))
    if flags_bench and flags_run:
        differ = [k for k in flags_bench if flags_bench[k] != flags_run.get(k)]
        targets.append(target("`./run.sh` and the benchmark start the services with the same JVM settings", not differ,
                              ("the same" if not differ else "they differ for " + ", ".join(differ) + " (see Start-up)")
                              + "; the Dockerfile is not checked here"))
    if rss_data:
        worst = max(v["VmHWM"] for v in rss_data.values())
        targets.append(target("each service ≤ 256 MB RSS under load", worst <= 256, f"highest peak {worst:.0f} MB ("
                              + ", ".join(f"{k} {v['VmHWM']:.0f}" for k, v in rss_data.items()) + ")"))
    if jmh:
        page = next((b for b in jmh if b["benchmark"].endswith("populatePage")), jmh[0])
        us = num(page["primaryMetric"]["score"])
        targets.append(target("engine's own work on a 50-item page well under 1 ms", us < 500,
                              f"{us:.1f} ± {num(page['primaryMetric']['scoreError']):.1f} µs"))
    if soak:
        targets.append(target("soak: zero errors, RSS flat within 10 % after warm-up",
                              soak["errors"] == 0 and all(v["growthPct"] <= 10 for v in soak["rss"].values()),
                              f"{soak['errors']} errors; RSS growth " + ", ".join(
                                  f"{k} {v['growthPct']:+.1f} %" for k, v in soak["rss"].items())))

    soak_text = "Not run this time (run `bench/run.sh --soak`)."
    if soak:
        soak_rows = ["| Process | RSS after warm-up MB | RSS min–max after warm-up MB | at end MB | growth |",
                     "|---|---:|---:|---:|---:|"]
        for k, v in soak["rss"].items():
            soak_rows.append(f"| {k} | {v['first']:.0f} | {v['min']:.0f}–{v['max']:.0f} | {v['last']:.0f} | {v['growthPct']:+.1f} % |")
        soak_text = (f"Scenario 3 for {soak['duration']} at {soak['connections']} connections: {soak['requests']:,} requests, "
                     f"{soak['rps']:,.0f} req/s, p99 {soak['p99_ms']:.2f} ms, **{soak['errors']} errors**, "
                     f"{soak.get('unresolvedWarnings', 0)} populate warnings. RSS sampled every {soak['sampleSeconds']} s "
                     f"({soak['samples']} samples); the first {soak['warmupSeconds']} s are warm-up. Growth is the largest "
                     f"sample after warm-up against the first one after it.\n\n" + "\n".join(soak_rows))

    cpu = subprocess.run(["sh", "-c", "grep -m1 'model name' /proc/cpuinfo | cut -d: -f2"], capture_output=True,
                         text=True).stdout.strip()
    mem = subprocess.run(["sh", "-c", "grep MemTotal /proc/meminfo | awk '{printf \"%.1f GB\", $2/1048576}'"],
                         capture_output=True, text=True).stdout.strip()
    java = subprocess.run([env.get("java") or "java", "-version"], capture_output=True, text=True).stderr.splitlines()[0]
    wrk_v = subprocess.run(["sh", "-c", "wrk -v 2>&1 | head -1"], capture_output=True, text=True).stdout.strip()
    notes_text = open("bench/NOTES.md").read() if os.path.exists("bench/NOTES.md") else ""
    # the run's end (its env.json is written last), so that a report made again from the same results says when they were
    finished = datetime.datetime.fromtimestamp(os.path.getmtime(f"{results}/env.json")).astimezone()

    doc = f"""# Benchmarks

Generated by `{command}` on {finished.strftime('%Y-%m-%d %H:%M %Z')}. Every figure below
comes from that one run; rerun the command to regenerate this file and the chart. Do not edit by hand.

## Machine

- CPU: {cpu}, {os.cpu_count()} cores; memory {mem}; {platform.system()} {platform.release()}
- {java}; {wrk_v}; hey (Debian package)
- Everything on this one machine: the load generator and the six JVMs (user-service, product-service, the
  gateway, the per-id gateway of scenarios 6 and 8, the gateway with its populate cache on of scenario 9, and the
  gateway sharing lookups in flight of scenario 10) share
  the {os.cpu_count()} cores, so absolute figures are low and ratios are what to read.
- JVM flags of every service: `{env.get('jvmOpts', '')}`, with `MALLOC_ARENA_MAX=2` in the environment
- Load average (1, 5, 15 min) of the machine before the run: {env.get('loadBefore')}; at its end:
  {' '.join(env.get('loadAfter', []))}. Other work on the machine during the run takes cores from the benchmark.
- Store: the in-memory embedded store (`SHOP_STORE_EMBEDDED_BACKEND=memory`) in each service's JVM; the file store
  where said (the write scenario, start-up).

## Data

{state.get('users')} users, {state.get('products')} products (product *i* owned by user *i* mod {state.get('users')}),
a cart of {state.get('cartItems')} items for every user, all created through the services' public APIs as their
owners: each user signs up with a password and gets an access token (`POST /auth/token`, valid {env.get('jwtTtl')}),
each product is created with its owner's token and each cart filled with its user's token. For the seed's speed
user-service hashes passwords with Argon2id at {env.get('argon2')} instead of its default m=16384 KiB, t=2; no
measured scenario hashes a password. Seeding took {state.get('seedSeconds')} s ({', '.join(f"{k} {v} s" for k, v in state.get('seedPhaseSeconds', {}).items())}).
Page 0 of 50 products has {state.get('page0DistinctOwners')} distinct owners; the 20 users of page 0 of users
(scenarios 7 and 8) own {'–'.join(sorted({str(f(state.get('usersPage0Owned') or [0])) for f in (min, max)}))} products each.

## Throughput and latency (wrk)

wrk, {env.get('threads')} threads, {env.get('connections')} connections, {env.get('duration')} per scenario after a
{env.get('warmup')} warm-up of the same request, in {env.get('rounds', 1)} round(s) (every scenario once per round, the
warm-up in the first only): each scenario's figures are those of its median round by CPU per request (the rounds'
totals are in "CPU per request"). *Backend calls / request* is the number of requests user-service
and product-service served during the measurement (their `http.server.requests` counts, actuator excluded)
divided by the requests wrk completed: the proxied call itself plus the populate lookups. *Unresolved* counts the
gateway's warnings of failed lookups during the scenario (a populated response with ids left unresolved). The gateway
and the per-id gateway run with the populate cache off (`SHOP_POPULATE_CACHE_TTL=0`) and without sharing lookups in
flight (`SHOP_POPULATE_SHARE_IN_FLIGHT_LOOKUPS=false`), so that their figures compare with runs from before them;
scenario 9 runs on a gateway of its own with the cache on (TTL {env.get('cacheTtl', '?')}), scenario 10 on one sharing
lookups in flight (the cache off).

{table}

Scenarios (`{{u}}` is a user with a cart of {state.get('cartItems')}):

""" + "\n".join(f"{r['id']}. {r['name']}: `GET {r['url']}`"
                + (" with `Authorization: Bearer <{u}'s access token>`" if r.get('auth') else ", anonymous")
                for r in rows) + f"""

![throughput and p99 per scenario](bench/chart.png)

## CPU per request

Each process's CPU time (utime + stime of `/proc/<pid>/stat`) over the scenario's measured wrk run, divided by the
requests wrk completed in it, in ms. Throughput on this machine is about its {os.cpu_count()} cores divided by the
total (less what wrk takes). The total adds the processes that serve the scenario; a figure in parentheses is an
idle process's background work over the same run, not counted. It includes each JVM's JIT compiler and garbage
collector. The row is the scenario's median round; *each round's total* lists every round's, in the order they ran.

{cpu_table}

## p99 at a fixed rate (hey -q)

hey, {env.get('heyWorkers')} workers at a combined {env.get('fixedRate')} req/s for {env.get('heyDuration')}: a moderate load
(30 % of scenario 3's wrk throughput unless `FIXED_RATE` is set), so that latency is compared with little queueing.

{fixed_table}

## Writes: the cost of a durable acknowledgement

A cart write, `PUT /users/{{u}}/cart/items/{{p}}` with a new quantity each time (`bench/write.lua`), straight to
user-service with the user's own token: user-service reads the user, asks product-service whether the product
exists, then updates the user document. wrk, {env.get('threads')} threads, {env.get('connections')} connections (all on
the one user), {env.get('duration')} after a {env.get('warmup')} warm-up, first with user-service on the in-memory store
(the one above, after the read scenarios), then with a user-service of its own on the file store
(`SHOP_STORE_EMBEDDED_BACKEND=file`, a new directory under `target/bench/`, holding only that user): it commits every
write to its file before it answers, so an acknowledged write survives a crash of the process (not of the machine:
there is no fsync per write). CPU per write as above.

{write_text}

## Start-up

Each service started alone, then all three, by `./run.sh` as a user runs it (the file store, run.sh's default, in an
empty directory; no `JAVA_OPTS`), {env.get('startupRuns')} times each, after the services above have stopped. Ready is
readiness UP (`/actuator/health/readiness` on the management port), polled every 100 ms; the time is from launching
`./run.sh` (alone: with `RUN_ONLY` and this run's keys; all three: with no keys set, so it generates them first, as
on a first start).

{startup_text}

{flags_text}

## Memory

Peak resident set (`VmHWM` of `/proc/<pid>/status`) of each process over the whole run, load included.

{chr(10).join(rss_lines)}

## Engine's own work (JMH)

The populate engine on a page of 50 products with 50 distinct owners, the fetch stubbed by an in-memory
`DocumentFetcher` (`gateway/src/jmh/java`, run with `./mvnw -Pjmh`): `populatePage` is parse + plan + populate
(splice) + serialize; the others are its parts. {env.get('jmhSettings', '')}. Average time per operation.

{chr(10).join(jmh_lines)}

Verifying a bearer token (issue 20: ~60–150 µs per verification, ~1 µs per token already verified) is a
micro-benchmark on a busy machine, not a figure of this run's scenarios: bench/NOTES.md, "Verified tokens".

## Soak

{soak_text}

## Targets

{chr(10).join(targets)}

{notes_text}
"""
    with open(out, "w") as f:
        f.write(doc)
    print(table)
    print()
    print(cpu_table)
    print()
    print("\n".join(targets))


if __name__ == "__main__":
    command, args = sys.argv[1], sys.argv[2:]
    {"seed": seed, "probe": probe, "calls": calls, "cache": cache, "rss": rss, "cpu": cpu, "cpu-window": cpu_window, "writer": writer, "flags": flags,
     "hey": hey, "median": median, "report": report}[command](*args)
