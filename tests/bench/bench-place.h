/* SPDX-License-Identifier: MIT */
/*
 * Where a benchmark's two sides run, and in which modes of the agent: the
 * placements every benchmark measures (DESIGN.md section 6: both, always)
 * and the options that narrow them to one for profiling (--pin P,A,
 * --mode threaded|event_loop).
 */
#ifndef BENCH_PLACE_H
#define BENCH_PLACE_H

#include <stddef.h>
#include <sys/types.h>

/* Where the platform side and the agent side run. */
struct bench_place {
	int platform_cpu;
	int agent_cpu;
	char name[24];                /* "P,A" */
};

/*
 * The placements to measure, into @out[2]: the platform side and the
 * agent side on one CPU, then on two, with the first two CPUs this thread
 * may run on (--pin: only that one). Returns how many (0 on error,
 * reported on stderr).
 */
size_t bench_places(struct bench_place out[2]);

enum bench_mode { BENCH_THREADED, BENCH_EVENT_LOOP };

/* The modes to measure, into @out[2] (--mode: only that one); how many. */
size_t bench_modes(enum bench_mode out[2]);

/* "threaded" or "event_loop". */
const char *bench_mode_name(enum bench_mode m);

/* Pin @pid (0: the calling thread) to CPU @cpu; @cpu < 0: no-op. 0 or -1. */
int bench_pin(pid_t pid, int cpu);

/* --pin P,A: measure that placement only. 0, or -1 (said on stderr). */
int bench_place_only(const char *pin);

/* --mode threaded|event_loop: that mode only. 0, or -1 (said). */
int bench_mode_only(const char *mode);

#endif /* BENCH_PLACE_H */
