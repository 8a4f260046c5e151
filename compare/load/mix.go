package load

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// The user API mixes of the article's rows (services/CONTRACT.md).
const (
	// MixList is GET /users?limit=L answering about 1 KB: the article's row.
	MixList = "list"
	// MixMixed is 90% list reads and 10% creates with unique emails.
	MixMixed = "mixed"
	// MixGet is GET /users/{id} at random existing ids.
	MixGet = "get"
)

// Mixes lists the user API mixes in the order a run loads them.
var Mixes = []string{MixList, MixMixed, MixGet}

// SeedUsers and ListLimit make the list mix's body about 1 KB: the store's two
// users and 13 seeded ones, each about 67 bytes of JSON.
const (
	SeedUsers = 13
	ListLimit = 15
)

// A User is the contract's user.
type User struct {
	ID    int64  `json:"id"`
	Name  string `json:"name"`
	Email string `json:"email"`
}

// A Seed is what the harness created on a fresh service and what the list
// answers then: the expected list body is this service's own bytes, checked
// against the contract once, then compared byte for byte under load.
type Seed struct {
	ListPath string `json:"list_path"`
	ListBody string `json:"list_body"`
	Users    []User `json:"users"`
}

// SeedService creates SeedUsers users through POST /users on a fresh service
// and checks that GET /users?limit=ListLimit answers exactly the store's two
// users and the seeded ones, in id order. A service whose store cannot be
// seeded consistently (several processes, several stores) fails here.
func SeedService(ctx context.Context, base string) (Seed, error) {
	return SeedServiceVia(ctx, base, nil)
}

// SeedServiceVia is SeedService with every connection opened by dial (a
// direct one when nil): the seed sent from a loader's host.
func SeedServiceVia(ctx context.Context, base string, dial func(ctx context.Context, network, addr string) (net.Conn, error)) (Seed, error) {
	client := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{DialContext: dial}}
	defer client.CloseIdleConnections()
	want := []User{{1, "Alice", "alice@example.com"}, {2, "Bob", "bob@example.com"}}
	for i := 1; i <= SeedUsers; i++ {
		u := User{Name: fmt.Sprintf("Load Test User %03d", i), Email: fmt.Sprintf("load-%03d@example.com", i)}
		body, _ := json.Marshal(map[string]string{"name": u.Name, "email": u.Email})
		status, got, err := call(ctx, client, http.MethodPost, base+"/users", body)
		if err != nil {
			return Seed{}, fmt.Errorf("seed user %d: %w", i, err)
		}
		if status != http.StatusCreated {
			return Seed{}, fmt.Errorf("seed user %d: status %d, want 201: %.120s", i, status, got)
		}
		var created User
		if err := json.Unmarshal(got, &created); err != nil {
			return Seed{}, fmt.Errorf("seed user %d: answer %.120q: %w", i, got, err)
		}
		u.ID = int64(len(want) + 1)
		if created != u {
			return Seed{}, fmt.Errorf("seed user %d: created %+v, want %+v (ids must continue from 3)", i, created, u)
		}
		want = append(want, u)
	}
	path := "/users?limit=" + strconv.Itoa(ListLimit)
	// The list is read several times, on fresh connections: one store answers
	// the same list every time; several stores (several processes) do not.
	var body []byte
	for attempt := 0; attempt < 4; attempt++ {
		c := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{DialContext: dial, DisableKeepAlives: true}}
		status, got, err := call(ctx, c, http.MethodGet, base+path, nil)
		if err != nil {
			return Seed{}, fmt.Errorf("read the seeded list: %w", err)
		}
		if status != http.StatusOK {
			return Seed{}, fmt.Errorf("read the seeded list: status %d", status)
		}
		var list []User
		if err := json.Unmarshal(got, &list); err != nil {
			return Seed{}, fmt.Errorf("read the seeded list: %.120q: %w", got, err)
		}
		if !equalUsers(list, want) {
			return Seed{}, fmt.Errorf("the seeded list on a fresh connection holds %d users %s, want the 2 seeded by the service and the %d just created: its store is not one store",
				len(list), brief(list), SeedUsers)
		}
		if body != nil && !bytes.Equal(body, got) {
			return Seed{}, fmt.Errorf("the seeded list changed between two reads: %.80q, then %.80q", body, got)
		}
		body = got
	}
	return Seed{ListPath: path, ListBody: string(body), Users: want}, nil
}

func call(ctx context.Context, c *http.Client, method, url string, body []byte) (int, []byte, error) {
	req, err := http.NewRequestWithContext(ctx, method, url, bytes.NewReader(body))
	if err != nil {
		return 0, nil, err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := c.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	got, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	return resp.StatusCode, got, err
}

func equalUsers(a, b []User) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func brief(us []User) string {
	ids := make([]string, len(us))
	for i, u := range us {
		ids[i] = strconv.FormatInt(u.ID, 10)
	}
	return "(ids " + strings.Join(ids, ",") + ")"
}

// UserMix is one of the user API mixes on a seeded service.
type UserMix struct {
	Kind string
	Seed Seed
	// RunID makes the emails of creates unique across runs on one service.
	RunID string
	// NoBodyCheck leaves bodies unchecked: for a service that failed its seed
	// check, whose raw speed is still shown.
	NoBodyCheck bool
	list        Request
	gets        []Request
}

// NewUserMix makes the mix kind (MixList, MixMixed, MixGet) on seed.
func NewUserMix(kind string, seed Seed, runID string, noBodyCheck bool) (*UserMix, error) {
	switch kind {
	case MixList, MixMixed, MixGet:
	default:
		return nil, fmt.Errorf("unknown mix %q (%s)", kind, strings.Join(Mixes, ", "))
	}
	m := &UserMix{Kind: kind, Seed: seed, RunID: runID, NoBodyCheck: noBodyCheck}
	m.list = Request{Method: http.MethodGet, Path: seed.ListPath, Kind: MixList, Want: http.StatusOK}
	if !noBodyCheck {
		m.list.Check = ExactBody([]byte(seed.ListBody))
	}
	for _, u := range seed.Users {
		r := Request{Method: http.MethodGet, Path: "/users/" + strconv.FormatInt(u.ID, 10), Kind: MixGet, Want: http.StatusOK}
		if !noBodyCheck {
			r.Check = userIs(u)
		}
		m.gets = append(m.gets, r)
	}
	if kind == MixGet && len(m.gets) == 0 {
		return nil, fmt.Errorf("the get mix needs seeded users")
	}
	return m, nil
}

// Name is the mix's kind.
func (m *UserMix) Name() string { return m.Kind }

// Next returns the mix's next request for a connection.
func (m *UserMix) Next(conn int, seq uint64, rnd *rand.Rand) Request {
	switch m.Kind {
	case MixGet:
		return m.gets[rnd.IntN(len(m.gets))]
	case MixMixed:
		if rnd.IntN(10) == 0 {
			return m.create(conn, seq)
		}
	}
	return m.list
}

// create is a POST /users with an email no other request of the run uses.
func (m *UserMix) create(conn int, seq uint64) Request {
	u := User{Name: "Mixed Load User", Email: fmt.Sprintf("mix-%s-%d-%d@example.com", m.RunID, conn, seq)}
	body, _ := json.Marshal(map[string]string{"name": u.Name, "email": u.Email})
	r := Request{Method: http.MethodPost, Path: "/users", Body: body, Kind: "create", Want: http.StatusCreated}
	if !m.NoBodyCheck {
		r.Check = func(got []byte) error {
			var created User
			if err := json.Unmarshal(got, &created); err != nil {
				return fmt.Errorf("created user %.80q: %w", got, err)
			}
			if created.Name != u.Name || created.Email != u.Email || created.ID < 3 {
				return fmt.Errorf("created %+v, want %s <%s> with a new id", created, u.Name, u.Email)
			}
			return nil
		}
	}
	return r
}

func userIs(want User) func([]byte) error {
	return func(got []byte) error {
		var u User
		if err := json.Unmarshal(got, &u); err != nil {
			return fmt.Errorf("user %.80q: %w", got, err)
		}
		if u != want {
			return fmt.Errorf("user %+v, want %+v", u, want)
		}
		return nil
	}
}
