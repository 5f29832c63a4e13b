/* SPDX-License-Identifier: MIT */
/*
 * What the benchmarks that run against the real simulator share
 * (bench-wire, bench-e2e, bench-fanout): the bare cross-process eventfd
 * ping-pong they measure their baselines with, percentiles, and the
 * command line every bench program has (scripts/bench); the placements
 * and modes they run in are bench-place.h's:
 *
 *   bench-X [OPTIONS]               run all of its metrics
 *   bench-X [OPTIONS] METRIC        run one
 *   bench-X --list                  print its metric names, one a line
 *
 * OPTIONS: --sim PATH (the simulator; else $SCMI_SIM, else the one built
 * with it); for profiling one configuration, --pin P,A (only the
 * placement with the platform side on CPU P and the agent side on CPU A)
 * and --mode threaded|event_loop (only that mode of the agent).
 */
#ifndef BENCH_COMMON_H
#define BENCH_COMMON_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "bench-place.h"

/* ---- the bare ping-pong ---------------------------------------------- */

/*
 * Two processes (fork), two eventfds: the parent writes "ping", the child
 * reads it and writes "pong", the parent reads that. Nothing else: this is
 * the floor a cross-process doorbell can reach on this machine.
 */
struct bench_pp_shared;

struct bench_pp {
	int child_cpu;                /* pin the child to it; -1: do not */
	pid_t pid;                    /* the child; -1: not started */
	int ping;                     /* parent writes, child reads */
	int pong;                     /* child writes, parent reads */
	struct bench_pp_shared *sh;   /* what the child tells the parent */
};

#define BENCH_PP_INIT \
	{ .child_cpu = -1, .pid = -1, .ping = -1, .pong = -1, .sh = NULL }

/* Fork the child. Returns 0 or -1 (errno set); then call bench_pp_stop(). */
int bench_pp_start(struct bench_pp *pp);

/* Stop and reap the child, close everything. Idempotent. */
void bench_pp_stop(struct bench_pp *pp);

/* One round trip; *@ns: its time in the parent. Returns 0 or -1. */
int bench_pp_rtt(struct bench_pp *pp, uint64_t *ns);

/*
 * One one-way time, parent to child, after a pause of @gap_ns (0: none):
 * the parent's CLOCK_MONOTONIC before its write() travels as the eventfd
 * value, and the child subtracts it from its own clock after its read()
 * returns, as an agent's callback subtracts the simulator's timestamp.
 * The round trip is completed before this returns. Returns 0 or -1.
 */
int bench_pp_oneway(struct bench_pp *pp, uint64_t gap_ns, uint64_t *ns);

/*
 * @n round trips back to back; returns their rate in round trips per
 * second, or a negative value on error.
 */
double bench_pp_rate(struct bench_pp *pp, unsigned int n);

/*
 * The child's voluntary context switches so far (getrusage in the child,
 * asked for by one extra round trip). Returns 0 or -1.
 */
int bench_pp_child_switches(struct bench_pp *pp, uint64_t *nvcsw);

/* Sleep @ns nanoseconds (the program's timer slack is 1 ns). */
void bench_pause_ns(uint64_t ns);

/*
 * The voluntary context switches of process @pid's main thread so far
 * (/proc/PID/status): all of them for a process of one thread, as the
 * simulator is. 0 or -1.
 */
int bench_proc_switches(pid_t pid, uint64_t *nvcsw);

/* ---- numbers --------------------------------------------------------- */

/* Sort @n values in place, ascending. */
void bench_sort_u64(uint64_t *v, size_t n);

/* The @p (0..1) percentile of @n sorted values (nearest rank). */
uint64_t bench_percentile(const uint64_t *sorted, size_t n, double p);

/* The median of @n values (sorted in place). */
double bench_median(double *v, size_t n);

/* The 1-minute load average, or -1. */
double bench_loadavg(void);

/* ---- the program ----------------------------------------------------- */

struct bench_metric {
	const char *name;
	int (*run)(void);            /* 0 or 1 (failed) */
};

/*
 * Measure every configuration once per program: check that there is a
 * simulator, then call @fn(@arg, placement, mode) for each placement
 * (outer) and mode, stopping at the first that fails (returns -1).
 * *@state remembers the outcome (0: not measured yet; 1: done; -1:
 * failed), so that each metric of a program may call this first.
 * Returns 0 or -1.
 */
int bench_matrix(int *state, const char *bench,
		 int (*fn)(void *arg, const struct bench_place *place,
			   enum bench_mode mode),
		 void *arg);

/*
 * The main() of a bench program named bench-@bench: parses the options
 * above, -h, --list, @bench (all metrics, the default) or one metric
 * name, and runs them. Returns the exit status.
 */
int bench_main(int argc, char **argv, const char *bench,
	       const struct bench_metric *metrics, size_t num_metrics);

#endif /* BENCH_COMMON_H */
