/* SPDX-License-Identifier: MIT */
/*
 * The driver's connection to the simulator's control socket (bench-e2e,
 * bench-fanout): requests sent without waiting for their replies, so that
 * a driver may pipeline them or read a reply later, and a sensor's value
 * toggled between two values, so that each "sensor set" changes it and
 * the simulator emits its events.
 */
#ifndef BENCH_CTL_H
#define BENCH_CTL_H

#include <stddef.h>
#include <stdint.h>

struct bench_ctl {
	int fd;                       /* -1: not open */
	uint64_t sent, replies;       /* requests sent, replies taken */
};

#define BENCH_CTL_INIT { .fd = -1, .sent = 0, .replies = 0 }

/* Connect to the control socket of the simulator on @sim_sock. 0 or -1. */
int bench_ctl_open(struct bench_ctl *c, const char *sim_sock);

/* Close it. Idempotent. */
void bench_ctl_close(struct bench_ctl *c);

/* Send one request (printf-style). 0 or -1 (said on stderr). */
int bench_ctl_send(struct bench_ctl *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/*
 * Take the oldest reply not taken yet (wait for it, at most 2 s); it must
 * be "ok"; what follows "ok " goes to @out (may be NULL). 0 or -1.
 */
int bench_ctl_recv(struct bench_ctl *c, char *out, size_t out_sz);

/* A sensor whose value a driver toggles. */
struct bench_toggle {
	unsigned int sensor;
	int64_t lo, hi;               /* the two values: its own, and one more */
	int64_t value;                /* the current one */
};

/* Read @sensor's value ("sensor get") into @t: lo is it, hi one more. */
int bench_toggle_init(struct bench_ctl *c, struct bench_toggle *t,
		      unsigned int sensor);

/* Send "sensor set" to the other value (the reply is left to take). */
int bench_toggle_send(struct bench_ctl *c, struct bench_toggle *t);

#endif /* BENCH_CTL_H */
