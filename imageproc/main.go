package imageproc

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
)

// Main is a resize binary's whole command line: it parses args, runs the
// pool with r and prints the result line, returning the exit code (0, 1 when
// it could not run, 2 on a bad command line) after one line on stderr.
func Main(args []string, stdout, stderr io.Writer, r Resizer) int {
	err := mainErr(args, stdout, r)
	if err == nil {
		return 0
	}
	fmt.Fprintln(stderr, "resize:", err)
	if errors.Is(err, ErrUsage) {
		return 2
	}
	return 1
}

func mainErr(args []string, stdout io.Writer, r Resizer) error {
	o, err := ParseArgs(args)
	if err != nil {
		return err
	}
	res, err := Run(o, r)
	if err != nil {
		return err
	}
	line, err := json.Marshal(res)
	if err != nil {
		return fmt.Errorf("result: %w", err)
	}
	_, err = fmt.Fprintf(stdout, "%s\n", line)
	return err
}
