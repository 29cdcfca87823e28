package kb_test

import (
	"testing"

	"github.com/tendo-health/tendo/kb"
)

// FuzzParse feeds model files to the parser, the checker and the builder:
// none may panic, whatever the input (tendo model check reads any file).
func FuzzParse(f *testing.F) {
	f.Add(kb.ModelYAML())
	f.Add([]byte("schema: tendo/model/v1\nid: x\nversion: 1\nnodes:\n  - id: a\n    label: A\n    description: d\n    role: context\n    states: [no, yes]\n    prior: {p: 0.4, estimate: e}\n"))
	f.Add([]byte("nodes: [{id: a, states: [x, y], noisy: {leak: {p: [1, 0]}, causes: [{parent: a, state: y, p: 0.5}]}}]"))
	f.Add([]byte("schema: tendo/model/v1\nid: x\nversion: 1\nnodes:\n  - {id: a, label: A, description: d, role: context, states: [n, y], definition: {kind: any, of: [{node: a, states: [y]}], why: w}}\n"))
	f.Add([]byte(":\n- - -"))
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 1<<20 {
			return
		}
		m, err := kb.Parse(data)
		if err != nil {
			return
		}
		if err := m.Check(); err != nil {
			return
		}
		if _, err := m.Build(); err != nil {
			return
		}
		_, _ = m.BuildChained()
		_, _ = m.NewMapping()
	})
}
