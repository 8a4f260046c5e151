// Package all registers every stage: importing it gives a program (the CLI, a
// test that reads the real manifests) the whole set, so a manifest's commands
// are validated against every stage that uses them.
package all

import (
	_ "github.com/tribench/tribench/compare/stages/build"     // build
	_ "github.com/tribench/tribench/compare/stages/imageproc" // resize
	_ "github.com/tribench/tribench/compare/stages/jsonbench" // json
	_ "github.com/tribench/tribench/compare/stages/probes"    // mem, cpu, tasks
	_ "github.com/tribench/tribench/compare/stages/userapi"   // http
)
