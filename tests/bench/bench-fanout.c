/* SPDX-License-Identifier: MIT */
/*
 * bench-fanout: one state change of the platform to N subscribed agents
 * of one simulator (N = 1, 8, 64), through the real scmi-sim and the
 * public API of libscmi-notify.so only (DESIGN.md section 6), in both
 * modes of the agent and both placements, in one invocation.
 *
 * The N agents live in one agent process (bench-agents.c), every thread
 * of it on the agent CPU: threaded, each agent with its own threads;
 * event loop, all N on the process's one thread, one poll() over their N
 * fds. Each agent registers for SENSOR_UPDATE of sensor SENSOR
 * (timestamped); the simulator runs with --max-agents MAX_AGENTS (its
 * default is 8). The driver (this process, on the platform CPU) changes
 * the sensor with a control request, one change at a time, as bench-e2e
 * does: it sleeps until all N callbacks ran, pauses GAP_NS and waits
 * until every thread of the agent process sleeps, then takes the reply.
 *
 *   per_agent_p50
 *       the time from the post (the simulator's timestamp in the reading:
 *       it takes the time as it changes the value, then posts to each
 *       agent in turn) to the LAST agent's callback, its median over
 *       SAMPLES changes, divided by N. Baseline: the bare one-way,
 *       platform CPU to agent CPU, paced alike (bench-e2e, latency).
 *       Target, at N = 64 only: no more than the bare one-way (ratio
 *       <= 1). Beside it: "to_last_p50" and "to_last_p99" (not divided),
 *       "to_first_p50" (the first agent's callback), and the agent
 *       process's voluntary switches per change (getrusage(RUSAGE_SELF)
 *       in the first callback of the first change measured and the last
 *       callback of the last; its edges are counted within a few
 *       switches, against thousands).
 *
 * Prints one JSON object per line on stdout (diagnostics go to stderr).
 *
 * Usage: bench-fanout [--sim PATH] [--pin P,A] [--mode M] [fanout|--list|METRIC]
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "bench-agents.h"
#include "bench-common.h"
#include "bench-ctl.h"
#include "bench-line.h"
#include "sim-harness.h"

#define BENCH "fanout"
#define SENSOR 1u             /* "gpu-temp" in the default topology */
#define SAMPLES 2000u         /* changes, and a tenth more to warm up */
#define BLOCKS 10u            /* alternating blocks of each side */
#define GAP_NS 20000u         /* pause between two changes */
#define MAX_AGENTS "64"       /* the simulator's --max-agents */

#define TGT_N 64u             /* the target applies at this N */
#define TGT_RATIO 1.0

static const unsigned int agent_counts[] = { 1, 8, 64 };
#define NUM_COUNTS (sizeof(agent_counts) / sizeof(agent_counts[0]))
#define MAX_CONFIGS (4 * NUM_COUNTS)

struct config {
	enum bench_mode mode;
	struct bench_place place;
	unsigned int n;                   /* agents */
	uint64_t last[SAMPLES], first[SAMPLES], base[SAMPLES];
	size_t samples;
	double wakeups;                   /* the agent process's per change */
	unsigned int threads;
	uint64_t settle_pauses;
};

static struct config configs[MAX_CONFIGS];
static size_t num_configs;
static int measured;                      /* 0: not yet; 1: done; -1: failed */

static int measure_config(struct config *c)
{
	static const char *const sim_args[] = { "--max-agents", MAX_AGENTS, NULL };
	struct bench_agents_cfg acfg = {
		.cpu = c->place.agent_cpu, .mode = c->mode, .n = c->n,
		.lat_sensor = SENSOR,
	};
	struct bench_series s = {
		.last_ns = c->last, .first_ns = c->first, .base_ns = c->base,
	};
	struct bench_rig rig;
	struct bench_toggle t;
	int ret = -1;

	if (bench_rig_start(&rig, sim_args, &c->place) ||
	    bench_toggle_init(&rig.ctl, &t, SENSOR))
		goto out;
	acfg.sock = rig.sim.sock;
	if (bench_agents_start(&rig.ap, &acfg) ||
	    bench_agents_series(&rig, &t, SAMPLES, BLOCKS, GAP_NS, &s))
		goto out;
	if (atomic_load(&rig.ap.rec->bad)) {
		fprintf(stderr, "bench-fanout: updates without a usable timestamp\n");
		goto out;
	}
	c->samples = s.n;
	c->wakeups = s.wakeups;
	c->threads = rig.ap.rec->threads;
	c->settle_pauses = rig.ap.settle_pauses;
	bench_sort_u64(c->last, c->samples);
	bench_sort_u64(c->first, c->samples);
	bench_sort_u64(c->base, c->samples);
	ret = 0;
out:
	if (ret)
		fprintf(stderr, "bench-fanout: %u %s agents, placement %s: failed\n",
			c->n, bench_mode_name(c->mode), c->place.name);
	bench_rig_stop(&rig);
	return ret;
}

/* Each count of agents in @place and @mode. */
static int measure_counts(void *arg, const struct bench_place *place,
			  enum bench_mode mode)
{
	for (size_t k = 0; k < NUM_COUNTS; k++) {
		struct config *c = &configs[num_configs];

		c->mode = mode;
		c->place = *place;
		c->n = agent_counts[k];
		if (measure_config(c))
			return -1;
		num_configs++;
	}
	return 0;
}

static int measure(void)
{
	return bench_matrix(&measured, BENCH, measure_counts, NULL);
}

static int metric_per_agent(void)
{
	if (measure())
		return 1;
	for (size_t i = 0; i < num_configs; i++) {
		const struct config *c = &configs[i];
		uint64_t to_last = bench_percentile(c->last, c->samples, 0.50);
		struct bench_line l = {
			.bench = BENCH, .metric = "per_agent_p50", .unit = "ns",
			.value = (double)to_last / c->n,
			.has_baseline = true,
			.baseline = (double)bench_percentile(c->base, c->samples,
							     0.50),
			.mode = bench_mode_name(c->mode),
			.placement = c->place.name, .pass = -1,
		};
		char target[32];

		if (c->n == TGT_N) {
			snprintf(target, sizeof(target), "{\"ratio_max\":%.1f}",
				 TGT_RATIO);
			l.target = target;
			l.pass = l.value <= TGT_RATIO * l.baseline;
		}
		bench_line(&l,
			   "\"agents\":%u,\"to_last_p50\":%llu,\"to_last_p99\":%llu,"
			   "\"to_first_p50\":%llu,\"agent_wakeups_per_event\":%.3f,"
			   "\"agent_threads\":%u,\"samples\":%zu,\"gap_ns\":%u,"
			   "\"settle_pauses\":%llu,"
			   "\"baseline_kind\":\"eventfd one-way, platform CPU to agent CPU, paced alike\","
			   "\"loadavg\":%.2f",
			   c->n, (unsigned long long)to_last,
			   (unsigned long long)bench_percentile(c->last,
								c->samples, 0.99),
			   (unsigned long long)bench_percentile(c->first,
								c->samples, 0.50),
			   c->wakeups, c->threads, c->samples, GAP_NS,
			   (unsigned long long)c->settle_pauses, bench_loadavg());
	}
	return 0;
}

static const struct bench_metric metrics[] = {
	{ "per_agent_p50", metric_per_agent },
};

int main(int argc, char **argv)
{
	return bench_main(argc, argv, BENCH, metrics,
			  sizeof(metrics) / sizeof(metrics[0]));
}
