package hosts

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseAddress(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		host string
		want Address
		bad  string
	}{
		{host: "local", want: Address{Kind: Local}},
		{host: "netns:server", want: Address{Kind: NetNS, Name: "server"}},
		{host: "ssh:bench@10.0.0.11", want: Address{Kind: SSH, User: "bench", Host: "10.0.0.11", Port: 22}},
		{host: "ssh:bench@vm.example.org:2222", want: Address{Kind: SSH, User: "bench", Host: "vm.example.org", Port: 2222}},
		{host: "local:x", bad: "local takes nothing"},
		{host: "netns:", bad: "a namespace name"},
		{host: "netns:Server", bad: "a namespace name"},
		{host: "netns:averylongname", bad: "a namespace name"},
		{host: "ssh:10.0.0.11", bad: "ssh:user@host"},
		{host: "ssh:bench@h:70000", bad: "port 70000"},
		{host: "docker:x", bad: "give local, netns:NAME or ssh:"},
	} {
		a, err := ParseAddress(tc.host)
		if tc.bad != "" {
			assert.ErrorContains(t, err, tc.bad, tc.host)
			continue
		}
		require.NoError(t, err, tc.host)
		assert.Equal(t, tc.want, a, tc.host)
	}
}

func TestCheckRefusesWhatCannotRun(t *testing.T) {
	t.Parallel()
	ns := func(name string) Spec { return Spec{Host: "netns:" + name} }
	for _, tc := range []struct {
		name string
		file File
		want string
	}{
		{name: "no server", file: File{Loaders: []Spec{ns("a")}}, want: "no server"},
		{name: "no loader", file: File{Server: ns("a")}, want: "no loader"},
		{name: "delay", file: File{Server: ns("a"), Loaders: []Spec{ns("b")}, Delay: "1ms"}, want: "no netem"},
		{name: "one namespace twice", file: File{Server: ns("a"), Loaders: []Spec{ns("a")}}, want: "named twice"},
		{name: "namespaces and local", file: File{Server: ns("a"), Loaders: []Spec{{Host: "local"}}}, want: "joined only to each other"},
		{name: "bad cpus", file: File{Server: Spec{Host: "local", CPUs: "one"}, Loaders: []Spec{{Host: "local"}}}, want: "not a CPU list"},
		{name: "bandwidth without namespaces", file: File{Server: Spec{Host: "local"}, Loaders: []Spec{{Host: "local"}}, Bandwidth: "1gbit"}, want: "only namespace links"},
		{name: "bad bandwidth", file: File{Server: ns("a"), Loaders: []Spec{ns("b")}, Bandwidth: "fast"}, want: "a tc rate"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			assert.ErrorContains(t, tc.file.Check(), tc.want)
		})
	}
}

// The repository's example hosts files are valid.
func TestExampleFiles(t *testing.T) {
	t.Parallel()
	files, err := filepath.Glob(filepath.Join("examples", "*.json"))
	require.NoError(t, err)
	require.NotEmpty(t, files)
	for _, f := range files {
		_, err := Load(f)
		assert.NoError(t, err, f)
	}
	bad := filepath.Join(t.TempDir(), "bad.json")
	require.NoError(t, os.WriteFile(bad, []byte(`{"server": {"host": "local"}, "loaders": [{"host": "local"}], "servers": []}`), 0o644))
	_, err = Load(bad)
	assert.ErrorContains(t, err, `unknown field "servers"`)
}

func TestParseCPUs(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		list string
		want []int
		bad  string
	}{
		{list: "", want: nil},
		{list: "1", want: []int{1}},
		{list: "0-2,5", want: []int{0, 1, 2, 5}},
		{list: "3-1", bad: "runs backwards"},
		{list: "one", bad: "not a CPU list"},
	} {
		got, err := ParseCPUs(tc.list)
		if tc.bad != "" {
			assert.ErrorContains(t, err, tc.bad, tc.list)
			continue
		}
		require.NoError(t, err, tc.list)
		assert.Equal(t, tc.want, got, tc.list)
	}
}
