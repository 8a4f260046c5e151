package toolchain

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestFirstLine(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{"go: downloading go1.23.12 (linux/amd64)\ngo version go1.23.12 linux/amd64\n", "go version go1.23.12 linux/amd64"},
		{"\x1b[1mApache Maven 3.8.7\x1b[m\nMaven home", "Apache Maven 3.8.7"},
		{"\n\n", ""},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, firstLine(tt.in))
	}
}

func TestMemory(t *testing.T) {
	t.Parallel()
	assert.Equal(t, "7.8 GiB", Env{Memory: 8_173_420 << 10}.MemoryString())
	assert.Equal(t, "unknown", Env{}.MemoryString())
	if _, err := os.Stat("/proc/meminfo"); err == nil {
		assert.Positive(t, memTotal(), "MemTotal read from /proc/meminfo")
	}
}

func TestKotlinVersionsFromReactorProfiles(t *testing.T) {
	t.Parallel()
	pomPath := filepath.Join(t.TempDir(), "pom.xml")
	require.NoError(t, os.WriteFile(pomPath, []byte(`<project><profiles>
  <profile><id>kotlin-2.0</id><properties><kotlin.version>2.0.20</kotlin.version><ktor.version>3.0.3</ktor.version></properties></profile>
  <profile><id>broken</id><properties><ktor.version>3.3.0</ktor.version></properties></profile>
</profiles></project>`), 0o644))
	e := Env{Libraries: map[string]string{}}
	e.addKotlin(pomPath)
	require.Len(t, e.Runtimes, 2)
	assert.Equal(t, "Kotlin 2.0.20", e.Runtimes[0].Version)
	assert.Equal(t, "3.0.3", e.Libraries["kotlin/kotlin-2.0/ktor.version"])
	assert.Contains(t, e.Runtimes[1].Missing, "sets no kotlin.version")
}

func TestProbeListsMissingRuntimesWithAReason(t *testing.T) {
	t.Setenv("TRIBENCH_CACHE", t.TempDir())
	e := Probe(context.Background(), t.TempDir())
	assert.Positive(t, e.CPUs)
	var names []string
	for _, r := range e.Runtimes {
		names = append(names, r.Name)
		if r.Name == "CPython (py313)" {
			assert.Contains(t, r.Missing, "run make setup")
		}
		assert.True(t, r.Version != "" || r.Missing != "", "%s has a version or a reason", r.Name)
	}
	assert.Contains(t, names, "Go (current)")
	assert.Contains(t, names, "Kotlin")
}
