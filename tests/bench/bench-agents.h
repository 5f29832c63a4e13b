/* SPDX-License-Identifier: MIT */
/*
 * The agent process of bench-e2e and bench-fanout, and the driver's handle
 * on it.
 *
 * N agents of one mode run in a process of their own, forked by the
 * driver, pinned with every thread to the agent CPU (the affinity is set
 * before the first agent is created, so every thread inherits it; checked
 * thread by thread after setup). So getrusage(RUSAGE_SELF) in it counts
 * the context switches of the agents and of nothing else: the driver (the
 * control requests, the pacing, the baseline's ping-pong) is another
 * process. What runs in the agent process:
 *
 *  - the agents: threaded, each with its rx, worker and supervisor
 *    threads; event loop, all on the process's one thread, which polls
 *    the N fds of scmi_agent_get_fd() (and the socket to the driver) in
 *    one poll() and calls scmi_agent_dispatch() for each that is ready;
 *  - threaded only: the main thread, asleep in read() on the socket to
 *    the driver from the end of setup to the end (no switch while events
 *    are measured), but for a bench_agents_snapshot() asked for;
 *  - the notifier callbacks: each takes CLOCK_MONOTONIC first thing,
 *    records in shared memory (struct bench_rec) what the driver reads,
 *    takes a getrusage() snapshot at the two counts the driver marked,
 *    and, when the count the driver sleeps on is reached, wakes it
 *    (FUTEX_WAKE on the shared count): a system call after the time was
 *    taken, never a wait, so never a voluntary switch of the agent
 *    process.
 */
#ifndef BENCH_AGENTS_H
#define BENCH_AGENTS_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "bench-common.h"
#include "bench-ctl.h"
#include "sim-harness.h"

/* A getrusage(RUSAGE_SELF) snapshot taken in a callback. */
struct bench_snap {
	uint64_t ns;                  /* the callback's time */
	uint64_t nvcsw, nivcsw;       /* voluntary, involuntary switches */
};

/* Shared between the driver and the agent process. */
struct bench_rec {
	_Atomic uint32_t delivered;   /* callbacks run (the driver's futex) */
	_Atomic uint32_t wait_for;    /* wake the driver at this count; 0: none */
	_Atomic uint32_t mark_a;      /* take snap_a at this count; 0: none */
	_Atomic uint32_t mark_b;      /* take snap_b at this count; 0: none */
	struct bench_snap snap_a, snap_b;
	struct bench_snap snap_end;   /* taken at bench_agents_snapshot() */
	uint64_t dropped;             /* by the agents, at bench_agents_snapshot() */
	_Atomic uint64_t last_cb_ns;  /* the time of the latest callback */
	/* of the SENSOR_UPDATEs of the latency sensor since the last reset */
	_Atomic uint64_t first_ns;    /* post to callback, the earliest */
	_Atomic uint64_t last_ns;     /* post to callback, the latest */
	_Atomic uint64_t rx_ns;       /* post to the agent's receive, the latest */
	_Atomic uint64_t bad;         /* updates without a usable timestamp */
	_Atomic uint64_t rx_early;    /* updates received before their post */
	unsigned int threads;         /* of the agent process, after setup */
	unsigned int per_rate_req;    /* events of one rate sensor change */
	int status;                   /* of setup: 0 or a negative errno */
};

struct bench_agents_cfg {
	const char *sock;             /* the simulator's socket */
	int cpu;                      /* the agent CPU: every thread on it */
	enum bench_mode mode;
	unsigned int n;               /* agents */
	/* every agent: SENSOR_UPDATE of this sensor, timestamped */
	unsigned int lat_sensor;
	/* the first agent also: SENSOR_UPDATE and SENSOR_TRIP_POINT_EVENT of
	 * rate_sensor, its trip points (up to 2) at rate_trip, either way */
	bool rate;
	unsigned int rate_sensor;
	int64_t rate_trip;
};

struct bench_agents {
	pid_t pid;                    /* -1: not running */
	int sock;                     /* to the agent process: closed = quit */
	unsigned int n;
	struct bench_rec *rec;
	int *task_stat;               /* /proc/PID/task/TID/stat of each thread */
	unsigned int num_tasks;
	uint64_t settle_pauses;       /* pauses beyond the first, waiting for
				       * every thread to sleep */
};

#define BENCH_AGENTS_INIT \
	{ .pid = -1, .sock = -1, .n = 0, .rec = NULL, .task_stat = NULL, \
	  .num_tasks = 0, .settle_pauses = 0 }

/*
 * Fork the agent process and wait until its agents are connected and
 * subscribed. Returns 0 or -1 (said on stderr); then bench_agents_stop().
 */
int bench_agents_start(struct bench_agents *ap,
		       const struct bench_agents_cfg *cfg);

/* End the agent process (its agents destroyed) and reap it. Idempotent. */
void bench_agents_stop(struct bench_agents *ap);

/* Sleep until @target callbacks ran, at most @ms. 0 or -1 (not said). */
int bench_agents_wait(struct bench_agents *ap, uint32_t target,
		      unsigned int ms);

/*
 * Sleep until @target callbacks ran, or none ran for @quiet_ms (some were
 * lost). Returns the count of callbacks then.
 */
uint32_t bench_agents_drain(struct bench_agents *ap, uint32_t target,
			    unsigned int quiet_ms);

/*
 * Ask the agent process for snap_end (taken by the thread that reads the
 * driver's socket: the one of the event loop, or the main thread, which
 * this wakes once) and for the notifications its agents dropped (the
 * notify cores' dropped and the transports' refused). 0 or -1.
 */
int bench_agents_snapshot(struct bench_agents *ap);

/*
 * One event at a time: forget the last event's times, send the toggle's
 * next "sensor set", sleep until @per_event more callbacks ran, pause
 * @gap_ns, and again while a thread of the agent process is not asleep
 * (its /proc state; counted in settle_pauses), so that the next event
 * finds the agents asleep as the baseline's receiver is; take the
 * request's reply. 0 or -1.
 */
int bench_agents_event(struct bench_agents *ap, struct bench_ctl *c,
		       struct bench_toggle *t, unsigned int per_event,
		       uint64_t gap_ns);

/*
 * What a driver runs: the simulator and the driver itself on the platform
 * CPU, the baseline's ping-pong (its child on the agent CPU), the control
 * connection, and the agent process.
 */
struct bench_rig {
	struct sim sim;
	struct bench_pp pp;
	struct bench_ctl ctl;
	struct bench_agents ap;
};

/*
 * Start the simulator with @sim_args (NULL-terminated, may be NULL), pin
 * it and this thread to @place's platform CPU, start the ping-pong and
 * open the control connection; the agent process is the caller's to start
 * (bench_agents_start() on @r->ap). 0 or -1 (said); then bench_rig_stop().
 */
int bench_rig_start(struct bench_rig *r, const char *const *sim_args,
		    const struct bench_place *place);

/* Stop all of it. Idempotent. */
void bench_rig_stop(struct bench_rig *r);

/* What bench_agents_series() measured. */
struct bench_series {
	/* per event, in the order measured: arrays of @samples (or NULL) */
	uint64_t *last_ns;            /* post to the last callback */
	uint64_t *first_ns;           /* post to the first callback */
	uint64_t *rx_ns;              /* post to the latest receive */
	uint64_t *base_ns;            /* the bare one-ways, as many */
	size_t n;                     /* events measured, and one-ways */
	double wakeups;               /* the agent process's, per event */
	double involuntary;           /* its involuntary switches, per event */
	double base_wakeups;          /* the ping-pong receiver's, per message */
	double sim_wakeups;           /* the simulator's, per event */
};

/*
 * Events one at a time (bench_agents_event() with @t, one callback per
 * agent each) against the bare one-way of the rig's ping-pong, platform
 * CPU to agent CPU, paced alike (@gap_ns before each): a tenth of
 * @samples of each to warm up, then @blocks alternating blocks of each,
 * @samples in all. The agent process's switches are taken by getrusage()
 * in the first callback of the first event measured and the last
 * callback of the last; the simulator's and the ping-pong child's around
 * the blocks. 0 or -1.
 */
int bench_agents_series(struct bench_rig *r, struct bench_toggle *t,
			unsigned int samples, unsigned int blocks,
			uint64_t gap_ns, struct bench_series *s);

/* SIGSTOP the agent process and wait until it is stopped. 0 or -1. */
int bench_agents_pause(struct bench_agents *ap);

/* SIGCONT it. 0 or -1. */
int bench_agents_resume(struct bench_agents *ap);

/*
 * Voluntary switches per event between the two snapshots, over @events
 * events, or -1 when a snapshot is missing.
 */
double bench_snap_switches(const struct bench_rec *r, double events);

#endif /* BENCH_AGENTS_H */
