package main

// Issue 11: tendo fhir, FHIR R4 in and out of the command line.

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/tendo-health/tendo"
	"github.com/tendo-health/tendo/fhir"
	"github.com/tendo-health/tendo/fhirmap"
	"github.com/tendo-health/tendo/intake"
)

func fhirCommand() *command {
	return &command{
		name:    "fhir",
		summary: "read FHIR R4 into an assessment draft; write assessments and records as FHIR",
		usage: `tendo fhir exchanges data with an EHR in FHIR R4 JSON: it reads a Bundle
(Patient, Observations, QuestionnaireResponses) into an assessment draft,
writes an assessment, or a patient's record, as a Bundle, and prints the
Questionnaires of the outcome measures.

Usage:
  tendo fhir <command> [flags]`,
		subs: []*command{fhirImportCommand(), fhirQuestionnairesCommand()},
	}
}

const fhirImportUsage = `Usage: tendo fhir import BUNDLE.json|- [--date YYYY-MM-DD] [--draft]

Reads a FHIR R4 Bundle (or one resource) and prints the assessment draft it
gives: the patient's sex and age (from Patient.gender and birthDate), the
findings of Observations coded with tendo's field codes or a confirmed
LOINC or SNOMED CT code, and the answers of QuestionnaireResponses to
tendo's VISA-A, ODI, NPRS and LEFS questionnaires, scored as tendo assess
scores them. The draft passes the checks of tendo assess: save it and run
"tendo assess" on it once a clinician has checked and completed it.

Everything not read (other resources, unknown codes, observations entered
in error or cancelled, conflicting values for one finding, values out of
range) is listed on standard error, one line each with its FHIRPath:

  tendo: unmapped: Bundle.entry[3].resource: tendo does not read Condition resources

--date   the assessment's date, at which the age is computed (default: today)
--draft  print the whole draft as JSON: {"assessment", "patient", "unmapped",
         "notes", "mapped"} instead of the assessment alone

Exit codes: 0 read (even with unmapped items); 2 input that is not FHIR R4
JSON (one line naming the FHIRPath of the problem); 1 other errors.`

func fhirImportCommand() *command {
	return &command{
		name:    "import",
		summary: "read a FHIR Bundle into an assessment draft",
		usage:   fhirImportUsage,
		run: func(ctx context.Context, m *Main, args []string) error {
			fs := newFlagSet("fhir import")
			date := fs.String("date", "", "the assessment's `date`, YYYY-MM-DD (default: today)")
			whole := fs.Bool("draft", false, "print the whole draft, not the assessment alone")
			pos, err := parseArgs(m, fs, fhirImportUsage, args)
			if err != nil {
				return err
			}
			if len(pos) != 1 {
				return badInputf("fhir import: want one file (or -), got %d arguments", len(pos))
			}
			r, name, err := readResource(m, pos[0])
			if err != nil {
				return err
			}
			opt := fhirmap.ImportOptions{Date: *date, Now: time.Now}
			var d *fhirmap.Draft
			if b, ok := r.(*fhir.Bundle); ok {
				d, err = fhirmap.Import(b, opt)
			} else {
				d, err = fhirmap.ImportResources([]fhir.Resource{r}, opt)
			}
			if err != nil {
				var fe *fhir.Error
				if errors.As(err, &fe) {
					return badInputf("%s: %s: %s", name, fe.Path, fe.Msg)
				}
				var te *tendo.Error
				if errors.As(err, &te) && te.Field == "date" {
					return badInputf("fhir import: --date: %v", strings.TrimPrefix(te.Error(), "date: "))
				}
				return err
			}
			for _, u := range d.Unmapped {
				fmt.Fprintf(m.Stderr, "tendo: unmapped: %s: %s\n", u.Path, u.Reason)
			}
			for _, n := range d.Notes {
				fmt.Fprintf(m.Stderr, "tendo: note: %s\n", n)
			}
			if *whole {
				return writeIndented(m.Stdout, d)
			}
			doc, err := intake.Marshal(&d.Assessment)
			if err != nil {
				return err
			}
			return writeIndented(m.Stdout, json.RawMessage(doc))
		},
	}
}

// readResource reads one FHIR resource from a file ("-": standard input),
// at most fhir.MaxBytes. A resource that is not FHIR R4 JSON is an input
// error naming the file and the FHIRPath.
func readResource(m *Main, file string) (fhir.Resource, string, error) {
	in, name := m.Stdin, "standard input"
	if file != "-" {
		f, err := os.Open(file)
		if err != nil {
			if errors.Is(err, os.ErrNotExist) {
				return nil, "", badInputf("%s: no such file", file)
			}
			return nil, "", badInput(err)
		}
		defer f.Close()
		in, name = f, file
	}
	r, err := fhir.Decode(in)
	if err != nil {
		var fe *fhir.Error
		if errors.As(err, &fe) {
			if fe.Path == "" {
				return nil, "", badInputf("%s: %s", name, fe.Msg)
			}
			return nil, "", badInputf("%s: %s: %s", name, fe.Path, fe.Msg)
		}
		return nil, "", badInputf("%s: %v", name, err)
	}
	return r, name, nil
}

// writeIndented writes v as JSON indented by two spaces, and a newline.
func writeIndented(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// writeResource writes a FHIR resource as indented JSON and a newline.
func writeResource(w io.Writer, r fhir.Resource) error {
	b, err := fhir.Marshal(r)
	if err != nil {
		return err
	}
	return writeIndented(w, json.RawMessage(b))
}

const fhirQuestionnairesUsage = `Usage: tendo fhir questionnaires [--ndjson]

Prints the FHIR R4 Questionnaires of the outcome measures tendo asks
(VISA-A, ODI, NPRS and LEFS; tendo's plain-language paraphrases, with the
published scoring as each answer's ordinalValue) as a Bundle of type
collection, or with --ndjson one Questionnaire per line. Load them into
an EHR or a form filler; the QuestionnaireResponses it returns import with
"tendo fhir import".`

func fhirQuestionnairesCommand() *command {
	return &command{
		name:    "questionnaires",
		summary: "print the Questionnaires of VISA-A, ODI, NPRS and LEFS",
		usage:   fhirQuestionnairesUsage,
		run: func(ctx context.Context, m *Main, args []string) error {
			fs := newFlagSet("fhir questionnaires")
			nd := fs.Bool("ndjson", false, "one Questionnaire per line")
			pos, err := parseArgs(m, fs, fhirQuestionnairesUsage, args)
			if err != nil {
				return err
			}
			if len(pos) > 0 {
				return badInputf("fhir questionnaires takes no arguments")
			}
			qs := fhirmap.Questionnaires()
			if *nd {
				for _, q := range qs {
					b, err := fhir.Marshal(q)
					if err != nil {
						return err
					}
					if _, err := fmt.Fprintf(m.Stdout, "%s\n", b); err != nil {
						return err
					}
				}
				return nil
			}
			b := &fhir.Bundle{Type: "collection"}
			for _, q := range qs {
				b.Entry = append(b.Entry, fhir.BundleEntry{FullURL: q.URL, Resource: q})
			}
			return writeResource(m.Stdout, b)
		},
	}
}
