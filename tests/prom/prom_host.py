#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""The host half of exporter_test: a real Prometheus scrapes the VM.

Run by scripts/vm-run.sh -H while the VM lives (see its header for the
environment).  It starts Debian's prometheus, scraping every 2 s

  job "ptscope":  127.0.0.1:$PTSCOPE_HOSTFWD_PORT, QEMU's forward to the
                  exporter exporter_test runs on 0.0.0.0:9477 in the VM
  job "textfile": a prometheus-node-exporter serving, with its textfile
                  collector only, the `ptscope metrics` file the VM printed

and loads the example alert rules (dist/prometheus/ptscope-alerts.yml).

The VM prints its side between "=== PTSCOPE-PROM BEGIN name ===" and
"=== PTSCOPE-PROM END name ===" lines on the console, then
"=== PTSCOPE-PROM DONE ===".  The blocks: "expect" (what every sample must
be, one line each: "range SERIES LO HI", "equal SERIES V", "absent
SERIES"), "text" and "openmetrics" (a /metrics of each format), "textfile"
(`ptscope metrics` output), "s1"/"s2" (the stats JSON the bounds come from,
for the record).  The exporter ran only between S1 and S2, so every sample
Prometheus holds was taken between them: a counter is within [S1, S2], a
gauge of the static workload equal to what smaps said.

Checks (TAP on stdout): Prometheus scraped the exporter successfully at
least 3 times; every expected series has exactly one sample per successful
scrape, within its bounds, counters never decreasing; absent series absent;
promtool check metrics accepts the text output and the textfile; the
node exporter serves the textfile with every ptscope sample equal to the
file's and node_textfile_scrape_error 0; the alert rules evaluate on the
real series without error.
"""
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
RULES = os.path.join(TOP, "dist", "prometheus", "ptscope-alerts.yml")
INTERVAL = 2		# scrape and rule evaluation interval, seconds
MIN_SCRAPES = 3		# exporter_test waits for as many from 10.0.2.2

SERIES_RE = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?$')
LABEL_RE = re.compile(r'\s*([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"\s*,?')
KMSG_RE = re.compile(r'^\[ *[0-9]+\.[0-9]+\]')


class Tap:
    def __init__(self):
        self.n = 0
        self.failed = 0

    def ok(self, cond, desc, why=""):
        self.n += 1
        if cond:
            print(f"ok {self.n} {desc}")
        else:
            self.failed += 1
            print(f"not ok {self.n} {desc}")
            for line in str(why).splitlines()[:40]:
                print(f"# {line}")
        sys.stdout.flush()
        return cond

    def skip(self, desc, why):
        self.n += 1
        print(f"ok {self.n} {desc} # SKIP {why}")

    def diag(self, msg):
        for line in str(msg).splitlines():
            print(f"# {line}")

    def done(self):
        print(f"1..{self.n}")
        return 1 if self.failed else 0


def free_port():
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def http_get(url, timeout=10):
    try:
        with urllib.request.urlopen(url, timeout=timeout) as r:
            return r.status, r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode(errors="replace")
    except (urllib.error.URLError, OSError) as e:
        return 0, str(e)


def parse_labels(s):
    labels, pos = {}, 0
    s = s or ""
    while pos < len(s):
        m = LABEL_RE.match(s, pos)
        if not m:
            raise ValueError(f"bad labels: {s!r}")
        labels[m.group(1)] = m.group(2)
        pos = m.end()
    return labels


def parse_series(s):
    m = SERIES_RE.match(s)
    if not m:
        raise ValueError(f"bad series: {s!r}")
    return m.group(1), parse_labels(m.group(2))


def sample_key(name, labels):
    """A sample's identity; "le" as a number, since exposers format it
    their own way (the node exporter re-renders 0.000016383 as 1.6383e-05)."""
    labels = dict(labels)
    if "le" in labels:
        labels["le"] = repr(float(labels["le"]))
    return name, frozenset(labels.items())


def parse_exposition(text):
    """Samples of a text exposition: {sample_key(): value}."""
    out = {}
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        m = re.match(r'^([^{\s]+(?:\{.*\})?)\s+(\S+)(?:\s+\S+)?$', line)
        if not m:
            raise ValueError(f"bad sample line: {line!r}")
        name, labels = parse_series(m.group(1))
        out[sample_key(name, labels)] = float(m.group(2))
    return out


def read_blocks(path):
    """The VM's PTSCOPE-PROM blocks so far, and whether DONE was printed."""
    blocks, cur, done = {}, None, False
    try:
        with open(path, errors="replace") as f:
            for line in f:
                line = line.rstrip("\r\n")
                m = re.search(r'=== PTSCOPE-PROM (BEGIN|END) (\S+) ===', line)
                if m and m.group(1) == "BEGIN":
                    cur = m.group(2)
                    blocks[cur] = []
                elif m:
                    cur = None
                elif "=== PTSCOPE-PROM DONE ===" in line:
                    done = True
                elif cur is not None and not KMSG_RE.match(line):
                    blocks[cur].append(line)
    except FileNotFoundError:
        pass
    return {k: "\n".join(v) + "\n" for k, v in blocks.items()}, done


class Prometheus:
    def __init__(self, workdir, hport, ne_port):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.started = time.time()
        cfg = os.path.join(workdir, "prometheus.yml")
        with open(cfg, "w") as f:
            f.write(f"""global:
  scrape_interval: {INTERVAL}s
  scrape_timeout: {INTERVAL}s
  evaluation_interval: {INTERVAL}s
rule_files: ["{RULES}"]
scrape_configs:
  - job_name: ptscope
    static_configs: [{{targets: ["127.0.0.1:{hport}"]}}]
  - job_name: textfile
    static_configs: [{{targets: ["127.0.0.1:{ne_port}"]}}]
""")
        self.log = open(os.path.join(workdir, "prometheus.log"), "w")
        self.proc = subprocess.Popen(
            ["prometheus", f"--config.file={cfg}",
             f"--storage.tsdb.path={os.path.join(workdir, 'tsdb')}",
             f"--web.listen-address=127.0.0.1:{self.port}"],
            stdout=self.log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)

    def ready(self):
        return http_get(self.url + "/-/ready", 2)[0] == 200

    def api(self, path, **params):
        url = f"{self.url}/api/v1/{path}?" + urllib.parse.urlencode(params)
        status, body = http_get(url)
        if status != 200:
            raise RuntimeError(f"{url}: HTTP {status}: {body[:300]}")
        doc = json.loads(body)
        if doc.get("status") != "success":
            raise RuntimeError(f"{url}: {body[:300]}")
        return doc["data"]

    def samples(self, selector):
        """Every raw sample of @selector since Prometheus started:
        [(labels, [(t, v), ...]), ...], each series in time order."""
        window = int(time.time() - self.started) + 60
        data = self.api("query", query=f"{selector}[{window}s]")
        return [(s["metric"], [(float(t), float(v)) for t, v in s["values"]])
                for s in data["result"]]

    def instant(self, query):
        data = self.api("query", query=query)
        return [(s["metric"], float(s["value"][1])) for s in data["result"]]

    def stop(self):
        stop(self.proc)
        self.log.close()


def stop(proc):
    if proc and proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def wait_for(pred, timeout, step=0.5):
    end = time.time() + timeout
    while time.time() < end:
        v = pred()
        if v:
            return v
        time.sleep(step)
    return pred()


def labels_match(want, have):
    for k, v in want.items():
        if k == "le":	# "1e-06" and "1.0e-06" are one boundary
            try:
                if float(have.get(k, "nan")) != float(v):
                    return False
            except ValueError:
                return False
        elif have.get(k) != v:
            return False
    return True


def close(a, b):
    return abs(a - b) <= 1e-9 * max(abs(a), abs(b)) + 1e-12


def check_expectations(tap, prom, expect):
    """Every line of the "expect" block against every sample of the job."""
    ups = [v for _, vals in prom.samples('up{job="ptscope"}') for _, v in vals]
    scrapes = sum(1 for v in ups if v == 1)
    tap.ok(scrapes >= MIN_SCRAPES,
           f"Prometheus scraped the exporter through the forward ({scrapes} "
           f"successful of {len(ups)} attempts)",
           "the VM saw scrapes but Prometheus stored none" if ups else "")
    cache, bad, n = {}, [], 0
    for line in expect.splitlines():
        f = line.split()
        if not f:
            continue
        kind, (name, want) = f[0], parse_series(f[1])
        if name not in cache:
            cache[name] = prom.samples(f'{name}{{job="ptscope"}}')
        series = [(lab, vals) for lab, vals in cache[name] if labels_match(want, lab)]
        n += 1
        if kind == "absent":
            if series:
                bad.append(f"{f[1]}: exported, but stats --json has no such key")
            continue
        if len(series) != 1:
            bad.append(f"{f[1]}: {len(series)} series in Prometheus, want 1")
            continue
        vals = [v for _, v in series[0][1]]
        if len(vals) != scrapes:
            bad.append(f"{f[1]}: {len(vals)} samples for {scrapes} successful scrapes")
        if kind == "equal":
            want_v = float(f[2])
            wrong = [v for v in vals if not close(v, want_v)]
            if wrong:
                bad.append(f"{f[1]}: {wrong[:3]} != {f[2]}")
        elif kind == "range":
            lo, hi = float(f[2]), float(f[3])
            out = [v for v in vals if (v < lo and not close(v, lo)) or
                   (v > hi and not close(v, hi))]
            if out:
                bad.append(f"{f[1]}: {out[:3]} outside [{f[2]}, {f[3]}]")
            if any(b < a for a, b in zip(vals, vals[1:])):
                bad.append(f"{f[1]}: a counter went down: {vals}")
        else:
            bad.append(f"unknown expectation {line!r}")
    tap.ok(n > 0 and not bad,
           f"{n} series in Prometheus as `ptscope stats --json` and smaps bound them",
           "\n".join(bad) if n else "no expectations from the VM")


def check_promtool(tap, workdir, blocks, name, what):
    if name not in blocks:
        tap.ok(False, f"promtool check metrics: {what}", f"the VM printed no {name} block")
        return
    r = subprocess.run(["promtool", "check", "metrics"], input=blocks[name],
                       capture_output=True, text=True)
    tap.ok(r.returncode == 0, f"promtool check metrics accepts {what}",
           r.stdout + r.stderr)


def check_textfile(tap, prom, workdir, ne_port, text):
    """prometheus-node-exporter's textfile collector serves the file."""
    d = os.path.join(workdir, "textfile")
    os.makedirs(d)
    with open(os.path.join(d, "ptscope.prom"), "w") as f:
        f.write(text)
    want = {k: v for k, v in parse_exposition(text).items()}
    with open(os.path.join(workdir, "node-exporter.log"), "w") as log:
        ne = subprocess.Popen(
            ["prometheus-node-exporter", "--collector.disable-defaults",
             "--collector.textfile", f"--collector.textfile.directory={d}",
             f"--web.listen-address=127.0.0.1:{ne_port}"],
            stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        try:
            # Two scrapes after it is up: the second certainly saw the file.
            got = wait_for(lambda: sum(1 for _, vals in prom.samples('up{job="textfile"}')
                                       for _, v in vals if v == 1) >= 2, 60)
            tap.ok(got, "Prometheus scraped prometheus-node-exporter")
            errs = prom.instant('node_textfile_scrape_error{job="textfile"}')
            tap.ok([v for _, v in errs] == [0.0], "node_textfile_scrape_error 0",
                   f"got {errs}")
            have = {}
            for lab, v in prom.instant('{job="textfile", __name__=~"ptscope_.*"}'):
                name = lab.pop("__name__")
                lab.pop("job", None)
                lab.pop("instance", None)
                have[sample_key(name, lab)] = v
            diff = [f"{k[0]}{dict(k[1])}: file {want.get(k)}, Prometheus {have.get(k)}"
                    for k in sorted(set(want) | set(have), key=str)
                    if k not in want or k not in have or not close(want[k], have[k])]
            tap.ok(want and not diff,
                   f"the textfile's {len(want)} samples come through the node exporter unchanged",
                   "\n".join(diff[:30]) if want else "empty textfile")
        finally:
            stop(ne)


def check_rules(tap, prom):
    def evaluated():
        groups = prom.api("rules")["groups"]
        rules = [r for g in groups for r in g["rules"]]
        if rules and all(not r["lastEvaluation"].startswith("0001") for r in rules):
            return rules
        return None
    rules = wait_for(evaluated, 30)
    if not rules:
        tap.ok(False, "the example alert rules were evaluated", "no evaluation in 30 s")
        return
    bad = [f'{r["name"]}: {r["health"]} {r.get("lastError", "")}' for r in rules
           if r["health"] != "ok" or r.get("lastError")]
    tap.ok(not bad, f"the {len(rules)} example alert rules evaluate on the real series",
           "\n".join(bad))


def main():
    # timeout(1) ends us with SIGTERM: still stop Prometheus (finally).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    tap = Tap()
    print("TAP version 13")
    hport = os.environ["PTSCOPE_HOSTFWD_PORT"]
    log = os.environ["PTSCOPE_VM_LOG"]
    vm_done = os.environ["PTSCOPE_VM_DONE"]
    runner = int(os.environ.get("PTSCOPE_VM_RUN_PID", "0"))
    workdir = tempfile.mkdtemp(prefix="prom.", dir=os.environ.get("PTSCOPE_HOST_DIR"))
    ne_port = free_port()
    prom = Prometheus(workdir, hport, ne_port)
    try:
        if not tap.ok(wait_for(prom.ready, 60), "prometheus started",
                      open(os.path.join(workdir, "prometheus.log")).read()[-2000:]):
            return tap.done()

        def finished():
            if read_blocks(log)[1] or os.path.exists(vm_done):
                return True
            if runner:
                try:
                    os.kill(runner, 0)
                except ProcessLookupError:
                    return True
            return False
        while not finished():
            time.sleep(1)
        blocks, done = read_blocks(log)
        if not tap.ok(done, "the VM printed the exporter's results",
                      "no PTSCOPE-PROM DONE on the console (exporter_test did not "
                      "run, skipped or failed before it)"):
            return tap.done()
        tap.diag(f"S1: {blocks.get('s1', '').strip()}")
        tap.diag(f"S2: {blocks.get('s2', '').strip()}")
        check_expectations(tap, prom, blocks.get("expect", ""))
        check_promtool(tap, workdir, blocks, "text", "the exporter's text output")
        check_promtool(tap, workdir, blocks, "textfile", "`ptscope metrics` output")
        if "textfile" in blocks:
            check_textfile(tap, prom, workdir, ne_port, blocks["textfile"])
        check_rules(tap, prom)
    except Exception as e:	# a failure to report, not a crash to hide
        tap.ok(False, "host checks ran to the end", f"{type(e).__name__}: {e}")
    finally:
        prom.stop()
        if os.environ.get("PTSCOPE_KEEP_PROM") != "1":
            shutil.rmtree(workdir, ignore_errors=True)
    return tap.done()


if __name__ == "__main__":
    sys.exit(main())
