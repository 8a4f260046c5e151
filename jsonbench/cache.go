package jsonbench

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// DefaultSeed is the seed of the profiles' documents.
const DefaultSeed = 1

// ProfileSizes are the document sizes of the harness's profiles, in bytes.
var ProfileSizes = map[string]int64{
	"smoke": 1_000_000,
	"quick": 100_000_000,
	"full":  1_000_000_000,
}

// SpecFor is the document of a profile (smoke, quick or full).
func SpecFor(profile string) (DocSpec, error) {
	size, ok := ProfileSizes[profile]
	if !ok {
		return DocSpec{}, fmt.Errorf("no JSON document for profile %q (smoke, quick, full)", profile)
	}
	return DocSpec{Seed: DefaultSeed, Size: size}, nil
}

// Key names the document in the cache: generator version, seed and size.
func (s DocSpec) Key() string {
	return fmt.Sprintf("v%d-seed%d-%d", GeneratorVersion, s.Seed, s.Size)
}

// Names of the files in a document's cache folder.
const (
	DocumentName = "document.json"
	SidecarName  = "digest.json"
)

// Dir is the document's folder under a tribench cache root ($TRIBENCH_CACHE).
func (s DocSpec) Dir(cache string) string {
	return filepath.Join(cache, "data", "jsonbench", s.Key())
}

// EnsureDocument returns the document of spec under the cache root
// ($TRIBENCH_CACHE/data/jsonbench/<key>/document.json) and its digest,
// generating it first if the cache lacks it. The document and then its sidecar
// are written to temporary files and renamed into place, so a sidecar is only
// ever beside a complete document, and concurrent callers at worst both
// generate it.
func EnsureDocument(cache string, spec DocSpec) (path string, digest Digest, err error) {
	dir := spec.Dir(cache)
	path = filepath.Join(dir, DocumentName)
	if side, err := ReadSidecar(path); err == nil && side.Bytes == spec.Size {
		if st, err := os.Stat(path); err == nil && st.Size() == spec.Size {
			return path, side.Digest, nil
		}
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", Digest{}, fmt.Errorf("json document: %w", err)
	}
	side, err := writeDocument(dir, spec)
	if err != nil {
		return "", Digest{}, err
	}
	return path, side.Digest, nil
}

func writeDocument(dir string, spec DocSpec) (Sidecar, error) {
	doc, err := os.CreateTemp(dir, DocumentName+".tmp-*")
	if err != nil {
		return Sidecar{}, fmt.Errorf("json document: %w", err)
	}
	defer os.Remove(doc.Name()) // a no-op once renamed
	side, err := Generate(doc, spec)
	if err == nil {
		err = doc.Sync()
	}
	if cerr := doc.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return Sidecar{}, fmt.Errorf("json document %s: %w", spec.Key(), err)
	}
	data, err := json.MarshalIndent(side, "", "  ")
	if err != nil {
		return Sidecar{}, fmt.Errorf("json document sidecar: %w", err)
	}
	sideTmp := filepath.Join(dir, fmt.Sprintf("%s.tmp-%d", SidecarName, os.Getpid()))
	if err := os.WriteFile(sideTmp, append(data, '\n'), 0o644); err != nil {
		return Sidecar{}, fmt.Errorf("json document sidecar: %w", err)
	}
	defer os.Remove(sideTmp)
	if err := os.Rename(doc.Name(), filepath.Join(dir, DocumentName)); err != nil {
		return Sidecar{}, fmt.Errorf("json document: %w", err)
	}
	if err := os.Rename(sideTmp, filepath.Join(dir, SidecarName)); err != nil {
		return Sidecar{}, fmt.Errorf("json document sidecar: %w", err)
	}
	return side, nil
}

// ReadSidecar reads the sidecar beside a generated document.
func ReadSidecar(documentPath string) (Sidecar, error) {
	data, err := os.ReadFile(filepath.Join(filepath.Dir(documentPath), SidecarName))
	if err != nil {
		return Sidecar{}, fmt.Errorf("json document sidecar: %w", err)
	}
	var side Sidecar
	if err := json.Unmarshal(data, &side); err != nil {
		return Sidecar{}, fmt.Errorf("json document sidecar: %w", err)
	}
	if side.SHA256 == "" {
		return Sidecar{}, errors.New("json document sidecar: no digest")
	}
	return side, nil
}
