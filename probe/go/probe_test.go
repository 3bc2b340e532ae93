package probe

import (
	"bytes"
	"io"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"
)

func TestLinesFollowTheProtocolVersionFirstAndReadyLast(t *testing.T) {
	var out bytes.Buffer
	p := New(true, &out, strings.NewReader("agent done\n"))
	p.Resolve("main.addrOfMemcpyish", 0x486ec0)
	p.Copy("funcvalue:main.memcpyish", 0x487020, 0x7f0000001000, 64)
	p.Ready()
	want := "verifarm probe 1\n" +
		"verifarm resolve main.addrOfMemcpyish 0x486ec0\n" +
		"verifarm copy funcvalue:main.memcpyish 0x487020 0x7f0000001000 64\n" +
		"verifarm ready\n"
	if out.String() != want {
		t.Fatalf("got\n%s\nwant\n%s", out.String(), want)
	}
}

func TestAddressesAreLowerCaseHexWithPrefixEvenZero(t *testing.T) {
	var out bytes.Buffer
	p := New(true, &out, strings.NewReader(""))
	p.Resolve("a", 0xABCDEF)
	p.Resolve("b", 0)
	if got := out.String(); !strings.Contains(got, "resolve a 0xabcdef\n") || !strings.Contains(got, "resolve b 0x0\n") {
		t.Fatalf("got %q", got)
	}
}

func TestBeginAnnouncesTheVersionOnce(t *testing.T) {
	var out bytes.Buffer
	p := New(true, &out, strings.NewReader(""))
	p.Begin()
	out.WriteString("verifarm net ok 127.0.0.1:9\n") // a program's own line
	p.Begin()
	p.Resolve("r", 1)
	want := "verifarm probe 1\nverifarm net ok 127.0.0.1:9\nverifarm resolve r 0x1\n"
	if out.String() != want {
		t.Fatalf("got %q, want %q", out.String(), want)
	}
}

func TestADisabledProbeIsSilentAndDoesNotWait(t *testing.T) {
	var out bytes.Buffer
	in, _ := io.Pipe() // never closed: a probe that read it would hang
	p := New(false, &out, in)
	p.Begin()
	p.Resolve("r", 1)
	p.Copy("r", 1, 2, 3)
	done := make(chan struct{})
	go func() { p.Ready(); close(done) }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("a disabled probe waited for stdin")
	}
	if out.Len() != 0 {
		t.Fatalf("a disabled probe wrote %q", out.String())
	}
}

func TestReadyBlocksUntilTheAgentClosesStdin(t *testing.T) {
	in, agent := io.Pipe()
	p := New(true, io.Discard, in)
	done := make(chan struct{})
	go func() { p.Ready(); close(done) }()
	if _, err := agent.Write([]byte("still reading /proc\n")); err != nil {
		t.Fatal(err)
	}
	select {
	case <-done:
		t.Fatal("Ready returned while stdin was open")
	case <-time.After(200 * time.Millisecond):
	}
	agent.Close()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("Ready did not return when stdin closed")
	}
}

func TestANameTheProtocolCannotCarryPanics(t *testing.T) {
	for _, name := range []string{"", "two words", "new\nline", "tab\tbed"} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("Resolve(%q) did not panic", name)
				}
			}()
			New(true, io.Discard, strings.NewReader("")).Resolve(name, 1)
		}()
	}
}

func TestReportingAfterReadyPanics(t *testing.T) {
	p := New(true, io.Discard, strings.NewReader(""))
	p.Ready()
	defer func() {
		if recover() == nil {
			t.Error("Resolve after Ready did not panic")
		}
	}()
	p.Resolve("late", 1)
}

func TestANegativeCopyLengthPanics(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("Copy with a negative length did not panic")
		}
	}()
	New(true, io.Discard, strings.NewReader("")).Copy("r", 1, 2, -1)
}

// The package's functions speak on the process's stdout only under
// VERIFARM_PROBE=1: this test runs its own binary as a program using them.
func TestThePackageFunctionsFollowVERIFARM_PROBE(t *testing.T) {
	if os.Getenv("VERIFARM_PROBE_TEST_PROGRAM") == "1" {
		Resolve("main.stub", 0x1000)
		Copy("main.stub", 0x1000, 0x2000, 16)
		Ready()
		os.Exit(0)
	}
	for _, c := range []struct{ env, want string }{
		{"1", "verifarm probe 1\nverifarm resolve main.stub 0x1000\nverifarm copy main.stub 0x1000 0x2000 16\nverifarm ready\n"},
		{"0", ""},
		{"", ""},
	} {
		cmd := exec.Command(os.Args[0], "-test.run=^TestThePackageFunctionsFollowVERIFARM_PROBE$")
		cmd.Env = append(os.Environ(), "VERIFARM_PROBE_TEST_PROGRAM=1", "VERIFARM_PROBE="+c.env)
		cmd.Stdin = strings.NewReader("")
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("VERIFARM_PROBE=%q: %v", c.env, err)
		}
		if string(out) != c.want {
			t.Errorf("VERIFARM_PROBE=%q: got %q, want %q", c.env, out, c.want)
		}
	}
}
