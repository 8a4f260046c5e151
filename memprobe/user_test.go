package memprobe

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestNames(t *testing.T) {
	t.Parallel()
	tests := []struct {
		id          int
		name, email string
	}{
		{1, "user-000001", "user-000001@example.com"},
		{42, "user-000042", "user-000042@example.com"},
		{99999, "user-099999", "user-099999@example.com"},
		{999999, "user-999999", "user-999999@example.com"},
		// past six digits the number simply grows, as %06d does
		{1000000, "user-1000000", "user-1000000@example.com"},
	}
	for _, tt := range tests {
		name, email := names(tt.id)
		assert.Equal(t, tt.name, name, "id %d", tt.id)
		assert.Equal(t, tt.email, email, "id %d", tt.id)
	}
}

func TestParseShape(t *testing.T) {
	t.Parallel()
	for _, s := range Shapes {
		got, err := ParseShape(string(s))
		require.NoError(t, err)
		assert.Equal(t, s, got)
	}
	for _, bad := range []string{"", "Structs", "dict", "slice"} {
		_, err := ParseShape(bad)
		assert.ErrorContains(t, err, "unknown shape", "shape %q", bad)
	}
}

func TestBuildKeepsIDOrder(t *testing.T) {
	t.Parallel()
	for _, s := range Shapes {
		pop, err := Build(s, 5)
		require.NoError(t, err)
		require.Equal(t, 5, pop.Len(), "shape %s", s)
		for i := range 5 {
			u := pop.At(i)
			name, email := names(i + 1)
			assert.Equal(t, User{ID: int64(i + 1), Name: name, Email: email}, *u, "shape %s", s)
		}
	}
	_, err := Build("heap", 1)
	assert.Error(t, err)
	_, err = Build(Structs, -1)
	assert.ErrorContains(t, err, "--count must be in 0..")
}

func TestChecksum(t *testing.T) {
	t.Parallel()
	tests := []struct {
		n    int
		want string
	}{
		// sha256sum of the empty input
		{0, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
		// printf '1\tuser-000001\tuser-000001@example.com\n2\t...\n3\t...\n' | sha256sum
		{3, "750aff4bd156e1d566bb23dc3e4d0d9a5909e2b58cbc33b0b75a6f02641e1a92"},
	}
	for _, tt := range tests {
		for _, s := range Shapes {
			pop, err := Build(s, tt.n)
			require.NoError(t, err)
			assert.Equal(t, tt.want, Checksum(pop), "N=%d shape %s", tt.n, s)
		}
	}
}
