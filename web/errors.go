package web

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/tendo-health/tendo"
)

// status maps application error codes to HTTP status codes.
var status = map[string]int{
	tendo.EINVALID:      http.StatusUnprocessableEntity,
	tendo.ENOTFOUND:     http.StatusNotFound,
	tendo.ECONFLICT:     http.StatusConflict,
	tendo.EUNAUTHORIZED: http.StatusUnauthorized,
	tendo.EFORBIDDEN:    http.StatusForbidden,
	tendo.ETOOMANY:      http.StatusTooManyRequests,
	tendo.EINTERNAL:     http.StatusInternalServerError,
}

func statusOf(err error) int {
	if c, ok := status[tendo.ErrorCode(err)]; ok {
		return c
	}
	return http.StatusInternalServerError
}

// wantsJSON reports whether the client is the JSON API (or asks for
// JSON) rather than a browser.
func wantsJSON(r *http.Request) bool {
	return strings.HasPrefix(r.URL.Path, "/api/") || strings.Contains(r.Header.Get("Accept"), "application/json")
}

// Error answers a request that failed: JSON for the API, an HTML page
// otherwise. Application errors show their message; any other error is
// logged and shown as "Internal error." with status 500, never as bad
// input.
func (s *Server) Error(w http.ResponseWriter, r *http.Request, err error) {
	code := statusOf(err)
	if code == http.StatusInternalServerError {
		s.Logger.Error("internal error", "method", r.Method, "path", r.URL.Path, "err", err)
	}
	if wantsJSON(r) {
		if code == http.StatusUnauthorized {
			w.Header().Set("WWW-Authenticate", `Bearer realm="tendo"`)
		}
		writeJSON(w, code, errorBody(err))
		return
	}
	s.render(w, r, code, "error", http.StatusText(code), tendo.ErrorMessage(err))
}

// htmlError and apiError are Error, for handlers that know which they
// answer.
func (s *Server) htmlError(w http.ResponseWriter, r *http.Request, err error) { s.Error(w, r, err) }
func (s *Server) apiError(w http.ResponseWriter, r *http.Request, err error)  { s.Error(w, r, err) }

// apiErrorBody is the JSON API's error shape:
// {"error": {"code", "message", "field", "value", "fields": [...]}}.
type apiErrorBody struct {
	Error apiErrorDetail `json:"error"`
}

type apiErrorDetail struct {
	Code    string `json:"code"`
	Message string `json:"message"`
	Field   string `json:"field,omitempty"`
	Value   string `json:"value,omitempty"`
	// Fields lists every field problem when there are several.
	Fields []apiFieldError `json:"fields,omitempty"`
}

type apiFieldError struct {
	Field   string   `json:"field"`
	Paths   []string `json:"paths,omitempty"`
	Value   string   `json:"value,omitempty"`
	Message string   `json:"message"`
	Line    int      `json:"line,omitempty"`
}

func errorBody(err error) apiErrorBody {
	d := apiErrorDetail{Code: tendo.ErrorCode(err), Message: tendo.ErrorMessage(err)}
	var es tendo.Errors
	if errors.As(err, &es) && len(es) > 0 {
		d.Code, d.Message = tendo.EINVALID, es.Error()
		for _, e := range es {
			d.Fields = append(d.Fields, apiFieldError{Field: e.Field, Paths: e.Paths, Value: e.Value, Message: e.Message, Line: e.Line})
		}
		d.Field, d.Value = es[0].Field, es[0].Value
		return apiErrorBody{d}
	}
	var e *tendo.Error
	if errors.As(err, &e) && e.Code != tendo.EINTERNAL {
		d.Field, d.Value = e.Field, e.Value
	}
	return apiErrorBody{d}
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	_ = enc.Encode(v)
}

// maxJSONBody bounds a JSON request that is not an assessment.
const maxJSONBody = 64 << 10

// readJSON decodes a small request body strictly (unknown fields are
// errors naming the field).
func readJSON(r *http.Request, v any) error {
	body := http.MaxBytesReader(nil, r.Body, maxJSONBody)
	dec := json.NewDecoder(body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var ute *json.UnmarshalTypeError
		var mbe *http.MaxBytesError
		switch {
		case errors.As(err, &ute):
			return &tendo.Error{Code: tendo.EINVALID, Field: ute.Field, Message: fmt.Sprintf("must be a %s", ute.Type)}
		case strings.HasPrefix(err.Error(), "json: unknown field "):
			f := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
			return &tendo.Error{Code: tendo.EINVALID, Field: f, Message: "unknown field"}
		case errors.As(err, &mbe):
			return tendo.Errorf(tendo.EINVALID, "The request body is larger than %d bytes.", maxJSONBody)
		case errors.Is(err, io.EOF):
			return tendo.Errorf(tendo.EINVALID, "The request body is empty; send JSON.")
		}
		var se *json.SyntaxError
		if errors.As(err, &se) {
			return tendo.Errorf(tendo.EINVALID, "The request body is not valid JSON (at byte %d).", se.Offset)
		}
		return tendo.Errorf(tendo.EINVALID, "The request body is not valid JSON.")
	}
	return nil
}

func asErrors(err error, es *tendo.Errors) bool { return errors.As(err, es) }
func asError(err error, e **tendo.Error) bool   { return errors.As(err, e) }
