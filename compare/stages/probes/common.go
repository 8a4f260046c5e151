package probes

import (
	"context"
	"strconv"
	"strings"

	"github.com/tribench/tribench/compare/batch"
	"github.com/tribench/tribench/compare/probecheck"
	"github.com/tribench/tribench/compare/results"
	"github.com/tribench/tribench/compare/stage"
)

// The three stages of memprobe's manifest.
func init() {
	stage.Register(func() stage.Stage { return Mem{} })
	stage.Register(func() stage.Stage { return CPU{} })
	stage.Register(func() stage.Stage { return Tasks{} })
}

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

// verifyOnce runs one verify run and hands its result line to judge; a run
// that cannot start or exits without a usable line is the record's status.
func verifyOnce(ctx context.Context, r *stage.Run, c *stage.Contender, run batch.Run, err error,
	judge func(line []byte) results.Check) results.Record {
	rec := r.Record(c, results.StepVerify)
	if err != nil {
		rec.Status, rec.Reason = results.StatusFailed, err.Error()
		return rec
	}
	o := batch.Execute(ctx, r.Exec, run)
	if !o.OK() {
		rec.Status, rec.Reason = o.Status, o.Reason
		return rec
	}
	rec.Checks = append(rec.Checks, judge(o.Final))
	return rec
}
