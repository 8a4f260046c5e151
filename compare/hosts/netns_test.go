package hosts

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tribench/tribench/compare/disturb"
	"github.com/tribench/tribench/compare/hosts/hoststest"
	"github.com/tribench/tribench/compare/load"
)

// helperEnv makes this test binary a helper process: a server, a loader, or
// a run holding its namespaces until a signal.
const helperEnv = "TRIBENCH_HOSTS_HELPER"

func TestMain(m *testing.M) {
	hoststest.Helper()
	if len(os.Args) > 2 && slices.Equal(os.Args[1:3], ExecCommand) {
		ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
		err := Exec(ctx, os.Args[3:], os.Stdout, os.Stderr)
		stop()
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	switch os.Getenv(helperEnv) {
	case "":
		os.Exit(m.Run())
	case "serve":
		mux := http.NewServeMux()
		mux.HandleFunc("/health", func(w http.ResponseWriter, _ *http.Request) { fmt.Fprint(w, `{"status":"healthy"}`) })
		fmt.Fprintln(os.Stderr, http.ListenAndServe(os.Args[1], mux))
		os.Exit(1)
	case "spin":
		os.Exit(spinServer(os.Args[1]))
	case "snapshot": // `tribench disturb`, as the remote reading runs it on the server's host
		if err := disturb.Main(os.Args[1:], os.Stdout, os.Stderr); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		os.Exit(0)
	case "serve-fast":
		fmt.Fprintln(os.Stderr, serveFast(os.Args[1]))
		os.Exit(1)
	case "load":
		if err := load.Main(context.Background(), os.Args[1:], os.Stdout, os.Stderr); err != nil && !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		os.Exit(0)
	case "hold":
		os.Exit(hold(os.Args[1]))
	}
}

// hold is a run as tribench's main makes one: its context ends on Ctrl-C,
// and Close runs on the way out. It says "up" once its namespaces are.
func hold(file string) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	f, err := Load(file)
	if err == nil {
		var n *Net
		if n, err = Up(ctx, f, NewPrefix()); err == nil {
			fmt.Println("up")
			<-ctx.Done()
			err = n.Close()
		}
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	return 0
}

func needNamespaces(t *testing.T) {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("network namespaces need root")
	}
	if _, err := exec.LookPath("ip"); err != nil {
		t.Skip("network namespaces need iproute2's ip")
	}
}

var example = filepath.Join("examples", "namespaces.json")

// helper starts this binary as a helper on host h.
func helper(t *testing.T, h *Host, mode string, args ...string) *exec.Cmd {
	t.Helper()
	argv := h.Wrap(append([]string{os.Args[0]}, args...))
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Env = append(os.Environ(), helperEnv+"="+mode)
	cmd.Stderr = os.Stderr
	return cmd
}

// assertGone checks that nothing of the run with prefix is left: no
// namespace carries its prefix (other tests' namespaces may be there).
func assertGone(t *testing.T, prefix string) {
	t.Helper()
	left, err := Namespaces(prefix)
	require.NoError(t, err)
	assert.Empty(t, left, "namespaces of the run left behind")
}

// answers reports whether the server at addr answers GET /health from host
// h within 15 s: the readiness check, over the network.
func answers(h *Host, addr string) bool {
	client := http.Client{Timeout: time.Second, Transport: &http.Transport{DialContext: h.Dial}}
	defer client.CloseIdleConnections()
	for end := time.Now().Add(15 * time.Second); time.Now().Before(end); time.Sleep(50 * time.Millisecond) {
		if resp, err := client.Get("http://" + addr + "/health"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return true
			}
		}
	}
	return false
}

// The repository's namespace example end to end: a server in one namespace,
// checked from the loader's, loaded by `tribench load` run in the loader's,
// over the veth pair; the namespaces have no way out, and Close leaves
// nothing behind, the server included.
func TestALoadBetweenTwoNamespaces(t *testing.T) {
	needNamespaces(t)
	t.Parallel()
	f, err := Load(example)
	require.NoError(t, err)
	f.Bandwidth = "1gbit"
	prefix := NewPrefix()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	n, err := Up(ctx, f, prefix)
	require.NoError(t, err)
	closed := false
	defer func() {
		if !closed {
			assert.NoError(t, n.Close())
		}
	}()
	srv, loader := n.Server(), n.Loaders()[0]
	for _, h := range n.Hosts {
		assert.True(t, strings.HasPrefix(h.NS, prefix), h.NS)
		assert.True(t, strings.HasPrefix(h.IP, "198.18."), h.IP)
		routes, err := exec.Command("ip", "-n", h.NS, "route", "show", "default").Output()
		require.NoError(t, err)
		assert.Empty(t, strings.TrimSpace(string(routes)), "no default route in %s", h.NS)
		forward, err := exec.Command("ip", "netns", "exec", h.NS, "cat", "/proc/sys/net/ipv4/ip_forward").Output()
		require.NoError(t, err)
		assert.Equal(t, "0", strings.TrimSpace(string(forward)), "no forwarding in %s", h.NS)
		dev := linkTo(0)
		if h == srv {
			dev = linkTo(1)
		}
		qdisc, err := exec.Command("tc", "-n", h.NS, "qdisc", "show", "dev", dev).Output()
		require.NoError(t, err)
		assert.Contains(t, string(qdisc), "tbf", "the bandwidth cap on %s", h.NS)
	}

	addr := net.JoinHostPort(srv.IP, "8080")
	server := helper(t, srv, "serve", addr)
	require.NoError(t, server.Start())
	exited := make(chan error, 1)
	go func() { exited <- server.Wait() }()

	require.True(t, answers(loader, addr), "the server answers from the loader's namespace")

	out, err := helper(t, loader, "load", "--url", "http://"+addr+"/health", "--connections", "4",
		"--requests", "500", "--duration", "20s", "--json").Output()
	require.NoError(t, err)
	var res load.Result
	require.NoError(t, json.Unmarshal(out, &res))
	assert.Equal(t, int64(500), res.Requests)
	assert.Zero(t, res.ErrorCount(), res.LastError)

	closed = true
	require.NoError(t, n.Close())
	assertGone(t, prefix)
	select {
	case <-exited: // Close killed the server left in its namespace
	case <-time.After(10 * time.Second):
		_ = server.Process.Kill()
		t.Error("the server outlived its namespace")
	}
}

// Three hosts: every two are joined by a link of their own, with no bridge
// (whose forwarding would cost the sending CPU, the server's included).
func TestThreeHostsEachPairLinked(t *testing.T) {
	needNamespaces(t)
	t.Parallel()
	f := File{Server: Spec{Host: "netns:srv"}, Loaders: []Spec{{Host: "netns:la"}, {Host: "netns:lb"}}}
	prefix := NewPrefix()
	n, err := Up(context.Background(), f, prefix)
	require.NoError(t, err)
	defer func() {
		assert.NoError(t, n.Close())
		assertGone(t, prefix)
	}()
	left, err := Namespaces(prefix)
	require.NoError(t, err)
	assert.ElementsMatch(t, []string{prefix + "srv", prefix + "la", prefix + "lb"}, left, "no namespace for a bridge")
	for _, h := range n.Hosts {
		links, err := exec.Command("ip", "-n", h.NS, "-o", "link", "show", "type", "veth").Output()
		require.NoError(t, err)
		assert.Equal(t, 2, strings.Count(string(links), "\n"), "a veth to each other host in %s: %s", h.NS, links)
		bridges, err := exec.Command("ip", "-n", h.NS, "-o", "link", "show", "type", "bridge").Output()
		require.NoError(t, err)
		assert.Empty(t, strings.TrimSpace(string(bridges)), "no bridge in %s", h.NS)
	}
	for i, to := range n.Hosts {
		addr := net.JoinHostPort(to.IP, strconv.Itoa(8080+i))
		server := helper(t, to, "serve", addr)
		require.NoError(t, server.Start())
		defer func() { _ = server.Process.Kill(); _ = server.Wait() }()
		for _, from := range n.Hosts {
			assert.True(t, answers(from, addr), "%s reaches %s over its link", from.NS, to.NS)
		}
	}
}

// Ctrl-C in the middle of a run removes its namespaces; kill -9 leaves them
// for the next start's sweep, which removes them.
func TestInterruptedAndKilledRunsLeaveNothing(t *testing.T) {
	needNamespaces(t)
	t.Parallel()
	for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGKILL} {
		t.Run(sig.String(), func(t *testing.T) {
			cmd := helper(t, &Host{}, "hold", example)
			stdout, err := cmd.StdoutPipe()
			require.NoError(t, err)
			require.NoError(t, cmd.Start())
			// The child names its run by its own PID, as every run does.
			prefix := fmt.Sprintf("tb-%d-1-", cmd.Process.Pid)
			line, err := bufio.NewReader(stdout).ReadString('\n')
			if err != nil {
				_ = cmd.Process.Kill()
				_ = cmd.Wait()
				require.NoError(t, err, "the run came up")
			}
			require.Equal(t, "up\n", line)
			made, err := Namespaces(prefix)
			require.NoError(t, err)
			assert.Len(t, made, 2)

			require.NoError(t, cmd.Process.Signal(sig))
			err = cmd.Wait()
			if sig == syscall.SIGKILL {
				made, err := Namespaces(prefix)
				require.NoError(t, err)
				assert.Len(t, made, 2, "kill -9: nothing ran to remove them")
				swept, err := Sweep()
				require.NoError(t, err)
				assert.Subset(t, swept, made)
			} else {
				require.NoError(t, err, "the run closed cleanly")
			}
			assertGone(t, prefix)
		})
	}
}
