package main

import (
	"bytes"
	"fmt"
	"io"
	"slices"
	"strings"

	"gorun/engine/vault"
)

// Where an encrypt_string input came from, as ansible-vault names it.
const (
	fromStdin  = "stdin"
	fromArgs   = "the command line args"
	fromPrompt = "the interactive prompt"
)

// stringInput is one plaintext for encrypt_string.
type stringInput struct {
	text   []byte
	source string
	name   string
}

// encryptStrings is the "encrypt_string" action.
func (ed *vaultEditor) encryptStrings(o *vaultOptions, sec vault.Secret, readStdin bool) error {
	c := ed.cli
	var inputs []stringInput
	if o.prompt {
		in, err := c.promptString(o.showInput)
		if err != nil {
			return err
		}
		inputs = append(inputs, in)
	}
	if readStdin {
		if isTerminal(c.out) {
			fmt.Fprintln(c.err, "Reading plaintext input from stdin. (ctrl-d to end input, twice if your content does not already have a newline)")
		}
		text, err := io.ReadAll(c.in)
		if err != nil {
			return err
		}
		if len(text) == 0 {
			return optionsError("stdin was empty, not encrypting")
		}
		if isTerminal(c.out) && !bytes.HasSuffix(text, []byte("\n")) {
			fmt.Fprintln(c.err)
		}
		inputs = append(inputs, stringInput{text, fromStdin, o.stdinName})
	}
	args := slices.DeleteFunc(slices.Clone(o.args), func(a string) bool { return a == "-" })
	if len(o.names) > 0 && len(args) > len(o.names) {
		// Vague on purpose so that no plaintext is shown.
		fmt.Fprintln(c.err, "The number of --name options do not match the number of args.")
		fmt.Fprintf(c.err, "The last named variable will be \"%s\". The rest will not have names.\n", o.names[len(o.names)-1])
	}
	for i, a := range args {
		if a == "" {
			return optionsError("The plaintext provided from the command line args was empty, not encrypting")
		}
		name := ""
		if i < len(o.names) {
			name = o.names[i]
		}
		inputs = append(inputs, stringInput{[]byte(a), fromArgs, name})
	}

	var outs []string
	for i, in := range inputs {
		ct, err := encryptWith(in.text, sec)
		if err != nil {
			return err
		}
		if len(inputs) > 1 {
			if in.name != "" {
				fmt.Fprintf(c.err, "# The encrypted version of variable (\"%s\", the string #%d from %s).\n", in.name, i+1, in.source)
			} else {
				fmt.Fprintf(c.err, "# The encrypted version of the string #%d from %s.)\n", i+1, in.source)
			}
		}
		outs = append(outs, vaultYAML(ct, in.name))
	}
	if err := c.writeData([]byte(strings.Join(outs, "\n")), orDefault(o.output, "-"), true); err != nil {
		return err
	}
	if isTerminal(c.out) {
		fmt.Fprintln(c.err, "Encryption successful")
	}
	return nil
}

// vaultYAML formats vault text as a YAML "!vault |" block, indented by 10
// spaces, optionally as the value of a variable.
func vaultYAML(ct []byte, name string) string {
	lines := []string{"!vault |"}
	if name != "" {
		lines[0] = name + ": !vault |"
	}
	for _, l := range strings.Split(strings.TrimRight(string(ct), "\n"), "\n") {
		lines = append(lines, strings.Repeat(" ", 10)+l)
	}
	return strings.Join(lines, "\n")
}

// promptString asks for a variable name and the string to encrypt.
func (c *vaultCLI) promptString(show bool) (stringInput, error) {
	fmt.Fprint(c.err, "Variable name (enter for no name): ")
	name, err := c.readLine()
	if err != nil {
		return stringInput{}, fmt.Errorf("EOF when reading a line")
	}
	var text []byte
	if show {
		fmt.Fprint(c.err, "String to encrypt:")
		text, err = c.readLine()
	} else {
		text, err = c.promptPassword("String to encrypt (hidden): ")
	}
	if err != nil {
		return stringInput{}, fmt.Errorf("EOF when reading a line")
	}
	if len(text) == 0 {
		return stringInput{}, optionsError("The plaintext provided from the prompt was empty, not encrypting")
	}
	return stringInput{text, fromPrompt, string(name)}, nil
}
