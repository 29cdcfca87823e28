package main

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/tendo-health/tendo/assess"
	"github.com/tendo-health/tendo/internal/shared"
)

// batchInput returns n NDJSON lines cycling through the shared cases.
func batchInput(tb testing.TB, n int) []byte {
	tb.Helper()
	files, _ := filepath.Glob(shared.Path(tb, "cases", "*.json"))
	var lines [][]byte
	for _, f := range files {
		if strings.HasSuffix(f, "expected.json") {
			continue
		}
		data, err := os.ReadFile(f)
		if err != nil {
			tb.Fatal(err)
		}
		var compact bytes.Buffer
		for _, l := range bytes.Split(data, []byte("\n")) {
			compact.Write(bytes.TrimSpace(l))
			compact.WriteByte(' ')
		}
		lines = append(lines, bytes.TrimSpace(compact.Bytes()))
	}
	var buf bytes.Buffer
	for i := 0; i < n; i++ {
		buf.Write(lines[i%len(lines)])
		buf.WriteByte('\n')
	}
	return buf.Bytes()
}

// BenchmarkBatch measures `tendo assess --batch` throughput: NDJSON in,
// NDJSON out, one worker per core (GOMAXPROCS; run with -cpu 2 on the
// 2-core machine), for each --ranges setting. The metric assessments/s is
// what the README reports. The reference ranges take about 70 ms an
// assessment, so their sub-benchmark assesses 40 lines, the others 2,000.
func BenchmarkBatch(b *testing.B) {
	for _, c := range []struct {
		name string
		opts assess.Options
		n    int
	}{
		{"ranges=off", assess.Options{}, 2000},
		{"ranges=fast", assess.Options{Ranges: true}, 2000},
		{"ranges=reference", assess.DefaultOptions(), 40},
	} {
		b.Run(c.name, func(b *testing.B) {
			eng, err := assess.NewWithOptions(c.opts)
			if err != nil {
				b.Fatal(err)
			}
			input := batchInput(b, c.n)
			m := &Main{Stdout: io.Discard, Stderr: io.Discard}
			// Warm up: the reference draws are built on the first call.
			if err := runBatch(context.Background(), m, eng, bytes.NewReader(batchInput(b, 2)), 0); err != nil {
				b.Fatal(err)
			}
			b.ResetTimer()
			for b.Loop() {
				if err := runBatch(context.Background(), m, eng, bytes.NewReader(input), 0); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(c.n*b.N)/b.Elapsed().Seconds(), "assessments/s")
			b.ReportMetric(float64(runtime.GOMAXPROCS(0)), "workers")
		})
	}
}
