// Package lookups compares lookup plugins that talk to the outside world
// (the url lookup) under gorun and ansible-playbook: both run one playbook
// of lookup calls against servers the test starts on the controller, and
// every call must give the same value or the same error.
package lookups
