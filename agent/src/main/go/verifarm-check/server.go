package main

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"time"
)

// The server's exit status when another server holds its socket's lock (CheckServer.ANOTHER_SERVER).
const lockHeld = 3

// The longest socket path Linux takes (sun_path's 108 bytes, the last one a NUL).
const maxSocketPath = 107

// The server of one jar for this user: its socket, and the log its output goes to, in the socket directory.
type server struct {
	socket, log string
}

// serverOf names the server of jar: one per jar path, so checkouts side by side do not share one.
func serverOf(jar string) (server, error) {
	dir, err := socketDirectory()
	if err != nil {
		return server{}, err
	}
	absolute, err := filepath.Abs(jar)
	if err != nil {
		return server{}, err
	}
	if real, err := filepath.EvalSymlinks(absolute); err == nil {
		absolute = real // one server for a jar however it is reached
	}
	sum := sha256.Sum256([]byte(absolute))
	name := "check-" + hex.EncodeToString(sum[:8])
	socket := filepath.Join(dir, name+".sock")
	if len(socket) > maxSocketPath {
		return server{}, fmt.Errorf("the socket path %s is longer than Linux allows (%d bytes): set"+
			" VERIFARM_CHECK_SERVER_DIR to a shorter directory", socket, maxSocketPath)
	}
	return server{socket, filepath.Join(dir, name+".log")}, nil
}

// socketDirectory is VERIFARM_CHECK_SERVER_DIR, else $XDG_RUNTIME_DIR/verifarm, else /tmp/verifarm-UID, made
// 0700 when missing. Whoever can reach the socket can make the server read files as this user, so the directory
// must be a real one, this user's, and closed to everyone else; the server checks the same.
func socketDirectory() (string, error) {
	dir := os.Getenv("VERIFARM_CHECK_SERVER_DIR")
	if dir == "" && os.Getenv("XDG_RUNTIME_DIR") != "" {
		dir = filepath.Join(os.Getenv("XDG_RUNTIME_DIR"), "verifarm")
	} else if dir == "" {
		dir = fmt.Sprintf("/tmp/verifarm-%d", os.Getuid())
	}
	if err := os.Mkdir(dir, 0o700); err == nil {
		if err := os.Chmod(dir, 0o700); err != nil { // the umask may have taken bits off
			return "", err
		}
	} else if !errors.Is(err, fs.ErrExist) {
		return "", fmt.Errorf("cannot make the check server's directory: %v", err)
	}
	var st syscall.Stat_t
	if err := syscall.Lstat(dir, &st); err != nil {
		return "", fmt.Errorf("cannot read the check server's directory %s: %v", dir, err)
	}
	switch {
	case st.Mode&syscall.S_IFMT != syscall.S_IFDIR:
		return "", fmt.Errorf("%s is not a directory (a link or a file): remove it, or choose another directory"+
			" with VERIFARM_CHECK_SERVER_DIR", dir)
	case int(st.Uid) != os.Getuid():
		return "", fmt.Errorf("%s belongs to user %d, not to %d: choose another directory with"+
			" VERIFARM_CHECK_SERVER_DIR", dir, st.Uid, os.Getuid())
	case st.Mode&0o777 != 0o700:
		return "", fmt.Errorf("%s is mode %04o, where only its owner may enter (0700): chmod 700 %s", dir,
			st.Mode&0o777, dir)
	}
	return dir, nil
}

// jarIdentity spells the jar's stat as the server's JarIdentity does: device:inode:size:mtime in nanoseconds.
func jarIdentity(jar string) (string, error) {
	var st syscall.Stat_t
	if err := syscall.Stat(jar, &st); err != nil {
		return "", fmt.Errorf("cannot read %s: %v", jar, err)
	}
	return fmt.Sprintf("%d:%d:%d:%d", st.Dev, st.Ino, st.Size, st.Mtim.Sec*1e9+st.Mtim.Nsec), nil
}

// start runs a server detached from this process (its own session, its output to the log), and sends it the
// request once its socket answers. A server that another one beat to the lock exits at once: the other one
// answers instead.
func (s server) start(javaPrefix []string, r request, timeout time.Duration) (answer, error) {
	log, err := os.OpenFile(s.log, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o600)
	if err != nil {
		return answer{}, fmt.Errorf("cannot open the check server's log: %v", err)
	}
	defer log.Close()
	if info, err := log.Stat(); err == nil && info.Size() > 1<<20 {
		log.Truncate(0) // a log of starts and stops: the last ones are enough
	}
	var args []string
	for _, option := range javaPrefix[1:] {
		// one check is over before the optimising compiler pays off; a server that answers many is not
		if option != "-XX:TieredStopAtLevel=1" {
			args = append(args, option)
		}
	}
	args = append(args, "check-server", "--socket", s.socket)
	if idle := os.Getenv("VERIFARM_CHECK_SERVER_IDLE"); idle != "" {
		args = append(args, "--idle-timeout", idle)
	}
	cmd := exec.Command(javaPrefix[0], args...)
	cmd.Stdout, cmd.Stderr = log, log
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
	if err := cmd.Start(); err != nil {
		return answer{}, fmt.Errorf("cannot start the check server: %v", err)
	}
	exited := make(chan int, 1)
	go func() {
		cmd.Wait()
		exited <- cmd.ProcessState.ExitCode()
	}()
	deadline := time.Now().Add(timeout)
	for {
		a, err := r.send(s.socket)
		if !errors.As(err, &noServer{}) {
			return a, err
		}
		if time.Now().After(deadline) {
			return answer{}, fmt.Errorf("no check server answered on %s within %v (see %s)", s.socket, timeout, s.log)
		}
		select {
		case status := <-exited:
			if status != lockHeld {
				return answer{}, fmt.Errorf("the check server exited with status %d (see %s)", status, s.log)
			}
			// another client's server holds the lock and is coming up
			if d := time.Now().Add(5 * time.Second); d.Before(deadline) {
				deadline = d
			}
			exited = nil
		case <-time.After(10 * time.Millisecond):
		}
	}
}
