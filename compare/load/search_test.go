package load

import (
	"context"
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
)

func stepResult(requests, errs int64, p99 float64) Result {
	return Result{Requests: requests, Errors: map[string]int64{ErrTimeout: errs}, LatencyMS: map[string]float64{"p99": p99}}
}

func TestStable(t *testing.T) {
	t.Parallel()
	ok, _ := Stable(stepResult(10000, 9, 800))
	assert.True(t, ok, "0.09% errors and p99 800 ms")
	ok, why := Stable(stepResult(10000, 10, 100))
	assert.False(t, ok)
	assert.Contains(t, why, "0.10% of requests failed")
	ok, why = Stable(stepResult(10000, 0, 1000))
	assert.False(t, ok)
	assert.Contains(t, why, "p99 1000 ms is not under 1s")
	ok, _ = Stable(stepResult(0, 0, 0))
	assert.False(t, ok)
}

func TestSearchStopsAtTheFirstUnstableStep(t *testing.T) {
	t.Parallel()
	var tried []int
	try := func(_ context.Context, n int) (Result, error) {
		tried = append(tried, n)
		if n >= 5000 {
			return stepResult(int64(n)*5, int64(n), 2000), nil
		}
		return stepResult(int64(n)*5, 0, 50), nil
	}
	c := Search(context.Background(), []int{1000, 2000, 5000, 10000, 19500}, try)
	assert.Equal(t, []int{1000, 2000, 5000}, tried, "nothing after the first unstable step")
	assert.Equal(t, 2000, c.Max)
	assert.False(t, c.AtLimit)
	assert.Len(t, c.Steps, 3)
	assert.False(t, c.Steps[2].Stable)

	c = Search(context.Background(), []int{1000, 2000}, func(context.Context, int) (Result, error) { return stepResult(100, 0, 10), nil })
	assert.True(t, c.AtLimit, "the top step held: a lower bound")
	assert.Equal(t, 2000, c.Max)

	c = Search(context.Background(), []int{1000, 2000}, func(context.Context, int) (Result, error) {
		return Result{}, errors.New("open 1000 connections: refused")
	})
	assert.Zero(t, c.Max)
	assert.Equal(t, "open 1000 connections: refused", c.Steps[0].Why)
}

func TestSearchSteps(t *testing.T) {
	t.Parallel()
	assert.Equal(t, []int{1000, 2000, 5000, 10000, 15000, 19500}, SearchSteps(19500))
	assert.Equal(t, []int{1000, 2000, 3000}, SearchSteps(3000))
}
