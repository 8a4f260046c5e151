package memprobe

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"strconv"
)

// PeakRSS is this process's peak resident set (VmHWM in /proc/self/status),
// in bytes.
func PeakRSS() (int64, error) {
	status, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0, fmt.Errorf("read peak RSS: %w", err)
	}
	return statusKiB(status, "VmHWM")
}

// statusKiB returns the field's value in bytes from a /proc/<pid>/status text,
// where it is written as "Name:   1234 kB".
func statusKiB(status []byte, field string) (int64, error) {
	sc := bufio.NewScanner(bytes.NewReader(status))
	prefix := []byte(field + ":")
	for sc.Scan() {
		line := sc.Bytes()
		if !bytes.HasPrefix(line, prefix) {
			continue
		}
		fields := bytes.Fields(line[len(prefix):])
		if len(fields) != 2 || string(fields[1]) != "kB" {
			return 0, fmt.Errorf("malformed %s line %q", field, line)
		}
		kib, err := strconv.ParseInt(string(fields[0]), 10, 64)
		if err != nil {
			return 0, fmt.Errorf("parse %s: %w", field, err)
		}
		return kib * 1024, nil
	}
	return 0, fmt.Errorf("no %s line in /proc status", field)
}
