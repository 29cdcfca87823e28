package bn_test

import (
	"fmt"
	"strings"

	"github.com/tendo-health/tendo/bn"
	"github.com/tendo-health/tendo/bn/bif"
)

// Example_asia loads the Asia network, enters evidence and reads
// posteriors: load → compile once → query many times.
func Example_asia() {
	const src = `network asia {}
variable smoke { type discrete [ 2 ] { yes, no }; }
variable lung  { type discrete [ 2 ] { yes, no }; }
variable xray  { type discrete [ 2 ] { positive, negative }; }
probability ( smoke ) { table 0.5, 0.5; }
probability ( lung | smoke ) { (yes) 0.1, 0.9; (no) 0.01, 0.99; }
probability ( xray | lung ) { (yes) 0.98, 0.02; (no) 0.05, 0.95; }`
	net, err := bif.Read(strings.NewReader(src))
	if err != nil {
		panic(err)
	}
	jt, err := bn.Compile(net, bn.CompileOptions{})
	if err != nil {
		panic(err)
	}
	q := jt.NewQuery()
	_ = q.Observe(net.Index("xray"), 0) // a positive X-ray
	if err := q.Propagate(); err != nil {
		panic(err)
	}
	fmt.Printf("P(lung cancer | positive X-ray) = %.4f\n", q.Marginal(net.Index("lung"))[0])
	fmt.Printf("P(smoker | positive X-ray) = %.4f\n", q.Marginal(net.Index("smoke"))[0])

	// How much would knowing whether the patient smokes tell about lung cancer?
	voi, _ := q.ValueOfInformation(net.Index("lung"), nil)
	fmt.Printf("observing %s: %.4f bits\n", net.Variables[voi[0].Var].Name, voi[0].EntropyReduction)
	// Output:
	// P(lung cancer | positive X-ray) = 0.5329
	// P(smoker | positive X-ray) = 0.7069
	// observing smoke: 0.1722 bits
}

// ExampleNoisyOR builds a conditional probability table from one cited
// strength per cause.
func ExampleNoisyOR() {
	// Two causes of an effect: 30% and 60% strong alone; 2% leak.
	table, _ := bn.NoisyOR(0.02, 0.3, 0.6).Table()
	for i := 0; i < len(table); i += 2 {
		fmt.Printf("P(effect | causes %02b) = %.4f\n", i/2, table[i+1])
	}
	// Output:
	// P(effect | causes 00) = 0.0200
	// P(effect | causes 01) = 0.6080
	// P(effect | causes 10) = 0.3140
	// P(effect | causes 11) = 0.7256
}
