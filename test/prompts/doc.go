// Package prompts drives gorun and ansible-playbook on a pseudo-terminal
// with the same answers and compares what each printed (prompts, retries,
// results): vars_prompt, pause and the -k/-K/-J password prompts.
package prompts
