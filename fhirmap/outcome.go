package fhirmap

import (
	"errors"
	"fmt"
	"strings"

	"github.com/tendo-health/tendo"
	"github.com/tendo-health/tendo/fhir"
)

// Issue severities and types from the R4 value sets
// http://hl7.org/fhir/issue-severity and http://hl7.org/fhir/issue-type.
const (
	SeverityFatal       = "fatal"
	SeverityError       = "error"
	SeverityWarning     = "warning"
	SeverityInformation = "information"

	IssueInvalid      = "invalid"
	IssueStructure    = "structure"
	IssueRequired     = "required"
	IssueValue        = "value"
	IssueInvariant    = "invariant"
	IssueLogin        = "login"
	IssueForbidden    = "forbidden"
	IssueNotFound     = "not-found"
	IssueConflict     = "conflict"
	IssueTooCostly    = "too-costly"
	IssueThrottled    = "throttled"
	IssueException    = "exception"
	IssueNotSupported = "not-supported"
	IssueInformation  = "informational"
)

// OperationOutcome describes err as an R4 OperationOutcome with one issue
// per problem; nil for a nil error.
//
//   - A *fhir.Error (a resource that cannot be read) is one issue of type
//     structure (required for a missing element, too-costly for input over
//     the limits), its expression the error's FHIRPath; severity fatal when
//     the input could not be read at all (no path), error otherwise.
//   - A *tendo.Error, or each error of a tendo.Errors, is an issue whose
//     type follows its code (EINVALID: invalid, or value when a field is
//     named; ENOTFOUND: not-found; EFORBIDDEN: forbidden; EUNAUTHORIZED:
//     login; ECONFLICT: conflict; ETOOMANY: throttled) and whose expression
//     is the FHIRPath of the field where it has one (see FieldExpression).
//     An EINTERNAL error says "Internal error." and nothing more.
//   - Any other error is an exception that says "Internal error.": its
//     text may hold internals.
func OperationOutcome(err error) *fhir.OperationOutcome {
	if err == nil {
		return nil
	}
	oo := &fhir.OperationOutcome{}
	var fe *fhir.Error
	var tes tendo.Errors
	var te *tendo.Error
	switch {
	case errors.As(err, &fe):
		oo.Issue = append(oo.Issue, fhirIssue(fe))
	case errors.As(err, &tes) && len(tes) > 0:
		for _, e := range tes {
			if e != nil {
				oo.Issue = append(oo.Issue, tendoIssue(e))
			}
		}
	case errors.As(err, &te):
		oo.Issue = append(oo.Issue, tendoIssue(te))
	}
	if len(oo.Issue) == 0 {
		oo.Issue = []fhir.OperationOutcomeIssue{{Severity: SeverityError, Code: IssueException, Diagnostics: "Internal error."}}
	}
	return oo
}

// UnmappedOutcome lists a draft's unmapped content as warnings, each of
// the issue type in its Code and with its FHIRPath, for a client that
// wants an OperationOutcome alongside the draft. Nil when nothing was left
// out.
func UnmappedOutcome(us []Unmapped) *fhir.OperationOutcome {
	if len(us) == 0 {
		return nil
	}
	oo := &fhir.OperationOutcome{}
	for _, u := range us {
		is := fhir.OperationOutcomeIssue{Severity: SeverityWarning, Code: u.Code, Diagnostics: u.Reason}
		if is.Code == "" {
			is.Code = IssueNotSupported
		}
		if u.Path != "" {
			is.Expression = []string{u.Path}
		}
		oo.Issue = append(oo.Issue, is)
	}
	return oo
}

func fhirIssue(e *fhir.Error) fhir.OperationOutcomeIssue {
	is := fhir.OperationOutcomeIssue{Severity: SeverityError, Code: IssueStructure, Diagnostics: e.Error()}
	switch {
	case e.Path == "":
		is.Severity = SeverityFatal
		if strings.Contains(e.Msg, " over ") {
			is.Code = IssueTooCostly
		}
	case e.Msg == "missing":
		is.Code = IssueRequired
	}
	if e.Path != "" {
		is.Expression = []string{e.Path}
	}
	return is
}

func tendoIssue(e *tendo.Error) fhir.OperationOutcomeIssue {
	is := fhir.OperationOutcomeIssue{Severity: SeverityError, Diagnostics: e.Error()}
	switch e.Code {
	case tendo.EINVALID:
		is.Code = IssueInvalid
		if e.Field != "" {
			is.Code = IssueValue
		}
	case tendo.ENOTFOUND:
		is.Code = IssueNotFound
	case tendo.EFORBIDDEN:
		is.Code = IssueForbidden
	case tendo.EUNAUTHORIZED:
		is.Code = IssueLogin
	case tendo.ECONFLICT:
		is.Code = IssueConflict
	case tendo.ETOOMANY:
		is.Code = IssueThrottled
	default:
		return fhir.OperationOutcomeIssue{Severity: SeverityError, Code: IssueException, Diagnostics: "Internal error."}
	}
	paths := e.Paths
	if len(paths) == 0 && e.Field != "" {
		paths = []string{e.Field}
	}
	for _, p := range paths {
		if x := FieldExpression(p); x != "" {
			is.Expression = append(is.Expression, x)
		}
	}
	return is
}

// FieldExpression is the FHIRPath, within a Bundle tendo exports, of the
// element that carries the contract field path (as errors name it:
// "exam.arcSign", "proms.visaA.answers[7].points"); "" for a path that is
// not a contract field.
//
//   - A PROM answer is the QuestionnaireResponse item of its linkId:
//     Bundle.entry.resource.ofType(QuestionnaireResponse).where(questionnaire
//     = 'https://…/Questionnaire/visa-a').item.where(linkId = 'q8').
//   - The patient's sex and age are on the Patient (gender, birthDate).
//   - Any other field is the Observation coded with the field's code in
//     tendo's field CodeSystem.
func FieldExpression(path string) string {
	if path == "" {
		return ""
	}
	if inst, item, ok := promItem(path); ok {
		x := fmt.Sprintf("Bundle.entry.resource.ofType(QuestionnaireResponse).where(questionnaire = '%s')", QuestionnaireURL(inst))
		if item != "" {
			x += fmt.Sprintf(".item.where(linkId = '%s')", item)
		}
		return x
	}
	switch path {
	case "patient.sex":
		return "Bundle.entry.resource.ofType(Patient).gender"
	}
	f := stripIndexes(path)
	if _, ok := tendo.LookupField(f); !ok {
		return ""
	}
	return fmt.Sprintf("Bundle.entry.resource.ofType(Observation).where(code.coding.where(system = '%s' and code = '%s').exists())", SystemField, f)
}

// stripIndexes turns "a.b[3].c" into the field index's "a.b[].c".
func stripIndexes(p string) string {
	var b strings.Builder
	for i := 0; i < len(p); i++ {
		if p[i] == '[' {
			j := strings.IndexByte(p[i:], ']')
			if j < 0 {
				return p
			}
			b.WriteString("[]")
			i += j
			continue
		}
		b.WriteByte(p[i])
	}
	return b.String()
}
