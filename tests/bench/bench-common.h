/* SPDX-License-Identifier: MIT */
/*
 * What the benchmarks that run against the real simulator share
 * (bench-wire, bench-e2e): the bare cross-process eventfd ping-pong they
 * measure their baselines with, percentiles, and the command line every
 * bench program has (scripts/bench):
 *
 *   bench-X [OPTIONS]               run all of its metrics
 *   bench-X [OPTIONS] METRIC        run one
 *   bench-X --list                  print its metric names, one a line
 *
 * OPTIONS: --sim PATH (the simulator; else $SCMI_SIM, else the one built
 * with it) and --pin P,A (sets $SCMI_BENCH_PIN: a benchmark that supports
 * it runs the platform side on CPU P and the agent side on CPU A).
 */
#ifndef BENCH_COMMON_H
#define BENCH_COMMON_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* ---- the bare ping-pong ---------------------------------------------- */

/*
 * Two processes (fork), two eventfds: the parent writes "ping", the child
 * reads it and writes "pong", the parent reads that. Nothing else: this is
 * the floor a cross-process doorbell can reach on this machine.
 *
 * The value written is either 1 (bench_pp_rtt(), bench_pp_rate(): the
 * child does nothing but answer) or the writer's CLOCK_MONOTONIC time
 * (bench_pp_oneway(): the reader subtracts it from its own clock, as the
 * end-to-end benchmark's callback subtracts the simulator's timestamp).
 */
struct bench_pp {
	int child_cpu;               /* pin the child to it; -1: do not */
	pid_t pid;                   /* the child; -1: not started */
	int ping;                    /* parent writes, child reads */
	int pong;                    /* child writes, parent reads */
	_Atomic uint64_t *child_ns;  /* shared: the child's last one-way */
};

#define BENCH_PP_INIT \
	{ .child_cpu = -1, .pid = -1, .ping = -1, .pong = -1, .child_ns = NULL }

/* Fork the child. Returns 0 or -1 (errno set); then call bench_pp_stop(). */
int bench_pp_start(struct bench_pp *pp);

/* Stop and reap the child, close everything. Idempotent. */
void bench_pp_stop(struct bench_pp *pp);

/* One round trip; *@ns: its time in the parent. Returns 0 or -1. */
int bench_pp_rtt(struct bench_pp *pp, uint64_t *ns);

/*
 * One round trip carrying timestamps: *@ping_ns is the one-way time parent
 * to child (the child's clock after its read() minus the parent's before
 * its write()), *@pong_ns the way back. Returns 0 or -1.
 */
int bench_pp_oneway(struct bench_pp *pp, uint64_t *ping_ns, uint64_t *pong_ns);

/*
 * @n round trips back to back; returns their rate in round trips per
 * second, or a negative value on error.
 */
double bench_pp_rate(struct bench_pp *pp, unsigned int n);

/* A ping-pong measured on its own, in a placement of our choosing. */
struct bench_pp_ref {
	uint64_t oneway_p50, oneway_p99;  /* ns, both directions */
	double rate;                      /* round trips per second */
};

/*
 * Start a ping-pong with the parent (this thread, for the while) on CPU
 * @parent_cpu and the child on @child_cpu (-1: where the scheduler puts
 * them), take @n one-way pairs and @n back-to-back round trips, stop it
 * and restore this thread's CPU mask. Returns 0 or -1.
 */
int bench_pp_reference(int parent_cpu, int child_cpu, unsigned int n,
		       struct bench_pp_ref *ref);

/* ---- CPUs ------------------------------------------------------------ */

/* Pin @pid (0: the calling thread) to CPU @cpu; @cpu < 0: no-op. 0 or -1. */
int bench_pin(pid_t pid, int cpu);

/* The first two CPUs this thread may run on (-1: none); returns how many. */
int bench_cpus(int *first, int *second);

/*
 * The placement asked for by --pin / $SCMI_BENCH_PIN: 1 and the two CPUs,
 * 0 (none asked: both -1), or -1 (malformed, reported on stderr).
 */
int bench_pin_request(int *platform_cpu, int *agent_cpu);

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
 * The main() of a bench program named bench-@bench: parses --sim PATH,
 * -h, --list, @bench (all metrics, the default) or one metric name, and
 * runs them. Returns the exit status.
 */
int bench_main(int argc, char **argv, const char *bench,
	       const struct bench_metric *metrics, size_t num_metrics);

#endif /* BENCH_COMMON_H */
