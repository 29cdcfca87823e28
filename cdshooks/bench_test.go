//go:build unix

package cdshooks_test

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/tendo-health/tendo"
	"github.com/tendo-health/tendo/assess"
	"github.com/tendo-health/tendo/cdshooks"
	"github.com/tendo-health/tendo/fhir"
)

// patientViewBody is a patient-view call with every prefetch key given.
const patientViewBody = `{"hook":"patient-view","hookInstance":"d1577c69-dfbe-44ad-ba6d-3e05e953b2ea",` +
	`"context":{"userId":"Practitioner/example","patientId":"1288992"},` +
	`"prefetch":{"patient":{"resourceType":"Patient","id":"1288992","gender":"male","birthDate":"1985-12-23"},` +
	`"observations":{"resourceType":"Bundle","type":"searchset","total":0},` +
	`"questionnaireResponses":{"resourceType":"Bundle","type":"searchset","total":0},` +
	`"conditions":{"resourceType":"Bundle","type":"searchset","total":0}}}`

// BenchmarkPatientViewLoopback sends b.N patient-view calls over loopback
// to an httptest server, paced at 50 per second (open loop: each call
// leaves on its tick whether or not the earlier ones have returned), and
// reports the 50th and 99th percentile latency in ms and the process's
// CPU time per call (server and client together). Run it with a count
// that gives a few seconds of load, e.g. -benchtime=250x (5 s).
//
// "engine" assesses with the real engine (default options: reference
// ranges) through the Assess port, "engine-fast-ranges" with the ranges'
// fast approximation, "engine-no-ranges" without ranges; "precomputed"
// returns a result computed once, so it measures the protocol alone (JWT,
// decoding, prefetch, cards, JSON).
func BenchmarkPatientViewLoopback(b *testing.B) {
	a := loadCase(b, "runner-midportion")
	res, err := mustEngine(b).Assess(a)
	if err != nil {
		b.Fatal(err)
	}
	withEngine := func(opts *assess.Options) func(context.Context, any, []fhir.Resource, string) (*tendo.Assessment, *tendo.Result, error) {
		var once sync.Once
		var e *assess.Engine
		return func(context.Context, any, []fhir.Resource, string) (*tendo.Assessment, *tendo.Result, error) {
			once.Do(func() {
				if opts == nil {
					e = mustEngine(b)
					return
				}
				var err error
				if e, err = assess.NewWithOptions(*opts); err != nil {
					panic(err)
				}
			})
			r, err := e.Assess(a)
			return a, r, err
		}
	}
	for _, bc := range []struct {
		name   string
		assess func(context.Context, any, []fhir.Resource, string) (*tendo.Assessment, *tendo.Result, error)
	}{
		{"engine", withEngine(nil)},
		{"engine-fast-ranges", withEngine(&assess.Options{Ranges: true})},
		{"engine-no-ranges", withEngine(&assess.Options{})},
		{"precomputed", func(context.Context, any, []fhir.Resource, string) (*tendo.Assessment, *tendo.Result, error) {
			return a, res, nil
		}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			bc.assess(context.Background(), nil, nil, "") // build the engine before the clock starts
			f := newFixture(b, func(c *cdshooks.Config) { c.Assess = bc.assess; c.Called = nil })
			srv := httptest.NewServer(f.h)
			defer srv.Close()
			url := srv.URL + "/cds-services/tendo-heel-pain"
			tokens := make([]string, b.N)
			for i := range tokens {
				tokens[i] = token(b, testBase+"/tendo-heel-pain")
			}
			client := srv.Client()
			lat := make([]time.Duration, b.N)
			var failed sync.Map
			var wg sync.WaitGroup
			tick := time.NewTicker(time.Second / 50)
			defer tick.Stop()
			cpu0 := cpuTime()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if i > 0 {
					<-tick.C
				}
				wg.Add(1)
				go func(i int) {
					defer wg.Done()
					req, _ := http.NewRequest(http.MethodPost, url, bytes.NewReader([]byte(patientViewBody)))
					req.Header.Set("Content-Type", "application/json")
					req.Header.Set("Authorization", "Bearer "+tokens[i])
					start := time.Now()
					resp, err := client.Do(req)
					if err != nil {
						failed.Store(i, err.Error())
						return
					}
					var buf bytes.Buffer
					buf.ReadFrom(resp.Body)
					resp.Body.Close()
					lat[i] = time.Since(start)
					if resp.StatusCode != http.StatusOK {
						failed.Store(i, resp.Status+" "+buf.String())
					}
				}(i)
			}
			wg.Wait()
			b.StopTimer()
			cpu := cpuTime() - cpu0
			failed.Range(func(k, v any) bool {
				b.Fatalf("call %v: %v", k, v)
				return false
			})
			slices.Sort(lat)
			q := func(p float64) float64 {
				return float64(lat[min(len(lat)-1, int(p*float64(len(lat))))]) / float64(time.Millisecond)
			}
			b.ReportMetric(q(0.50), "p50-ms")
			b.ReportMetric(q(0.99), "p99-ms")
			b.ReportMetric(float64(cpu)/float64(time.Millisecond)/float64(b.N), "cpu-ms/call")
			b.ReportMetric(0, "ns/op")
		})
	}
}

// cpuTime is the CPU time (user and system) the test process has used:
// unlike latency on a shared machine, it does not count other processes'
// time. It counts both ends of the loopback (client and server).
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
