/* SPDX-License-Identifier: MIT */
/*
 * bench-wire: the round trip of one SCMI command through the real
 * simulator, through the public API of libscmi-notify.so only.
 *
 *   rtt_p50, rtt_p99   ns per Base PROTOCOL_VERSION with scmi_agent_xfer()
 *                      against scmi-sim (agent: write the A2P area, ring
 *                      a2p_doorbell, wait for a2p_done, copy out and check
 *                      the response; platform: its libev loop, copy in,
 *                      dispatch, write the response). Baseline: a bare
 *                      cross-process eventfd ping-pong (fork; two
 *                      eventfds; the child reads one and writes the other:
 *                      bench-common.c), the same percentile, measured in
 *                      the same run: blocks of each alternate so that both
 *                      see the same machine. ratio = value / baseline.
 *
 *   async_rtt_p50, async_rtt_p99
 *                      ns per asynchronous CLOCK_RATE_SET with
 *                      scmi_agent_xfer_async() against scmi-sim
 *                      --async-delay 0 (the immediate response, then the
 *                      delayed one on the P2A channel and its ack, and the
 *                      waiter woken by the rx thread): what an asynchronous
 *                      command costs beyond its platform's own work.
 *                      Baseline: rtt_p50 / rtt_p99 of the same run. No
 *                      target: a measurement.
 *
 * Prints one JSON object per line on stdout (diagnostics go to stderr).
 *
 * Usage: bench-wire [--sim PATH] [wire|--list|METRIC]
 * The simulator: --sim PATH, else $SCMI_SIM, else the one built with it.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <scmi/agent.h>
#include <scmi/wire.h>

#include "bench-common.h"
#include "sim-harness.h"

#define BENCH "wire"
#define SAMPLES 20000u
#define WARMUP 2000u
#define BLOCKS 10u           /* alternating blocks of each side */
#define TIMEOUT_MS 1000u

/* targets (DESIGN.md section 6 and the brief) */
#define TGT_P50_RATIO 1.5
#define TGT_P99_RATIO 2.0

static uint64_t wire_ns[SAMPLES];
static uint64_t base_ns[SAMPLES];
static uint64_t async_ns[SAMPLES];

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

static bool measured;
static int pin_platform = -1, pin_agent = -1;

static int measure(void)
{
	static const char *const sim_args[] = { "--async-delay", "0", NULL };
	struct scmi_agent_config cfg = { .timeout_ms = TIMEOUT_MS };
	struct scmi_agent *a = NULL;
	struct bench_pp pp = BENCH_PP_INIT;
	struct sim sim;
	size_t per_block = SAMPLES / BLOCKS;
	uint64_t scratch;
	int ret = -1;

	if (measured)
		return 0;
	if (!sim_exe()) {
		fprintf(stderr, "bench-wire: no simulator (--sim PATH or SCMI_SIM)\n");
		return -1;
	}
	if (bench_pin_request(&pin_platform, &pin_agent) < 0)
		return -1;
	if (sim_start(&sim, sim_args)) {
		fprintf(stderr, "bench-wire: cannot start %s\n", sim_exe());
		return -1;
	}
	/*
	 * The same placement for both pairs: the simulator and the
	 * ping-pong's child on the platform CPU, this thread (and so the
	 * agent's threads, which inherit it) and the ping-pong's parent on
	 * the agent CPU. Unpinned, the scheduler may put one pair on one CPU
	 * and the other across two: a 10x difference on a 2-vCPU guest.
	 */
	pp.child_cpu = pin_platform;
	if (bench_pin(sim.pid, pin_platform) || bench_pin(0, pin_agent)) {
		fprintf(stderr, "bench-wire: cannot pin to CPUs %d,%d\n",
			pin_platform, pin_agent);
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
			if (bench_pp_rtt(&pp, &base_ns[b * per_block + i]))
				goto out;
		for (size_t i = 0; i < per_block; i++)
			if (wire_once(a, &wire_ns[b * per_block + i]))
				goto out;
		for (size_t i = 0; i < per_block; i++)
			if (async_once(a, &async_ns[b * per_block + i]))
				goto out;
	}
	bench_sort_u64(wire_ns, per_block * BLOCKS);
	bench_sort_u64(async_ns, per_block * BLOCKS);
	bench_sort_u64(base_ns, per_block * BLOCKS);
	measured = true;
	ret = 0;
out:
	scmi_agent_destroy(a);
	bench_pp_stop(&pp);
	sim_stop(&sim);
	return ret;
}

/* One line: @vals' percentile @p against @bases'; @target 0: none. */
static int emit(const char *metric, const uint64_t *vals,
		const uint64_t *bases, double p, double target)
{
	size_t n = SAMPLES / BLOCKS * BLOCKS;
	uint64_t v, base;
	char tgt[48] = "";

	if (measure())
		return 1;
	v = bench_percentile(vals, n, p);
	base = bench_percentile(bases, n, p);
	if (target > 0)
		snprintf(tgt, sizeof(tgt), ",\"target_ratio\":%.1f", target);
	printf("{\"bench\":\"%s\",\"metric\":\"%s\",\"value\":%llu,\"unit\":\"ns\","
	       "\"baseline\":%llu,\"ratio\":%.3f%s,\"samples\":%zu,"
	       "\"placement\":\"%s\",\"platform_cpu\":%d,\"agent_cpu\":%d}\n",
	       BENCH, metric, (unsigned long long)v, (unsigned long long)base,
	       base ? (double)v / (double)base : 0.0, tgt, n,
	       pin_platform < 0 ? "free" :
	       pin_platform == pin_agent ? "same-cpu" : "split",
	       pin_platform, pin_agent);
	fflush(stdout);
	return 0;
}

static int metric_p50(void)
{
	return emit("rtt_p50", wire_ns, base_ns, 0.50, TGT_P50_RATIO);
}

static int metric_p99(void)
{
	return emit("rtt_p99", wire_ns, base_ns, 0.99, TGT_P99_RATIO);
}

static int metric_async_p50(void)
{
	return emit("async_rtt_p50", async_ns, wire_ns, 0.50, 0);
}

static int metric_async_p99(void)
{
	return emit("async_rtt_p99", async_ns, wire_ns, 0.99, 0);
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
