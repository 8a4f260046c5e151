#!/bin/bash
# ceiling-capped.sh measures the Go user API against this machine's HTTP
# ceiling with every server saturated and the loader not, as
# services/README.md reports it.
#
#   sudo services/ceiling-capped.sh [ROUNDS [QUOTA_PERCENT]]
#
# In ceiling.sh wrk saturates its own core before the calibration handler
# saturates its own, so the ceiling's requests/s there is wrk's limit. At a
# fixed offered rate (ceiling-rate.sh) neither saturates, but then the faster
# server idles more between requests and pays more wake-ups per request. Here
# each server runs on CPU 1 (GOMAXPROCS=1) in a CPU cgroup capped at
# QUOTA_PERCENT (default 50) of one CPU, 5 ms in every 10 ms: within its quota
# it is saturated, as at full speed, while wrk on CPU 0 needs about half of its
# core for what the capped server can answer (its CPU time is printed: a wrk
# above 4.5 s of CPU in 5 s would be the limit again). The cgroup needs root
# (cgroup v1's cpu controller or cgroup v2's cpu.max); it is removed at exit.
#
# Per round (the servers' order rotates) and server: the http stage's 13 seed
# users, one 5 s run of `wrk -t1 -c64` on GET /users?limit=14 (923 B; the
# calibration handler answers a constant 923 B body), its requests/s, wrk's
# CPU and the server's CPU per request. At the end, per service: the median
# and range over the rounds of requests/s over the ceiling's in the same round,
# and of the ceiling's CPU per request over the service's.
set -euo pipefail

rounds=${1:-5}
quota=${2:-50}
repo=$(cd "$(dirname "$0")/.." && pwd)
bin=$(mktemp -d)

wrk=$(command -v wrk || echo "$HOME/.cache/tribench/apt/bin/wrk")
[ -x "$wrk" ] || { echo "ceiling-capped.sh: wrk not found (make setup installs it)" >&2; exit 1; }
case $quota in
'' | *[!0-9]*) echo "ceiling-capped.sh: QUOTA_PERCENT must be an integer in 10..100, got $quota" >&2; exit 2 ;;
esac
if [ "$quota" -lt 10 ] || [ "$quota" -gt 100 ]; then
	echo "ceiling-capped.sh: QUOTA_PERCENT must be in 10..100, got $quota" >&2
	exit 2
fi

# The cgroup: v1's cpu controller, else v2's cpu.max.
cg=""
cleanup() {
	[ -n "$cg" ] && rmdir "$cg" 2>/dev/null || true
	rm -rf "$bin"
}
trap cleanup EXIT
period=10000
if [ -d /sys/fs/cgroup/cpu ] && [ -f /sys/fs/cgroup/cpu/cpu.cfs_quota_us ]; then
	cg=/sys/fs/cgroup/cpu/tribench-ceiling-$$
	mkdir "$cg" && echo "$period" >"$cg/cpu.cfs_period_us" && echo $((period * quota / 100)) >"$cg/cpu.cfs_quota_us"
elif [ -f /sys/fs/cgroup/cgroup.controllers ] && grep -qw cpu /sys/fs/cgroup/cgroup.controllers; then
	cg=/sys/fs/cgroup/tribench-ceiling-$$
	mkdir "$cg" && echo "$((period * quota / 100)) $period" >"$cg/cpu.max"
else
	echo "ceiling-capped.sh: no CPU cgroup controller found (cgroup v1 cpu or v2 cpu.max)" >&2
	exit 1
fi || { echo "ceiling-capped.sh: cannot create a CPU cgroup (root needed)" >&2; exit 1; }

(cd "$repo" &&
	GOTOOLCHAIN=go1.23.12 go build -trimpath -o "$bin/go-1.23" ./services/cmd/userapi &&
	GOTOOLCHAIN=local go build -trimpath -o "$bin/go-current" ./services/cmd/userapi &&
	GOTOOLCHAIN=local go build -trimpath -o "$bin/calibration" ./services/cmd/calibration)

labels=(ceiling go-1.23 go-current)
argvs=("$bin/calibration serve --body-bytes 923" "$bin/go-1.23 serve" "$bin/go-current serve")
hz=$(getconf CLK_TCK)
port=18480
results=$bin/results

# measure LABEL ARGV: one capped server, seeded, one wrk run; appends
# "LABEL rps us_per_request" to the round's results and prints a readable line.
measure() {
	local label=$1 argv=$2 out=$3
	port=$((port + 1))
	# shellcheck disable=SC2086 # argv is a binary and its arguments
	taskset -c 1 env GOMAXPROCS=1 $argv --port "$port" >/dev/null 2>&1 &
	local pid=$!
	echo "$pid" >"$cg/cgroup.procs"
	local url="http://127.0.0.1:$port"
	for _ in $(seq 100); do curl -sf -o /dev/null "$url/health" && break; sleep 0.05; done
	for i in $(seq -w 1 13); do
		curl -s -o /dev/null -X POST -d "{\"name\":\"Load Test User 0$i\",\"email\":\"load-0$i@example.com\"}" "$url/users"
	done
	local size t0 t1 res
	size=$(curl -s "$url/users?limit=14" | wc -c)
	t0=$(awk '{print $14+$15}' "/proc/$pid/stat")
	res=$({ /usr/bin/time -f "wrkcpu %U %S" taskset -c 0 "$wrk" -t1 -c64 -d5s "$url/users?limit=14"; } 2>&1)
	t1=$(awk '{print $14+$15}' "/proc/$pid/stat")
	kill "$pid"
	wait "$pid" 2>/dev/null || true
	echo "$res" | awk -v l="$label" -v size="$size" -v s=$((t1 - t0)) -v hz="$hz" -v out="$out" '
		/Requests\/sec/ { rps = $2 }
		/requests in/ { reqs = $1 }
		/Non-2xx|Socket errors/ { bad = bad " " $0 }
		/wrkcpu/ { w = $2 + $3 }
		END {
			us = s / hz * 1e6 / reqs
			printf "  %-12s body=%sB rps=%.0f wrk_cpu=%.2fs server_cpu=%.2fs server=%.2f us/req%s\n", l, size, rps, w, s / hz, us, bad
			if (bad == "") printf "%s %.1f %.3f\n", l, rps, us >>out
		}'
}

n=${#labels[@]}
for round in $(seq "$rounds"); do
	echo "round $round (cap ${quota}% of CPU 1, load $(cut -d' ' -f1-3 /proc/loadavg))"
	: >"$results.$round"
	for k in $(seq 0 $((n - 1))); do
		i=$(((k + round - 1) % n))
		measure "${labels[$i]}" "${argvs[$i]}" "$results.$round"
	done
done

# Per round: each service's requests/s over the ceiling's and the ceiling's CPU
# per request over the service's; then each ratio's median and range.
for round in $(seq "$rounds"); do
	awk '{rps[$1] = $2; us[$1] = $3} END {
		if ("ceiling" in rps) for (l in rps) if (l != "ceiling") {
			printf "%s requests/s %.4f\n", l, rps[l] / rps["ceiling"]
			printf "%s CPU/request %.4f\n", l, us["ceiling"] / us[l]
		}
	}' "$results.$round"
done | sort -k1,2 -k3,3n | awk '
	{ k = $1 " " $2; r[k] = r[k] " " $3; c[k]++ }
	END {
		print "service over ceiling, per round (median, range, the rounds sorted):"
		for (k in r) {
			split(substr(r[k], 2), v, " ")
			m = c[k] % 2 ? v[(c[k] + 1) / 2] : (v[c[k] / 2] + v[c[k] / 2 + 1]) / 2
			printf "  %-24s median %.3f  range %.3f-%.3f  rounds %d: %s\n", k, m, v[1], v[c[k]], c[k], substr(r[k], 2)
		}
	}'
