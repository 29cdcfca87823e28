// Package bif reads and writes Bayesian networks in the BIF (Bayesian
// Interchange Format) text format, as used by the bnlearn network repository
// and pgmpy, and as written by JavaBayes.
//
// The package owns the translation between BIF text and bn.Network: Read
// parses a (possibly gzip-compressed) BIF file into a validated, directed
// bn.Network, and Write produces BIF text that Read turns back into the same
// network. It imports only the standard library and
// github.com/tendo-health/tendo/bn.
//
// # Accepted syntax
//
// A file is a sequence of blocks, in any order:
//
//	network NAME { property ...; }
//	variable NAME { type discrete [ N ] { s1, s2, ... }; property ...; }
//	probability ( CHILD | P1, P2 ) { (p1state, p2state) v1, v2; ... default v1, v2; property ...; }
//	probability ( CHILD ) { table v1, v2; }
//
// The network block is optional and may appear once; its name (which may be
// "unknown") becomes Network.Name. Properties are skipped. Comments are
// "// ..." to the end of the line and "/* ... */". A name (of the network, a
// variable or a state) is either a word, that is any run of bytes other than
// ASCII white space, the punctuation { } ( ) [ ] , ; | and the double quote,
// or a double-quoted string that contains neither a double quote nor a
// newline. Keywords are recognised only unquoted and only where a keyword is
// expected, so a variable or state may be called "table". Commas between list
// items are optional, as in JavaBayes output, and so is the "|" in a
// probability header: without it the first variable is the child and the rest
// are its parents. A probability block may come before the declarations of
// the variables it mentions.
//
// Numbers are anything strconv.ParseFloat accepts, such as 0.5, 1e-05 or
// 9.999e-05, except NaN, infinities and negative numbers (including -0).
//
// # Table layout
//
// A row "(s1, s2) v1, v2, ...;" gives the distribution of the child for one
// configuration of the parents, listed in the order of the header. The
// "table" form lists the whole CPT with the child's state as the slowest
// changing index and the parent configuration (first parent slowest, last
// parent fastest) as the fastest: for probability ( C | A ) with binary C and
// A, "table 0.1, 0.2, 0.9, 0.8;" means P(C=c0|A=a0)=0.1, P(C=c0|A=a1)=0.2,
// P(C=c1|A=a0)=0.9, P(C=c1|A=a1)=0.8. This is the layout of the BIF 0.15
// Interchange Format as JavaBayes writes it (its dog-problem example has
// "probability ( dog-out bowel-problem family-out ) { table 0.99 0.97 0.9 0.3
// 0.01 0.03 0.1 0.7; }", which is Charniak's P(dog-out | family-out,
// bowel-problem) only when read this way) and the layout pgmpy reads, which
// reshapes the values to (child states, parent configurations). bn.Factor
// puts the child last instead, so Read transposes the table. For a variable
// without parents both layouts coincide.
//
// "default v1, v2;" gives the column for every parent configuration no row
// lists. Every configuration must end up with exactly one column: a missing
// row without a default, a duplicate row, or a table mixed with rows is an
// error.
//
// # Checks and limits
//
// Read reports a problem in the text as a *SyntaxError carrying the line and
// column (counted in UTF-8 characters, from 1) of the offending token; this
// covers syntax errors and semantic ones such as an unknown variable or
// state, a wrong number of values, or a variable with no or two probability
// blocks. After building the network Read calls bn.Network.Renormalize, so a
// column that sums to 1 within bn.SumTolerance is rescaled and a column
// outside it is a *bn.ColumnError, and then bn.Network.Validate, which
// reports a cycle as a *bn.CycleError.
//
// Memory is bounded against hostile input: the decompressed input is capped
// at MaxInputSize bytes, every declared count and table size is checked
// against bn.MaxTableSize and against what the rest of the input could hold
// before anything is allocated, and default lines may fill at most
// MaxDefaultEntries table entries in a whole network.
package bif
