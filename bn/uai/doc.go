// Package uai reads and writes the file formats of the UAI approximate
// inference competitions (UAI 2008 to 2014): model files (MARKOV and BAYES
// preambles), evidence files (the older single-sample format and the UAI 2014
// multi-sample format) and marginal (MAR) answer files.
//
// The package owns only the translation between those text formats and
// [bn.Network]; inference, validation rules and the table layout belong to
// package bn. It imports only the standard library and bn.
//
// UAI files carry no names: Read names the variables v0, v1, ... and their
// states 0, 1, ..., and Write drops whatever names a network has.
//
// All readers treat their input as hostile. They read it into memory once
// and then check every count in it (variables, functions, scope sizes, table
// entries, samples, marginals) against [bn.MaxTableSize] and against the
// number of tokens the rest of the input could still hold before allocating
// anything of that size, so memory stays proportional to the input. Malformed
// input yields a *SyntaxError that names the line and column of the offending
// token (or of the end of input when the input stops early).
package uai
