/* SPDX-License-Identifier: MIT */
/*
 * bench-e2e: a notification end to end, from the simulator posting it to
 * the agent's callback entering, through the real scmi-sim and the public
 * API of libscmi-notify.so only (DESIGN.md section 6).
 *
 * The event: SENSOR_UPDATE of sensor 0 ("soc-temp" in the default
 * topology), enabled for this agent (SENSOR_CONTINUOUS_UPDATE_NOTIFY, by
 * registering a notifier) with timestamping on in the sensor's config
 * (SENSOR_CONFIG_SET, bit 1). Each "sensor set 0 <v>" on the simulator's
 * control socket changes the value; the simulator reads CLOCK_MONOTONIC as
 * it changes it, then posts the SENSOR_UPDATE whose reading carries that
 * time (sim-platform/protocols/sensor.c: sensor_set_value()), so the
 * callback, reading CLOCK_MONOTONIC first thing, has the whole path:
 * simulator emit and post, doorbell, the agent's rx thread (copy out,
 * ack, scmi_notify() enqueue), the worker's wake-up, report, chain.
 * Both processes run on this machine: one clock.
 *
 *   latency_p50, latency_p99
 *       one event at a time (the next request is sent once the callback
 *       ran), LAT_SAMPLES of them. Baseline: the one-way time of a bare
 *       cross-process eventfd ping-pong (bench-common.c), measured the same
 *       way: the writer's CLOCK_MONOTONIC before write() travels as the
 *       eventfd value, the reader subtracts it from its clock after read()
 *       returns (both directions). Blocks of each alternate.
 *       Targets: p50 <= 2x, p99 <= 3x the baseline's. Beside the value,
 *       the same percentile of its two legs: "post_to_rx" (to the rx
 *       thread's receive time, the report's timestamp) and
 *       "rx_to_callback" (from there to the callback).
 *
 *   rate
 *       sustained events/s through the agent's one P2A channel. The
 *       control grammar has no burst or flood verb (one "sensor set" per
 *       request; a scenario is timed), so the events are driven by control
 *       requests pipelined on one connection. To spread the cost of the
 *       driver, each request emits three notifications: both trip
 *       points of the sensor are set (SENSOR_TRIP_POINT_CONFIG, either
 *       direction) at the upper of the two values it alternates between,
 *       so that every change crosses them, and their SENSOR_TRIP_POINT_EVENTs
 *       are enabled as well. At most CTL_WINDOW requests go unanswered and
 *       EVT_WINDOW events requested and not yet delivered (below the
 *       simulator's per-agent queue of 64: nothing is dropped), so the
 *       simulator keeps the P2A channel busy from its queue, posting the
 *       next event on each ack. The rate is taken between two callbacks,
 *       after a warm-up. The driver's own bound, the rate of the same
 *       pipeline of requests that emit nothing ("sensor get") times
 *       events per request, is reported beside it as "driver_bound".
 *       Baseline: round trips per second of the bare ping-pong (each
 *       notification needs one ack). Target: >= 0.8x. Runs of each
 *       alternate; medians.
 *
 * Placement. Where waking a thread on another, idle CPU costs much more
 * than a switch on the same CPU (a virtual machine whose idle vCPUs halt:
 * about 20 us against 2 us on the 2-vCPU guest this was written on), the
 * ratios depend on where the scheduler puts a two-task ping-pong and the
 * four threads of this path. By default nothing is pinned (what a user
 * gets), and each line also carries the ping-pong pinned to one CPU
 * ("baseline_same_cpu") and across two ("baseline_cross_cpu"), measured
 * first, to tell which regime a figure is in. --pin P,A (or
 * $SCMI_BENCH_PIN) runs the platform side (the simulator, the ping-pong's
 * child) on CPU P and the agent side (this process: the agent's threads,
 * the driver, the ping-pong's parent) on CPU A.
 *
 * Prints one JSON object per line on stdout (diagnostics go to stderr).
 *
 * Usage: bench-e2e [--sim PATH] [--pin P,A] [e2e|--list|METRIC]
 * The simulator: --sim PATH, else $SCMI_SIM, else the one built with it.
 */
#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>

#include <scmi/agent.h>
#include <scmi/sensor.h>
#include <scmi/wire.h>

#include "bench-common.h"
#include "sim-harness.h"

#define BENCH "e2e"
#define SENSOR 0u
#define TIMEOUT_MS 1000u
#define WAIT_MS 2000          /* an event not delivered by then is lost */

#define LAT_SAMPLES 20000u
#define LAT_WARMUP 2000u
#define BLOCKS 10u            /* alternating blocks of each side */
#define REF_SAMPLES 5000u     /* of each pinned reference ping-pong */

#define RATE_EVENTS 30000u    /* per run, warm-up included */
#define RATE_WARMUP 3000u
#define RATE_RUNS 5u          /* of each side, alternating */
#define MAX_TRIPS 2u          /* trip points crossed per request */
#define CTL_WINDOW 16u        /* control requests unanswered */
#define EVT_WINDOW 48u        /* events requested, not yet delivered */

/* targets (DESIGN.md section 6) */
#define TGT_P50_RATIO 2.0
#define TGT_P99_RATIO 3.0
#define TGT_RATE_RATIO 0.8

#define container_of(p, type, member) \
	((type *)(void *)((char *)(p) - offsetof(type, member)))

struct e2e {
	struct sim sim;
	struct scmi_agent *agent;
	struct scmi_notifier nb_update, nb_trip;
	int ctl;                          /* the control connection */
	int wake;                         /* eventfd: the callback wakes us */
	int64_t lo, hi, value;            /* the two values; the current one */
	unsigned int trips;               /* trip points set at hi */
	uint64_t sent, replies;           /* control requests */

	/* written by the callbacks (the agent's worker thread) */
	_Atomic uint64_t delivered;       /* callbacks run */
	_Atomic bool waiting;             /* the driver sleeps on @wake */
	uint64_t bad;                     /* updates without a timestamp */
	_Atomic size_t rec_n;             /* latencies recorded */
	uint64_t t_a, t_b;                /* when callbacks mark_a, mark_b ran */

	/* set by the driver while nothing is in flight */
	_Atomic size_t rec_cap;           /* record up to rec_cap (0: none) */
	_Atomic uint64_t mark_a, mark_b;  /* delivered counts to time */
};

static uint64_t lat_ns[LAT_SAMPLES], rx_ns[LAT_SAMPLES], cb_ns[LAT_SAMPLES];
static uint64_t base_ns[LAT_SAMPLES];

/* ---- the callbacks --------------------------------------------------- */

/* Count a delivery (at callback @now), then wake the driver if it sleeps. */
static void delivered(struct e2e *e, uint64_t n, uint64_t now)
{
	if (n + 1 == atomic_load_explicit(&e->mark_a, memory_order_relaxed))
		e->t_a = now;
	if (n + 1 == atomic_load_explicit(&e->mark_b, memory_order_relaxed))
		e->t_b = now;
	/* publish, then look for a sleeper (it sets waiting, then looks) */
	atomic_store(&e->delivered, n + 1);
	if (atomic_load(&e->waiting) && atomic_exchange(&e->waiting, false)) {
		uint64_t one = 1;

		if (write(e->wake, &one, sizeof(one)) < 0)
			perror("bench-e2e: eventfd");
	}
}

static int on_update(struct scmi_notifier *nb, uint8_t evt_id,
		     const void *report)
{
	uint64_t now = sim_now_ns();
	struct e2e *e = container_of(nb, struct e2e, nb_update);
	const struct scmi_sensor_update_report *r = report;
	uint64_t n = atomic_load_explicit(&e->delivered, memory_order_relaxed);
	size_t i = atomic_load_explicit(&e->rec_n, memory_order_relaxed);
	uint64_t post = r->readings_count ? r->readings[0].timestamp : 0;

	if (!post || post > now || post > r->timestamp) {
		e->bad++;
	} else if (i < atomic_load_explicit(&e->rec_cap, memory_order_relaxed)) {
		lat_ns[i] = now - post;
		rx_ns[i] = r->timestamp - post;
		atomic_store_explicit(&e->rec_n, i + 1, memory_order_relaxed);
	}
	delivered(e, n, now);
	return SCMI_NOTIFY_OK;
}

static int on_trip(struct scmi_notifier *nb, uint8_t evt_id,
		   const void *report)
{
	uint64_t now = sim_now_ns();
	struct e2e *e = container_of(nb, struct e2e, nb_trip);

	delivered(e, atomic_load_explicit(&e->delivered, memory_order_relaxed),
		  now);
	return SCMI_NOTIFY_OK;
}

/* Wait until @target callbacks ran. Returns 0 or -1. */
static int wait_delivered(struct e2e *e, uint64_t target)
{
	struct pollfd pfd = { .fd = e->wake, .events = POLLIN };
	uint64_t v;

	while (atomic_load(&e->delivered) < target) {
		atomic_store(&e->waiting, true);
		if (atomic_load(&e->delivered) >= target)
			break; /* a stale wake-up may be left: harmless */
		if (poll(&pfd, 1, WAIT_MS) == 0) {
			fprintf(stderr, "bench-e2e: %" PRIu64 " of %" PRIu64
				" events delivered after %d ms\n",
				atomic_load(&e->delivered), target, WAIT_MS);
			return -1;
		}
		if (read(e->wake, &v, sizeof(v)) < 0 && errno != EAGAIN)
			return -1;
	}
	atomic_store(&e->waiting, false);
	return 0;
}

/* ---- the control connection ------------------------------------------ */

static int ctl_open(struct e2e *e)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	struct timeval tv = { .tv_sec = WAIT_MS / 1000 };

	if ((size_t)snprintf(sun.sun_path, sizeof(sun.sun_path), "%s.ctl",
			     e->sim.sock) >= sizeof(sun.sun_path)) {
		fprintf(stderr, "bench-e2e: %s.ctl: path too long\n", e->sim.sock);
		return -1;
	}
	e->ctl = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	if (e->ctl < 0 ||
	    setsockopt(e->ctl, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) < 0 ||
	    connect(e->ctl, (struct sockaddr *)&sun, sizeof(sun)) < 0) {
		fprintf(stderr, "bench-e2e: control socket %s: %s\n",
			sun.sun_path, strerror(errno));
		return -1;
	}
	return 0;
}

static int ctl_send(struct e2e *e, const char *req)
{
	size_t n = strlen(req);

	if (send(e->ctl, req, n, MSG_NOSIGNAL) != (ssize_t)n) {
		perror("bench-e2e: control request");
		return -1;
	}
	e->sent++;
	return 0;
}

/* One reply; @out (may be NULL) gets what follows "ok ". */
static int ctl_recv(struct e2e *e, char *out, size_t out_sz)
{
	char rep[256];
	ssize_t n = recv(e->ctl, rep, sizeof(rep) - 1, 0);

	if (n <= 0) {
		fprintf(stderr, "bench-e2e: control reply: %s\n",
			n < 0 ? strerror(errno) : "connection closed");
		return -1;
	}
	rep[n] = '\0';
	e->replies++;
	if (strncmp(rep, "ok", 2) != 0) {
		fprintf(stderr, "bench-e2e: control reply '%s'\n", rep);
		return -1;
	}
	if (out && out_sz) {
		const char *text = rep[2] == ' ' ? rep + 3 : "";
		size_t len = strnlen(text, out_sz - 1);

		memcpy(out, text, len);
		out[len] = '\0';
	}
	return 0;
}

/* "sensor set": to the other of the two values, so each request changes it. */
static int ctl_send_set(struct e2e *e)
{
	char req[64];

	e->value = e->value == e->hi ? e->lo : e->hi;
	snprintf(req, sizeof(req), "sensor set %u %" PRId64, SENSOR, e->value);
	return ctl_send(e, req);
}

/* ---- the end-to-end runs ----------------------------------------------- */

/* One event: request it, wait for the callback, then for the reply. */
static int e2e_one(struct e2e *e)
{
	uint64_t target = atomic_load(&e->delivered) + 1;

	if (ctl_send_set(e) || wait_delivered(e, target) ||
	    ctl_recv(e, NULL, 0))
		return -1;
	return 0;
}

/*
 * Pipelined requests, as described at the top: @per_req events each
 * (@per_req 0: "sensor get", which emits nothing), until @n events (or
 * @n requests) are done. Returns events (requests) per second from the
 * @warm-th to the last, or a negative value.
 */
static double e2e_rate(struct e2e *e, unsigned int n, unsigned int warm,
		       unsigned int per_req)
{
	uint64_t base = atomic_load(&e->delivered);
	uint64_t sent0 = e->sent, t_warm = 0, t_end;
	uint64_t reqs = per_req ? (n + per_req - 1) / per_req : n;
	uint64_t events = per_req ? reqs * per_req : 0;
	char get[64];

	atomic_store(&e->rec_cap, 0);
	e->t_a = e->t_b = 0;
	atomic_store(&e->mark_a, per_req ? base + warm : 0);
	atomic_store(&e->mark_b, per_req ? base + events : 0);
	snprintf(get, sizeof(get), "sensor get %u", SENSOR);

	while (e->replies - sent0 < reqs) {
		uint64_t sent = e->sent - sent0;
		uint64_t done = atomic_load(&e->delivered) - base;

		if (sent < reqs && e->sent - e->replies < CTL_WINDOW &&
		    (!per_req || (sent + 1) * per_req <= done + EVT_WINDOW)) {
			if (per_req ? ctl_send_set(e) : ctl_send(e, get))
				return -1;
			continue;
		}
		if (e->sent > e->replies) {
			if (ctl_recv(e, NULL, 0))
				return -1;
			if (!per_req && e->replies - sent0 == warm)
				t_warm = sim_now_ns();
			continue;
		}
		/* every request answered, the event window full */
		if (wait_delivered(e, base + (sent + 1) * per_req - EVT_WINDOW))
			return -1;
	}
	t_end = sim_now_ns();
	if (!per_req)
		return (double)(n - warm) * 1e9 / (double)(t_end - t_warm);
	if (wait_delivered(e, base + events) || e->t_b <= e->t_a)
		return -1;
	return (double)(events - warm) * 1e9 / (double)(e->t_b - e->t_a);
}

/* ---- measurement ----------------------------------------------------- */

static struct {
	bool done;
	int pin_platform, pin_agent;      /* -1: not pinned */
	bool have_same, have_cross;
	struct bench_pp_ref same, cross;  /* the pinned references */
	size_t samples, base_samples;
	unsigned int per_req;
	double rate, base_rate, driver_bound;
	double runs[RATE_RUNS], base_runs[RATE_RUNS];
	uint64_t bad;
	struct scmi_notify_stats st;
	struct scmi_agent_stats ast;
} res;

static int setup(struct e2e *e)
{
	struct scmi_agent_config cfg = { .timeout_ms = TIMEOUT_MS };
	const uint32_t src = SENSOR;
	struct scmi_sensor_info info;
	char val[64];
	int ret;

	if (scmi_agent_create(&e->agent, &cfg) ||
	    scmi_agent_connect(e->agent, e->sim.sock)) {
		fprintf(stderr, "bench-e2e: cannot connect to %s\n", e->sim.sock);
		return -1;
	}
	ret = scmi_sensor_info(e->agent, SENSOR, &info);
	if (ret || !info.update_notify || !info.timestamped) {
		fprintf(stderr, "bench-e2e: sensor %u: %s\n", SENSOR,
			ret ? strerror(-ret) :
			"no SENSOR_UPDATE or no timestamps");
		return -1;
	}
	/* enabled, timestamped, no periodic update */
	ret = scmi_sensor_config_set(e->agent, SENSOR,
				     SCMI_SENSOR_CONFIG(0, 0,
					SCMI_SENSOR_CONFIG_ENABLE |
					SCMI_SENSOR_CONFIG_TIMESTAMP));
	if (ret) {
		fprintf(stderr, "bench-e2e: SENSOR_CONFIG_SET: %s\n", strerror(-ret));
		return -1;
	}
	if (ctl_open(e))
		return -1;
	snprintf(val, sizeof(val), "sensor get %u", SENSOR);
	if (ctl_send(e, val) || ctl_recv(e, val, sizeof(val)) ||
	    sscanf(val, "%" SCNd64, &e->value) != 1) {
		fprintf(stderr, "bench-e2e: sensor get: '%s'\n", val);
		return -1;
	}
	e->lo = e->value;
	e->hi = e->value + 1;
	/* trip points at hi: crossed by every change, not enabled for us yet */
	e->trips = info.num_trip_points < MAX_TRIPS ? info.num_trip_points :
						      MAX_TRIPS;
	for (unsigned int t = 0; t < e->trips; t++) {
		ret = scmi_sensor_trip_point_config(e->agent, SENSOR, t,
						    SCMI_SENSOR_TRIP_BOTH, e->hi);
		if (ret) {
			fprintf(stderr, "bench-e2e: SENSOR_TRIP_POINT_CONFIG: %s\n",
				strerror(-ret));
			return -1;
		}
	}
	e->nb_update.cb = on_update;
	ret = scmi_event_notifier_register(scmi_agent_notify(e->agent),
					   SCMI_PROTOCOL_SENSOR,
					   SCMI_EVENT_SENSOR_UPDATE, &src,
					   &e->nb_update);
	if (ret) {
		fprintf(stderr, "bench-e2e: register: %s\n", strerror(-ret));
		return -1;
	}
	return 0;
}

/* The pinned references, before anything else runs. */
static void measure_references(void)
{
	int c0, c1;

	if (bench_cpus(&c0, &c1) < 1)
		return;
	res.have_same = !bench_pp_reference(c0, c0, REF_SAMPLES, &res.same);
	if (c1 >= 0)
		res.have_cross = !bench_pp_reference(c1, c0, REF_SAMPLES,
						     &res.cross);
}

/* @n events, one at a time. */
static int lat_events(struct e2e *e, unsigned int n)
{
	for (unsigned int i = 0; i < n; i++)
		if (e2e_one(e))
			return -1;
	return 0;
}

static int measure_latency(struct e2e *e, struct bench_pp *pp)
{
	size_t per_block = LAT_SAMPLES / BLOCKS;
	uint64_t a, b;

	if (lat_events(e, LAT_WARMUP))
		return -1;
	for (unsigned int i = 0; i < LAT_WARMUP / 2; i++)
		if (bench_pp_oneway(pp, &a, &b))
			return -1;
	atomic_store(&e->rec_n, 0);
	atomic_store(&e->rec_cap, (size_t)LAT_SAMPLES);
	for (unsigned int blk = 0; blk < BLOCKS; blk++) {
		/* both directions of each round trip: two samples */
		for (size_t i = 0; i < per_block; i += 2) {
			uint64_t *s = &base_ns[blk * per_block + i];

			if (bench_pp_oneway(pp, &s[0], &b))
				return -1;
			if (i + 1 < per_block)
				s[1] = b;
		}
		if (lat_events(e, (unsigned int)per_block))
			return -1;
	}
	atomic_store(&e->rec_cap, 0);
	res.samples = atomic_load(&e->rec_n);
	if (res.samples < LAT_SAMPLES / 2) {
		fprintf(stderr, "bench-e2e: %zu of %u latencies usable\n",
			res.samples, LAT_SAMPLES);
		return -1;
	}
	res.base_samples = per_block * BLOCKS;
	for (size_t i = 0; i < res.samples; i++)
		cb_ns[i] = lat_ns[i] - rx_ns[i];
	bench_sort_u64(lat_ns, res.samples);
	bench_sort_u64(rx_ns, res.samples);
	bench_sort_u64(cb_ns, res.samples);
	bench_sort_u64(base_ns, res.base_samples);
	return 0;
}

static int measure_rate(struct e2e *e, struct bench_pp *pp)
{
	double driver[RATE_RUNS], a[RATE_RUNS], b[RATE_RUNS];
	const uint32_t src = SENSOR;
	int ret;

	/* the trip points' events too: 1 + trips events per request */
	e->nb_trip.cb = on_trip;
	if (e->trips) {
		ret = scmi_event_notifier_register(scmi_agent_notify(e->agent),
						   SCMI_PROTOCOL_SENSOR,
						   SCMI_EVENT_SENSOR_TRIP_POINT_EVENT,
						   &src, &e->nb_trip);
		if (ret) {
			fprintf(stderr, "bench-e2e: register trip: %s\n",
				strerror(-ret));
			return -1;
		}
	}
	res.per_req = 1 + e->trips;

	/* warm both up */
	if (e2e_rate(e, RATE_EVENTS / 4, RATE_WARMUP / 4, res.per_req) < 0 ||
	    bench_pp_rate(pp, RATE_EVENTS / 4) < 0)
		return -1;
	for (unsigned int r = 0; r < RATE_RUNS; r++) {
		res.base_runs[r] = bench_pp_rate(pp, RATE_EVENTS);
		res.runs[r] = e2e_rate(e, RATE_EVENTS, RATE_WARMUP, res.per_req);
		driver[r] = e2e_rate(e, RATE_EVENTS / res.per_req,
				     RATE_WARMUP / res.per_req, 0) * res.per_req;
		if (res.base_runs[r] < 0 || res.runs[r] < 0 || driver[r] < 0)
			return -1;
	}
	memcpy(a, res.runs, sizeof(a));
	memcpy(b, res.base_runs, sizeof(b));
	res.rate = bench_median(a, RATE_RUNS);
	res.base_rate = bench_median(b, RATE_RUNS);
	res.driver_bound = bench_median(driver, RATE_RUNS);
	return 0;
}

static int measure(void)
{
	static struct e2e e;
	struct bench_pp pp = BENCH_PP_INIT;
	int ret = -1;

	if (res.done)
		return 0;
	if (bench_pin_request(&res.pin_platform, &res.pin_agent) < 0)
		return -1;
	if (!sim_exe()) {
		fprintf(stderr, "bench-e2e: no simulator (--sim PATH or SCMI_SIM)\n");
		return -1;
	}
	measure_references();

	memset(&e, 0, sizeof(e));
	e.ctl = -1;
	e.wake = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (e.wake < 0)
		return -1;
	if (sim_start(&e.sim, NULL)) {
		fprintf(stderr, "bench-e2e: cannot start %s\n", sim_exe());
		goto out_efd;
	}
	/* this thread's CPU is inherited by the agent's threads and the
	 * ping-pong's parent; the simulator is one thread */
	pp.child_cpu = res.pin_platform;
	if (bench_pin(e.sim.pid, res.pin_platform) ||
	    bench_pin(0, res.pin_agent)) {
		perror("bench-e2e: sched_setaffinity");
		goto out;
	}
	if (bench_pp_start(&pp) || setup(&e) ||
	    measure_latency(&e, &pp) || measure_rate(&e, &pp))
		goto out;
	res.bad = e.bad;
	scmi_notify_get_stats(scmi_agent_notify(e.agent), SCMI_PROTOCOL_SENSOR,
			      &res.st);
	scmi_agent_get_stats(e.agent, &res.ast);
	if (e.bad)
		fprintf(stderr, "bench-e2e: %" PRIu64 " updates without a usable timestamp\n",
			e.bad);
	res.done = true;
	ret = 0;
out:
	if (e.ctl >= 0)
		close(e.ctl);
	scmi_agent_destroy(e.agent);
	bench_pp_stop(&pp);
	sim_stop(&e.sim);
out_efd:
	close(e.wake);
	return ret;
}

/* ---- output ---------------------------------------------------------- */

static const char *fmt_runs(char *buf, size_t cap, const double *v, size_t n)
{
	size_t len = 0;

	len += (size_t)snprintf(buf, cap, "[");
	for (size_t i = 0; i < n && len < cap; i++)
		len += (size_t)snprintf(buf + len, cap - len, "%s%.0f",
					i ? "," : "", v[i]);
	if (len < cap)
		snprintf(buf + len, cap - len, "]");
	return buf;
}

/* "placement":"free" or "P,A" */
static const char *fmt_placement(char *buf, size_t cap)
{
	if (res.pin_platform < 0)
		snprintf(buf, cap, "free");
	else
		snprintf(buf, cap, "platform cpu %d, agent cpu %d",
			 res.pin_platform, res.pin_agent);
	return buf;
}

/* ,"same_cpu":X,"cross_cpu":Y of a reference figure (null when absent) */
static const char *fmt_refs(char *buf, size_t cap, const char *what,
			    double same, double cross)
{
	char s[32] = "null", c[32] = "null";

	if (res.have_same)
		snprintf(s, sizeof(s), "%.0f", same);
	if (res.have_cross)
		snprintf(c, sizeof(c), "%.0f", cross);
	snprintf(buf, cap, "\"%s_same_cpu\":%s,\"%s_cross_cpu\":%s", what, s,
		 what, c);
	return buf;
}

static int emit_latency(const char *metric, double p, double target)
{
	char place[64], refs[160];
	uint64_t v, base, rx, cb;
	bool p50 = p < 0.9;
	double ratio;

	if (measure())
		return 1;
	v = bench_percentile(lat_ns, res.samples, p);
	base = bench_percentile(base_ns, res.base_samples, p);
	rx = bench_percentile(rx_ns, res.samples, p);
	cb = bench_percentile(cb_ns, res.samples, p);
	ratio = base ? (double)v / (double)base : 0.0;
	printf("{\"bench\":\"%s\",\"metric\":\"%s\",\"value\":%" PRIu64
	       ",\"unit\":\"ns\",\"baseline\":%" PRIu64 ",\"ratio\":%.3f,"
	       "\"target\":{\"ratio_max\":%.1f},\"pass\":%s,"
	       "\"post_to_rx\":%" PRIu64 ",\"rx_to_callback\":%" PRIu64 ","
	       "\"samples\":%zu,\"baseline_samples\":%zu,"
	       "\"baseline_kind\":\"eventfd one-way, cross-process\",%s,"
	       "\"placement\":\"%s\",\"loadavg\":%.2f,\"cpus\":%ld}\n",
	       BENCH, metric, v, base, ratio, target,
	       ratio <= target ? "true" : "false", rx, cb, res.samples,
	       res.base_samples,
	       fmt_refs(refs, sizeof(refs), "baseline",
			(double)(p50 ? res.same.oneway_p50 : res.same.oneway_p99),
			(double)(p50 ? res.cross.oneway_p50 : res.cross.oneway_p99)),
	       fmt_placement(place, sizeof(place)), bench_loadavg(),
	       sysconf(_SC_NPROCESSORS_ONLN));
	fflush(stdout);
	return 0;
}

static int metric_p50(void)
{
	return emit_latency("latency_p50", 0.50, TGT_P50_RATIO);
}

static int metric_p99(void)
{
	return emit_latency("latency_p99", 0.99, TGT_P99_RATIO);
}

static int metric_rate(void)
{
	char runs[160], base_runs[160], place[64], refs[160];
	double ratio;

	if (measure())
		return 1;
	ratio = res.rate / res.base_rate;
	printf("{\"bench\":\"%s\",\"metric\":\"rate\",\"value\":%.0f,"
	       "\"unit\":\"events/s\",\"baseline\":%.0f,\"ratio\":%.3f,"
	       "\"target\":{\"ratio_min\":%.1f},\"pass\":%s,"
	       "\"driver_bound\":%.0f,\"runs\":%s,\"baseline_runs\":%s,"
	       "\"events_per_run\":%u,\"events_per_request\":%u,"
	       "\"driver\":\"pipelined control requests\","
	       "\"ctl_window\":%u,\"event_window\":%u,"
	       "\"notifications\":%" PRIu64 ",\"dropped\":%" PRIu64 ","
	       "\"baseline_kind\":\"eventfd round trips/s, cross-process\",%s,"
	       "\"placement\":\"%s\",\"loadavg\":%.2f,\"cpus\":%ld}\n",
	       BENCH, res.rate, res.base_rate, ratio, TGT_RATE_RATIO,
	       ratio >= TGT_RATE_RATIO ? "true" : "false", res.driver_bound,
	       fmt_runs(runs, sizeof(runs), res.runs, RATE_RUNS),
	       fmt_runs(base_runs, sizeof(base_runs), res.base_runs, RATE_RUNS),
	       RATE_EVENTS, res.per_req, CTL_WINDOW, EVT_WINDOW,
	       res.ast.notifications,
	       res.st.dropped_invalid + res.st.dropped_full +
		       res.st.dropped_report + res.ast.notify_refused,
	       fmt_refs(refs, sizeof(refs), "baseline", res.same.rate,
			res.cross.rate),
	       fmt_placement(place, sizeof(place)), bench_loadavg(),
	       sysconf(_SC_NPROCESSORS_ONLN));
	fflush(stdout);
	return 0;
}

static const struct bench_metric metrics[] = {
	{ "latency_p50", metric_p50 },
	{ "latency_p99", metric_p99 },
	{ "rate", metric_rate },
};

int main(int argc, char **argv)
{
	return bench_main(argc, argv, BENCH, metrics,
			  sizeof(metrics) / sizeof(metrics[0]));
}
