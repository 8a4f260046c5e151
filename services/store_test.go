package services

import (
	"fmt"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestStoreSeedAndPages(t *testing.T) {
	t.Parallel()
	s := NewStore()
	for i := 0; i < 8; i++ {
		_, err := s.Create(fmt.Sprintf("User %d", i), fmt.Sprintf("u%d@example.com", i))
		require.NoError(t, err)
	}
	tests := []struct {
		name        string
		skip, limit int64
		wantIDs     []int64
	}{
		{"first page", 0, 2, []int64{1, 2}},
		{"middle", 3, 3, []int64{4, 5, 6}},
		{"short last page", 8, 10, []int64{9, 10}},
		{"past the end", 10, 5, nil},
		{"skip at max int64 does not overflow", 1<<63 - 1, 1000, nil},
		{"limit at max int64 does not overflow", 9, 1<<63 - 1, []int64{10}},
	}
	for _, tt := range tests {
		var ids []int64
		for _, u := range s.Page(tt.skip, tt.limit) {
			ids = append(ids, u.ID)
		}
		assert.Equal(t, tt.wantIDs, ids, tt.name)
	}
	u, ok := s.Get(1)
	assert.True(t, ok)
	assert.Equal(t, User{ID: 1, Name: "Alice", Email: "alice@example.com"}, u)
	_, ok = s.Get(0)
	assert.False(t, ok)
	_, ok = s.Get(11)
	assert.False(t, ok)
}

func TestStoreDuplicateEmail(t *testing.T) {
	t.Parallel()
	s := NewStore()
	_, err := s.Create("Alice Two", "alice@example.com")
	assert.ErrorIs(t, err, ErrDuplicateEmail)
	u, err := s.Create("Upper", "Alice@example.com") // exact match only
	require.NoError(t, err)
	assert.Equal(t, int64(3), u.ID)
}

// TestStoreConcurrentCreates runs under -race in make test: N distinct creates
// give N distinct, dense ids; K creates of one email give exactly one success.
func TestStoreConcurrentCreates(t *testing.T) {
	t.Parallel()
	const n, k = 500, 64
	s := NewStore()
	var wg sync.WaitGroup
	ids := make([]int64, n)
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			u, err := s.Create("Parallel", fmt.Sprintf("p%d@example.com", i))
			if err == nil {
				ids[i] = u.ID
			}
		}(i)
	}
	wins := make(chan int64, k)
	for i := 0; i < k; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if u, err := s.Create("Same", "same@example.com"); err == nil {
				wins <- u.ID
			} else {
				assert.ErrorIs(t, err, ErrDuplicateEmail)
			}
		}()
	}
	wg.Wait()
	close(wins)
	assert.Len(t, wins, 1, "exactly one of %d same-email creates succeeds", k)
	seen := map[int64]bool{}
	for _, id := range ids {
		require.GreaterOrEqual(t, id, int64(3))
		require.False(t, seen[id], "id %d handed out twice", id)
		seen[id] = true
	}
	assert.Equal(t, 2+n+1, s.Len())
	page := s.Page(0, MaxLimit)
	for i, u := range page {
		assert.Equal(t, int64(i+1), u.ID, "ids are dense and in order")
	}
}
