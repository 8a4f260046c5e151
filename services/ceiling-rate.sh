#!/bin/bash
# ceiling-rate.sh measures the Go user API against this machine's HTTP ceiling
# at a fixed offered rate, as services/README.md reports it: the figure is the
# server's CPU per request, which no loader limit can cap.
#
#   services/ceiling-rate.sh [ROUNDS [RATE [EXTRA_LABEL=BINARY ...]]]
#
# ceiling.sh drives every server as fast as wrk can, and against the
# calibration handler wrk saturates its own core first: the ceiling's
# requests/s there is wrk's limit, not the machine's. Here every server gets
# the same open-model load (tribench load --rate RATE, 64 connections, default
# 50,000 requests/s), below every server's saturation, so each one handles the
# same requests at the same pace and batching, and the loader keeps spare CPU
# (its share is printed). Each server runs on CPU 1 (GOMAXPROCS=1), the loader
# on CPU 0; a service gets the http stage's 13 seed users and answers
# GET /users?limit=14 (923 B), the calibration handler a constant 923 B body.
# The order of the servers rotates from round to round. Per round and server:
# the server's CPU over the 5 s window (from /proc, via --server-pid) per
# request; per service: the ratio ceiling over service within the round; at
# the end, each ratio's median and range over the rounds.
set -euo pipefail

rounds=${1:-5}
rate=${2:-50000}
shift 2 || shift $# || true
repo=$(cd "$(dirname "$0")/.." && pwd)
bin=$(mktemp -d)
trap 'rm -rf "$bin"' EXIT

(cd "$repo" &&
	GOTOOLCHAIN=go1.23.12 go build -trimpath -o "$bin/go-1.23" ./services/cmd/userapi &&
	GOTOOLCHAIN=local go build -trimpath -o "$bin/go-current" ./services/cmd/userapi &&
	GOTOOLCHAIN=local go build -trimpath -o "$bin/calibration" ./services/cmd/calibration &&
	GOTOOLCHAIN=local go build -trimpath -o "$bin/tribench" ./compare/cmd/tribench)

labels=(ceiling go-1.23 go-current)
argvs=("$bin/calibration serve --body-bytes 923" "$bin/go-1.23 serve" "$bin/go-current serve")
for extra in "$@"; do
	labels+=("${extra%%=*}")
	argvs+=("${extra#*=} serve")
done
port=18380
results=$bin/results

# measure LABEL ARGV: one server, seeded, one 5 s window at the fixed rate after
# a 1 s warm-up; prints "LABEL us_per_request" and a readable line. A window
# that fell short of the rate by more than 2 % (a stall: another process held
# a core, or connections waited) did not compare like with like: its line says
# so and its figure is left out, and with it the round's ratios for it.
measure() {
	local label=$1 argv=$2
	port=$((port + 1))
	# shellcheck disable=SC2086 # argv is a binary and its arguments
	taskset -c 1 env GOMAXPROCS=1 $argv --port "$port" >/dev/null 2>&1 &
	local pid=$!
	local url="http://127.0.0.1:$port"
	for _ in $(seq 100); do curl -sf -o /dev/null "$url/health" && break; sleep 0.05; done
	for i in $(seq -w 1 13); do
		curl -s -o /dev/null -X POST -d "{\"name\":\"Load Test User 0$i\",\"email\":\"load-0$i@example.com\"}" "$url/users"
	done
	local size out
	size=$(curl -s "$url/users?limit=14" | wc -c)
	out=$("$bin/tribench" load --url "$url/users?limit=14" --rate "$rate" --connections 64 \
		--duration 5s --warmup 1s --min-warmup 1s --cpus 0 --server-pid "$pid" --json)
	kill "$pid"
	wait "$pid" 2>/dev/null || true
	echo "$out" | python3 -c '
import json, sys
label, size = sys.argv[1], sys.argv[2]
r = json.load(sys.stdin)
errors = sum(r["errors"].values())
us = r["server_cpu"] * r["duration_s"] * 1e6 / r["requests"]
short = r["rps"] < 0.98 * float(sys.argv[3]) or errors > 0
if not short:
    print("%s %.3f" % (label, us))
print("  %-12s body=%sB rps=%.0f errors=%d loader_cpu=%.2f server_cpu=%.2f server=%.2f us/req p99=%.2f ms%s" % (
    label, size, r["rps"], errors, r["loader_cpu"], r["server_cpu"], us, r["latency_ms"]["p99"],
    "  (short of the rate or with errors: left out)" if short else ""), file=sys.stderr)
' "$label" "$size" "$rate"
}

n=${#labels[@]}
for round in $(seq "$rounds"); do
	echo "round $round (rate $rate/s, load $(cut -d' ' -f1-3 /proc/loadavg))"
	: >"$results.$round"
	for k in $(seq 0 $((n - 1))); do
		i=$(((k + round - 1) % n))
		measure "${labels[$i]}" "${argvs[$i]}" 2>&1 >>"$results.$round" | cat
	done
done

# Per round: ceiling us/request over each service's; then medians and ranges.
for round in $(seq "$rounds"); do
	awk -v round="$round" '{us[$1] = $2} END {
		if ("ceiling" in us) for (l in us) if (l != "ceiling") printf "%s %s %.4f\n", l, round, us["ceiling"] / us[l]
	}' "$results.$round"
done | sort -k1,1 -k3,3n | awk '
	{ r[$1] = r[$1] " " $3; c[$1]++ }
	END {
		print "ceiling CPU/request over the service'\''s, per round, sorted (median, range):"
		for (l in r) {
			split(substr(r[l], 2), v, " ")
			m = c[l] % 2 ? v[(c[l] + 1) / 2] : (v[c[l] / 2] + v[c[l] / 2 + 1]) / 2
			printf "  %-12s median %.3f  range %.3f-%.3f  rounds %d: %s\n", l, m, v[1], v[c[l]], c[l], substr(r[l], 2)
		}
	}'
