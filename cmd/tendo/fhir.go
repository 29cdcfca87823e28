package main

// Issue 11: tendo fhir, FHIR R4 in and out of the command line.

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/tendo-health/tendo"
	"github.com/tendo-health/tendo/assess"
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
		subs: []*command{fhirImportCommand(), fhirExportCommand(), fhirQuestionnairesCommand()},
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

// writeIndented writes v as JSON indented by two spaces, and a newline
// (with <, > and & as they are: the narratives are XHTML).
func writeIndented(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
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

const fhirExportUsage = `Usage: tendo fhir export ASSESSMENT.json|- [--ranges reference|fast|off]
       tendo fhir export --patient ID [--db DSN]
       tendo fhir export --ndjson DIR [--patient ID] [--db DSN]

Writes FHIR R4.

With a file, it runs the assessment as tendo assess does and prints a
Bundle of type collection: an anonymous Patient, an Observation per
finding, a QuestionnaireResponse per outcome measure answered item by item,
the score Observations, a RiskAssessment (probabilities as fractions 0–1
with their 90% credible intervals), a Condition (the classification,
provisional), a Flag per red flag, a DetectedIssue for a tendon-risk
medicine, the ServiceRequests and the CarePlan of the plan.

With --patient, it prints the Bundle of a patient of the database: their
current visits as saved (not recomputed) and the questionnaire responses
they sent by link.

With --ndjson DIR, it writes Bulk Data NDJSON files, one per resource type
(DIR/Patient.ndjson, DIR/Observation.ndjson, …, one resource per line,
references relative), for every patient of the database (at most 1000) or
the one --patient names, and prints the list of files as JSON. The files
hold patient data: they are created readable by their owner only.

The database is read as the system ("system (cli)"), and every export is
written to its audit log ("fhir.export").

--ranges   credible intervals, as tendo assess (default reference)
--patient  the patient's id in the database
--ndjson   the directory of the NDJSON files (created if missing)

Exit codes: 0 done; 2 bad input (the message names the field); 1 other
errors.`

func fhirExportCommand() *command {
	return &command{
		name:    "export",
		summary: "write an assessment, a patient or every patient as FHIR",
		usage:   fhirExportUsage,
		run: func(ctx context.Context, m *Main, args []string) error {
			fs := newFlagSet("fhir export")
			ranges := fs.String("ranges", "reference", "credible intervals: `reference`, fast or off")
			patient := fs.Int64("patient", 0, "the patient's `ID` in the database")
			dir := fs.String("ndjson", "", "write Bulk Data NDJSON files into `DIR`")
			dsn := dbFlag(fs)
			pos, err := parseArgs(m, fs, fhirExportUsage, args)
			if err != nil {
				return err
			}
			switch {
			case len(pos) > 1:
				return badInputf("fhir export: want one file (or -), got %d arguments", len(pos))
			case len(pos) == 1 && (*patient != 0 || *dir != ""):
				return badInputf("fhir export: a file, or --patient/--ndjson with the database, not both")
			case len(pos) == 1:
				return exportAssessment(m, pos[0], *ranges)
			case *patient == 0 && *dir == "":
				return badInputf("fhir export: name an assessment file, --patient ID or --ndjson DIR (see 'tendo fhir export --help')")
			case *patient < 0:
				return badInputf("fhir export: --patient: %d is not a patient id", *patient)
			}
			sctx, svc, closeDB, err := openService(ctx, *dsn)
			if err != nil {
				return err
			}
			defer closeDB()
			var xs []tendo.PatientExport
			if *patient != 0 {
				x, err := svc.ExportPatient(sctx, *patient)
				if err != nil {
					return serviceError("fhir export", err)
				}
				xs = []tendo.PatientExport{x}
			} else if xs, err = svc.ExportPatients(sctx); err != nil {
				return serviceError("fhir export", err)
			}
			if *dir == "" {
				rec, err := fhirmap.RecordOf(xs[0])
				if err != nil {
					return err
				}
				b, err := fhirmap.Export(rec, fhirmap.Options{})
				if err != nil {
					return err
				}
				return writeResource(m.Stdout, b)
			}
			return writeNDJSON(m, *dir, xs)
		},
	}
}

// exportAssessment assesses one assessment file as tendo assess does and
// prints its Bundle.
func exportAssessment(m *Main, file, ranges string) error {
	in, name := m.Stdin, "standard input"
	if file != "-" {
		f, err := os.Open(file)
		if err != nil {
			if errors.Is(err, os.ErrNotExist) {
				return badInputf("%s: no such file", file)
			}
			return badInput(err)
		}
		defer f.Close()
		in, name = f, file
	}
	if _, err := rangesOptions(ranges); err != nil {
		return err
	}
	a, err := intake.Read(in)
	if err != nil {
		return badInputf("%s: %v", name, err)
	}
	eng, err := loadEngine(ranges)
	if err != nil {
		return err
	}
	res, err := eng.Assess(a)
	if err != nil {
		var se tendo.ScoreErrors
		if errors.As(err, &se) || errors.Is(err, assess.ErrImpossible) {
			return badInputf("%s: %v", name, err)
		}
		return err
	}
	rec := fhirmap.Record{Visits: []fhirmap.Visit{{ID: a.ID, Date: a.Date, Assessment: a, Result: res}}}
	b, err := fhirmap.Export(rec, fhirmap.Options{})
	if err != nil {
		return err
	}
	return writeResource(m.Stdout, b)
}

// ndjsonFile is one file of a Bulk Data export, as the output list of a
// Bulk Data status response names it.
type ndjsonFile struct {
	Type  string `json:"type"`
	URL   string `json:"url"`
	Count int    `json:"count"`
}

// writeNDJSON writes the patients' resources into dir, one file per
// resource type, and prints the list of files.
func writeNDJSON(m *Main, dir string, xs []tendo.PatientExport) error {
	byType := map[string][][]byte{}
	var types []string
	for _, x := range xs {
		rec, err := fhirmap.RecordOf(x)
		if err != nil {
			return err
		}
		rs, err := fhirmap.Resources(rec, fhirmap.Options{})
		if err != nil {
			return err
		}
		for _, r := range rs {
			b, err := fhir.Marshal(r)
			if err != nil {
				return err
			}
			t := r.ResourceType()
			if _, ok := byType[t]; !ok {
				types = append(types, t)
			}
			byType[t] = append(byType[t], b)
		}
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return badInputf("fhir export: --ndjson: %v", err)
	}
	out := struct {
		Output []ndjsonFile `json:"output"`
	}{Output: []ndjsonFile{}}
	for _, t := range types {
		p := filepath.Join(dir, t+".ndjson")
		var buf bytes.Buffer
		for _, line := range byType[t] {
			buf.Write(line)
			buf.WriteByte('\n')
		}
		if err := os.WriteFile(p, buf.Bytes(), 0o600); err != nil {
			return err
		}
		out.Output = append(out.Output, ndjsonFile{Type: t, URL: p, Count: len(byType[t])})
	}
	return writeIndented(m.Stdout, out)
}
