#!/usr/bin/env python3
"""Helpers of bench/run.sh (Python 3 standard library only).

  bench.py seed <user-url> <product-url> <state.json> <token-file>
                                                           1,000 users (signed up with passwords, one token each),
                                                           5,000 products (each created with its owner's token),
                                                           carts of 5 items (each filled with its user's token);
                                                           the cart user's access token goes to <token-file>
  bench.py calls <management-url>...                       backend requests served so far (all non-actuator URIs),
                                                           from each service's metrics on its management port
  bench.py rss <pid>...                                    VmHWM and VmRSS in MB per pid
  bench.py hey <hey-output.txt> <rate> <out.json>           hey's summary as JSON
  bench.py report <results-dir> <BENCHMARKS.md> <command>  the table, the chart's data, and BENCHMARKS.md

Sizes come from the environment: USERS (1000), PRODUCTS (5000), CART_ITEMS (5), SEED_THREADS (8).
"""
import datetime
import http.client
import json
import os
import platform
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
    # the token of the user of scenarios 4 and 5, for wrk and hey; kept out of the state and the report
    with open(token_file, "w") as f:
        f.write(tokens[0])
    state = {"users": len(user_ids), "products": len(product_ids), "cartItems": cart_items,
             "cartUser": cart_user, "page0Items": len(page["content"]), "page0DistinctOwners": len(owners),
             "cartUserItems": len(cart["items"]), "seedSeconds": round(time.monotonic() - started, 1),
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


def calls(*bases):
    for attempt in range(5):  # a refused connection right after a burst of load is retried, a few times
        try:
            print(sum(served(b) for b in bases))
            return
        except urllib.error.URLError as e:
            if attempt == 4:
                raise
            print(f"metrics not readable ({e}); retrying", file=sys.stderr)
            time.sleep(1)


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
        rows.append({**s, "wrk": w, "hey": h, "calls": c})
    base = rows[0]["wrk"]
    by_id = {r["id"]: r for r in rows}

    def ratio(r):
        return r["wrk"]["rps"] / base["rps"] if r["wrk"] and base else None

    # the chart's data: scenario, throughput, p99 (ms)
    with open(f"{results}/chart.dat", "w") as f:
        for r in rows:
            f.write(f"{r['id']} \"{r['short']}\" {r['wrk']['rps']:.1f} {r['wrk']['p99_ms']:.2f}\n")

    lines = ["| # | Scenario | req/s | vs 1 | p50 ms | p99 ms | errors | backend calls / request | unresolved |",
             "|---|---|---:|---:|---:|---:|---:|---:|---:|"]
    for r in rows:
        w, c = r["wrk"], r["calls"] or {}
        errors = w["errors"]
        lines.append(f"| {r['id']} | {r['name']} | {fmt(w['rps'], 0)} | {fmt(ratio(r) * 100, 0)} % | {fmt(w['p50_ms'], 2)} "
                     f"| {fmt(w['p99_ms'], 2)} | {errors} | {fmt(c.get('perRequest'), 2)} | {c.get('unresolvedWarnings', 0)} |")
    table = "\n".join(lines)

    fixed = ["| # | Scenario | rate | requests | p50 ms | p99 ms | non-2xx / errors |", "|---|---|---:|---:|---:|---:|---:|"]
    for r in rows:
        h = r["hey"]
        if h:
            fixed.append(f"| {r['id']} | {r['name']} | {h['rate']} req/s | {h['requests']} | {fmt(h['p50_ms'], 2)} "
                         f"| {fmt(h['p99_ms'], 2)} | {h['errors']} |")
    fixed_table = "\n".join(fixed)

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

    r1, r2, r3, r6 = (by_id.get(i) for i in (1, 2, 3, 6))
    targets = ["| Target | Result | Measured |", "|---|---|---|"]
    targets.append(target("2 ≥ 80 % of 1's throughput", ratio(r2) >= 0.8, f"{ratio(r2) * 100:.0f} %"))
    targets.append(target("3 ≥ 45 % of 1's throughput", ratio(r3) >= 0.45, f"{ratio(r3) * 100:.0f} %"))
    x = r3["wrk"]["rps"] / r6["wrk"]["rps"]
    targets.append(target("3 ≥ 10 × 6's throughput", x >= 10, f"{x:.1f} ×"))
    if r1["hey"] and r3["hey"] and r1["hey"]["p99_ms"] and r3["hey"]["p99_ms"]:
        y = r3["hey"]["p99_ms"] / r1["hey"]["p99_ms"]
        targets.append(target(f"3's p99 ≤ 2.5 × 1's at {r1['hey']['rate']} req/s", y <= 2.5,
                              f"{r3['hey']['p99_ms']:.2f} ms vs {r1['hey']['p99_ms']:.2f} ms: {y:.2f} ×"))
    if rss_data:
        worst = max(v["VmHWM"] for v in rss_data.values())
        targets.append(target("each service ≤ 300 MB RSS under load", worst <= 300, f"highest peak {worst:.0f} MB"))
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
    java = subprocess.run(["java", "-version"], capture_output=True, text=True).stderr.splitlines()[0]
    wrk_v = subprocess.run(["sh", "-c", "wrk -v 2>&1 | head -1"], capture_output=True, text=True).stdout.strip()
    notes_text = open("bench/NOTES.md").read() if os.path.exists("bench/NOTES.md") else ""

    doc = f"""# Benchmarks

Generated by `{command}` on {datetime.datetime.now().astimezone().strftime('%Y-%m-%d %H:%M %Z')}. Every figure below
comes from that one run; rerun the command to regenerate this file and the chart. Do not edit by hand.

## Machine

- CPU: {cpu}, {os.cpu_count()} cores; memory {mem}; {platform.system()} {platform.release()}
- {java}; {wrk_v}; hey (Debian package)
- Everything on this one machine: the load generator and the four JVMs (user-service, product-service, the
  gateway, and the per-id gateway of scenario 6) share the {os.cpu_count()} cores, so absolute figures are low and
  ratios are what to read.
- JVM flags of every service: `{env.get('jvmOpts', '')}`, with `MALLOC_ARENA_MAX=2` in the environment
- Load average (1, 5, 15 min) of the machine before the run: {env.get('loadBefore')}; at its end:
  {' '.join(env.get('loadAfter', []))}. Other work on the machine during the run takes cores from the benchmark.
- Store: the in-memory embedded store (`SHOP_STORE_EMBEDDED_BACKEND=memory`) in each service's JVM.

## Data

{state.get('users')} users, {state.get('products')} products (product *i* owned by user *i* mod {state.get('users')}),
a cart of {state.get('cartItems')} items for every user, all created through the services' public APIs as their
owners: each user signs up with a password and gets an access token (`POST /auth/token`, valid {env.get('jwtTtl')}),
each product is created with its owner's token and each cart filled with its user's token. For the seed's speed
user-service hashes passwords with Argon2id at {env.get('argon2')} instead of its default m=16384 KiB, t=2; no
measured scenario hashes a password. Seeding took {state.get('seedSeconds')} s ({', '.join(f"{k} {v} s" for k, v in state.get('seedPhaseSeconds', {}).items())}).
Page 0 of 50 products has {state.get('page0DistinctOwners')} distinct owners.

## Throughput and latency (wrk)

wrk, {env.get('threads')} threads, {env.get('connections')} connections, {env.get('duration')} per scenario after a
{env.get('warmup')} warm-up of the same request. *Backend calls / request* is the number of requests user-service
and product-service served during the measurement (their `http.server.requests` counts, actuator excluded)
divided by the requests wrk completed: the proxied call itself plus the populate lookups. *Unresolved* counts the
gateway's warnings of failed lookups during the scenario (a populated response with ids left unresolved).

{table}

Scenarios (`{{u}}` is a user with a cart of {state.get('cartItems')}):

""" + "\n".join(f"{r['id']}. {r['name']}: `GET {r['url']}`"
                + (" with `Authorization: Bearer <{u}'s access token>`" if r.get('auth') else ", anonymous")
                for r in rows) + f"""

![throughput and p99 per scenario](bench/chart.png)

## p99 at a fixed rate (hey -q)

hey, {env.get('heyWorkers')} workers at a combined {env.get('fixedRate')} req/s for {env.get('heyDuration')}: a moderate load
(30 % of scenario 3's wrk throughput unless `FIXED_RATE` is set), so that latency is compared with little queueing.

{fixed_table}

## Memory

Peak resident set (`VmHWM` of `/proc/<pid>/status`) of each process over the whole run, load included.

{chr(10).join(rss_lines)}

## Engine's own work (JMH)

The populate engine on a page of 50 products with 50 distinct owners, the fetch stubbed by an in-memory
`DocumentFetcher` (`gateway/src/jmh/java`, run with `./mvnw -Pjmh`): `populatePage` is parse + plan + populate
(splice) + serialize; the others are its parts. {env.get('jmhSettings', '')}. Average time per operation.

{chr(10).join(jmh_lines)}

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
    print("\n".join(targets))


if __name__ == "__main__":
    command, args = sys.argv[1], sys.argv[2:]
    {"seed": seed, "calls": calls, "rss": rss, "hey": hey, "report": report}[command](*args)
