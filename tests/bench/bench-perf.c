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
 *                      LIMITS_GET channel shows them, a 32-bit store in
 *                      the region, the doorbell's word and a ring of
 *                      a2p_doorbell; the simulator applies it in the loop
 *                      iteration the ring wakes and sends the events: not
 *                      part of the call). Baseline: the same percentile of
 *                      scmi_perf_level_set() on domain 1, the
 *                      PERF_LEVEL_SET command's round trip, measured in
 *                      the same run, mode and placement, in alternating
 *                      blocks. No target: a measurement.
 *                      applied_p50, applied_p99: ns from the call to
 *                      the entry of the agent's PERFORMANCE_LEVEL_CHANGED
 *                      callback that follows, domain 0 against domain 1:
 *                      what the channel's call leaves to the platform
 *                      against the command, which the platform applies
 *                      before it answers. No target: a measurement.
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
#include <poll.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <scmi/agent.h>
#include <scmi/notify.h>
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
#define APPLIED_SAMPLES 1000u
#define APPLIED_BLOCKS 5u
#define APPLIED_WAIT_MS 1000

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
	uint64_t fc_applied[APPLIED_SAMPLES], msg_applied[APPLIED_SAMPLES];
};

/* The callback's side: when it ran last, and a wake-up for the waiter. */
static _Atomic uint64_t cb_ns;
static _Atomic unsigned int cb_count;
static int cb_efd = -1;

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

static int on_level(struct scmi_notifier *nb, uint8_t evt_id,
		    const void *report)
{
	static const uint64_t one = 1;

	atomic_store(&cb_ns, sim_now_ns());
	atomic_fetch_add(&cb_count, 1);
	if (write(cb_efd, &one, sizeof(one)) < 0)
		perror("bench-perf: eventfd");
	return SCMI_NOTIFY_OK;
}

/*
 * Wait for the callback after @count: threaded, on cb_efd; event loop,
 * dispatching the agent's work here. 0 or -1.
 */
static int wait_callback(struct scmi_agent *a, enum bench_mode mode,
			 unsigned int count)
{
	uint64_t deadline = sim_now_ns() + APPLIED_WAIT_MS * 1000000ull;

	while (atomic_load(&cb_count) == count) {
		struct pollfd pfd = { .events = POLLIN };
		uint64_t v;

		if (sim_now_ns() > deadline) {
			fprintf(stderr, "bench-perf: no PERFORMANCE_LEVEL_CHANGED\n");
			return -1;
		}
		pfd.fd = mode == BENCH_EVENT_LOOP ? scmi_agent_get_fd(a) : cb_efd;
		if (poll(&pfd, 1, 10) < 0)
			return -1;
		if (mode == BENCH_EVENT_LOOP) {
			if (scmi_agent_dispatch(a) < 0)
				return -1;
		} else if (pfd.revents & POLLIN &&
			   read(cb_efd, &v, sizeof(v)) < 0) {
			return -1;
		}
	}
	return 0;
}

/* A level set of @dom and the time until its event's callback ran. */
static int applied_once(struct scmi_agent *a, enum bench_mode mode,
			uint32_t dom, uint64_t *ns)
{
	unsigned int count = atomic_load(&cb_count);
	uint64_t t0 = sim_now_ns();

	if (set_once(a, dom, ns) || wait_callback(a, mode, count))
		return -1;
	*ns = atomic_load(&cb_ns) - t0;
	return 0;
}

/* The notifiers of both domains' level events. */
static struct scmi_notifier nbs[2] = { { .cb = on_level }, { .cb = on_level } };

static int subscribe(struct scmi_agent *a, bool on)
{
	for (uint32_t d = 0; d < 2; d++) {
		int r = on ? scmi_event_notifier_register(scmi_agent_notify(a),
				SCMI_PROTOCOL_PERF,
				SCMI_EVENT_PERFORMANCE_LEVEL_CHANGED, &d, &nbs[d])
			   : scmi_event_notifier_unregister(scmi_agent_notify(a),
				SCMI_PROTOCOL_PERF,
				SCMI_EVENT_PERFORMANCE_LEVEL_CHANGED, &d, &nbs[d]);

		if (r) {
			fprintf(stderr, "bench-perf: notifier of domain %u: %d\n",
				d, r);
			return -1;
		}
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
	if (subscribe(a, true))
		goto out;
	per_block = APPLIED_SAMPLES / APPLIED_BLOCKS;
	for (unsigned int b = 0; b < APPLIED_BLOCKS; b++) {
		for (size_t i = 0; i < per_block; i++)
			if (applied_once(a, mode, DOM_MSG,
					 &c->msg_applied[b * per_block + i]))
				goto out;
		for (size_t i = 0; i < per_block; i++)
			if (applied_once(a, mode, DOM_FC,
					 &c->fc_applied[b * per_block + i]))
				goto out;
	}
	if (subscribe(a, false))
		goto out;
	bench_sort_u64(c->fc, SAMPLES);
	bench_sort_u64(c->msg, SAMPLES);
	bench_sort_u64(c->fc_applied, APPLIED_SAMPLES);
	bench_sort_u64(c->msg_applied, APPLIED_SAMPLES);
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
	cb_efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (cb_efd < 0) {
		perror("bench-perf: eventfd");
		remove_topology();
		return -1;
	}
	ret = bench_matrix(&measured, BENCH, measure_config, NULL);
	close(cb_efd);
	cb_efd = -1;
	remove_topology();
	return ret;
}

static void emit(const struct config *c, const char *metric, double p,
		 const uint64_t *fc, const uint64_t *msg, size_t n)
{
	struct bench_line l = {
		.bench = BENCH, .metric = metric, .unit = "ns",
		.value = (double)bench_percentile(fc, n, p),
		.has_baseline = true,
		.baseline = (double)bench_percentile(msg, n, p),
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
		const struct config *c = &configs[i];

		emit(c, "latency_p50", 0.50, c->fc, c->msg, SAMPLES);
		emit(c, "latency_p99", 0.99, c->fc, c->msg, SAMPLES);
		emit(c, "applied_p50", 0.50, c->fc_applied, c->msg_applied,
		     APPLIED_SAMPLES);
		emit(c, "applied_p99", 0.99, c->fc_applied, c->msg_applied,
		     APPLIED_SAMPLES);
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
