#!/usr/bin/env bash
# The gateway beside Kannel, the open-source SMS gateway operators already run, under the
# same load generator (wrk) in one run: Kannel 1.4.5 smsbox + bearerbox + fakesmsc with an
# in-memory queue and with its spool store, configured as the gateway is (one sendsms user
# with an allowed IP and a default sender, a fake SMSC, errors-only logging). Rounds are interleaved, then a
# concurrency sweep draws req/s and p99 from 1 to 512 clients for both.
#
# Installs kannel, kannel-extras (fakesmsc) and wrk from Debian's packages when missing.
# Writes Markdown to $1 (default target/bench/peers.md) and the chart to $2 (default
# docs/benchmarks-curves.svg). Called by scripts/bench.sh; runs alone too:
#   bash scripts/bench-peers.sh [OUT.md] [CHART.svg]
# SMSCTL_BENCH_QUICK=1 shortens every run.
set -euo pipefail
cd "$(dirname "$0")/.."

out=${1:-target/bench/peers.md}
chart=${2:-docs/benchmarks-curves.svg}
mkdir -p "$(dirname "$out")" "$(dirname "$chart")"

need=()
command -v wrk >/dev/null || need+=(wrk)
command -v bearerbox >/dev/null || need+=(kannel)
[[ -x /usr/lib/kannel/test/fakesmsc ]] || need+=(kannel-extras)
if ((${#need[@]})); then
  if [[ $(id -u) != 0 ]] || ! command -v apt-get >/dev/null; then
    echo "bench-peers: need ${need[*]} and cannot install them (not root or no apt-get)" >&2
    exit 3
  fi
  echo "== installing ${need[*]}" >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${need[@]}" >&2 ||
    { apt-get update >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${need[@]}" >&2; }
fi
fakesmsc=/usr/lib/kannel/test/fakesmsc

if [[ ${SMSCTL_BENCH_QUICK:-0} == 1 ]]; then
  duration=2s rounds=1 sweep_duration=1s
else
  duration=8s rounds=3 sweep_duration=3s
fi
clients=32

cargo build --release --quiet
smsctl=$PWD/target/release/smsctl

work=$(mktemp -d)
pids=()
# start_kannel runs in a command substitution (a subshell), so its processes are listed in a
# file: appending to pids there would not reach this shell, and they would outlive the run.
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  if [[ -f $work/kannel.pids ]]; then
    while read -r p; do kill "$p" 2>/dev/null || true; done <"$work/kannel.pids"
  fi
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_port() {
  for _ in $(seq 1 100); do
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
    sleep 0.1
  done
  echo "bench-peers: nothing listens on port $1" >&2
  return 1
}

# One Kannel stack: bearerbox (with or without a spool store), smsbox, and fakesmsc taking
# every message off the fake SMSC. Prints the sendsms port.
start_kannel() {
  local name=$1 store=$2 dir=$work/$1
  mkdir -p "$dir"
  local admin smsbox smsc sendsms
  admin=$(free_port) smsbox=$(free_port) smsc=$(free_port) sendsms=$(free_port)
  {
    echo "group = core"
    echo "admin-port = $admin"
    echo "admin-password = bench"
    echo "smsbox-port = $smsbox"
    echo "box-allow-ip = 127.0.0.1"
    echo "log-level = 4"
    echo "log-file = \"$dir/bearerbox.log\""
    if [[ $store == spool ]]; then
      mkdir -p "$dir/spool"
      echo "store-type = spool"
      echo "store-location = \"$dir/spool\""
    fi
    echo
    echo "group = smsc"
    echo "smsc = fake"
    echo "smsc-id = fake"
    echo "port = $smsc"
    echo "connect-allow-ip = 127.0.0.1"
    echo
    echo "group = smsbox"
    echo "bearerbox-host = 127.0.0.1"
    echo "sendsms-port = $sendsms"
    echo "log-level = 4"
    echo "log-file = \"$dir/smsbox.log\""
    echo
    echo "group = sendsms-user"
    echo "username = bench"
    echo "password = benchpw"
    echo "user-allow-ip = 127.0.0.1"
    echo "default-sender = ACME"
    echo
    echo "group = sms-service"
    echo "keyword = default"
    echo "text = \"ok\""
  } >"$dir/kannel.conf"
  bearerbox "$dir/kannel.conf" >"$dir/bearerbox.out" 2>&1 &
  echo "$!" >>"$work/kannel.pids"
  wait_port "$smsbox"
  wait_port "$smsc"
  "$fakesmsc" -H 127.0.0.1 -r "$smsc" -i 0 -m 0 "100 200 text x" >/dev/null 2>"$dir/fakesmsc.err" &
  echo "$!" >>"$work/kannel.pids"
  smsbox "$dir/kannel.conf" >"$dir/smsbox.out" 2>&1 &
  echo "$!" >>"$work/kannel.pids"
  wait_port "$sendsms"
  echo "$sendsms"
}

echo "== starting Kannel (in-memory queue, spool store) and the smsctl gateway" >&2
mem_port=$(start_kannel mem none)
spool_port=$(start_kannel spool spool)

export SMSCTL_DB=$work/smsctl.db SMSCTL_KEYRING=none HOME=$work/home SMSCTL_AUDIT_KEY=$(printf '5e%.0s' {1..32})
mkdir -p "$HOME"
secret=$("$smsctl" key create bench --sender ACME --allow-ip 127.0.0.1 --quiet)
key_id=$("$smsctl" key show bench --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
gw_port=$(free_port)
# --quiet: no line per request, as Kannel at log-level 4 (errors only) writes none; startup,
# warnings and errors still go to the log.
"$smsctl" gateway serve --quiet --listen "127.0.0.1:$gw_port" 2>"$work/gateway.log" &
pids+=($!)
wait_port "$gw_port"
auth=$(printf '%s:%s' "$key_id" "$secret" | base64 -w0)
cat >"$work/post.lua" <<LUA
wrk.method = "POST"
wrk.body = '{"to":"+37255512345","messages":[{"channel":"sms","text":"hi"}]}'
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Basic $auth"
LUA

kannel_url() { echo "http://127.0.0.1:$1/cgi-bin/sendsms?username=bench&password=benchpw&to=37255512345&text=hi"; }
smsctl_url="http://127.0.0.1:$gw_port/v1/omnimessage"

# Sanity: each server accepts the request we load it with.
code=$(curl -s -o /dev/null -w '%{http_code}' "$(kannel_url "$mem_port")" || true)
[[ $code == 202 ]] || { echo "bench-peers: Kannel answered $code, not 202" >&2; exit 1; }
code=$(curl -s -o /dev/null -w '%{http_code}' -X POST -H "Authorization: Basic $auth" \
  -H 'Content-Type: application/json' -d '{"to":"+37255512345","messages":[{"channel":"sms","text":"hi"}]}' "$smsctl_url" || true)
[[ $code == 201 ]] || { echo "bench-peers: the gateway answered $code, not 201" >&2; exit 1; }

# wrk CLIENTS DURATION TARGET... -> "req/s p50_ms p99_ms requests errors"
run_wrk() {
  local c=$1 d=$2
  shift 2
  local t=$((c < 2 ? c : 2))
  wrk -t"$t" -c"$c" -d"$d" --latency "$@" 2>&1 | python3 -c '
import re, sys
text = sys.stdin.read()
def ms(v, unit):
    return float(v) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]
lat = {m.group(1): ms(m.group(2), m.group(3)) for m in re.finditer(r"^\s+(50|99)(?:\.000)?%\s+([\d.]+)(us|ms|s)\s*$", text, re.M)}
rps = re.search(r"Requests/sec:\s+([\d.]+)", text)
total = re.search(r"(\d+) requests in", text)
non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
errs = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text)
errors = (int(non2xx.group(1)) if non2xx else 0) + (sum(map(int, errs.groups())) if errs else 0)
if not rps or "50" not in lat or "99" not in lat:
    sys.exit("cannot parse wrk output:\n" + text)
p50, p99 = lat["50"], lat["99"]
print(f"{float(rps.group(1)):.0f} {p50:.3f} {p99:.3f} {total.group(1)} {errors}")'
}

declare -A sum_rps
results=$work/rounds.txt
: >"$results"
for r in $(seq 1 "$rounds"); do
  for subject in kannel-mem kannel-spool smsctl; do
    echo "== round $r: $subject, wrk -c$clients -d$duration" >&2
    case $subject in
      kannel-mem) line=$(run_wrk "$clients" "$duration" "$(kannel_url "$mem_port")") ;;
      kannel-spool) line=$(run_wrk "$clients" "$duration" "$(kannel_url "$spool_port")") ;;
      smsctl) line=$(run_wrk "$clients" "$duration" -s "$work/post.lua" "$smsctl_url") ;;
    esac
    echo "$subject $r $line" >>"$results"
  done
done

# Hostile idle clients: 10,000 connections held open (half never send a byte, half sent one
# /healthz and sit idle on keep-alive) while 32 legitimate clients send, as in the rounds.
idle_conns=10000
[[ ${SMSCTL_BENCH_QUICK:-0} == 1 ]] && idle_conns=2000
idle=$work/idle.txt
: >"$idle"
cat >"$work/hold.py" <<'PY'
import socket, sys, time
port, n, ready = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
held = []
for i in range(n):
    s = socket.create_connection(("127.0.0.1", port))
    if i % 2:
        s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        got = b""
        while b"\r\n\r\n" not in got or not got.endswith(b"}"):
            chunk = s.recv(4096)
            if not chunk:
                sys.exit(f"connection {i} closed by the server")
            got += chunk
    held.append(s)
open(ready, "w").write(str(len(held)))
while True:
    time.sleep(60)
PY
echo "== $idle_conns idle connections held open, then wrk -c$clients -d$duration on the gateway" >&2
(ulimit -n $((idle_conns + 256)) 2>/dev/null; exec python3 "$work/hold.py" "$gw_port" "$idle_conns" "$work/held") &
holder=$!
pids+=($holder)
for _ in $(seq 1 600); do [[ -s $work/held ]] && break; kill -0 "$holder" 2>/dev/null || break; sleep 0.1; done
if [[ -s $work/held ]]; then
  for r in $(seq 1 "$rounds"); do
    echo "idle $r $(run_wrk "$clients" "$duration" -s "$work/post.lua" "$smsctl_url")" >>"$idle"
  done
else
  echo "bench-peers: could not hold $idle_conns idle connections open" >&2
fi
kill "$holder" 2>/dev/null || true
wait "$holder" 2>/dev/null || true

echo "== concurrency sweep (1-512 clients, $sweep_duration each)" >&2
sweep=$work/sweep.txt
: >"$sweep"
ulimit -n 4096 2>/dev/null || true
for c in 1 2 4 8 16 32 64 128 256 512; do
  echo "$c kannel-mem $(run_wrk "$c" "$sweep_duration" "$(kannel_url "$mem_port")")" >>"$sweep"
  echo "$c smsctl $(run_wrk "$c" "$sweep_duration" -s "$work/post.lua" "$smsctl_url")" >>"$sweep"
done

python3 - "$results" "$sweep" "$out" "$chart" "$clients" "$duration" "$idle" "$idle_conns" <<'PY'
import statistics, sys
results, sweep, out, chart, clients, duration, idle, idle_conns = sys.argv[1:]
rows = [l.split() for l in open(results) if l.strip()]
by = {}
for subject, _r, rps, p50, p99, total, errors in rows:
    by.setdefault(subject, []).append((float(rps), float(p50), float(p99), int(total), int(errors)))
def med(subject, i):
    return statistics.median(x[i] for x in by[subject])
names = {
    "smsctl": "`smsctl gateway serve` (POST /v1/omnimessage, every record durable before its 201)",
    "kannel-mem": "Kannel 1.4.5 smsbox + bearerbox + fakesmsc, in-memory queue (GET /cgi-bin/sendsms)",
    "kannel-spool": "Kannel with its spool store (persistent)",
}
lines = []
lines.append("## The gateway beside Kannel\n")
lines.append(f"`wrk -t2 -c{clients} -d{duration} --latency` over loopback, {len(by['smsctl'])} interleaved round(s) per "
             "server; medians of the rounds. Kannel is configured as the gateway is: one sendsms user with an "
             "allowed IP and a default sender, a fake SMSC drained by `fakesmsc`; both log errors only (Kannel "
             "`log-level = 4`, the gateway `--quiet`) (`scripts/bench-peers.sh`).\n")
lines.append("| Server | req/s | p50 | p99 | Requests | Errors (non-2xx, socket) |")
lines.append("|---|---:|---:|---:|---:|---:|")
for s in ["smsctl", "kannel-mem", "kannel-spool"]:
    lines.append(f"| {names[s]} | {med(s,0):,.0f} | {med(s,1):.2f} ms | {med(s,2):.2f} ms | "
                 f"{sum(x[3] for x in by[s]):,} | {sum(x[4] for x in by[s]):,} |")
ratio = med("smsctl", 0) / med("kannel-mem", 0)
spool_ratio = med("smsctl", 0) / med("kannel-spool", 0)
p99_ok = med("smsctl", 2) <= med("kannel-mem", 2)
goal_rps = ratio >= 3.0 and med("smsctl", 0) >= 50_000
lines.append("")
lines.append("| Goal | Measured | Result |")
lines.append("|---|---|---|")
lines.append(f"| Throughput ≥ 3× Kannel in-memory and ≥ 50,000 req/s | {ratio:.2f}× ({med('smsctl',0):,.0f} req/s); "
             f"{spool_ratio:.2f}× Kannel's spool | {'**pass**' if goal_rps else '**FAIL**'} |")
lines.append(f"| p99 no worse than Kannel's at {clients} clients | {med('smsctl',2):.2f} ms vs {med('kannel-mem',2):.2f} ms | "
             f"{'**pass**' if p99_ok else '**FAIL**'} |")
idle_rows = [l.split()[2:] for l in open(idle) if l.strip()]
if idle_rows:
    idle_p99 = statistics.median(float(x[2]) for x in idle_rows)
    idle_rps = statistics.median(float(x[0]) for x in idle_rows)
    idle_err = sum(int(x[4]) for x in idle_rows)
    lines.append(f"| {int(idle_conns):,} idle connections do not push a legitimate client's p99 above 10 ms | "
                 f"p99 {idle_p99:.2f} ms at {idle_rps:,.0f} req/s with {int(idle_conns):,} idle connections held open "
                 f"({len(idle_rows)} round(s), {idle_err:,} errors); without them {med('smsctl',2):.2f} ms | "
                 f"{'**pass**' if idle_p99 <= 10 and idle_err == 0 else '**FAIL**'} |")
else:
    lines.append(f"| {int(idle_conns):,} idle connections do not push a legitimate client's p99 above 10 ms | "
                 "not measured: the idle connections could not be held open | **FAIL** |")
sw = [l.split() for l in open(sweep) if l.strip()]
curve = {}
for c, s, rps, p50, p99, total, errors in sw:
    curve.setdefault(s, []).append((int(c), float(rps), float(p99), int(errors)))
lines.append("\n### From 1 to 512 clients\n")
lines.append(f"![req/s and p99 by concurrent clients]({chart.split('/')[-1]})\n")
lines.append("| Clients | smsctl req/s | smsctl p99 | smsctl errors | Kannel req/s | Kannel p99 | Kannel errors |")
lines.append("|---:|---:|---:|---:|---:|---:|---:|")
k = {c: (r, p, e) for c, r, p, e in curve["kannel-mem"]}
for c, r, p, e in curve["smsctl"]:
    kr, kp, ke = k[c]
    lines.append(f"| {c} | {r:,.0f} | {p:.2f} ms | {e:,} | {kr:,.0f} | {kp:.2f} ms | {ke:,} |")
open(out, "w").write("\n".join(lines) + "\n")

# The chart: two panels, log2 clients on x.
import math
W, H, M = 860, 340, 60
def panel(x0, title, key, ylabel):
    pw, ph = (W - 3 * M) / 2, H - 2 * M
    ymax = max(v for s in curve.values() for v in [p[key] for p in s]) * 1.1 or 1
    def px(c): return x0 + M + (math.log2(c) / 9) * pw
    def py(v): return M + ph - (v / ymax) * ph
    parts = [f'<text x="{x0 + M + pw/2}" y="{M - 25}" text-anchor="middle" font-size="14">{title}</text>',
             f'<line x1="{x0+M}" y1="{M+ph}" x2="{x0+M+pw}" y2="{M+ph}" stroke="#333"/>',
             f'<line x1="{x0+M}" y1="{M}" x2="{x0+M}" y2="{M+ph}" stroke="#333"/>',
             f'<text x="{x0 + M + pw/2}" y="{H - 15}" text-anchor="middle" font-size="11">concurrent clients</text>',
             f'<text x="{x0 + 15}" y="{M + ph/2}" text-anchor="middle" font-size="11" transform="rotate(-90 {x0+15} {M+ph/2})">{ylabel}</text>']
    for c in [1, 2, 4, 8, 16, 32, 64, 128, 256, 512]:
        parts.append(f'<text x="{px(c)}" y="{M+ph+15}" text-anchor="middle" font-size="10">{c}</text>')
    for i in range(5):
        v = ymax * i / 4
        parts.append(f'<text x="{x0+M-5}" y="{py(v)+3}" text-anchor="end" font-size="10">{v:,.0f}</text>')
        parts.append(f'<line x1="{x0+M}" y1="{py(v)}" x2="{x0+M+pw}" y2="{py(v)}" stroke="#ddd"/>')
    for s, colour in [("smsctl", "#d62728"), ("kannel-mem", "#1f77b4")]:
        pts = " ".join(f"{px(p[0]):.1f},{py(p[key]):.1f}" for p in curve[s])
        parts.append(f'<polyline points="{pts}" fill="none" stroke="{colour}" stroke-width="2"/>')
        for p in curve[s]:
            parts.append(f'<circle cx="{px(p[0]):.1f}" cy="{py(p[key]):.1f}" r="3" fill="{colour}"/>')
    return "\n".join(parts)
svg = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{H}" font-family="sans-serif">',
       '<rect width="100%" height="100%" fill="white"/>',
       panel(0, "Requests per second", 1, "req/s"),
       panel((W - M) / 2, "p99 latency (ms)", 2, "ms"),
       f'<text x="{W-200}" y="20" font-size="12" fill="#d62728">● smsctl gateway serve</text>',
       f'<text x="{W-200}" y="36" font-size="12" fill="#1f77b4">● Kannel, in-memory</text>',
       "</svg>"]
open(chart, "w").write("\n".join(svg) + "\n")
PY
echo "== wrote $out and $chart" >&2
