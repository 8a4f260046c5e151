package load

import "time"

// Intended is the intended send time, from the start of the schedule, of
// request k (0, 1, 2, ...) of connection conn when conns connections share
// rate requests per second: each connection sends every conns/rate seconds,
// the connections' phases spread evenly over one interval so the load is
// smooth, not bursts of conns requests. It is a pure function of its
// arguments, so pacing is tested without a clock.
func Intended(conn, conns int, rate float64, k int64) time.Duration {
	interval := float64(conns) / rate // seconds between two requests of one connection
	phase := interval * float64(conn) / float64(conns)
	return time.Duration((phase + interval*float64(k)) * float64(time.Second))
}
