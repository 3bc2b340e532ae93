package main

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
)

// The frames of the wire, as the server's Frames class names them: a kind byte, a big-endian 32-bit length, the
// bytes.
const (
	frameJar       = 'J'
	frameDirectory = 'D'
	frameArg       = 'A'
	frameRun       = 'R'
	frameStdout    = 'O'
	frameStderr    = 'E'
	frameExit      = 'X'
	frameStale     = 'S'
)

// The most output a server may send in one frame; more is not a check report.
const maxFrame = 1 << 30

type request struct {
	jarIdentity string
	directory   string
	args        []string
}

type answer struct {
	stdout, stderr []byte
	status         int
}

var errStale = errors.New("the check server runs another build of the jar")

// noServer is a socket no server listens on: none was started, or it died, or it is still starting.
type noServer struct{ err error }

func (e noServer) Error() string { return "no check server answers: " + e.err.Error() }

func requestFor(jar string, args []string) (request, error) {
	identity, err := jarIdentity(jar)
	if err != nil {
		return request{}, err
	}
	directory, err := os.Getwd()
	if err != nil {
		return request{}, fmt.Errorf("no working directory: %v", err)
	}
	return request{identity, directory, args}, nil
}

// send asks the server on socket and reads its whole answer; errStale when it runs another build.
func (r request) send(socket string) (answer, error) {
	conn, err := net.Dial("unix", socket)
	if err != nil {
		return answer{}, noServer{err}
	}
	defer conn.Close()
	out := bufio.NewWriter(conn)
	writeFrame(out, frameJar, []byte(r.jarIdentity))
	writeFrame(out, frameDirectory, []byte(r.directory))
	for _, a := range r.args {
		writeFrame(out, frameArg, []byte(a))
	}
	writeFrame(out, frameRun, nil)
	if err := out.Flush(); err != nil {
		return answer{}, noServer{err}
	}
	in := bufio.NewReader(conn)
	var a answer
	for frames := 0; ; frames++ {
		kind, payload, err := readFrame(in)
		if err != nil && frames == 0 {
			// a server that was stopping as it took the connection, or died: as good as none
			return answer{}, noServer{fmt.Errorf("the connection closed before an answer: %v", err)}
		} else if err != nil {
			return answer{}, fmt.Errorf("the answer broke off: %v", err)
		}
		switch kind {
		case frameStdout:
			a.stdout = append(a.stdout, payload...)
		case frameStderr:
			a.stderr = append(a.stderr, payload...)
		case frameExit:
			if len(payload) != 4 {
				return answer{}, fmt.Errorf("an exit frame of %d bytes", len(payload))
			}
			a.status = int(int32(binary.BigEndian.Uint32(payload)))
			return a, nil
		case frameStale:
			return answer{}, errStale
		default:
			return answer{}, fmt.Errorf("a frame of unknown kind %d", kind)
		}
	}
}

func writeFrame(w *bufio.Writer, kind byte, payload []byte) {
	var header [5]byte
	header[0] = kind
	binary.BigEndian.PutUint32(header[1:], uint32(len(payload)))
	w.Write(header[:])
	w.Write(payload)
}

func readFrame(r *bufio.Reader) (byte, []byte, error) {
	var header [5]byte
	if _, err := io.ReadFull(r, header[:]); err != nil {
		return 0, nil, err
	}
	length := binary.BigEndian.Uint32(header[1:])
	if length > maxFrame {
		return 0, nil, fmt.Errorf("a frame of %d bytes", length)
	}
	payload := make([]byte, length)
	if _, err := io.ReadFull(r, payload); err != nil {
		return 0, nil, err
	}
	return header[0], payload, nil
}
