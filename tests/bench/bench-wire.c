/* SPDX-License-Identifier: MIT */
/*
 * bench-wire: the round trip of one SCMI command through the real
 * simulator, through the public API of libscmi-notify.so only.
 *
 * Both modes of the agent (threaded, event loop) and both placements (the
 * platform side and the agent side on one CPU, "P,P", and across two,
 * "P,A") in one invocation; each line names its mode and placement. The
 * agent is in this process: this thread, which sends the commands, and
 * every thread of the agent (they inherit its affinity) run on the agent
 * CPU; the simulator on the platform CPU.
 *
 *   rtt_p50, rtt_p99   ns per Base PROTOCOL_VERSION with scmi_agent_xfer()
 *                      against scmi-sim (agent: write the A2P area, ring
 *                      a2p_doorbell, wait for a2p_done, copy out and check
 *                      the response; platform: its libev loop, copy in,
 *                      dispatch, write the response). Baseline: a bare
 *                      cross-process eventfd ping-pong (fork; two
 *                      eventfds; the child, on the platform CPU, reads one
 *                      and writes the other: bench-common.c), the same
 *                      percentile, measured in the same run with the same
 *                      placement: blocks of each alternate so that both
 *                      see the same machine. ratio = value / baseline.
 *                      Targets (DESIGN.md section 6): p50 <= 1.5x,
 *                      p99 <= 2x, in both modes and both placements.
 *
 *   async_rtt_p50, async_rtt_p99
 *                      ns per asynchronous CLOCK_RATE_SET with
 *                      scmi_agent_xfer_async() against scmi-sim
 *                      --async-delay 0 (the immediate response, then the
 *                      delayed one on the P2A channel and its ack; the
 *                      waiter woken by the rx thread, threaded, or taking
 *                      it itself, event loop): what an asynchronous
 *                      command costs beyond its platform's own work.
 *                      Baseline: rtt_p50 / rtt_p99 of the same mode and
 *                      placement. No target: a measurement.
 *
 * Prints one JSON object per line on stdout (diagnostics go to stderr).
 *
 * Usage: bench-wire [--sim PATH] [--pin P,A] [--mode M] [wire|--list|METRIC]
 * (--pin and --mode: one configuration only, for profiling.)
 * The simulator: --sim PATH, else $SCMI_SIM, else the one built with it.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <scmi/agent.h>
#include <scmi/wire.h>

#include "bench-common.h"
#include "bench-line.h"
#include "sim-harness.h"

#define BENCH "wire"
#define SAMPLES 20000u
#define WARMUP 2000u
#define BLOCKS 10u           /* alternating blocks of each side */
#define TIMEOUT_MS 1000u
#define MAX_CONFIGS 4u

/* targets (DESIGN.md section 6) */
#define TGT_P50_RATIO 1.5
#define TGT_P99_RATIO 2.0

struct config {
	enum bench_mode mode;
	struct bench_place place;
	uint64_t wire[SAMPLES], base[SAMPLES], async[SAMPLES];
};

static struct config configs[MAX_CONFIGS];
static size_t num_configs;
static int measured;                      /* 0: not yet; 1: done; -1: failed */

/* CLOCK_RATE_SET, flags bit 0: asynchronous */
#define CLOCK_RATE_SET 0x5

/* ---- the wire -------------------------------------------------------- */

static int wire_once(struct scmi_agent *a, uint64_t *ns)
{
	uint64_t t0 = sim_now_ns();
	uint8_t rx[4];
	size_t n;
	int ret;

	ret = scmi_agent_xfer(a, SCMI_PROTOCOL_BASE, SCMI_PROTOCOL_VERSION,
			      NULL, 0, rx, sizeof(rx), &n);
	*ns = sim_now_ns() - t0;
	if (ret || n != 4) {
		fprintf(stderr, "bench-wire: PROTOCOL_VERSION: %d\n", ret);
		return -1;
	}
	return 0;
}

/*
 * An asynchronous CLOCK_RATE_SET of clock 0, to one of two of its rates
 * in turn (the simulator's default topology: 400 and 800 MHz), so that
 * each one changes it.
 */
static int async_once(struct scmi_agent *a, uint64_t *ns)
{
	static const uint64_t rates[2] = { 400000000ull, 800000000ull };
	static unsigned int turn;
	uint8_t tx[16], rx[12];
	size_t n = 0;
	uint64_t t0;
	int ret;

	scmi_put_le32(tx, 1u); /* async */
	scmi_put_le32(tx + 4, 0);
	scmi_put_le64(tx + 8, rates[turn++ & 1]);
	t0 = sim_now_ns();
	ret = scmi_agent_xfer_async(a, SCMI_PROTOCOL_CLOCK, CLOCK_RATE_SET, tx,
				    sizeof(tx), rx, sizeof(rx), &n);
	*ns = sim_now_ns() - t0;
	if (ret || n != 12) {
		fprintf(stderr, "bench-wire: async CLOCK_RATE_SET: %d (%zu bytes)\n",
			ret, n);
		return -1;
	}
	return 0;
}

/* ---- measurement ----------------------------------------------------- */

/* The next configuration: @mode in @place. */
static int measure_config(void *arg, const struct bench_place *place,
			  enum bench_mode mode)
{
	static const char *const sim_args[] = { "--async-delay", "0", NULL };
	struct config *c = &configs[num_configs];
	struct scmi_agent_config cfg = {
		.timeout_ms = TIMEOUT_MS,
		.event_loop = mode == BENCH_EVENT_LOOP,
	};
	struct scmi_agent *a = NULL;
	struct bench_pp pp = BENCH_PP_INIT;
	struct sim sim;
	size_t per_block = SAMPLES / BLOCKS;
	uint64_t scratch;
	int ret = -1;

	c->mode = mode;
	c->place = *place;
	if (sim_start(&sim, sim_args)) {
		fprintf(stderr, "bench-wire: cannot start %s\n", sim_exe());
		return -1;
	}
	/*
	 * The same placement for both pairs: the simulator and the
	 * ping-pong's child on the platform CPU, this thread (and so the
	 * agent's threads, created after, which inherit it) and the
	 * ping-pong's parent on the agent CPU.
	 */
	pp.child_cpu = c->place.platform_cpu;
	if (bench_pin(sim.pid, c->place.platform_cpu) ||
	    bench_pin(0, c->place.agent_cpu)) {
		perror("bench-wire: sched_setaffinity");
		goto out;
	}
	if (bench_pp_start(&pp))
		goto out;
	if (scmi_agent_create(&a, &cfg) || scmi_agent_connect(a, sim.sock)) {
		fprintf(stderr, "bench-wire: cannot connect to %s\n", sim.sock);
		goto out;
	}

	for (unsigned int i = 0; i < WARMUP; i++)
		if (wire_once(a, &scratch) || bench_pp_rtt(&pp, &scratch) ||
		    async_once(a, &scratch))
			goto out;
	for (unsigned int b = 0; b < BLOCKS; b++) {
		for (size_t i = 0; i < per_block; i++)
			if (bench_pp_rtt(&pp, &c->base[b * per_block + i]))
				goto out;
		for (size_t i = 0; i < per_block; i++)
			if (wire_once(a, &c->wire[b * per_block + i]))
				goto out;
		for (size_t i = 0; i < per_block; i++)
			if (async_once(a, &c->async[b * per_block + i]))
				goto out;
	}
	bench_sort_u64(c->wire, per_block * BLOCKS);
	bench_sort_u64(c->async, per_block * BLOCKS);
	bench_sort_u64(c->base, per_block * BLOCKS);
	num_configs++;
	ret = 0;
out:
	if (ret)
		fprintf(stderr, "bench-wire: %s, placement %s: failed\n",
			bench_mode_name(c->mode), c->place.name);
	scmi_agent_destroy(a);
	bench_pp_stop(&pp);
	sim_stop(&sim);
	return ret;
}

static int measure(void)
{
	return bench_matrix(&measured, BENCH, measure_config, NULL);
}

enum series { WIRE, BASE, ASYNC };

static const uint64_t *series(const struct config *c, enum series s)
{
	return s == WIRE ? c->wire : s == BASE ? c->base : c->async;
}

/*
 * One line per configuration: the @p percentile of the samples of @vals
 * against those of @bases; @target 0: none.
 */
static int emit(const char *metric, enum series vals, enum series bases,
		double p, double target, const char *baseline_kind)
{
	size_t n = SAMPLES / BLOCKS * BLOCKS;

	if (measure())
		return 1;
	for (size_t i = 0; i < num_configs; i++) {
		const struct config *c = &configs[i];
		const uint64_t *v = series(c, vals), *b = series(c, bases);
		struct bench_line l = {
			.bench = BENCH, .metric = metric, .unit = "ns",
			.value = (double)bench_percentile(v, n, p),
			.has_baseline = true,
			.baseline = (double)bench_percentile(b, n, p),
			.mode = bench_mode_name(c->mode),
			.placement = c->place.name, .pass = -1,
		};
		char tgt[32];

		if (target > 0) {
			snprintf(tgt, sizeof(tgt), "{\"ratio_max\":%.1f}",
				 target);
			l.target = tgt;
			l.pass = l.value <= target * l.baseline;
		}
		bench_line(&l, "\"samples\":%zu,\"baseline_kind\":\"%s\","
			   "\"loadavg\":%.2f", n, baseline_kind,
			   bench_loadavg());
	}
	return 0;
}

#define PP_KIND "eventfd round trip, cross-process, same placement"
#define RTT_KIND "rtt of this mode and placement"

static int metric_p50(void)
{
	return emit("rtt_p50", WIRE, BASE, 0.50, TGT_P50_RATIO, PP_KIND);
}

static int metric_p99(void)
{
	return emit("rtt_p99", WIRE, BASE, 0.99, TGT_P99_RATIO, PP_KIND);
}

static int metric_async_p50(void)
{
	return emit("async_rtt_p50", ASYNC, WIRE, 0.50, 0, RTT_KIND);
}

static int metric_async_p99(void)
{
	return emit("async_rtt_p99", ASYNC, WIRE, 0.99, 0, RTT_KIND);
}

static const struct bench_metric metrics[] = {
	{ "rtt_p50", metric_p50 },
	{ "rtt_p99", metric_p99 },
	{ "async_rtt_p50", metric_async_p50 },
	{ "async_rtt_p99", metric_async_p99 },
};

int main(int argc, char **argv)
{
	return bench_main(argc, argv, BENCH, metrics,
			  sizeof(metrics) / sizeof(metrics[0]));
}
