package load

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

func TestIntendedSpreadsConnectionsOverOneInterval(t *testing.T) {
	t.Parallel()
	// 4 connections sharing 100 req/s: each sends every 40 ms, 10 ms apart.
	assert.Equal(t, time.Duration(0), Intended(0, 4, 100, 0))
	assert.Equal(t, 10*time.Millisecond, Intended(1, 4, 100, 0))
	assert.Equal(t, 30*time.Millisecond, Intended(3, 4, 100, 0))
	assert.Equal(t, 40*time.Millisecond, Intended(0, 4, 100, 1))
	assert.Equal(t, 410*time.Millisecond, Intended(1, 4, 100, 10))
	// Over one second the four schedules hold exactly the rate.
	sent := 0
	for c := 0; c < 4; c++ {
		for k := int64(0); Intended(c, 4, 100, k) < time.Second; k++ {
			sent++
		}
	}
	assert.Equal(t, 100, sent)
}
