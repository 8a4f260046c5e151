package userapi

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tribench/tribench/compare/batch"
	"github.com/tribench/tribench/compare/disturb"
	"github.com/tribench/tribench/compare/results"
)

// Every round's foreign CPU and steal on the server's CPU are kept beside its
// figures, and a round with other work above LoopbackThreshold is listed on every
// value of the record (a quiet one, and one not measured, are not).
func TestHTTPRoundsCarryTheirDisturbance(t *testing.T) {
	t.Parallel()
	quiet := disturb.Reading{CPUs: []int{1}, Capacity: 5, Busy: 4.9, Tree: 4.8}
	busy := disturb.Reading{CPUs: []int{1}, Capacity: 5, Busy: 5, Tree: 2.5} // a spinning neighbour: half the CPU
	rps := results.Value{Name: "rps", Unit: "req/s", Samples: []float64{100, 60, 100}, Rounds: []int{0, 1, 2}}
	vs := withDisturbance([]results.Value{rps}, []disturb.Reading{quiet, busy, {}}, []int{0, 1, 2})
	require.Len(t, vs, 3)
	assert.Equal(t, []int{1}, vs[0].Disturbed, "the busy round is flagged on the figure")
	assert.Equal(t, batch.ForeignCPU, vs[1].Name)
	assert.InDeltaSlice(t, []float64{0.02, 0.5}, vs[1].Samples, 1e-9)
	assert.Equal(t, []int{0, 1}, vs[1].Rounds, "the unmeasured round has no reading")
	assert.Equal(t, batch.Steal, vs[2].Name)

	loopback := disturb.Reading{CPUs: []int{1}, Capacity: 5, Busy: 4.9, Tree: 4.3} // 12%: the loader's softirq
	assert.Empty(t, withDisturbance([]results.Value{rps}, []disturb.Reading{loopback, quiet, quiet}, []int{0, 1, 2})[0].Disturbed,
		"a quiet Go round's loopback share stays under the HTTP threshold")

	plain := withDisturbance([]results.Value{rps}, []disturb.Reading{{}, {}, {}}, []int{0, 1, 2})
	assert.Equal(t, []results.Value{rps}, plain, "nothing measured, nothing added")
}
