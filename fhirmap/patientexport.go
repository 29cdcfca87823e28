package fhirmap

import (
	"encoding/json"
	"fmt"
	"strconv"

	"github.com/tendo-health/tendo"
)

// RecordOf is the Record Export writes for a patient's record as the EHR
// service hands it out (tendo.EHRService): each stored visit's input and
// result documents decoded, its id as the visit's id. The documents were
// checked when the visit was saved; one that does not decode is an error.
func RecordOf(x tendo.PatientExport) (Record, error) {
	rec := Record{Patient: x.Patient, Responses: x.Responses}
	for _, st := range x.Visits {
		var a tendo.Assessment
		if err := json.Unmarshal(st.Input, &a); err != nil {
			return Record{}, fmt.Errorf("fhirmap: visit %d: the stored assessment: %w", st.ID, err)
		}
		var r tendo.Result
		if err := json.Unmarshal(st.Result, &r); err != nil {
			return Record{}, fmt.Errorf("fhirmap: visit %d: the stored result: %w", st.ID, err)
		}
		rec.Visits = append(rec.Visits, Visit{ID: strconv.FormatInt(st.ID, 10), Date: st.Date, Assessment: &a, Result: &r})
	}
	return rec, nil
}
