package conform

import (
	"fmt"
	"time"
)

// Line renders one check as one line: PASS or FAIL, the name, and for a failure
// the rule it broke, the request and what was expected against what came back.
func Line(c Check) string {
	if c.Pass {
		return "PASS  " + c.Name
	}
	where := c.Detail
	if c.Request != "" {
		where = c.Request + ": " + c.Detail
	}
	return fmt.Sprintf("FAIL  %s  [%s]  %s", c.Name, c.Broken, where)
}

// Summary renders the closing line of a run.
func Summary(r Report) string {
	verdict := "PASS"
	if !r.OK() {
		verdict = "FAIL"
	}
	cases, props := 0, 0
	for _, c := range r.Checks {
		if c.Kind == KindCase {
			cases++
		} else {
			props++
		}
	}
	return fmt.Sprintf("%s  %s: %d passed, %d failed (%d cases, %d properties) in %s",
		verdict, r.URL, r.Passed, r.Failed, cases, props, r.Duration.Round(10*time.Millisecond))
}
