package jsonbench_test

import (
	"encoding/json"
	"flag"
	"os"
	"sort"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tribench/tribench/jsonbench"
	"github.com/tribench/tribench/jsonbench/goparse"
)

var update = flag.Bool("update", false, "rewrite testdata/digest-vectors.json's expected values from the reference parser")

const vectorsPath = "testdata/digest-vectors.json"

// expected is one document's canonical stream, digest and counts.
type expected struct {
	Stream string           `json:"stream"`
	Digest string           `json:"digest"`
	Counts jsonbench.Counts `json:"counts"`
}

type sameGroup struct {
	Name      string   `json:"name"`
	Documents []string `json:"documents"`
	expected
}

type differentGroup struct {
	Name      string     `json:"name"`
	Documents []string   `json:"documents"`
	Expect    []expected `json:"expect"`
}

type vectors struct {
	Comment   string           `json:"comment"`
	Same      []sameGroup      `json:"same"`
	Different []differentGroup `json:"different"`
}

// digestWith parses doc with a library's generic decode and digests it, keeping the stream.
func digestWith(t *testing.T, lib goparse.Library, doc string) expected {
	t.Helper()
	v, err := lib.Generic([]byte(doc))
	require.NoError(t, err, "%s parses %s", lib.Name, doc)
	c := jsonbench.NewCanon().Recording()
	require.NoError(t, c.Value(v))
	d := c.Sum()
	return expected{Stream: string(c.Stream()), Digest: d.SHA256, Counts: d.Counts}
}

func libraries() []goparse.Library {
	var libs []goparse.Library
	for _, lib := range goparse.Libraries {
		libs = append(libs, lib)
	}
	sort.Slice(libs, func(i, j int) bool { return libs[i].Name < libs[j].Name })
	return libs
}

// TestDigestVectors holds every Go library's generic parse to the shared golden
// vectors, which pytest and JUnit read too.
func TestDigestVectors(t *testing.T) {
	data, err := os.ReadFile(vectorsPath)
	require.NoError(t, err)
	var v vectors
	require.NoError(t, json.Unmarshal(data, &v))
	require.NotEmpty(t, v.Same)
	require.NotEmpty(t, v.Different)
	ref := goparse.Libraries[goparse.Reference]
	if *update {
		for i, g := range v.Same {
			v.Same[i].expected = digestWith(t, ref, g.Documents[0])
		}
		for i, g := range v.Different {
			v.Different[i].Expect = nil
			for _, doc := range g.Documents {
				v.Different[i].Expect = append(v.Different[i].Expect, digestWith(t, ref, doc))
			}
		}
		out, err := json.MarshalIndent(v, "", "  ")
		require.NoError(t, err)
		require.NoError(t, os.WriteFile(vectorsPath, append(out, '\n'), 0o644))
	}
	for _, lib := range libraries() {
		for _, g := range v.Same {
			for _, doc := range g.Documents {
				assert.Equal(t, g.expected, digestWith(t, lib, doc), "%s: %s: %s", lib.Name, g.Name, doc)
			}
		}
		for _, g := range v.Different {
			require.Len(t, g.Expect, len(g.Documents), g.Name)
			seen := map[string]bool{}
			for i, doc := range g.Documents {
				got := digestWith(t, lib, doc)
				assert.Equal(t, g.Expect[i], got, "%s: %s: %s", lib.Name, g.Name, doc)
				assert.False(t, seen[got.Digest], "%s: %s: %s has the digest of another document", lib.Name, g.Name, doc)
				seen[got.Digest] = true
			}
		}
	}
}
