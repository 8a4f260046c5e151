package goparse

import (
	"encoding/json"
	"fmt"
	"reflect"
	"runtime/debug"
	"sort"
	"strings"

	"github.com/bytedance/sonic"
	gojson "github.com/goccy/go-json"

	"github.com/tribench/tribench/jsonbench"
	"github.com/tribench/tribench/jsonbench/schemadecode"
)

// A Library is one Go JSON parser, decoding a whole document held in memory.
type Library struct {
	// Name is the --library flag's value.
	Name string
	// Module is the Go module the parser comes from (empty for the standard
	// library and for a parser of this repository).
	Module string
	// Description labels a parser of this repository, which has no module
	// version of its own.
	Description string
	// Generic decodes into any.
	Generic func(data []byte) (any, error)
	// Typed decodes into the schema's records.
	Typed func(data []byte) ([]jsonbench.Record, error)
	// Prepare runs once before the timed region (sonic compiles its typed
	// decoder ahead of time, as its documentation advises).
	Prepare func() error
}

// Libraries are the parsers by name.
var Libraries = map[string]Library{
	"goccy": {
		Name: "goccy", Module: "github.com/goccy/go-json",
		Generic: func(data []byte) (v any, err error) { err = gojson.Unmarshal(data, &v); return v, err },
		Typed: func(data []byte) (r []jsonbench.Record, err error) {
			err = gojson.Unmarshal(data, &r)
			return r, err
		},
	},
	"stdlib": {
		Name:    "stdlib",
		Generic: func(data []byte) (v any, err error) { err = json.Unmarshal(data, &v); return v, err },
		Typed: func(data []byte) (r []jsonbench.Record, err error) {
			err = json.Unmarshal(data, &r)
			return r, err
		},
	},
	"sonic": {
		Name: "sonic", Module: "github.com/bytedance/sonic",
		Generic: func(data []byte) (v any, err error) { err = sonic.Unmarshal(data, &v); return v, err },
		Typed: func(data []byte) (r []jsonbench.Record, err error) {
			err = sonic.Unmarshal(data, &r)
			return r, err
		},
		Prepare: func() error { return sonic.Pretouch(reflect.TypeOf([]jsonbench.Record{})) },
	},
	"schema": {
		Name:        "schema",
		Description: "tribench jsonbench/schemadecode (hand-written, schema-specific)",
		Generic:     schemadecode.Generic,
		Typed:       schemadecode.Typed,
	},
}

// Reference is the library whose conformance verdicts must meet every y_ and
// n_ expectation and whose digest is the oracle for a user's own document.
const Reference = "stdlib"

// Lookup returns the named library.
func Lookup(name string) (Library, error) {
	lib, ok := Libraries[name]
	if !ok {
		names := make([]string, 0, len(Libraries))
		for n := range Libraries {
			names = append(names, n)
		}
		sort.Strings(names)
		return Library{}, fmt.Errorf("unknown library %q (one of %s)", name, strings.Join(names, ", "))
	}
	return lib, nil
}

// Label is the library with its version, e.g. "github.com/goccy/go-json v0.12.0",
// "encoding/json" (the toolchain's) or the Description of a parser of this
// repository.
func (l Library) Label() string {
	if l.Description != "" {
		return l.Description
	}
	if l.Module == "" {
		return "encoding/json"
	}
	if info, ok := debug.ReadBuildInfo(); ok {
		for _, d := range info.Deps {
			if d.Path == l.Module {
				return d.Path + " " + d.Version
			}
		}
	}
	return l.Module
}
