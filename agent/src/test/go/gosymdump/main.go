// Command gosymdump is a test tool, not a fixture: it prints the functions of
// a Go binary's pclntab as the Go standard library's debug/gosym reads them,
// so the agent's own pclntab reader can be checked against an independent one
// on stripped binaries, where go tool nm has nothing to say.
//
// Usage: gosymdump FILE. Output: a first line "functions N", then one line per
// function, "OFFSET NAME", OFFSET being the entry's distance in bytes from the
// first function's entry (debug/gosym takes the text start from its caller,
// and an externally linked file's .text does not start at runtime.text, so only
// distances are comparable).
package main

import (
	"bytes"
	"debug/elf"
	"debug/gosym"
	"errors"
	"fmt"
	"os"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: gosymdump FILE")
		os.Exit(2)
	}
	if err := dump(os.Args[1]); err != nil {
		fmt.Fprintln(os.Stderr, "gosymdump:", err)
		os.Exit(1)
	}
}

func dump(path string) error {
	f, err := elf.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	data, err := pclntab(f)
	if err != nil {
		return err
	}
	text := f.Section(".text")
	if text == nil {
		return errors.New("no .text section")
	}
	table, err := gosym.NewTable(nil, gosym.NewLineTable(data, text.Addr))
	if err != nil {
		return err
	}
	fmt.Printf("functions %d\n", len(table.Funcs))
	if len(table.Funcs) == 0 {
		return nil
	}
	first := table.Funcs[0].Entry
	for _, fn := range table.Funcs {
		fmt.Printf("%d %s\n", fn.Entry-first, fn.Name)
	}
	return nil
}

// pclntab finds the table where the Go linker puts it: its own section, or,
// in an externally linked PIE, inside .data.rel.ro, where only its Go
// 1.18-1.19 header (magic 0xfffffff0, two zero bytes, quantum, pointer size 8)
// marks it.
func pclntab(f *elf.File) ([]byte, error) {
	for _, name := range []string{".gopclntab", ".data.rel.ro.gopclntab"} {
		if s := f.Section(name); s != nil {
			return s.Data()
		}
	}
	s := f.Section(".data.rel.ro")
	if s == nil {
		return nil, errors.New("no .gopclntab, .data.rel.ro.gopclntab or .data.rel.ro section")
	}
	data, err := s.Data()
	if err != nil {
		return nil, err
	}
	magic := []byte{0xf0, 0xff, 0xff, 0xff, 0, 0}
	for at := 0; at+8 <= len(data); at += 8 {
		if bytes.Equal(data[at:at+6], magic) && data[at+7] == 8 {
			return data[at:], nil
		}
	}
	return nil, errors.New("no Go 1.18 pclntab header in .data.rel.ro")
}
