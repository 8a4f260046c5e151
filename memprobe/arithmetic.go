package memprobe

// The Go allocator's constants (runtime/sizeclasses.go and mbitmap.go; the same
// in Go 1.23 and 1.26 on 64-bit platforms).
const (
	pageSize = 8192
	// maxSmallSize is the largest size class; bigger objects get whole pages.
	maxSmallSize = 32768
	// tinySize is the tiny allocator's block: pointer-free objects smaller than
	// this share 16-byte blocks.
	tinySize = 16
	// mallocHeaderSize is the type header that objects containing pointers carry
	// when they are larger than minSizeForMallocHeader and smaller than a page span.
	mallocHeaderSize       = 8
	minSizeForMallocHeader = 512
	// userSize is unsafe.Sizeof(User{}): int64 + two 16-byte string headers.
	userSize    = 40
	pointerSize = 8
)

// sizeClasses are the Go allocator's small object sizes (runtime/sizeclasses.go).
var sizeClasses = []int64{
	8, 16, 24, 32, 48, 64, 80, 96, 112, 128, 144, 160, 176, 192, 208, 224, 240, 256,
	288, 320, 352, 384, 416, 448, 480, 512, 576, 640, 704, 768, 896, 1024, 1152, 1280,
	1408, 1536, 1792, 2048, 2304, 2688, 3072, 3200, 3456, 4096, 4864, 5376, 6144, 6528,
	6784, 6912, 8192, 9472, 9728, 10240, 10880, 12288, 13568, 14336, 16384, 18432,
	19072, 20480, 21760, 24576, 27264, 28672, 32768,
}

// AllocSize is the heap bytes one allocation of size bytes takes: pointer-free
// objects under 16 bytes a tiny block each (when nothing else shares it), small
// objects their size class (plus the malloc header when they hold pointers and
// exceed 512 bytes), large objects whole 8 KiB pages.
func AllocSize(size int64, hasPointers bool) int64 {
	if size == 0 {
		return 0
	}
	if !hasPointers && size < tinySize {
		return tinySize
	}
	if hasPointers && size > minSizeForMallocHeader {
		size += mallocHeaderSize
	}
	if size > maxSmallSize {
		if hasPointers {
			size -= mallocHeaderSize // large objects keep their type in the span, not a header
		}
		return (size + pageSize - 1) / pageSize * pageSize
	}
	for _, class := range sizeClasses {
		if size <= class {
			return class
		}
	}
	panic("unreachable: size classes end at maxSmallSize")
}

// ExpectedBytes is the arithmetic of the heap that Build(shape, n) leaves live:
// the container, and per user its name and email strings (and, for Pointers,
// the User itself).
func ExpectedBytes(shape Shape, n int) int64 {
	var total int64
	for id := 1; id <= n; id++ {
		name, email := names(id)
		total += AllocSize(int64(len(name)), false) + AllocSize(int64(len(email)), false)
	}
	switch shape {
	case Structs:
		total += AllocSize(int64(n)*userSize, true)
	case Pointers:
		total += AllocSize(int64(n)*pointerSize, true) + int64(n)*AllocSize(userSize, true)
	}
	return total
}
