package results

import (
	"encoding/json"
	"fmt"
)

// legacyConformance is the kind of the first format's records: one services
// contender checked against the user API contract, before stages existed.
const legacyConformance = "conformance"

// legacyRecord is the first format's conformance record.
type legacyRecord struct {
	Time      json.RawMessage   `json:"time"`
	Workload  string            `json:"workload"`
	Contender string            `json:"contender"`
	Language  string            `json:"language"`
	Variant   string            `json:"variant"`
	Toolchain string            `json:"toolchain"`
	Version   string            `json:"version"`
	Note      string            `json:"note"`
	Fallback  string            `json:"fallback_for"`
	Settings  map[string]string `json:"settings"`
	Argv      []string          `json:"argv"`
	CPUs      string            `json:"cpus"`
	Status    string            `json:"status"`
	Reason    string            `json:"reason"`
	Conform   *struct {
		Checks []struct {
			Name   string `json:"name"`
			Kind   string `json:"kind"`
			Rule   string `json:"rule"`
			Pass   bool   `json:"pass"`
			Broken string `json:"broken"`
			Detail string `json:"detail"`
		} `json:"checks"`
	} `json:"conform"`
}

// decodeLegacy reads a first-format conformance record as the http stage's
// verification result it now is.
func decodeLegacy(line []byte) (Record, error) {
	var old legacyRecord
	if err := json.Unmarshal(line, &old); err != nil {
		return Record{}, fmt.Errorf("first-format conformance record: %w", err)
	}
	if old.Workload != "services" {
		return Record{}, fmt.Errorf("first-format conformance record of workload %q: only services existed then", old.Workload)
	}
	rec := Record{Kind: KindResult, Stage: "http", Workload: "services", Status: old.Status, Reason: old.Reason,
		Contender: &Contender{Name: old.Contender, Language: old.Language, Kind: old.Variant, Toolchain: old.Toolchain,
			Version: old.Version, Note: old.Note, Fallback: old.Fallback, Settings: old.Settings, Argv: old.Argv, CPUs: old.CPUs},
		Step: StepVerify}
	if len(old.Time) > 0 {
		if err := json.Unmarshal(old.Time, &rec.Time); err != nil {
			return Record{}, fmt.Errorf("first-format conformance record: time: %w", err)
		}
	}
	if old.Conform != nil {
		for _, c := range old.Conform.Checks {
			rec.Checks = append(rec.Checks, Check{Name: c.Name, Kind: c.Kind, Rule: c.Rule, Pass: c.Pass, Broke: c.Broken, Detail: c.Detail})
		}
	}
	return rec, nil
}
