package bif_test

import (
	"fmt"
	"log"
	"strings"

	"github.com/tendo-health/tendo/bn/bif"
)

func Example() {
	const src = `
network garden {
}
variable rain {
  type discrete [ 2 ] { yes, no };
}
variable wet {
  type discrete [ 2 ] { yes, no };
}
probability ( rain ) {
  table 0.2, 0.8;
}
probability ( wet | rain ) {
  (yes) 0.9, 0.1;
  (no) 0.25, 0.75;
}
`
	net, err := bif.Read(strings.NewReader(src))
	if err != nil {
		log.Fatal(err)
	}
	wet := net.Index("wet")
	f := net.Factors[wet]
	rain := f.Vars[0]
	card := net.Card(wet)
	for i, r := range net.Variables[rain].States {
		for j, w := range net.Variables[wet].States {
			fmt.Printf("P(wet=%s | rain=%s) = %g\n", w, r, f.Table[i*card+j])
		}
	}
	// Output:
	// P(wet=yes | rain=yes) = 0.9
	// P(wet=no | rain=yes) = 0.1
	// P(wet=yes | rain=no) = 0.25
	// P(wet=no | rain=no) = 0.75
}
