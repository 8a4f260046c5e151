package stage

import (
	"context"
	"fmt"
	"net"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/tribench/tribench/compare/batch"
	"github.com/tribench/tribench/compare/disturb"
	"github.com/tribench/tribench/compare/hosts"
	"github.com/tribench/tribench/compare/manifest"
	"github.com/tribench/tribench/compare/plan"
	"github.com/tribench/tribench/compare/results"
	"github.com/tribench/tribench/compare/runner"
)

// Defaults of servers started by stages.
const (
	DefaultReadyTimeout = 60 * time.Second
	DefaultStopGrace    = 10 * time.Second
)

// A Run is what a stage gets to do its work: where things are, its plan and
// deadline, the executor, CPU sets, and where records and warnings go.
type Run struct {
	Info Info
	// Root is the repository root, Cache TRIBENCH_CACHE, Bin the build outputs.
	Root, Cache, Bin string
	Profile          string
	Plan             plan.Plan
	// Deadline is when the stage's time budget runs out: start no run after it.
	Deadline time.Time
	Exec     runner.Executor
	// ContenderCPUs is the CPU set a contender gets by default (one CPU: the
	// table reads "per core"); HarnessCPUs are the others (the load generator,
	// the oracle); AllCPUs is every CPU, for "N = all cores" runs.
	ContenderCPUs, HarnessCPUs, AllCPUs []int
	// ClaimReads reports whether one of the article's claims reads the
	// figures of contender in config at this stage; nil: none does.
	ClaimReads func(stage string, contender *results.Contender, config map[string]any) bool
	// Meter measures how disturbed each batch run's CPUs were; nil measures
	// nothing (tests on a fake executor).
	Meter disturb.Meter
	// Hosts are the run's hosts when a hosts file placed its servers and
	// loaders; nil: this machine, over loopback (ServerHost, LoaderHosts).
	Hosts *hosts.Net

	progress Progress
	mu       sync.Mutex
	emit     func(results.Record) error
	emitErr  error
	stop     batch.Stop
}

// Progressf says what runs now (on a terminal's progress bar; nowhere otherwise).
func (r *Run) Progressf(format string, args ...any) {
	r.shown().Say(fmt.Sprintf(format, args...))
}

func (r *Run) shown() Progress {
	if r.progress == nil {
		return quiet{}
	}
	return r.progress
}

// Record starts a result record of contender c at step.
func (r *Run) Record(c *Contender, step string) results.Record {
	return results.Record{Kind: results.KindResult, Stage: r.Info.Name, Workload: r.Info.Workload, Step: step, Contender: c.Info()}
}

// Emit appends a record to the results stream as soon as it is known.
func (r *Run) Emit(rec results.Record) {
	if rec.Stage == "" {
		rec.Stage = r.Info.Name
	}
	if rec.Workload == "" {
		rec.Workload = r.Info.Workload
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if err := r.emit(rec); err != nil && r.emitErr == nil {
		r.emitErr = err
	}
}

// Warn records a non-fatal problem for the report.
func (r *Run) Warn(format string, args ...any) {
	r.Emit(results.Record{Kind: results.KindWarning, Reason: fmt.Sprintf(format, args...)})
}

// Remaining is the time left in the stage's budget.
func (r *Run) Remaining() time.Duration { return time.Until(r.Deadline) }

// Batch makes a batch run of a contender's command, read in the output mode
// the command declares, or else the first mode the stage reads.
func (r *Run) Batch(c *Contender, command string, o RunOptions) (batch.Run, error) {
	spec, cmd, err := c.Spec(command, o)
	if err != nil {
		return batch.Run{}, err
	}
	output := cmd.Output
	if output == "" {
		if outs := r.Info.Commands[command].Outputs; len(outs) > 0 {
			output = outs[0]
		}
	}
	return batch.Run{Spec: spec, Output: output}, nil
}

// ServerHost is the host servers run on: this machine without a hosts file.
func (r *Run) ServerHost() *hosts.Host {
	if r.Hosts == nil {
		return hosts.LocalHost()
	}
	return r.Hosts.Server()
}

// LoaderHosts are the hosts loaders run on, at least one: this machine
// without a hosts file.
func (r *Run) LoaderHosts() []*hosts.Host {
	if r.Hosts == nil {
		return []*hosts.Host{hosts.LocalHost()}
	}
	return r.Hosts.Loaders()
}

// LoaderCPUs is the CPU set of a loader on h: its hosts file's, or else the
// harness's.
func (r *Run) LoaderCPUs(h *hosts.Host) []int {
	if cpus, err := hosts.ParseCPUs(h.Spec.CPUs); err == nil && cpus != nil {
		return cpus
	}
	return r.HarnessCPUs
}

// A Server is a contender's serve command, started and ready.
type Server struct {
	Process runner.Process
	// BaseURL is http://<host>:<port>: 127.0.0.1 on this machine, the
	// server host's address otherwise.
	BaseURL string
	Port    int
	Argv    []string
	Started time.Time
	// Host names the host it runs on ("" on this machine) for its records.
	Host string
	// Dial opens a connection to it from the first loader's host: what its
	// readiness was checked through, and what the oracle and the seed use.
	Dial runner.DialFunc
}

// Stop stops the server's whole process tree and returns what was measured.
func (s *Server) Stop() runner.Result { return s.Process.Stop(DefaultStopGrace) }

// StartServer starts c's serve command on the server host, listening on its
// address ({{host}}: 127.0.0.1 on this machine) and a free port, and waits
// until it is ready by its declared check (GET /health answers 200, or the
// port accepts a connection), made from the first loader's host.
func (r *Run) StartServer(ctx context.Context, c *Contender, o RunOptions) (*Server, error) {
	port, err := runner.FreePort()
	if err != nil {
		return nil, err
	}
	host := r.ServerHost()
	o.Vars = manifest.Vars{"port": strconv.Itoa(port), "host": host.IP}.With(o.Vars)
	if o.TimeLimit == 0 {
		o.TimeLimit = -1 // a server runs until stopped; the stage bounds its work
	}
	spec, cmd, err := c.Spec("serve", o)
	if err != nil {
		return nil, err
	}
	argv := spec.Argv
	if spec, err = host.Place(spec); err != nil {
		return nil, err
	}
	where := ""
	if r.Hosts != nil {
		where = " on " + host.String()
	}
	r.Progressf("%s: starting %s%s on CPU %s", c.Name(), strings.Join(argv, " "), where, cpuString(spec.CPUs))
	started := time.Now()
	p, err := r.Exec.Start(ctx, spec)
	if err != nil {
		return nil, err
	}
	var dial runner.DialFunc
	if r.Hosts != nil {
		dial = r.LoaderHosts()[0].Dial
	}
	addr := net.JoinHostPort(host.IP, strconv.Itoa(port))
	if cmd.Ready == manifest.ReadyTCP {
		err = runner.WaitTCPVia(ctx, p, addr, DefaultReadyTimeout, dial)
	} else {
		err = runner.WaitReadyVia(ctx, p, "http://"+addr+"/health", DefaultReadyTimeout, dial)
	}
	if err != nil {
		p.Stop(DefaultStopGrace)
		return nil, err
	}
	srv := &Server{Process: p, BaseURL: "http://" + addr, Port: port, Argv: argv, Started: started, Dial: dial}
	if r.Hosts != nil {
		srv.Host = host.String()
	}
	return srv, nil
}

// ProcessValues turns what the harness measured of a process from outside
// into values of one sample each (wall, CPU, peak memory).
func ProcessValues(res runner.Result) []results.Value {
	var s batch.Samples
	s.AddOutside(0, false, batch.Outcome{Process: res})
	return s.Values()
}
