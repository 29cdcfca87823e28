package clinic_test

import (
	"context"
	"testing"

	"github.com/tendo-health/tendo"
	"github.com/tendo-health/tendo/clinic"
)

// TestResultCache: with ResultCache set, a repeated assessment is
// answered from the cache without the assessor (and each caller gets its
// own copy); another assessment is assessed; the least recently used
// entry is evicted when the cache is full; without ResultCache every call
// is assessed.
func TestResultCache(t *testing.T) {
	t.Parallel()
	ctx := tendo.SystemContext(context.Background(), "test")
	age := func(n int) *tendo.Assessment {
		return &tendo.Assessment{Schema: tendo.SchemaV1, ID: "a", Patient: tendo.Patient{AgeYears: &n}}
	}
	tests := []struct {
		name  string
		size  int
		ages  []int
		calls int64
	}{
		{"off: every call assessed", 0, []int{40, 40, 40}, 3},
		{"repeat answered from the cache", 4, []int{40, 40, 40}, 1},
		{"different inputs assessed", 4, []int{40, 41, 40, 41}, 2},
		{"least recently used evicted", 2, []int{40, 41, 42, 40}, 4},
		{"recent use keeps an entry", 2, []int{40, 41, 40, 42, 40}, 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			as := &fakeAssessor{}
			svc := clinic.New(nil, as, nil)
			svc.ResultCache = tt.size
			for _, n := range tt.ages {
				res, err := svc.Assess(ctx, age(n))
				if err != nil {
					t.Fatal(err)
				}
				if res.Classification != tendo.LocalTendinopathy || res.ModelVersion != "fake 1" {
					t.Fatalf("result %+v", res)
				}
				res.Classification = tendo.Uncertain // a caller's change stays its own
			}
			if got := as.calls.Load(); got != tt.calls {
				t.Errorf("assessor called %d times, want %d", got, tt.calls)
			}
		})
	}
}
