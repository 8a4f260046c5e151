package probecheck

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
)

// A ProbeLine is the probe command's result line.
type ProbeLine struct {
	Runtime        string          `json:"runtime"`
	Count          int             `json:"count"`
	Shape          string          `json:"shape"`
	Method         string          `json:"method"`
	BytesTotal     *float64        `json:"bytes_total"`
	BytesPerObject *float64        `json:"bytes_per_object"`
	Checksum       string          `json:"checksum"`
	Detail         json.RawMessage `json:"detail,omitempty"`
}

// A CPULine is the cpu command's result line.
type CPULine struct {
	Runtime  string  `json:"runtime"`
	Tasks    int     `json:"tasks"`
	N        uint64  `json:"n"`
	Workers  int     `json:"workers"`
	Seconds  Seconds `json:"seconds"`
	Checksum *uint64 `json:"checksum"`
}

// A TasksLine is the tasks command's result line.
type TasksLine struct {
	Runtime      string  `json:"runtime"`
	Count        int     `json:"count"`
	Seconds      float64 `json:"seconds"`
	PeakRSSBytes int64   `json:"peak_rss_bytes"`
	Completed    int64   `json:"completed"`
}

// Seconds is a timed command's "seconds": one number, or one per repetition
// under --repeat.
type Seconds []float64

// UnmarshalJSON accepts a number or a list of numbers.
func (s *Seconds) UnmarshalJSON(data []byte) error {
	if bytes.HasPrefix(bytes.TrimSpace(data), []byte("[")) {
		return json.Unmarshal(data, (*[]float64)(s))
	}
	var one float64
	if err := json.Unmarshal(data, &one); err != nil {
		return err
	}
	*s = Seconds{one}
	return nil
}

// ParseProbe decodes a probe line and checks that the fields its method
// promises are there.
func ParseProbe(line []byte) (ProbeLine, error) {
	var p ProbeLine
	if err := decode(line, &p); err != nil {
		return p, err
	}
	var missing []error
	if p.Runtime == "" {
		missing = append(missing, errors.New(`no "runtime"`))
	}
	if len(p.Checksum) != 64 {
		missing = append(missing, fmt.Errorf("checksum %q is not a hex SHA-256", p.Checksum))
	}
	switch p.Method {
	case "inside":
		if p.BytesTotal == nil || p.BytesPerObject == nil {
			missing = append(missing, errors.New(`an inside line needs "bytes_total" and "bytes_per_object"`))
		}
	case "outside":
	default:
		missing = append(missing, fmt.Errorf("method %q is neither inside nor outside", p.Method))
	}
	return p, errors.Join(missing...)
}

// ParseCPU decodes a cpu line and checks it has a runtime, seconds and a checksum.
func ParseCPU(line []byte) (CPULine, error) {
	var c CPULine
	if err := decode(line, &c); err != nil {
		return c, err
	}
	var missing []error
	if c.Runtime == "" {
		missing = append(missing, errors.New(`no "runtime"`))
	}
	if len(c.Seconds) == 0 {
		missing = append(missing, errors.New(`no "seconds"`))
	}
	if c.Checksum == nil {
		missing = append(missing, errors.New(`no "checksum"`))
	}
	return c, errors.Join(missing...)
}

// ParseTasks decodes a tasks line and checks it has a runtime.
func ParseTasks(line []byte) (TasksLine, error) {
	var t TasksLine
	if err := decode(line, &t); err != nil {
		return t, err
	}
	if t.Runtime == "" {
		return t, errors.New(`no "runtime"`)
	}
	return t, nil
}

func decode(line []byte, v any) error {
	if err := json.Unmarshal(line, v); err != nil {
		return fmt.Errorf("result line %.120q: %w", line, err)
	}
	return nil
}
