// Package load is tribench's HTTP/1.1 load generator, run as its own OS
// process (`tribench load`) on CPUs of its own. One event loop per CPU it
// may use (GOMAXPROCS) drives its share of the connections as non-blocking
// sockets in an epoll set, as wrk does: each answer is read and parsed in
// place, and the connection's next request written (no pool, no
// pipelining), so exactly C connections are open. Two models:
//
//   - closed: each connection sends its next request when the previous
//     answer arrives; the figure is the rate the server sustains.
//   - open: a fixed rate R spread over the connections, each request's
//     latency counted from its intended send time, so a server that falls
//     behind shows it in latency and in the achieved rate (coordinated
//     omission corrected, as wrk2 does), never as a silently lower load.
//
// Connections are opened in batches within the server's listen backlog before
// the measured window, a warm-up runs until the rate is steady (or a bound;
// for a JVM, also until its compilation log shows C2 quiet: SteadyJIT),
// latencies go into an HdrHistogram, every status is counted, sampled bodies
// are compared, errors are counted by kind, and the CPU use of the loader and
// of the server's process tree is measured, so a run where the loader was the
// bottleneck is flagged loader-bound instead of quoted.
package load
