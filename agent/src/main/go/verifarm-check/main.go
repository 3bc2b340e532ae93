// Command verifarm-check-client runs one check through the agent's check server, a resident JVM, and starts
// that server when none answers (docs/checks.md, "The check server"). bin/verifarm-check runs it as
//
//	verifarm-check-client JAR N JAVA_COMMAND...
//
// where JAVA_COMMAND runs the check in a JVM of its own (java OPTIONS -jar JAR check ARGS) and its last N words
// are the check's arguments. Whatever goes wrong with the server, the client runs JAVA_COMMAND instead, so the
// check never fails because of the server: it writes nothing before the server's whole answer has come.
package main

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// How long a server that was just started may take to answer: a JVM's start on a loaded machine.
const startTimeout = 60 * time.Second

func main() {
	if len(os.Args) < 4 {
		fmt.Fprintln(os.Stderr, "usage: verifarm-check-client JAR N JAVA_COMMAND... (run by bin/verifarm-check)")
		os.Exit(2)
	}
	jar, command := os.Args[1], os.Args[3:]
	n, err := strconv.Atoi(os.Args[2])
	if err != nil || n < 0 || n+1 > len(command) || command[len(command)-n-1] != "check" {
		fmt.Fprintln(os.Stderr, "verifarm-check-client: JAVA_COMMAND must end with check and its N arguments")
		os.Exit(2)
	}
	args, javaPrefix := command[len(command)-n:], command[:len(command)-n-1]
	if native(args) {
		inOwnJvm(command)
	}
	answer, err := throughServer(jar, javaPrefix, args)
	if err != nil {
		fmt.Fprintf(os.Stderr, "verifarm-check: %v; checking in a JVM of its own\n", err)
		inOwnJvm(command)
	}
	os.Stdout.Write(answer.stdout)
	os.Stderr.Write(answer.stderr)
	os.Exit(answer.status)
}

// A --native check runs the program under test, whose environment must be the caller's, not the server's.
func native(args []string) bool {
	for _, a := range args {
		if a == "--native" || strings.HasPrefix(a, "--native=") {
			return true
		}
	}
	return false
}

// throughServer asks the jar's server for the check, starting one when none answers or the one that answers
// runs another build of the jar. An error says why the check must run elsewhere.
func throughServer(jar string, javaPrefix, args []string) (answer, error) {
	server, err := serverOf(jar)
	if err != nil {
		return answer{}, err
	}
	request, err := requestFor(jar, args)
	if err != nil {
		return answer{}, err
	}
	a, err := request.send(server.socket)
	if err == nil {
		return a, nil
	}
	if !errors.Is(err, errStale) && !errors.As(err, &noServer{}) {
		return answer{}, fmt.Errorf("the check server failed: %v (see %s)", err, server.log)
	}
	a, err = server.start(javaPrefix, request, startTimeout)
	if err != nil {
		return answer{}, fmt.Errorf("the check server it started failed: %v (see %s)", err, server.log)
	}
	return a, nil
}

// inOwnJvm replaces this process with the check in a JVM of its own.
func inOwnJvm(command []string) {
	path, err := exec.LookPath(command[0])
	if err == nil {
		err = syscall.Exec(path, command, os.Environ())
	}
	fmt.Fprintf(os.Stderr, "verifarm-check: cannot run %s: %v\n", command[0], err)
	os.Exit(2)
}
