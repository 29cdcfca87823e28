package uai_test

import (
	"fmt"
	"log"
	"os"
	"strings"

	"github.com/tendo-health/tendo/bn/uai"
)

// A BAYES file lists the table of the child (the last variable of each
// scope) in any order; Read puts the table of variable i at Factors[i].
func ExampleRead() {
	const model = `BAYES
2
2 3
2
2 0 1
1 0

6
0.1 0.2 0.7
0.5 0.25 0.25
2
0.6 0.4
`
	net, err := uai.Read(strings.NewReader(model))
	if err != nil {
		log.Fatal(err)
	}
	for i, f := range net.Factors {
		fmt.Printf("%s: parents %v, table %v\n", net.Variables[i].Name, net.Parents(i), f.Table)
	}
	ev, err := uai.ReadEvidence(strings.NewReader("1 1 2"), net)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("evidence:", ev)

	_, err = uai.Read(strings.NewReader("MARKOV\n2\n2 x\n"))
	fmt.Println(err)
	// Output:
	// v0: parents [], table [0.6 0.4]
	// v1: parents [0], table [0.1 0.2 0.7 0.5 0.25 0.25]
	// evidence: map[1:2]
	// uai: line 3, column 3: expected a cardinality (a positive integer), found "x"
}

func ExampleWriteMAR() {
	if err := uai.WriteMAR(os.Stdout, [][]float64{{0.25, 0.75}, {1, 0, 0}}); err != nil {
		log.Fatal(err)
	}
	// Output:
	// MAR
	// 2 2 0.25 0.75 3 1 0 0
}

func ExampleWrite() {
	net, err := uai.Read(strings.NewReader("MARKOV 2 2 2 1 2 0 1 4 1 2 3 4"))
	if err != nil {
		log.Fatal(err)
	}
	if err := uai.Write(os.Stdout, net); err != nil {
		log.Fatal(err)
	}
	// Output:
	// MARKOV
	// 2
	// 2 2
	// 1
	// 2 0 1
	//
	// 4
	//  1 2
	//  3 4
}
