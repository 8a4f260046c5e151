package memprobe

import (
	"testing"
	"unsafe"

	"github.com/stretchr/testify/assert"
)

func TestUserLayout(t *testing.T) {
	t.Parallel()
	assert.Equal(t, uintptr(userSize), unsafe.Sizeof(User{}))
	assert.Equal(t, uintptr(pointerSize), unsafe.Sizeof(&User{}))
}

func TestAllocSize(t *testing.T) {
	t.Parallel()
	tests := []struct {
		size        int64
		hasPointers bool
		want        int64
	}{
		{0, false, 0},
		{11, false, 16},    // a name: one tiny block
		{11, true, 16},     // with pointers: the 16-byte class, not the tiny allocator
		{23, false, 24},    // an email: the 24-byte class
		{40, true, 48},     // a User behind a pointer
		{120, true, 128},   // []User of 3
		{512, true, 512},   // the largest size without a malloc header
		{520, true, 576},   // 520 + 8 header = 528, class 576
		{8000, true, 8192}, // []*User of 1000: 8000 + 8
		{8000, false, 8192},
		{32760, true, 32768},         // 32760 + 8 still fits the last class
		{32761, true, 32768},         // large (32761 + 8 passes the last class): 4 pages, no header
		{32769, false, 40960},        // large: whole pages
		{40000, true, 40960},         // []User of 1000
		{8_000_000, true, 8_003_584}, // []*User of 1,000,000 rounds to 977 pages
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, AllocSize(tt.size, tt.hasPointers), "size %d pointers %v", tt.size, tt.hasPointers)
	}
}

func TestExpectedBytes(t *testing.T) {
	t.Parallel()
	tests := []struct {
		shape Shape
		n     int
		want  int64
	}{
		{Structs, 0, 0},
		{Structs, 3, 3*(16+24) + 128},
		{Structs, 1000, 1000*(16+24) + 40960},
		{Pointers, 3, 3*(16+24+48) + 24},
		{Pointers, 1000, 1000*(16+24+48) + 8192},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, ExpectedBytes(tt.shape, tt.n), "%s N=%d", tt.shape, tt.n)
	}
}
