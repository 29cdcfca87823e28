// Package clinic implements tendo's services (tendo.PatientService,
// tendo.VisitService, tendo.LinkService, tendo.UserService,
// tendo.TokenService, tendo.AuthService, tendo.AuditService,
// tendo.GaitTrialService, and for issue 11 tendo.EHRLinkService and
// tendo.CDSService) once, over a tendo.Store. It owns the clinic's
// rules: who may see and change what, validation, running the assessor
// and the gait analyzer, and the audit entry of every read and change (a
// change and its entry are one transaction; a read whose entry cannot be
// written is refused).
//
// The web server and the commands call these services and nothing below
// them. The package imports the root package, passwd and questionnaire,
// and must not import web, sqlstore or cmd: the store is an interface.
package clinic
