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
 *                      eventfds; the child reads one and writes the other),
 *                      the same percentile, measured in the same run:
 *                      blocks of each alternate so that both see the same
 *                      machine. ratio = value / baseline.
 *
 * Prints one JSON object per line on stdout (diagnostics go to stderr).
 *
 * Usage: bench-wire [--sim PATH] [wire|--list|METRIC]
 * The simulator: --sim PATH, else $SCMI_SIM, else the one built with it.
 */
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <scmi/agent.h>
#include <scmi/wire.h>

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

/* ---- the bare ping-pong ---------------------------------------------- */

struct pingpong {
	pid_t pid;
	int ping; /* parent writes, child reads */
	int pong; /* child writes, parent reads */
};

static int efd_write(int fd, uint64_t v)
{
	return write(fd, &v, sizeof(v)) == (ssize_t)sizeof(v) ? 0 : -1;
}

static int efd_read(int fd, uint64_t *v)
{
	return read(fd, v, sizeof(*v)) == (ssize_t)sizeof(*v) ? 0 : -1;
}

static int pingpong_start(struct pingpong *pp)
{
	pid_t parent = getpid();

	pp->ping = eventfd(0, EFD_CLOEXEC);
	pp->pong = eventfd(0, EFD_CLOEXEC);
	if (pp->ping < 0 || pp->pong < 0)
		return -1;
	fflush(NULL);
	pp->pid = fork();
	if (pp->pid < 0)
		return -1;
	if (pp->pid == 0) {
		uint64_t v;

		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (getppid() != parent)
			_exit(1);
		for (;;) {
			if (efd_read(pp->ping, &v) || v != 1)
				_exit(0); /* anything but 1: the end */
			if (efd_write(pp->pong, 1))
				_exit(1);
		}
	}
	return 0;
}

static void pingpong_stop(struct pingpong *pp)
{
	if (pp->pid > 0) {
		efd_write(pp->ping, 2);
		waitpid(pp->pid, NULL, 0);
	}
	close(pp->ping);
	close(pp->pong);
}

static int pingpong_once(struct pingpong *pp, uint64_t *ns)
{
	uint64_t t0 = sim_now_ns(), v;

	if (efd_write(pp->ping, 1) || efd_read(pp->pong, &v))
		return -1;
	*ns = sim_now_ns() - t0;
	return 0;
}

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

/* ---- measurement ----------------------------------------------------- */

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static uint64_t percentile(const uint64_t *sorted, size_t n, double p)
{
	size_t i = (size_t)(p * (double)(n - 1) + 0.5);

	return sorted[i < n ? i : n - 1];
}

static bool measured;

static int measure(void)
{
	struct scmi_agent_config cfg = { .timeout_ms = TIMEOUT_MS };
	struct scmi_agent *a = NULL;
	struct pingpong pp = { .pid = -1, .ping = -1, .pong = -1 };
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
	if (sim_start(&sim, NULL)) {
		fprintf(stderr, "bench-wire: cannot start %s\n", sim_exe());
		return -1;
	}
	if (pingpong_start(&pp))
		goto out;
	if (scmi_agent_create(&a, &cfg) || scmi_agent_connect(a, sim.sock)) {
		fprintf(stderr, "bench-wire: cannot connect to %s\n", sim.sock);
		goto out;
	}

	for (unsigned int i = 0; i < WARMUP; i++)
		if (wire_once(a, &scratch) || pingpong_once(&pp, &scratch))
			goto out;
	for (unsigned int b = 0; b < BLOCKS; b++) {
		for (size_t i = 0; i < per_block; i++)
			if (pingpong_once(&pp, &base_ns[b * per_block + i]))
				goto out;
		for (size_t i = 0; i < per_block; i++)
			if (wire_once(a, &wire_ns[b * per_block + i]))
				goto out;
	}
	qsort(wire_ns, per_block * BLOCKS, sizeof(uint64_t), cmp_u64);
	qsort(base_ns, per_block * BLOCKS, sizeof(uint64_t), cmp_u64);
	measured = true;
	ret = 0;
out:
	scmi_agent_destroy(a);
	pingpong_stop(&pp);
	sim_stop(&sim);
	return ret;
}

static int emit(const char *metric, double p, double target)
{
	size_t n = SAMPLES / BLOCKS * BLOCKS;
	uint64_t v, base;

	if (measure())
		return 1;
	v = percentile(wire_ns, n, p);
	base = percentile(base_ns, n, p);
	printf("{\"bench\":\"%s\",\"metric\":\"%s\",\"value\":%llu,\"unit\":\"ns\","
	       "\"baseline\":%llu,\"ratio\":%.3f,\"target_ratio\":%.1f,\"samples\":%zu}\n",
	       BENCH, metric, (unsigned long long)v, (unsigned long long)base,
	       base ? (double)v / (double)base : 0.0, target, n);
	fflush(stdout);
	return 0;
}

static int metric_p50(void)
{
	return emit("rtt_p50", 0.50, TGT_P50_RATIO);
}

static int metric_p99(void)
{
	return emit("rtt_p99", 0.99, TGT_P99_RATIO);
}

static const struct {
	const char *name;
	int (*run)(void);
} metrics[] = {
	{ "rtt_p50", metric_p50 },
	{ "rtt_p99", metric_p99 },
};

#define NUM_METRICS (sizeof(metrics) / sizeof(metrics[0]))

int main(int argc, char **argv)
{
	const char *name = BENCH;
	int ret = 0;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--sim") && i + 1 < argc) {
			setenv("SCMI_SIM", argv[++i], 1);
		} else if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			fprintf(stderr, "usage: bench-wire [--sim PATH] [wire|--list|METRIC]\n");
			return 0;
		} else {
			name = argv[i];
		}
	}
	signal(SIGPIPE, SIG_IGN);
	if (!strcmp(name, "--list")) {
		for (size_t i = 0; i < NUM_METRICS; i++)
			printf("%s\n", metrics[i].name);
		return 0;
	}
	if (!strcmp(name, BENCH)) {
		for (size_t i = 0; i < NUM_METRICS; i++)
			ret |= metrics[i].run();
		return ret;
	}
	for (size_t i = 0; i < NUM_METRICS; i++)
		if (!strcmp(name, metrics[i].name))
			return metrics[i].run();
	fprintf(stderr, "bench-wire: unknown metric '%s' (try --list)\n", name);
	return 2;
}
