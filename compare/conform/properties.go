package conform

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/tribench/tribench/services/cases"
)

// Bounds of the property checks: every one sends a fixed, small number of requests
// and gives up after propertyTimeout.
const (
	parallelCreates    = 64
	sameEmailCreates   = 16
	freshConnections   = 8
	walkCreates        = 60
	maxSnapshotUsers   = 100_000
	uptimeWait         = 1100 * time.Millisecond
	propertyTimeout    = 60 * time.Second
	parallelismPerTest = 16
)

// A property is a check of behaviour no single request shows.
type property struct {
	name, rule string
	check      func(p *prober, ctx context.Context) error
}

var properties = []property{
	{"property/parallel-creates", "N parallel creates with distinct emails give N distinct ids, each retrievable, and the list grows by exactly N", (*prober).parallelCreates},
	{"property/same-email-race", "of K parallel creates with one email exactly one is 201 and K-1 are 409 (check-and-insert is atomic)", (*prober).sameEmailRace},
	{"property/read-your-writes", "one store: a user created on one connection is visible through every fresh connection", (*prober).readYourWrites},
	{"property/pagination-under-writes", "pages walked while users are created are in id order, without duplicates, and skip nothing that existed before", (*prober).paginationUnderWrites},
	{"property/health-uptime", "/health uptime is seconds since start: it grows with wall time and is not an epoch value", (*prober).healthUptime},
}

// A prober runs property checks through the case runner's client.
type prober struct {
	runner    *cases.Runner
	startedAt time.Time
	seq       int
	// dial opens the fresh clients' connections (Options.Dial); nil: direct.
	dial func(ctx context.Context, network, addr string) (net.Conn, error)
}

func (p *prober) run(ctx context.Context, prop property) Check {
	start := time.Now()
	ctx, cancel := context.WithTimeout(ctx, propertyTimeout)
	defer cancel()
	err := prop.check(p, ctx)
	c := Check{Name: prop.name, Kind: KindProperty, Rule: prop.rule, Pass: err == nil, Duration: time.Since(start)}
	if err != nil {
		c.Detail, c.Broken = err.Error(), prop.rule
	}
	return c
}

// email returns an address unique to this run and call.
func (p *prober) email(tag string, i int) string {
	p.seq++
	return fmt.Sprintf("%s%d-%d-%s@example.com", tag, p.seq, i, p.runner.Token)
}

type user struct {
	ID    int64  `json:"id"`
	Name  string `json:"name"`
	Email string `json:"email"`
}

func (p *prober) create(ctx context.Context, client *http.Client, name, email string) (int, user, error) {
	body, _ := json.Marshal(map[string]string{"name": name, "email": email})
	r := *p.runner
	if client != nil {
		r.Client = client
	}
	resp, err := r.Do(ctx, "POST", "/users", map[string]string{"Content-Type": "application/json"}, body, nil)
	if err != nil {
		return 0, user{}, fmt.Errorf("POST /users: %w", err)
	}
	var u user
	if resp.Status == http.StatusCreated {
		if err := json.Unmarshal(resp.Body, &u); err != nil {
			return resp.Status, u, fmt.Errorf("POST /users: 201 body %q: %w", resp.Body, err)
		}
	}
	return resp.Status, u, nil
}

func (p *prober) getJSON(ctx context.Context, client *http.Client, path string, into any) (int, error) {
	r := *p.runner
	if client != nil {
		r.Client = client
	}
	resp, err := r.Do(ctx, "GET", path, nil, nil, nil)
	if err != nil {
		return 0, fmt.Errorf("GET %s: %w", path, err)
	}
	if resp.Status == http.StatusOK && into != nil {
		if err := json.Unmarshal(resp.Body, into); err != nil {
			return resp.Status, fmt.Errorf("GET %s: body %.120q: %w", path, resp.Body, err)
		}
	}
	return resp.Status, nil
}

func (p *prober) page(ctx context.Context, skip, limit int64) ([]user, error) {
	var users []user
	path := "/users?skip=" + strconv.FormatInt(skip, 10) + "&limit=" + strconv.FormatInt(limit, 10)
	status, err := p.getJSON(ctx, nil, path, &users)
	if err == nil && status != http.StatusOK {
		err = fmt.Errorf("GET %s: status %d", path, status)
	}
	return users, err
}

// count finds the number of users with O(log n) one-user pages.
func (p *prober) count(ctx context.Context) (int64, error) {
	lo, hi := int64(0), int64(1) // invariant: position lo-1 exists (or lo is 0), position hi may not
	for {
		u, err := p.page(ctx, hi, 1)
		if err != nil {
			return 0, err
		}
		if len(u) == 0 {
			break
		}
		lo, hi = hi+1, hi*2
		if hi > 1<<40 {
			return 0, errors.New("GET /users never returns an empty page")
		}
	}
	for lo < hi { // smallest position with an empty page
		mid := lo + (hi-lo)/2
		u, err := p.page(ctx, mid, 1)
		if err != nil {
			return 0, err
		}
		if len(u) == 0 {
			hi = mid
		} else {
			lo = mid + 1
		}
	}
	return lo, nil
}

// parallel runs f(i) for i in [0, n) on up to parallelismPerTest goroutines that
// start together, and returns the first error.
func parallel(n int, f func(i int) error) error {
	var wg sync.WaitGroup
	errs := make([]error, n)
	gate := make(chan struct{})
	sem := make(chan struct{}, parallelismPerTest)
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			<-gate
			sem <- struct{}{}
			defer func() { <-sem }()
			errs[i] = f(i)
		}(i)
	}
	close(gate)
	wg.Wait()
	return errors.Join(errs...)
}

func (p *prober) parallelCreates(ctx context.Context) error {
	before, err := p.count(ctx)
	if err != nil {
		return err
	}
	emails := make([]string, parallelCreates)
	for i := range emails {
		emails[i] = p.email("par", i)
	}
	created := make([]user, parallelCreates)
	err = parallel(parallelCreates, func(i int) error {
		status, u, err := p.create(ctx, nil, "Parallel", emails[i])
		if err != nil {
			return err
		}
		if status != http.StatusCreated {
			return fmt.Errorf("create %d of %d: status %d, want 201", i+1, parallelCreates, status)
		}
		created[i] = u
		return nil
	})
	if err != nil {
		return err
	}
	ids := map[int64]string{}
	for i, u := range created {
		if other, dup := ids[u.ID]; dup {
			return fmt.Errorf("id %d handed out twice (%s and %s)", u.ID, other, emails[i])
		}
		ids[u.ID] = emails[i]
	}
	for i, u := range created {
		var got user
		path := "/users/" + strconv.FormatInt(u.ID, 10)
		status, err := p.getJSON(ctx, nil, path, &got)
		if err != nil {
			return err
		}
		if status != http.StatusOK || got != (user{ID: u.ID, Name: "Parallel", Email: emails[i]}) {
			return fmt.Errorf("GET %s: status %d, user %+v; created %+v", path, status, got, u)
		}
	}
	after, err := p.count(ctx)
	if err != nil {
		return err
	}
	if after-before != parallelCreates {
		return fmt.Errorf("the list grew by %d users after %d successful creates (%d before, %d after)", after-before, parallelCreates, before, after)
	}
	return nil
}

func (p *prober) sameEmailRace(ctx context.Context) error {
	email := p.email("same", 0)
	statuses := make([]int, sameEmailCreates)
	err := parallel(sameEmailCreates, func(i int) error {
		status, _, err := p.create(ctx, nil, "Same Email", email)
		statuses[i] = status
		return err
	})
	if err != nil {
		return err
	}
	counts := map[int]int{}
	for _, s := range statuses {
		counts[s]++
	}
	if counts[http.StatusCreated] != 1 || counts[http.StatusConflict] != sameEmailCreates-1 {
		return fmt.Errorf("%d parallel creates of one email: %s; want one 201 and %d 409", sameEmailCreates, describeCounts(counts), sameEmailCreates-1)
	}
	return nil
}

func describeCounts(counts map[int]int) string {
	var parts []string
	for _, s := range []int{201, 400, 409, 422, 500} {
		if counts[s] > 0 {
			parts = append(parts, fmt.Sprintf("%d×%d", counts[s], s))
			delete(counts, s)
		}
	}
	for s, n := range counts {
		parts = append(parts, fmt.Sprintf("%d×%d", n, s))
	}
	return strings.Join(parts, ", ")
}

// freshClient opens a new TCP connection for each request, so a service that
// keeps a store per worker process or per connection is seen from several.
func (p *prober) freshClient() *http.Client {
	c := cases.NewClient()
	t := c.Transport.(*http.Transport)
	t.DisableKeepAlives = true
	if p.dial != nil {
		t.DialContext = p.dial
	}
	return c
}

func (p *prober) readYourWrites(ctx context.Context) error {
	email := p.email("ryw", 0)
	status, u, err := p.create(ctx, nil, "Read Your Writes", email)
	if err != nil {
		return err
	}
	if status != http.StatusCreated {
		return fmt.Errorf("create: status %d, want 201", status)
	}
	path := "/users/" + strconv.FormatInt(u.ID, 10)
	missing := 0
	var last string
	for i := 0; i < freshConnections; i++ {
		var got user
		status, err := p.getJSON(ctx, p.freshClient(), path, &got)
		if err != nil {
			return err
		}
		if status != http.StatusOK || got.Email != email {
			missing++
			last = fmt.Sprintf("status %d, user %+v", status, got)
		}
	}
	if missing > 0 {
		return fmt.Errorf("user %d created on one connection: missing or different through %d of %d fresh connections (last: %s)", u.ID, missing, freshConnections, last)
	}
	return nil
}

func (p *prober) paginationUnderWrites(ctx context.Context) error {
	total, err := p.count(ctx)
	if err != nil {
		return err
	}
	if total > maxSnapshotUsers {
		return fmt.Errorf("not checked: the store holds %d users, more than the %d this check reads", total, maxSnapshotUsers)
	}
	var before []int64
	for skip := int64(0); skip < total; skip += 1000 {
		users, err := p.page(ctx, skip, 1000)
		if err != nil {
			return err
		}
		for _, u := range users {
			before = append(before, u.ID)
		}
	}
	pageSize := max(5, total/200)

	writeCtx, stopWrites := context.WithCancel(ctx)
	writes := make(chan error, 1)
	go func() {
		defer close(writes)
		for i := 0; i < walkCreates && writeCtx.Err() == nil; i++ {
			if _, _, err := p.create(writeCtx, nil, "Concurrent Writer", p.email("walk", i)); err != nil && writeCtx.Err() == nil {
				writes <- err
				return
			}
		}
	}()
	var walked []int64
	var walkErr error
	maxPages := (total+walkCreates)/pageSize + 2
	for skip, pages := int64(0), int64(0); pages <= maxPages; skip, pages = skip+pageSize, pages+1 {
		users, err := p.page(ctx, skip, pageSize)
		if err != nil {
			walkErr = err
			break
		}
		if len(users) == 0 {
			break
		}
		for _, u := range users {
			walked = append(walked, u.ID)
		}
	}
	stopWrites()
	if err := <-writes; err != nil {
		return fmt.Errorf("concurrent create: %w", err)
	}
	if walkErr != nil {
		return walkErr
	}
	seen := map[int64]bool{}
	for i, id := range walked {
		if seen[id] {
			return fmt.Errorf("id %d appears twice in the walk (page size %d)", id, pageSize)
		}
		seen[id] = true
		if i > 0 && id <= walked[i-1] {
			return fmt.Errorf("ids out of order in the walk: %d after %d", id, walked[i-1])
		}
	}
	for _, id := range before {
		if !seen[id] {
			return fmt.Errorf("id %d existed before the walk but no page returned it (page size %d)", id, pageSize)
		}
	}
	return nil
}

type health struct {
	Status string   `json:"status"`
	Uptime *float64 `json:"uptime"`
}

func (p *prober) uptime(ctx context.Context) (float64, error) {
	var h health
	status, err := p.getJSON(ctx, nil, "/health", &h)
	if err != nil {
		return 0, err
	}
	if status != http.StatusOK || h.Uptime == nil {
		return 0, fmt.Errorf("GET /health: status %d, no numeric uptime", status)
	}
	return *h.Uptime, nil
}

func (p *prober) healthUptime(ctx context.Context) error {
	t1 := time.Now()
	u1, err := p.uptime(ctx)
	if err != nil {
		return err
	}
	select {
	case <-time.After(uptimeWait):
	case <-ctx.Done():
		return ctx.Err()
	}
	u2, err := p.uptime(ctx)
	if err != nil {
		return err
	}
	elapsed := time.Since(t1).Seconds()
	if bound, what := p.uptimeBound(); bound > 0 && u2 > bound {
		return fmt.Errorf("uptime %.0f s is longer than %s (%.0f s): not seconds since start", u2, what, bound)
	}
	// Whole-second uptimes may step by one more or less than the wall time.
	if grew := u2 - u1; grew <= 0 || grew > elapsed+1 || grew < elapsed-1 {
		return fmt.Errorf("uptime went from %g to %g over %.2f s of wall time", u1, u2, elapsed)
	}
	return nil
}

// uptimeBound is the longest the service can have been running, and why.
func (p *prober) uptimeBound() (float64, string) {
	if !p.startedAt.IsZero() {
		return time.Since(p.startedAt).Seconds() + 1, "the time since tribench started it"
	}
	u, err := url.Parse(p.runner.BaseURL)
	if err != nil || !isLoopback(u.Hostname()) {
		return 10 * 365 * 24 * 3600, "ten years"
	}
	data, err := os.ReadFile("/proc/uptime")
	if err != nil {
		return 10 * 365 * 24 * 3600, "ten years"
	}
	var up float64
	if _, err := fmt.Sscan(string(data), &up); err != nil {
		return 10 * 365 * 24 * 3600, "ten years"
	}
	return up + 1, "this machine's uptime"
}

func isLoopback(host string) bool {
	return host == "localhost" || host == "::1" || strings.HasPrefix(host, "127.")
}
