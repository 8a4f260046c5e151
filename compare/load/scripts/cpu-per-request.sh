#!/usr/bin/env bash
# CPU per request of `tribench load` against wrk, side by side: the
# calibration server (constant 923-byte body) on CPU 1, each loader in turn
# on CPU 0 (taskset, one thread for wrk, GOMAXPROCS 1 for Go), RUNS rounds
# at each connection count, interleaved. CPU is the loader's user + system
# time from /usr/bin/time over its whole run, divided by its requests.
#
#   compare/load/scripts/cpu-per-request.sh TRIBENCH CALIBRATION [RUNS] [SECONDS]
set -euo pipefail
tribench=$1 calibration=$2 runs=${3:-3} secs=${4:-5}
port=$((20000 + RANDOM % 20000))
taskset -c 1 "$calibration" serve --port "$port" --body-bytes 923 &
server=$!
trap 'kill "$server"' EXIT
sleep 1
url="http://127.0.0.1:$port/users?limit=14"
tmp=$(mktemp -d)
printf '%-6s %-5s %-4s %10s %9s %12s %6s\n' conns tool run req/s requests cpu_us/req load1
for conns in 64 1000; do
	for run in $(seq "$runs"); do
		load1=$(cut -d' ' -f1 /proc/loadavg)
		/usr/bin/time -f '%U %S' -o "$tmp/wrk.time" taskset -c 0 wrk -t1 -c"$conns" -d"${secs}s" "$url" >"$tmp/wrk.out"
		n=$(awk '/requests in/ {print $1}' "$tmp/wrk.out")
		awk -v n="$n" -v c="$conns" -v r="$run" -v s="$secs" -v l="$load1" \
			'{printf "%-6s %-5s %-4s %10.0f %9d %12.2f %6s\n", c, "wrk", r, n/s, n, ($1+$2)*1e6/n, l}' "$tmp/wrk.time"
		load1=$(cut -d' ' -f1 /proc/loadavg)
		GOMAXPROCS=1 /usr/bin/time -f '%U %S' -o "$tmp/tb.time" taskset -c 0 "$tribench" load --url "$url" \
			--connections "$conns" --duration "${secs}s" --json >"$tmp/tb.out"
		n=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["requests"])' "$tmp/tb.out")
		awk -v n="$n" -v c="$conns" -v r="$run" -v s="$secs" -v l="$load1" \
			'{printf "%-6s %-5s %-4s %10.0f %9d %12.2f %6s\n", c, "load", r, n/s, n, ($1+$2)*1e6/n, l}' "$tmp/tb.time"
	done
done
rm -rf "$tmp"
