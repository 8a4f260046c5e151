package load

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/valyala/fasthttp"
)

func TestCompileLevel(t *testing.T) {
	t.Parallel()
	tests := []struct {
		line  string
		level int
		ok    bool
	}{
		{"[0.017s][debug][jit,compilation]    1       3       java.lang.Object::<init> (1 bytes)", 3, true},
		{"[9.5s][debug][jit,compilation]  812 %     4       io.netty.Foo::run @ 10 (60 bytes)", 4, true},
		{"[9.5s][debug][jit,compilation]  813   s!b 4       a.B::c (5 bytes)", 4, true},
		{"[0.020s][debug][jit,compilation]    5     n 0       java.lang.invoke.MethodHandle::linkToStatic(LL)L (native)   (static)", 0, true},
		{"   12       3       java.lang.String::hashCode (60 bytes)", 3, true},
		{"[9.6s][debug][jit,compilation]  700       3       a.B::c (5 bytes)   made not entrant", 0, false},
		{"[9.6s][info][gc] GC(3) Pause Young 12M->3M", 0, false},
		{"", 0, false},
		{"[unterminated", 0, false},
	}
	for _, tt := range tests {
		level, ok := CompileLevel(tt.line)
		assert.Equal(t, tt.ok, ok, tt.line)
		assert.Equal(t, tt.level, level, tt.line)
	}
}

// firstSteady is the number of one-second rates after which rule first says
// steady, or -1.
func firstSteady(rates []float64, topTier []int, rule func([]float64, []int) bool) int {
	for n := 1; n <= len(rates); n++ {
		if rule(rates[:n], topTier[:n]) {
			return n
		}
	}
	return -1
}

// The rate holds at one level for 5 s (the JVM's plateau before C2's code
// lands), then triples: the JIT rule waits out the climb; the three-window
// rule is fooled by the plateau.
func TestSteadyJITWaitsOutAPlateau(t *testing.T) {
	t.Parallel()
	var rates []float64
	for range 5 {
		rates = append(rates, 7000)
	}
	rates = append(rates, 14000)
	for range 12 {
		rates = append(rates, 21000)
	}
	quiet := make([]int, len(rates))
	n := firstSteady(rates, quiet, SteadyJIT)
	assert.Equal(t, 16, n, "steady once ten seconds after the climb hold: five equal to the five before")
	assert.Greater(t, n, 6, "never on the plateau")
	short := firstSteady(rates, quiet, func(r []float64, _ []int) bool { return Steady(r) })
	assert.Equal(t, 3, short, "the rates-only rule stops on the plateau: why a JVM needs the other")

	compiling := make([]int, len(rates))
	compiling[len(rates)-3] = 4 // four C2 compilations three seconds before the end
	assert.False(t, SteadyJIT(rates, compiling), "C2 still compiling within the last 3 s")
	compiling[len(rates)-3], compiling[len(rates)-1] = 2, 1
	assert.True(t, SteadyJIT(rates, compiling), "a trickle of C2 compilations")
	compiling[len(rates)-3], compiling[len(rates)-4] = 0, 50
	assert.True(t, SteadyJIT(rates, compiling), "C2 quiet for 3 s after a burst")

	assert.False(t, SteadyJIT([]float64{0, 0, 0, 0, 0, 0, 0, 0, 0, 0}, make([]int, 10)), "no answers is not steady")
	assert.False(t, SteadyJIT([]float64{100, 100, 100, 100, 100, 104, 104, 104, 104, 104}, make([]int, 10)), "4% apart")
	assert.True(t, SteadyJIT([]float64{100, 100, 100, 100, 100, 102, 98, 103, 101, 101}, make([]int, 10)))
}

func TestJITLogReadsWhatWasAppended(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "jit.log")
	require.NoError(t, os.WriteFile(path, []byte("[0.1s][debug][jit,compilation]    1       4       before::start (1 bytes)\n"), 0o644))
	j, err := openJITLog(path)
	require.NoError(t, err)
	defer j.close()
	f, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
	require.NoError(t, err)
	defer f.Close()
	_, err = f.WriteString("[1.0s][debug][jit,compilation]    2       3       a::b (1 bytes)\n[1.1s][debug][jit,compilation]    3       4       a::c (1 bytes)\n[1.2s][debug][jit,comp")
	require.NoError(t, err)
	all, top, err := j.next()
	require.NoError(t, err)
	assert.Equal(t, [2]int{2, 1}, [2]int{all, top}, "the line before the warm-up is not counted, the unfinished one not yet")
	_, err = f.WriteString("ilation]    4       4       a::d (1 bytes)\n")
	require.NoError(t, err)
	all, top, err = j.next()
	require.NoError(t, err)
	assert.Equal(t, [2]int{1, 1}, [2]int{all, top}, "the finished line")
}

// pacedServer answers at most base requests per tick for its first five
// ticks, then three times as many: a JVM's plateau and climb, shrunk so a
// second is a tick.
func pacedServer(t *testing.T, tick time.Duration, base float64) func(*fasthttp.RequestCtx) {
	var mu sync.Mutex
	var zero, next time.Time
	return func(ctx *fasthttp.RequestCtx) {
		mu.Lock()
		now := time.Now()
		if zero.IsZero() {
			zero, next = now, now
		}
		perTick := base
		if now.Sub(zero) >= 5*tick {
			perTick = 3 * base
		}
		next = next.Add(time.Duration(float64(tick) / perTick))
		if next.Before(now) {
			next = now
		}
		wait := next.Sub(now)
		mu.Unlock()
		time.Sleep(wait)
		ok(ctx)
	}
}

// Through a loopback server whose rate holds five ticks, then triples: with
// a JIT log the warm-up waits for the climb and for the compiler to go quiet,
// and the measured rate is the tripled one; the rates-only rule measures the
// plateau.
func TestWarmupThroughAPlateauServer(t *testing.T) {
	t.Parallel()
	const tick, base = 200 * time.Millisecond, 100.0
	tests := []struct {
		name        string
		jit         bool
		compileTill int // ticks with C2 compilations written to the log
		minTicks    int
		climbed     bool
	}{
		{name: "rates only", minTicks: 3},
		{name: "jit log, compiler quiet", jit: true, minTicks: 15, climbed: true},
		{name: "jit log, compiling", jit: true, compileTill: 20, minTicks: 22, climbed: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			u := serve(t, pacedServer(t, tick, base))
			o := Options{URL: u, Mix: get("/"), Connections: 8, Duration: 300 * time.Millisecond, Warmup: 60 * tick, tick: tick}
			done := make(chan struct{})
			var wg sync.WaitGroup
			defer func() { close(done); wg.Wait() }()
			if tt.jit {
				o.JITLog = filepath.Join(t.TempDir(), "jit.log")
				require.NoError(t, os.WriteFile(o.JITLog, nil, 0o644))
				f, err := os.OpenFile(o.JITLog, os.O_APPEND|os.O_WRONLY, 0)
				require.NoError(t, err)
				wg.Add(1)
				go func() {
					defer wg.Done()
					defer f.Close()
					for i := range tt.compileTill {
						select {
						case <-done:
							return
						case <-time.After(tick):
						}
						for k := range 2 { // a burst is more than a trickle of one a second
							fmt.Fprintf(f, "[%d.0s][debug][jit,compilation]  %d       4       a.B::m%d_%d (9 bytes)\n", i, 100+2*i+k, i, k)
						}
					}
				}()
			}
			res, err := Run(context.Background(), o)
			require.NoError(t, err)
			assert.True(t, res.Warmup.Steady, "steady before the bound: %+v", res.Warmup)
			assert.GreaterOrEqual(t, len(res.Warmup.Rates), tt.minTicks, "ticks of warm-up: %v", res.Warmup.Rates)
			perSecond := base / tick.Seconds()
			if tt.climbed {
				assert.Equal(t, RuleJIT, res.Warmup.Rule)
				assert.Len(t, res.Warmup.TopTier, len(res.Warmup.Rates), "compilations counted per tick")
				assert.Greater(t, res.RPS, 2*perSecond, "measured after the climb")
			} else {
				assert.Equal(t, RuleRates, res.Warmup.Rule)
				assert.Less(t, res.RPS, 2*perSecond, "measured on the plateau")
			}
		})
	}
}
