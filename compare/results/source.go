package results

// The values of a verify record that size the contender's own source files
// (its manifest's "sources"), measured "outside" by the stage driver.
const (
	// SourceFiles is how many files its sources list.
	SourceFiles = "source_files"
	// SourceLines is their lines.
	SourceLines = "source_lines"
	// SourceGzipBytes is the sum of each file's size gzipped at the default
	// level, as the Benchmarks Game sizes source code.
	SourceGzipBytes = "source_gzip_bytes"
)
