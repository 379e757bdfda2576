module gorun

go 1.26.8

require gopkg.in/yaml.v3 v3.0.1

require (
	github.com/spf13/pflag v1.1.0 // indirect
	golang.org/x/sys v0.50.0 // indirect
	golang.org/x/term v0.48.0 // indirect
)
