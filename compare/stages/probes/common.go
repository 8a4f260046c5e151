package probes

import (
	"strconv"
	"strings"

	"github.com/tribench/tribench/compare/probecheck"
	"github.com/tribench/tribench/compare/results"
	"github.com/tribench/tribench/compare/stage"
)

// check turns an oracle verdict into a results check named after what it is about.
func check(about, kind string, c probecheck.Check) results.Check {
	name := c.Name
	if about != "" {
		name = about + ": " + c.Name
	}
	return results.Check{Name: name, Kind: kind, Rule: c.Name, Pass: c.Pass, Detail: c.Detail}
}

// failed is the check of a run that produced no usable line.
func failed(name, rule, reason string) results.Check {
	return results.Check{Name: name, Rule: rule, Detail: reason}
}

// setting reads a contender's setting as a comma-separated list.
func setting(c *stage.Contender, key string) []string {
	var out []string
	for _, s := range strings.Split(c.Settings[key], ",") {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// maxCount is the largest count a contender takes ("max_count" setting: OS
// threads stop near this machine's thread limit), or 0 for no limit.
func maxCount(c *stage.Contender) int64 {
	n, _ := strconv.ParseInt(c.Settings["max_count"], 10, 64)
	return n
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
