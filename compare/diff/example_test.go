package diff_test

import (
	"fmt"

	"github.com/tribench/tribench/compare/diff"
	"github.com/tribench/tribench/compare/results"
)

func Example() {
	measure := func(samples ...float64) []results.Record {
		return []results.Record{{Kind: results.KindResult, Stage: "json", Step: results.StepMeasure,
			Contender: &results.Contender{Name: "go-current"}, Config: map[string]any{"mode": "typed"},
			Values: []results.Value{{Name: "bytes_per_s", Unit: "B/s", Samples: samples}}}}
	}
	before := measure(100e6, 101e6, 99e6, 100e6, 102e6, 100e6)
	after := measure(150e6, 151e6, 149e6, 150e6, 152e6, 150e6)
	for _, row := range diff.Compare(before, after, diff.Options{}).Rows {
		fmt.Println(row.Contender, row.Value, row.Delta())
	}
	// Output: go-current bytes_per_s +50.00%
}
