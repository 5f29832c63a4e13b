/* SPDX-License-Identifier: MIT */
/* Placements and modes (see bench-place.h). */
#include <sched.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "bench-place.h"

static struct {
	bool pinned;                  /* --pin given */
	int platform_cpu, agent_cpu;
	int mode;                     /* --mode: an enum bench_mode; -1: both */
} opt = { .mode = -1 };

int bench_pin(pid_t pid, int cpu)
{
	cpu_set_t cs;

	if (cpu < 0)
		return 0;
	CPU_ZERO(&cs);
	CPU_SET(cpu, &cs);
	return sched_setaffinity(pid, sizeof(cs), &cs) < 0 ? -1 : 0;
}

static void place(struct bench_place *p, int platform_cpu, int agent_cpu)
{
	p->platform_cpu = platform_cpu;
	p->agent_cpu = agent_cpu;
	snprintf(p->name, sizeof(p->name), "%d,%d", platform_cpu, agent_cpu);
}

size_t bench_places(struct bench_place out[2])
{
	int cpu[2] = { -1, -1 }, n = 0;
	cpu_set_t cs;

	if (opt.pinned) {
		place(&out[0], opt.platform_cpu, opt.agent_cpu);
		return 1;
	}
	if (sched_getaffinity(0, sizeof(cs), &cs) < 0) {
		perror("bench: sched_getaffinity");
		return 0;
	}
	for (int c = 0; c < CPU_SETSIZE && n < 2; c++)
		if (CPU_ISSET(c, &cs))
			cpu[n++] = c;
	if (n == 0)
		return 0;
	place(&out[0], cpu[0], cpu[0]);
	if (n < 2) {
		fprintf(stderr, "bench: one CPU: the placement across two CPUs is not measured\n");
		return 1;
	}
	place(&out[1], cpu[0], cpu[1]);
	return 2;
}

size_t bench_modes(enum bench_mode out[2])
{
	if (opt.mode >= 0) {
		out[0] = (enum bench_mode)opt.mode;
		return 1;
	}
	out[0] = BENCH_THREADED;
	out[1] = BENCH_EVENT_LOOP;
	return 2;
}

const char *bench_mode_name(enum bench_mode m)
{
	return m == BENCH_EVENT_LOOP ? "event_loop" : "threaded";
}

int bench_place_only(const char *s)
{
	if (sscanf(s, "%d,%d", &opt.platform_cpu, &opt.agent_cpu) != 2 ||
	    opt.platform_cpu < 0 || opt.agent_cpu < 0 ||
	    opt.platform_cpu >= CPU_SETSIZE || opt.agent_cpu >= CPU_SETSIZE) {
		fprintf(stderr, "--pin: '%s' is not CPU,CPU\n", s);
		return -1;
	}
	opt.pinned = true;
	return 0;
}

int bench_mode_only(const char *s)
{
	if (!strcmp(s, "threaded")) {
		opt.mode = BENCH_THREADED;
	} else if (!strcmp(s, "event_loop")) {
		opt.mode = BENCH_EVENT_LOOP;
	} else {
		fprintf(stderr, "--mode: '%s' is neither threaded nor event_loop\n", s);
		return -1;
	}
	return 0;
}
