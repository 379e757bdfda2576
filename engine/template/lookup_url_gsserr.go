package template

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/jcmturner/gokrb5/v8/krberror"
)

// This file words the url lookup's Kerberos failures (gokrb5's errors) as
// python-gssapi words MIT's: "Major (N): GSSAPI status, Minor (N): MIT's
// message", under the exception class Ansible names.

// Major statuses of gss_acquire_cred's failures, as python-gssapi reports them.
const (
	noCredClass = "gssapi.raw.exceptions.MissingCredentialsError"
	noCredMajor = 458752
	noCredText  = "No credentials were supplied, or the credentials were unavailable or inaccessible"
)

// kdcErrorCode finds the KRB-ERROR code in gokrb5's error text.
var kdcErrorCode = regexp.MustCompile(`KRB Error: \((\d+)\)`)

// gssError words a gokrb5 failure as python-gssapi words MIT's: the
// exception class and major status of the GSSAPI call, and MIT's minor
// status for the Kerberos error (principal is the client or server whose
// name MIT's message for an unknown principal gives).
func gssError(err error, class string, major int, majorText, principal string) error {
	var kerr krberror.Krberror
	isKrb := errors.As(err, &kerr)
	if m := kdcErrorCode.FindStringSubmatch(err.Error()); m != nil {
		code, _ := strconv.Atoi(m[1])
		if text, ok := kdcErrorText(code, principal); ok {
			// MIT's error table: ERROR_TABLE_BASE_krb5 plus the KRB-ERROR code.
			return mitError(class, major, majorText, code, text)
		}
	}
	switch {
	case isKrb && kerr.RootCause == krberror.NetworkingError:
		_, realm, _ := strings.Cut(principal, "@")
		return mitError(class, major, majorText, 156, fmt.Sprintf("Cannot contact any KDC for realm '%s'", realm))
	case strings.Contains(err.Error(), "password/keytab incorrect"), isKrb && kerr.RootCause == krberror.DecryptingError:
		// The KDC sent the reply for a key the password does not give.
		return mitError(class, major, majorText, 31, "Decrypt integrity check failed")
	}
	return &lookupException{class, fmt.Sprintf("Major (%d): %s, gokrb5: %v", major, majorText, err)}
}

// kdcErrorText is MIT's message for the KRB-ERROR codes a client meets.
func kdcErrorText(code int, principal string) (string, bool) {
	switch code {
	case 6:
		return fmt.Sprintf("Client '%s' not found in Kerberos database", principal), true
	case 7:
		return fmt.Sprintf("Server %s not found in Kerberos database", principal), true
	case 18:
		return "Client's credentials have been revoked", true
	case 23:
		return "Password has expired", true
	case 24:
		return "Preauthentication failed", true
	case 32:
		return "Ticket expired", true
	case 37:
		return "Clock skew too great", true
	}
	return "", false
}

// mitError is a python-gssapi exception for MIT's minor status
// ERROR_TABLE_BASE_krb5 (-1765328384) + offset, printed unsigned.
func mitError(class string, major int, majorText string, offset int, text string) error {
	minor := uint32(int32(-1765328384 + offset))
	return &lookupException{class, fmt.Sprintf("Major (%d): %s, Minor (%d): %s", major, majorText, minor, text)}
}
