/* SPDX-License-Identifier: MIT */
/*
 * bench-perf: a performance level set through a fast channel against the
 * same set as a command, through the real simulator and the public API of
 * libscmi-notify.so only.
 *
 * The simulator runs a topology of two perf domains that differ in one
 * thing: domain 0 offers fast channels, domain 1 does not. The agent's
 * driver uses the channel for domain 0 and the command for domain 1, so
 * that one run, one agent and one simulator measure both.
 *
 *   perf_level_set     two lines per configuration:
 *                      latency_p50, latency_p99: ns per
 *                      scmi_perf_level_set() on domain 0 (check the level
 *                      against the domain's and its limits as the
 *                      LIMITS_GET channel shows them, one 32-bit store in
 *                      the region; the simulator applies it within its
 *                      polling period, 1 ms, and sends the events: not
 *                      part of the call). Baseline: the same percentile of
 *                      scmi_perf_level_set() on domain 1, the
 *                      PERF_LEVEL_SET command's round trip, measured in
 *                      the same run, mode and placement, in alternating
 *                      blocks. No target: a measurement.
 *
 * Both modes of the agent (threaded, event loop) and both placements (the
 * simulator and this thread, with the agent's threads, on one CPU, "P,P",
 * and across two, "P,A"), each line naming its own.
 *
 * Prints one JSON object per line on stdout (diagnostics go to stderr).
 *
 * Usage: bench-perf [--sim PATH] [--pin P,A] [--mode M] [perf_level_set|--list]
 * The simulator: --sim PATH, else $SCMI_SIM, else the one built with it.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <scmi/agent.h>
#include <scmi/perf.h>

#include "bench-common.h"
#include "bench-line.h"
#include "sim-harness.h"

#define BENCH "perf_level_set"
#define SAMPLES 20000u
#define WARMUP 2000u
#define BLOCKS 10u
#define TIMEOUT_MS 1000u
#define MAX_CONFIGS 4u

#define DOM_FC 0u
#define DOM_MSG 1u

static const char topology[] =
	"{ \"perf\": [\n"
	"  { \"name\": \"fc\", \"fast_channels\": true,\n"
	"    \"levels\": [ { \"perf\": 600 }, { \"perf\": 1800 } ] },\n"
	"  { \"name\": \"msg\",\n"
	"    \"levels\": [ { \"perf\": 600 }, { \"perf\": 1800 } ] } ] }\n";

struct config {
	enum bench_mode mode;
	struct bench_place place;
	uint64_t fc[SAMPLES], msg[SAMPLES];
};

static struct config configs[MAX_CONFIGS];
static size_t num_configs;
static int measured;
static char topo_dir[64], topo_path[96];

/* One level set of @dom, to the other of its two levels; its time. */
static int set_once(struct scmi_agent *a, uint32_t dom, uint64_t *ns)
{
	static unsigned int turn[2];
	uint32_t level = turn[dom]++ & 1 ? 1800 : 600;
	uint64_t t0 = sim_now_ns();
	int ret = scmi_perf_level_set(a, dom, level);

	*ns = sim_now_ns() - t0;
	if (ret) {
		fprintf(stderr, "bench-perf: level set of domain %u: %d\n", dom,
			ret);
		return -1;
	}
	return 0;
}

/* The topology file, once, in a directory of our own. */
static int write_topology(void)
{
	FILE *f;

	if (topo_path[0])
		return 0;
	snprintf(topo_dir, sizeof(topo_dir), "/tmp/scmi-bench-perf-XXXXXX");
	if (!mkdtemp(topo_dir)) {
		perror("bench-perf: mkdtemp");
		return -1;
	}
	snprintf(topo_path, sizeof(topo_path), "%s/perf.json", topo_dir);
	f = fopen(topo_path, "w");
	if (!f || fputs(topology, f) < 0 || fclose(f)) {
		perror("bench-perf: the topology file");
		return -1;
	}
	return 0;
}

static void remove_topology(void)
{
	if (!topo_path[0])
		return;
	unlink(topo_path);
	rmdir(topo_dir);
	topo_path[0] = '\0';
}

static int measure_config(void *arg, const struct bench_place *place,
			  enum bench_mode mode)
{
	const char *const sim_args[] = { "--topology", topo_path, NULL };
	struct config *c = &configs[num_configs];
	struct scmi_agent_config cfg = {
		.timeout_ms = TIMEOUT_MS,
		.event_loop = mode == BENCH_EVENT_LOOP,
	};
	struct scmi_agent *a = NULL;
	size_t per_block = SAMPLES / BLOCKS;
	uint64_t scratch;
	struct sim sim;
	int ret = -1;

	c->mode = mode;
	c->place = *place;
	if (sim_start(&sim, sim_args)) {
		fprintf(stderr, "bench-perf: cannot start %s\n", sim_exe());
		return -1;
	}
	if (bench_pin(sim.pid, c->place.platform_cpu) ||
	    bench_pin(0, c->place.agent_cpu)) {
		perror("bench-perf: sched_setaffinity");
		goto out;
	}
	if (scmi_agent_create(&a, &cfg) || scmi_agent_connect(a, sim.sock)) {
		fprintf(stderr, "bench-perf: cannot connect to %s\n", sim.sock);
		goto out;
	}
	for (unsigned int i = 0; i < WARMUP; i++)
		if (set_once(a, DOM_FC, &scratch) ||
		    set_once(a, DOM_MSG, &scratch))
			goto out;
	for (unsigned int b = 0; b < BLOCKS; b++) {
		for (size_t i = 0; i < per_block; i++)
			if (set_once(a, DOM_MSG, &c->msg[b * per_block + i]))
				goto out;
		for (size_t i = 0; i < per_block; i++)
			if (set_once(a, DOM_FC, &c->fc[b * per_block + i]))
				goto out;
	}
	bench_sort_u64(c->fc, per_block * BLOCKS);
	bench_sort_u64(c->msg, per_block * BLOCKS);
	num_configs++;
	ret = 0;
out:
	if (ret)
		fprintf(stderr, "bench-perf: %s, placement %s: failed\n",
			bench_mode_name(c->mode), c->place.name);
	scmi_agent_destroy(a);
	sim_stop(&sim);
	return ret;
}

static int measure(void)
{
	int ret;

	if (write_topology())
		return -1;
	ret = bench_matrix(&measured, BENCH, measure_config, NULL);
	remove_topology();
	return ret;
}

static void emit(const struct config *c, const char *metric, double p)
{
	size_t n = SAMPLES / BLOCKS * BLOCKS;
	struct bench_line l = {
		.bench = BENCH, .metric = metric, .unit = "ns",
		.value = (double)bench_percentile(c->fc, n, p),
		.has_baseline = true,
		.baseline = (double)bench_percentile(c->msg, n, p),
		.mode = bench_mode_name(c->mode),
		.placement = c->place.name, .pass = -1,
	};

	bench_line(&l, "\"samples\":%zu,\"path\":\"fast channel\","
		   "\"baseline_kind\":\"PERF_LEVEL_SET command, same run\","
		   "\"loadavg\":%.2f", n, bench_loadavg());
}

static int metric_level_set(void)
{
	if (measure())
		return 1;
	for (size_t i = 0; i < num_configs; i++) {
		emit(&configs[i], "latency_p50", 0.50);
		emit(&configs[i], "latency_p99", 0.99);
	}
	return 0;
}

static const struct bench_metric metrics[] = {
	{ BENCH, metric_level_set },
};

int main(int argc, char **argv)
{
	return bench_main(argc, argv, BENCH, metrics,
			  sizeof(metrics) / sizeof(metrics[0]));
}
