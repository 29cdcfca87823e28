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
	"path/filepath"
	"slices"
	"strings"
	"sync"
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

// loadScenario is one kind of request repeated at the load rate.
type loadScenario struct {
	name     string
	method   string
	path     string
	body     []byte
	header   http.Header
	status   int    // wanted
	mimeType string // wanted Content-Type prefix
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

func (s loadStats) percentile(p float64) time.Duration {
	if len(s.latencies) == 0 {
		return 0
	}
	i := int(math.Ceil(p*float64(len(s.latencies)))) - 1 // nearest rank
	return s.latencies[min(max(i, 0), len(s.latencies)-1)]
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

// BenchmarkServeLoad drives the real binary on SQLite with an open-loop
// load of 200 requests per second for 10 seconds per scenario: saving an
// assessment, reading a six-visit patient's timeline through the API, and
// the timeline SVG with a session cookie. It reports p50, p90, p99 and max
// latency and the achieved rate, and fails on any error or an achieved
// rate below 190/s. One run of each scenario is the measurement; b.N is
// not used. Run it with
//
//	go test ./cmd/tendo -run '^$' -bench BenchmarkServeLoad -benchtime 1x
func BenchmarkServeLoad(b *testing.B) {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()

	bin := servetest.Build(b)
	db := filepath.Join(b.TempDir(), "load.db")
	acct := servetest.Seed(b, bin, db)
	srv := servetest.Start(b, bin, db)
	api := servetest.NewClient(srv.URL, acct.Token)
	clinic := api.ClinicID(b)

	// A patient with six visits (the shared cases, two weeks apart) for
	// the timeline, and another for the saves, so the timeline does not
	// grow during the run.
	const visits = 6
	timelinePatient := api.CreatePatient(b, clinic, "Timeline Patient")
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
	savePatient := api.CreatePatient(b, clinic, "Load Patient")
	caseBody, err := os.ReadFile(shared.Path(b, "cases", "mixed-kinetic-chain.json"))
	if err != nil {
		b.Fatal(err)
	}

	// The SVG is a page: it takes the session cookie of a form login.
	session := servetest.Login(b, srv.URL, acct.Email, acct.Password)
	u, _ := url.Parse(srv.URL)
	var cookies []string
	for _, c := range session.Jar.Cookies(u) {
		cookies = append(cookies, c.Name+"="+c.Value)
	}
	bearer := http.Header{"Authorization": {"Bearer " + acct.Token}}
	scenarios := []loadScenario{
		{name: "save", method: http.MethodPost, path: fmt.Sprintf("/api/patients/%d/assessments", savePatient), body: caseBody,
			header: http.Header{"Authorization": bearer["Authorization"], "Content-Type": {"application/json"}},
			status: http.StatusCreated, mimeType: "application/json"},
		{name: "timeline", method: http.MethodGet, path: fmt.Sprintf("/api/patients/%d/timeline", timelinePatient),
			header: bearer, status: http.StatusOK, mimeType: "application/json"},
		{name: "timeline-svg", method: http.MethodGet, path: fmt.Sprintf("/patients/%d/timeline.svg", timelinePatient),
			header: http.Header{"Cookie": {strings.Join(cookies, "; ")}}, status: http.StatusOK, mimeType: "image/svg+xml"},
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
		b.Logf("%s: %d requests at %d/s open loop: achieved %.1f/s, p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, max %.2f ms, %d errors, at most %d in flight, sender at most %.2f ms late",
			sc.name, st.requests, loadRate, st.rate(), ms(st.percentile(0.50)), ms(st.percentile(0.90)), ms(st.percentile(0.99)), ms(st.percentile(1)),
			len(st.errors), st.maxInFlight, ms(st.maxSendLag))
		if len(st.errors) > 0 {
			b.Errorf("%s: %d of %d requests failed; first: %v", sc.name, len(st.errors), st.requests, errors.Join(st.errors[:min(3, len(st.errors))]...))
		}
		if r := st.rate(); r < loadMinRate {
			b.Errorf("%s: achieved %.1f requests/s, want at least %.0f", sc.name, r, loadMinRate)
		}
	}
	b.StopTimer()
	b.ReportMetric(0, "ns/op") // one run of each scenario, not a per-op time
	if b.Failed() {
		b.Logf("server stderr:\n%s", srv.Stderr())
	}
}
