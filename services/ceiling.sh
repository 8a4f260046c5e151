#!/bin/bash
# ceiling.sh measures the Go user API against this machine's HTTP ceiling, as
# services/README.md reports it: the calibration handler (cmd/calibration, a
# constant body of the list's size) and the service built with go1.23.12 and
# with the installed Go, side by side, in interleaved rounds.
#
#   services/ceiling.sh [ROUNDS] [EXTRA_BINARY_LABEL=PATH ...]
#
# Each server runs on CPU 1 (GOMAXPROCS=1), wrk on CPU 0. A service gets the
# http stage's 13 seed users, then two 5 s runs of `wrk -t1 -c64` on
# GET /users?limit=14 (about 920 B); the better run is printed with wrk's own
# CPU time (user+sys, from /usr/bin/time) and the server's (from /proc) per
# request. A round whose servers had less than 4.5 s of CPU in 5 s shared the
# core with another process: compare figures of clean rounds only.
#
# Against the calibration handler wrk saturates its own core first, so the
# ceiling's requests/s here is partly wrk's limit: ceiling-rate.sh (one fixed
# offered rate for every server) and ceiling-capped.sh (every server saturated
# under a CPU cap, wrk not) measure the ratio without it.
set -euo pipefail

rounds=${1:-3}
shift || true
repo=$(cd "$(dirname "$0")/.." && pwd)
bin=$(mktemp -d)
trap 'rm -rf "$bin"' EXIT

wrk=$(command -v wrk || echo "$HOME/.cache/tribench/apt/bin/wrk")
[ -x "$wrk" ] || { echo "ceiling.sh: wrk not found (make setup installs it)" >&2; exit 1; }

(cd "$repo" &&
	GOTOOLCHAIN=go1.23.12 go build -trimpath -o "$bin/go-1.23" ./services/cmd/userapi &&
	GOTOOLCHAIN=local go build -trimpath -o "$bin/go-current" ./services/cmd/userapi &&
	GOTOOLCHAIN=local go build -trimpath -o "$bin/calibration" ./services/cmd/calibration)

hz=$(getconf CLK_TCK)
port=18180

# measure LABEL ARGV...: one server, seeded, two wrk runs, the better one printed.
measure() {
	local label=$1
	shift
	port=$((port + 1))
	taskset -c 1 env GOMAXPROCS=1 "$@" --port "$port" >/dev/null 2>&1 &
	local pid=$!
	local url="http://127.0.0.1:$port"
	for _ in $(seq 100); do curl -sf -o /dev/null "$url/health" && break; sleep 0.05; done
	for i in $(seq -w 1 13); do
		curl -s -o /dev/null -X POST -d "{\"name\":\"Load Test User 0$i\",\"email\":\"load-0$i@example.com\"}" "$url/users"
	done
	local size best=0 line=""
	size=$(curl -s "$url/users?limit=14" | wc -c)
	for _ in 1 2; do
		local t0 t1 res
		t0=$(awk '{print $14+$15}' "/proc/$pid/stat")
		res=$({ /usr/bin/time -f "wrkcpu %U %S" taskset -c 0 "$wrk" -t1 -c64 -d5s "$url/users?limit=14"; } 2>&1)
		t1=$(awk '{print $14+$15}' "/proc/$pid/stat")
		local rps reqs wcpu
		rps=$(echo "$res" | awk '/Requests\/sec/{print $2}')
		reqs=$(echo "$res" | awk '/requests in/{print $1}')
		wcpu=$(echo "$res" | awk '/wrkcpu/{print $2+$3}')
		if awk "BEGIN{exit !($rps > $best)}"; then
			best=$rps
			line=$(awk -v rps="$rps" -v reqs="$reqs" -v w="$wcpu" -v s=$((t1 - t0)) -v hz="$hz" 'BEGIN{
				printf "rps=%.0f wrk_cpu=%.2fs (%.2f us/req) server_cpu=%.2fs (%.2f us/req)", rps, w, w*1e6/reqs, s/hz, s/hz*1e6/reqs}')
		fi
	done
	kill "$pid"
	wait "$pid" 2>/dev/null || true
	echo "$label body=${size}B $line"
}

for round in $(seq "$rounds"); do
	echo "round $round (load $(cut -d' ' -f1-3 /proc/loadavg))"
	measure ceiling "$bin/calibration" serve --body-bytes 923
	measure go-1.23 "$bin/go-1.23" serve
	measure go-current "$bin/go-current" serve
	for extra in "$@"; do
		measure "${extra%%=*}" "${extra#*=}" serve
	done
done
