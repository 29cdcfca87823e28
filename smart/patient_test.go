package smart_test

import (
	"os"
	"testing"

	"github.com/tendo-health/tendo"
	"github.com/tendo-health/tendo/internal/shared"
	"github.com/tendo-health/tendo/smart"
)

// TestPatientFromFHIR reads what tendo keeps of a Patient, and names the
// element at fault in one it cannot use.
func TestPatientFromFHIR(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name, json, id string
		want           tendo.EHRPatient
		field          string
	}{
		{"official name, MRN, birth date",
			`{"resourceType":"Patient","id":"p1","identifier":[{"system":"urn:x","value":"no type"},{"type":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/v2-0203","code":"MR"}]},"value":"M-1"}],"name":[{"use":"nickname","given":["Al"]},{"use":"official","family":"Smith","given":["Alan","J"]}],"birthDate":"1970-01-31"}`,
			"p1", tendo.EHRPatient{Name: "Alan J Smith", BirthDate: "1970-01-31", MRN: "M-1"}, ""},
		{"name text wins", `{"resourceType":"Patient","id":"p1","name":[{"text":"Dr Jo Bloggs","family":"Bloggs"}]}`, "p1", tendo.EHRPatient{Name: "Dr Jo Bloggs"}, ""},
		{"a year of birth only is left out", `{"resourceType":"Patient","id":"p1","name":[{"family":"X"}],"birthDate":"1970"}`, "p1", tendo.EHRPatient{Name: "X"}, ""},
		{"an MR code of another system is not an MRN", `{"resourceType":"Patient","id":"p1","name":[{"family":"X"}],"identifier":[{"type":{"coding":[{"system":"urn:other","code":"MR"}]},"value":"9"}]}`, "p1", tendo.EHRPatient{Name: "X"}, ""},
		{"no name", `{"resourceType":"Patient","id":"p1"}`, "p1", tendo.EHRPatient{}, "Patient.name"},
		{"another patient", `{"resourceType":"Patient","id":"p2","name":[{"family":"X"}]}`, "p1", tendo.EHRPatient{}, "Patient.id"},
		{"not a Patient", `{"resourceType":"Observation","id":"p1","status":"final"}`, "p1", tendo.EHRPatient{}, "resourceType"},
		{"a wrong JSON type", `{"resourceType":"Patient","id":"p1","name":"X"}`, "p1", tendo.EHRPatient{}, "Patient.name"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := smart.PatientFromFHIR([]byte(tt.json), tt.id)
			if tt.field != "" {
				wantErr(t, tt.name, err, tendo.EINVALID, tt.field)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("got %+v, want %+v", got, tt.want)
			}
		})
	}
}

// TestPatientFromOfficialExample reads the official R4 example Patient.
func TestPatientFromOfficialExample(t *testing.T) {
	t.Parallel()
	b, err := os.ReadFile(shared.Path(t, "data", "fhir", "r4-examples", "Patient-example.json"))
	if err != nil {
		t.Fatal(err)
	}
	got, err := smart.PatientFromFHIR(b, "example")
	if err != nil {
		t.Fatal(err)
	}
	// Patient-example.json: official name Peter James Chalmers, born
	// 1974-12-25, identifier typed MR 12345.
	if want := (tendo.EHRPatient{Name: "Peter James Chalmers", BirthDate: "1974-12-25", MRN: "12345"}); got != want {
		t.Errorf("got %+v, want %+v", got, want)
	}
}

// FuzzPatientFromFHIR: hostile Patient JSON gives an error or a patient,
// never a panic.
func FuzzPatientFromFHIR(f *testing.F) {
	f.Add([]byte(`{"resourceType":"Patient","id":"p1","name":[{"family":"X"}]}`))
	f.Add([]byte(`{"resourceType":"Patient","id":"p1","identifier":[{"type":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/v2-0203","code":"MR"}]},"value":"M"}],"name":[{"text":"A"}],"birthDate":"1970-01-01"}`))
	f.Add([]byte(`[`))
	f.Fuzz(func(t *testing.T, b []byte) {
		p, err := smart.PatientFromFHIR(b, "p1")
		if err == nil && p.Name == "" {
			t.Fatal("a patient without a name was accepted")
		}
	})
}

// FuzzParseConfiguration: a hostile configuration gives an error, never a
// panic, and Check never passes one without S256.
func FuzzParseConfiguration(f *testing.F) {
	f.Add([]byte(`{"authorization_endpoint":"https://e/a","token_endpoint":"https://e/t","code_challenge_methods_supported":["S256"]}`))
	f.Add([]byte(`{"code_challenge_methods_supported":["plain"]}`))
	f.Add([]byte(`{"capabilities":[1]}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		c, err := smart.ParseConfiguration(b)
		if err != nil {
			return
		}
		if c.Check() == nil {
			ok := false
			for _, m := range c.CodeChallengeMethodsSupported {
				ok = ok || m == "S256"
			}
			if !ok {
				t.Fatalf("Check passed %v without S256", c.CodeChallengeMethodsSupported)
			}
		}
	})
}
