/*
 * verifarm_probe.h: Verifarm's probe protocol for C programs checked in native mode
 * (docs/checks.md, "Native mode and the probe protocol"), the C side of the Go package
 * verifarm.dev/probe (probe/go). Header only: include it where the program reports.
 *
 *     verifarm_probe_resolve("addr_of_memcpy", addr_of_memcpy());
 *     verifarm_probe_copy("addr_of_memcpy", begin, dst, len);
 *     verifarm_probe_ready();
 *
 * Outside a probe run (VERIFARM_PROBE is not 1) every function does nothing, so the calls
 * can stay in the program that ships. A name the line protocol cannot carry (empty, or with
 * a space or control character), or a report after verifarm_probe_ready, ends the program
 * with exit status 2, as the protocol expects of a probe that failed.
 */
#ifndef VERIFARM_PROBE_H
#define VERIFARM_PROBE_H

#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define VERIFARM_PROBE_VERSION 1

/* Per program: one header included in several files keeps one state in each, so report from one file. */
static int verifarm_probe_begun;
static int verifarm_probe_finished;

/* Whether the program runs as a Verifarm probe (VERIFARM_PROBE=1). */
static inline int verifarm_probe_enabled(void) {
    const char *value = getenv("VERIFARM_PROBE");
    return value != NULL && strcmp(value, "1") == 0;
}

static inline void verifarm_probe_fail_(const char *what, const char *name) {
    fprintf(stderr, "verifarm probe: %s: '%s'\n", what, name);
    exit(2);
}

/* Writes one whole line and flushes it: the agent reads lines as they come. */
static inline void verifarm_probe_line_(const char *line) {
    if (fputs(line, stdout) == EOF || fflush(stdout) == EOF) {
        verifarm_probe_fail_("cannot write to stdout", line);
    }
}

/* Announces the protocol version, once; the other functions begin by themselves. Call it
 * first only when the program prints protocol lines of its own. */
static inline void verifarm_probe_begin(void) {
    if (verifarm_probe_enabled() && !verifarm_probe_begun) {
        char line[64];
        verifarm_probe_begun = 1;
        snprintf(line, sizeof line, "verifarm probe %d\n", VERIFARM_PROBE_VERSION);
        verifarm_probe_line_(line);
    }
}

static inline void verifarm_probe_require_name_(const char *name) {
    const unsigned char *c;
    if (name == NULL || *name == '\0') {
        verifarm_probe_fail_("a resolver needs a name", "");
    }
    for (c = (const unsigned char *) name; *c != '\0'; c++) {
        if (*c <= ' ' || *c == 0x7f) {
            verifarm_probe_fail_("a name has a space or control character", name);
        }
    }
    if (verifarm_probe_finished) {
        verifarm_probe_fail_("reported after verifarm_probe_ready", name);
    }
}

/* Reports the run-time address that the resolver NAME yielded. */
static inline void verifarm_probe_resolve(const char *name, uintptr_t addr) {
    char line[4200];
    if (!verifarm_probe_enabled()) {
        return;
    }
    verifarm_probe_require_name_(name);
    verifarm_probe_begin();
    if (snprintf(line, sizeof line, "verifarm resolve %s 0x%jx\n", name, (uintmax_t) addr) >= (int) sizeof line) {
        verifarm_probe_fail_("the name is too long", name);
    }
    verifarm_probe_line_(line);
}

/* Reports LEN bytes copied from SRC (what the resolver NAME yielded) to a new mapping at DST. */
static inline void verifarm_probe_copy(const char *name, uintptr_t src, uintptr_t dst, size_t len) {
    char line[4200];
    if (!verifarm_probe_enabled()) {
        return;
    }
    verifarm_probe_require_name_(name);
    verifarm_probe_begin();
    if (snprintf(line, sizeof line, "verifarm copy %s 0x%jx 0x%jx %zu\n", name, (uintmax_t) src,
                 (uintmax_t) dst, len) >= (int) sizeof line) {
        verifarm_probe_fail_("the name is too long", name);
    }
    verifarm_probe_line_(line);
}

/* Reports that everything is reported, then blocks until the agent closes stdin, having read
 * the program's memory: until then the copies must stay mapped and the program alive. */
static inline void verifarm_probe_ready(void) {
    char buffer[4096];
    if (!verifarm_probe_enabled()) {
        return;
    }
    if (verifarm_probe_finished) {
        verifarm_probe_fail_("verifarm_probe_ready called twice", "ready");
    }
    verifarm_probe_begin();
    verifarm_probe_finished = 1;
    verifarm_probe_line_("verifarm ready\n");
    for (;;) {
        ssize_t n = read(STDIN_FILENO, buffer, sizeof buffer);
        if (n == 0 || (n < 0 && errno != EINTR)) {
            return;
        }
    }
}

#endif
