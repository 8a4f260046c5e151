package results

import (
	"encoding/json"
	"fmt"
)

// AttachRejected names a verify record's attachment that lists every input
// the contender rejected, with its reason (application/json, a list of
// Rejection).
const AttachRejected = "rejected-inputs"

// A Rejection is one input a contender refused and what it said.
type Rejection struct {
	// Set is the input set the file belongs to ("bad inputs", "your
	// folder"), empty where the stage has one.
	Set string `json:"set,omitempty"`
	// Input is the file's name within its set, or its path.
	Input string `json:"input"`
	// Reason is the contender's own message, as one line.
	Reason string `json:"reason"`
}

// RejectedAttach makes the AttachRejected attachment of rs.
func RejectedAttach(rs []Rejection) Attach {
	data, _ := json.Marshal(rs) // structs of strings always marshal
	return Attach{Name: AttachRejected, Media: "application/json", Data: data}
}

// Rejections returns the inputs the record says its contender rejected
// (none when it has no AttachRejected attachment).
func (r Record) Rejections() ([]Rejection, error) {
	var out []Rejection
	for _, a := range r.Attach {
		if a.Name != AttachRejected {
			continue
		}
		var rs []Rejection
		if err := json.Unmarshal(a.Data, &rs); err != nil {
			return nil, fmt.Errorf("%s attachment of %s: %w", AttachRejected, r.ContenderName(), err)
		}
		out = append(out, rs...)
	}
	return out, nil
}
