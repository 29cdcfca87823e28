package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/url"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/tendo-health/tendo/internal/servetest"
	"github.com/tendo-health/tendo/internal/shared"
)

// Open-loop load settings: every request is sent at its scheduled time,
// whatever happened to the earlier ones, so a slow server cannot slow the
// sender down (no coordinated omission). Latency is measured from the
// scheduled time.
const (
	loadRate        = 200              // requests per second
	loadDuration    = 10 * time.Second // per scenario
	loadMaxInFlight = 256              // a request that finds this many in flight is dropped (an error)
	loadTimeout     = 5 * time.Second  // per request
	loadMinRate     = 190.0            // achieved requests per second, or the run fails
)

// Knee search settings: the offered rate steps up through kneeRates, each
// step lasting kneeStep (and at least kneeMinRequests requests, so that
// the p99 is not just the slowest one). The knee is where the p99 latency
// passes kneeP99 (or a request fails); the search goes on past it while
// the server still sustains the rate (no failure, p99 within
// sustainP99), since a save with the reference ranges takes longer than
// kneeP99 even alone.
const (
	kneeP99         = 50 * time.Millisecond
	sustainP99      = time.Second
	kneeStep        = 3 * time.Second
	kneeMinRequests = 100
)

var kneeRates = []int{10, 20, 50, 100, 200, 400, 800, 1600}

// loadRanges are the 'tendo serve --ranges' modes measured. With the
// default, reference, a save costs about 70 ms of CPU.
var loadRanges = []string{"reference", "fast", "off"}

// loadScenario is one kind of request repeated at the load rate.
type loadScenario struct {
	name     string
	method   string
	path     string
	body     []byte
	header   http.Header
	status   int    // wanted
	mimeType string // wanted Content-Type prefix
	// keys, when not nil, numbers a new Idempotency-Key for each
	// request, as the app's form and a careful API client send.
	keys *atomic.Int64
	// overloaded says the load rate is known to be more than the server
	// can take (see saveOverloaded): the run's errors and shortfall are
	// then its measurement, logged, not a failure.
	overloaded bool
}

func (sc loadScenario) do(ctx context.Context, client *http.Client, base string) error {
	var body io.Reader
	if sc.body != nil {
		body = bytes.NewReader(sc.body)
	}
	req, err := http.NewRequestWithContext(ctx, sc.method, base+sc.path, body)
	if err != nil {
		return err
	}
	for k, v := range sc.header {
		req.Header[k] = v
	}
	if sc.keys != nil {
		req.Header.Set("Idempotency-Key", "load-"+strconv.FormatInt(sc.keys.Add(1), 10))
	}
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		return err
	}
	if resp.StatusCode != sc.status {
		return fmt.Errorf("status %d, want %d: %.200s", resp.StatusCode, sc.status, data)
	}
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, sc.mimeType) {
		return fmt.Errorf("Content-Type %q, want %s", ct, sc.mimeType)
	}
	return nil
}

// loadStats is the outcome of one open-loop run.
type loadStats struct {
	requests    int
	latencies   []time.Duration // of the successful requests, sorted
	errors      []error
	elapsed     time.Duration // from the first scheduled send to the last answer
	maxInFlight int
	maxSendLag  time.Duration // how late the sender was at worst
}

// percentile is the latency of the answered requests at p (0 to 1).
func (s loadStats) percentile(p float64) time.Duration {
	if len(s.latencies) == 0 {
		return 0
	}
	i := int(math.Ceil(p*float64(len(s.latencies)))) - 1 // nearest rank
	return s.latencies[min(max(i, 0), len(s.latencies)-1)]
}

// offeredPercentile is the latency at p (0 to 1) of all the requests
// offered, a failed or unsent one counting as slower than any answer: ok
// is false when p falls among those.
func (s loadStats) offeredPercentile(p float64) (d time.Duration, ok bool) {
	i := max(int(math.Ceil(p*float64(s.requests)))-1, 0) // nearest rank
	if i >= len(s.latencies) {
		return 0, false
	}
	return s.latencies[i], true
}

// rate is the achieved rate: answered requests per second of the run.
func (s loadStats) rate() float64 {
	if s.elapsed <= 0 {
		return 0
	}
	return float64(len(s.latencies)) / s.elapsed.Seconds()
}

// openLoop sends n requests, one every interval from now, each in its own
// goroutine, with at most maxInFlight outstanding.
func openLoop(ctx context.Context, n int, interval time.Duration, send func(context.Context) error) loadStats {
	var (
		wg       sync.WaitGroup
		mu       sync.Mutex
		st       = loadStats{requests: n}
		inFlight int
		last     time.Time
	)
	lat := make([]time.Duration, 0, n)
	start := time.Now()
	timer := time.NewTimer(0)
	defer timer.Stop()
	for i := range n {
		at := start.Add(time.Duration(i) * interval)
		if d := time.Until(at); d > 0 {
			timer.Reset(d)
			select {
			case <-timer.C:
			case <-ctx.Done():
				mu.Lock()
				st.errors = append(st.errors, fmt.Errorf("request %d and after: not sent: %w", i, ctx.Err()))
				mu.Unlock()
				wg.Wait()
				st.latencies = lat
				return st
			}
		}
		mu.Lock()
		st.maxSendLag = max(st.maxSendLag, time.Since(at))
		if inFlight >= loadMaxInFlight {
			st.errors = append(st.errors, fmt.Errorf("request %d: dropped, %d requests in flight", i, inFlight))
			mu.Unlock()
			continue
		}
		inFlight++
		st.maxInFlight = max(st.maxInFlight, inFlight)
		mu.Unlock()
		wg.Go(func() {
			rctx, cancel := context.WithTimeout(ctx, loadTimeout)
			err := send(rctx)
			cancel()
			done := time.Now()
			mu.Lock()
			defer mu.Unlock()
			inFlight--
			if err != nil {
				st.errors = append(st.errors, fmt.Errorf("request %d: %w", i, err))
				return
			}
			lat = append(lat, done.Sub(at))
			if done.After(last) {
				last = done
			}
		})
	}
	wg.Wait()
	slices.Sort(lat)
	st.latencies = lat
	st.elapsed = last.Sub(start)
	return st
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// saveOverloaded reports whether saves at loadRate are more than the
// server can take on this machine with the ranges mode: with the
// reference ranges a save costs about 70 ms of CPU, so two cores take
// about 28 saves a second, far below 200.
func saveOverloaded(mode string) bool {
	const referenceCost = 70 * time.Millisecond
	return mode == "reference" && float64(runtime.NumCPU())/referenceCost.Seconds() < loadRate
}

// BenchmarkServeLoad drives the real binary with open-loop loads, on
// SQLite and on Postgres (a schema of its own on the server named by
// TENDO_TEST_POSTGRES_DSN; skipped without it), with each of the
// server's --ranges modes (reference, the default; fast; off), one
// server and database per sub-benchmark.
//
// At 200 requests per second for 10 seconds per scenario it measures
// saving an assessment (each with an Idempotency-Key of its own), reading
// a six-visit patient's timeline through the API, and the timeline SVG
// with a session cookie, and reports p50, p90, p99 and max latency and
// the achieved rate. It fails on any error or an achieved rate below
// 190/s, except for saves with the reference ranges on a machine whose
// cores cannot take 200 saves a second (see saveOverloaded; on two cores
// about 28/s): that run's errors and shortfall are logged, as the
// measurement of an overload, not reported as a failure. The timeline
// scenarios compute no assessment, so they run only on the reference
// server of each backend.
//
// Then a knee search, for saves and (on the reference server) the
// timeline: the offered rate steps up through 10, 20, 50, 100, 200, 400,
// 800 and 1600 per second, 3 seconds (and at least 100 requests) a step,
// while the server sustains it (no failure, p99 within 1 s). It reports
// the highest rate whose p99 stayed within 50 ms with no failure
// (knee-ok-req/s, 0 if none), the first rate above that which did not
// (knee-over-req/s, 0 if none did) and the highest rate sustained
// (sustained-req/s); overload past the knee is the expected outcome, not
// a failure. The client runs on the same machine as the server and
// shares its cores; the load average of the machine is logged.
//
// The benchmark's log (b.Logf) has a summary line per scenario and knee;
// the detail of each run and knee step goes to standard error as it
// happens. One run of each scenario is the measurement; b.N is not used.
// The whole benchmark takes about six and a half minutes on two cores.
// Run it with, for each backend,
//
//	go test ./cmd/tendo -run '^$' -bench 'BenchmarkServeLoad/SQLite' -benchtime 1x -timeout 30m
//	TENDO_TEST_POSTGRES_DSN=postgres://... go test ./cmd/tendo -run '^$' -bench 'BenchmarkServeLoad/Postgres' -benchtime 1x -timeout 30m
//
// and add a ranges mode to the pattern ('BenchmarkServeLoad/SQLite/fast')
// for one of them.
func BenchmarkServeLoad(b *testing.B) {
	bin := servetest.Build(b)
	for _, be := range serveBackends {
		b.Run(be.name, func(b *testing.B) {
			for _, mode := range loadRanges {
				b.Run(mode, func(b *testing.B) { benchServeLoad(b, bin, be.db(b), mode) })
			}
		})
	}
}

func benchServeLoad(b *testing.B, bin, db, mode string) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	// Other work on the machine shares its cores with the server and the
	// client: the load average says how much there was.
	startLoad := loadAverage()
	defer func() {
		b.Logf("%d cores; load average (1, 5, 15 min) %s at the start, %s at the end", runtime.NumCPU(), startLoad, loadAverage())
	}()

	acct := servetest.Seed(b, bin, db)
	srv := servetest.Start(b, bin, db, "--ranges", mode)
	api := servetest.NewClient(srv.URL, acct.Token)
	clinic := api.ClinicID(b)
	timelines := mode == "reference"

	// A patient with six visits (the shared cases, two weeks apart) for
	// the timeline, and another for the saves, so the timeline does not
	// grow during the run.
	const visits = 6
	var timelinePatient int64
	if timelines {
		timelinePatient = api.CreatePatient(b, clinic, "Timeline Patient")
		_, docs := sharedCases(b)
		first := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
		for i := range visits {
			date := first.AddDate(0, 0, 14*i).Format("2006-01-02")
			api.JSON(b, http.MethodPost, fmt.Sprintf("/api/patients/%d/assessments", timelinePatient),
				withField(docs[i%len(docs)], "date", date), http.StatusCreated, nil)
		}
		var tl struct {
			Points []struct {
				Kind string `json:"kind"`
			} `json:"points"`
		}
		api.JSON(b, http.MethodGet, fmt.Sprintf("/api/patients/%d/timeline", timelinePatient), nil, http.StatusOK, &tl)
		if len(tl.Points) != visits {
			b.Fatalf("the timeline has %d points, want %d", len(tl.Points), visits)
		}
	}
	savePatient := api.CreatePatient(b, clinic, "Load Patient")
	caseBody, err := os.ReadFile(shared.Path(b, "cases", "mixed-kinetic-chain.json"))
	if err != nil {
		b.Fatal(err)
	}

	bearer := http.Header{"Authorization": {"Bearer " + acct.Token}}
	save := loadScenario{name: "save", method: http.MethodPost, path: fmt.Sprintf("/api/patients/%d/assessments", savePatient), body: caseBody,
		header: http.Header{"Authorization": bearer["Authorization"], "Content-Type": {"application/json"}},
		status: http.StatusCreated, mimeType: "application/json", keys: new(atomic.Int64), overloaded: saveOverloaded(mode)}
	scenarios := []loadScenario{save}
	var timeline loadScenario
	if timelines {
		// The SVG is a page: it takes the session cookie of a form login.
		session := servetest.Login(b, srv.URL, acct.Email, acct.Password)
		u, _ := url.Parse(srv.URL)
		var cookies []string
		for _, c := range session.Jar.Cookies(u) {
			cookies = append(cookies, c.Name+"="+c.Value)
		}
		timeline = loadScenario{name: "timeline", method: http.MethodGet, path: fmt.Sprintf("/api/patients/%d/timeline", timelinePatient),
			header: bearer, status: http.StatusOK, mimeType: "application/json"}
		scenarios = append(scenarios, timeline,
			loadScenario{name: "timeline-svg", method: http.MethodGet, path: fmt.Sprintf("/patients/%d/timeline.svg", timelinePatient),
				header: http.Header{"Cookie": {strings.Join(cookies, "; ")}}, status: http.StatusOK, mimeType: "image/svg+xml"})
	}

	// One keep-alive client over loopback, with room for every request
	// that may be in flight.
	tr := &http.Transport{MaxIdleConns: loadMaxInFlight, MaxIdleConnsPerHost: loadMaxInFlight, IdleConnTimeout: time.Minute}
	defer tr.CloseIdleConnections()
	client := &http.Client{Transport: tr}

	n := int(loadDuration.Seconds() * loadRate)
	interval := time.Second / loadRate
	b.ResetTimer()
	for _, sc := range scenarios {
		// A few requests first, so the run measures a warm server and
		// open connections.
		for range 10 {
			if err := sc.do(ctx, client, srv.URL); err != nil {
				b.Fatalf("%s: warm-up: %v\nserver stderr:\n%s", sc.name, err, srv.Stderr())
			}
		}
		st := openLoop(ctx, n, interval, func(ctx context.Context) error { return sc.do(ctx, client, srv.URL) })
		b.ReportMetric(ms(st.percentile(0.50)), sc.name+"-p50-ms")
		b.ReportMetric(ms(st.percentile(0.90)), sc.name+"-p90-ms")
		b.ReportMetric(ms(st.percentile(0.99)), sc.name+"-p99-ms")
		b.ReportMetric(ms(st.percentile(1)), sc.name+"-max-ms")
		b.ReportMetric(st.rate(), sc.name+"-req/s")
		b.ReportMetric(float64(len(st.errors)), sc.name+"-errors")
		detail := fmt.Sprintf("%s: %d requests at %d/s open loop: achieved %.1f/s, p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, max %.2f ms (of the answered), %d errors, at most %d in flight, sender at most %.2f ms late",
			sc.name, st.requests, loadRate, st.rate(), ms(st.percentile(0.50)), ms(st.percentile(0.90)), ms(st.percentile(0.99)), ms(st.percentile(1)),
			len(st.errors), st.maxInFlight, ms(st.maxSendLag))
		if len(st.errors) > 0 {
			detail += fmt.Sprintf("; first error: %v", st.errors[0])
		}
		progress(b, "%s", detail)
		summary := fmt.Sprintf("%s at %d/s: achieved %.1f/s, p50 %.1f ms, p99 %.1f ms, %d errors", sc.name, loadRate, st.rate(), ms(st.percentile(0.50)), ms(st.percentile(0.99)), len(st.errors))
		switch {
		case sc.overloaded:
			// An overload known in advance is the measurement: its
			// errors and shortfall are logged, not failures.
			b.Logf("%s: an expected overload (--ranges %s costs about 70 ms of CPU a save, %d cores), not a failure", summary, mode, runtime.NumCPU())
		case len(st.errors) > 0:
			b.Errorf("%s: want none; first: %v", summary, st.errors[0])
		case st.rate() < loadMinRate:
			b.Errorf("%s: want at least %.0f/s", summary, loadMinRate)
		default:
			b.Logf("%s", summary)
		}
		settle(ctx, b, srv)
	}

	knees := []loadScenario{save}
	if timelines {
		knees = append(knees, timeline)
	}
	for _, sc := range knees {
		sc.overloaded = false // the knee search reports overload itself
		k := kneeSearch(ctx, b, sc, client, srv)
		b.ReportMetric(float64(k.ok), sc.name+"-knee-ok-req/s")
		b.ReportMetric(float64(k.over), sc.name+"-knee-over-req/s")
		b.ReportMetric(float64(k.sustained), sc.name+"-sustained-req/s")
		var msg string
		switch {
		case k.over == 0:
			msg = fmt.Sprintf("p99 within %v up to %d/s, the highest rate tried", kneeP99, k.ok)
		case k.ok == 0:
			msg = fmt.Sprintf("p99 past %v (or a failure) from %d/s, the lowest rate tried", kneeP99, k.over)
		default:
			msg = fmt.Sprintf("p99 within %v up to %d/s, past it (or a failure) at %d/s", kneeP99, k.ok, k.over)
		}
		b.Logf("%s knee: %s; sustained (no failure, p99 within %v) up to %d/s", sc.name, msg, sustainP99, k.sustained)
	}
	b.StopTimer()
	b.ReportMetric(0, "ns/op") // one run of each scenario, not a per-op time
	if b.Failed() {
		progress(b, "server stderr, last lines:\n%s", lastLines(srv.Stderr(), 20))
	}
}

// progress writes a line of detail to standard error as the run goes:
// the benchmark's own log (b.Logf) shows only its first ten lines, so it
// keeps the summary.
func progress(b *testing.B, format string, args ...any) {
	fmt.Fprintf(os.Stderr, "%s: %s\n", b.Name(), fmt.Sprintf(format, args...))
}

// lastLines returns the last n lines of s, saying how many it left out.
func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) <= n {
		return s
	}
	return fmt.Sprintf("(%d lines before these)\n%s", len(lines)-n, strings.Join(lines[len(lines)-n:], "\n"))
}

// loadAverage returns the 1, 5 and 15 minute load averages of the machine
// (Linux), or "unknown".
func loadAverage() string {
	data, err := os.ReadFile("/proc/loadavg")
	if f := strings.Fields(string(data)); err == nil && len(f) >= 3 {
		return strings.Join(f[:3], " ")
	}
	return "unknown"
}

// knee is the outcome of a knee search, in requests per second.
type knee struct {
	ok        int // the highest rate whose p99 stayed within kneeP99, with no failure (0: none)
	over      int // the first rate above ok whose p99 passed kneeP99, or with a failure (0: none)
	sustained int // the highest rate with no failure and p99 within sustainP99 (0: none)
}

// kneeSearch offers sc at each of kneeRates in turn, letting the server
// settle between steps; a failed request counts as slower than any
// answer. It stops at the first step the server does not sustain. A step
// past the knee below one within it (a blip of the machine's, logged)
// does not end the search.
func kneeSearch(ctx context.Context, b *testing.B, sc loadScenario, client *http.Client, srv *servetest.Server) knee {
	var k knee
	for _, rate := range kneeRates {
		n := max(int(kneeStep.Seconds()*float64(rate)), kneeMinRequests)
		st := openLoop(ctx, n, time.Second/time.Duration(rate), func(ctx context.Context) error { return sc.do(ctx, client, srv.URL) })
		p99, answered := st.offeredPercentile(0.99)
		within := answered && len(st.errors) == 0 && p99 <= kneeP99
		sustained := answered && len(st.errors) == 0 && p99 <= sustainP99
		verdict := "within"
		switch {
		case !sustained:
			verdict = "not sustained"
		case !within:
			verdict = "past the knee"
		}
		progress(b, "%s knee step %d/s: %d requests, achieved %.1f/s, p50 %.2f ms, p99 %.2f ms, max %.2f ms (of the answered), %d errors, at most %d in flight, sender at most %.2f ms late: %s",
			sc.name, rate, st.requests, st.rate(), ms(st.percentile(0.50)), ms(st.percentile(0.99)), ms(st.percentile(1)),
			len(st.errors), st.maxInFlight, ms(st.maxSendLag), verdict)
		settle(ctx, b, srv)
		switch {
		case within:
			k.ok, k.over = rate, 0
		case k.over == 0:
			k.over = rate
		}
		if !sustained {
			return k
		}
		k.sustained = rate
	}
	return k
}

// settle waits until the server is idle: requests the client gave up on
// may still be computing. It watches the process's CPU time in
// /proc/PID/stat (Linux) until two windows of 300 ms in a row used less
// than a tenth of one core, for at most a minute; without /proc it
// sleeps 3 seconds.
func settle(ctx context.Context, b *testing.B, srv *servetest.Server) {
	const window = 300 * time.Millisecond
	start := time.Now()
	prev, err := cpuTicks(srv.PID())
	if err != nil {
		time.Sleep(3 * time.Second)
		return
	}
	for quiet := 0; quiet < 2; {
		select {
		case <-ctx.Done():
			return
		case <-time.After(window):
		}
		cur, err := cpuTicks(srv.PID())
		if err != nil {
			return
		}
		// Ticks are 1/100 s on Linux: 3 ticks in 300 ms is 10%.
		if cur-prev <= 3 {
			quiet++
		} else {
			quiet = 0
		}
		prev = cur
		if time.Since(start) > time.Minute {
			progress(b, "the server was still busy a minute after the run")
			return
		}
	}
}

// cpuTicks returns the user and system CPU time of process pid in clock
// ticks, from /proc/PID/stat.
func cpuTicks(pid int) (int64, error) {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, err
	}
	// The fields after the command name (in parentheses, which may hold
	// spaces) start with the state, field 3; utime and stime are 14, 15.
	i := bytes.LastIndexByte(data, ')')
	if i < 0 {
		return 0, fmt.Errorf("/proc/%d/stat: unexpected format", pid)
	}
	f := strings.Fields(string(data[i+1:]))
	if len(f) < 13 {
		return 0, fmt.Errorf("/proc/%d/stat: unexpected format", pid)
	}
	utime, err1 := strconv.ParseInt(f[11], 10, 64)
	stime, err2 := strconv.ParseInt(f[12], 10, 64)
	if err := errors.Join(err1, err2); err != nil {
		return 0, fmt.Errorf("/proc/%d/stat: %w", pid, err)
	}
	return utime + stime, nil
}
