/* SPDX-License-Identifier: MIT */
/*
 * bench-e2e: a notification end to end, from the simulator posting it to
 * the agent's callback entering, through the real scmi-sim and the public
 * API of libscmi-notify.so only (DESIGN.md section 6), in both modes of
 * the agent (threaded, event loop) and both placements (the platform side
 * and the agent side on one CPU, "P,P", and across two, "P,A"): one
 * invocation measures the whole matrix, and each line names its mode and
 * placement.
 *
 * Three processes per configuration, none sharing a thread with another:
 *  - the simulator, pinned to the platform CPU;
 *  - the agent process (bench-agents.c): one agent, every thread of the
 *    process on the agent CPU; in event-loop mode its one thread polls
 *    scmi_agent_get_fd() and calls scmi_agent_dispatch(); its callbacks
 *    record in shared memory;
 *  - the driver (this process), pinned to the platform CPU: it sends the
 *    control requests that make the events, paces them, and is the
 *    parent of the baseline's ping-pong, whose child runs on the agent
 *    CPU. So the baseline's one-way goes, as a notification does, from
 *    the platform CPU to the agent CPU.
 *
 * The event: SENSOR_UPDATE of sensor LAT_SENSOR, timestamped. Each
 * "sensor set" on the control socket changes its value; the simulator
 * reads CLOCK_MONOTONIC as it changes it and posts the SENSOR_UPDATE whose
 * reading carries that time (sim-platform/protocols/sensor.c), so the
 * callback, reading CLOCK_MONOTONIC first thing, has the whole path:
 * the simulator's post, doorbell, the agent's wake-up, copy out and ack,
 * the core's queue, dispatch, report, chain.
 *
 *   latency_p50, latency_p99
 *       one event at a time, LAT_SAMPLES of them: the driver sends the
 *       request, sleeps until the callback ran (a futex in shared memory,
 *       woken by the callback after it took its time), then pauses GAP_NS,
 *       and again while a thread of the agent process is not asleep (its
 *       /proc state; "settle_pauses" counts these), so that each event
 *       finds the agent asleep, then takes the request's reply. The
 *       warm-up is a tenth as many more. Beside the value, the same
 *       percentile of its two legs: "post_to_rx" (to the agent's receive
 *       time, the report's timestamp) and "rx_to_callback";
 *       "rx_stamped_before_post" counts reports whose receive time came
 *       before the post (their second leg is taken as the whole). The
 *       pause matters on this kind of machine (a vCPU idle longer wakes
 *       slower): GAP_NS is short, and the baseline pauses alike.
 *       Baseline: the bare one-way, platform CPU to agent CPU, paced the
 *       same way (the parent pauses GAP_NS, writes its CLOCK_MONOTONIC as
 *       the eventfd value; the child subtracts it from its clock after
 *       read()). Blocks of each alternate.
 *
 *   agent_wakeups_per_event
 *       voluntary context switches of the whole agent process per
 *       notification, over the latency events: getrusage(RUSAGE_SELF)
 *       deltas between the callbacks of the first and the last measured
 *       event (taken in those callbacks; events between them: one less
 *       than measured). Nothing of the driver runs in the agent process,
 *       so nothing is subtracted: the agent process's main thread (the
 *       benchmark's, threaded mode) sleeps in read() across the window,
 *       and the callbacks' futex wake of the driver is a system call, not
 *       a wait. "involuntary_per_event": its involuntary switches (on one
 *       CPU, the driver and the simulator preempt it). Baseline: the
 *       bare ping-pong's receiver, its voluntary switches per message (the
 *       floor: 1). "platform_wakeups_per_event": the simulator's, which
 *       include its wake-up for each control request.
 *
 *   rate
 *       sustained notifications/s through the agent's one P2A channel.
 *       The driver stops the agent process (SIGSTOP), sends the requests
 *       that make RATE_EVENTS notifications (sensor RATE_SENSOR, both of
 *       whose trip points are set at the upper of its two values and
 *       enabled: three notifications per change) and takes their replies;
 *       the simulator posts the first and queues the others (--queue-len
 *       is large enough: nothing is dropped, and the count of callbacks
 *       proves it). Then the driver continues the agent process and
 *       sleeps; the simulator posts the next notification on each ack.
 *       The rate is taken between the callbacks of notification
 *       RATE_WARMUP and the last: the driver is idle then. A notification
 *       the agent drops (its core's queue full) never comes: once none
 *       came for QUIET_MS the driver asks the agent process for its drop
 *       counters, and the run ends when they account for the rest; "lost"
 *       counts them over every run (the warm-up run's too), and a loss
 *       fails the line.
 *       Baseline: round
 *       trips per second of the bare ping-pong (each notification needs
 *       one ack). Runs of each alternate; medians. "agent_wakeups_per_event"
 *       and "platform_wakeups_per_event" beside it are those under load
 *       (the agent's from its callback of notification RATE_WARMUP to a
 *       snapshot asked for after the last, less one wake-up per snapshot
 *       of the thread that takes it).
 *
 * Targets (DESIGN.md section 6), in the "target" of each line:
 *   event loop: wake-ups <= 1.05; p50 <= 1.2x, p99 <= 2x the bare one-way;
 *               rate >= 0.8x the bare round-trip rate; both placements;
 *   threaded:   wake-ups <= 2.05; p50 <= 1.3x across CPUs, 2.5x on one;
 *               rate >= 0.8x across CPUs, 0.6x on one; no p99 target.
 *
 * Prints one JSON object per line on stdout (diagnostics go to stderr).
 *
 * Usage: bench-e2e [--sim PATH] [--pin P,A] [--mode M] [e2e|--list|METRIC]
 * (--pin and --mode: one configuration only, for profiling.)
 */
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "bench-agents.h"
#include "bench-common.h"
#include "bench-ctl.h"
#include "bench-line.h"
#include "sim-harness.h"

#define BENCH "e2e"
#define LAT_SENSOR 1u         /* "gpu-temp" in the default topology */
#define RATE_SENSOR 0u        /* "soc-temp": two trip points */

#define LAT_SAMPLES 10000u    /* and a tenth more to warm up */
#define BLOCKS 10u            /* alternating blocks of each side */
#define GAP_NS 20000u         /* pause between two events */
#define WAIT_MS 2000u

#define RATE_EVENTS 30000u    /* per run, warm-up included */
#define RATE_WARMUP 3000u
#define RATE_RUNS 5u          /* of each side, alternating */
#define QUIET_MS 200u         /* no callback for that long: look at drops */
#define DRAIN_MAX_NS 60000000000ull /* a run's drain, at most */
#define CTL_WINDOW 16u        /* control requests unanswered */
#define QUEUE_LEN "32768"     /* the simulator's, per agent: > RATE_EVENTS */

#define MAX_CONFIGS 4u

/* targets (DESIGN.md section 6) */
#define TGT_LOOP_WAKEUPS 1.05
#define TGT_LOOP_P50 1.2
#define TGT_LOOP_P99 2.0
#define TGT_LOOP_RATE 0.8
#define TGT_THR_WAKEUPS 2.05
#define TGT_THR_P50_CROSS 1.3
#define TGT_THR_P50_SAME 2.5
#define TGT_THR_RATE_CROSS 0.8
#define TGT_THR_RATE_SAME 0.6

struct config {
	enum bench_mode mode;
	struct bench_place place;
	uint64_t lat[LAT_SAMPLES], rx[LAT_SAMPLES], cb[LAT_SAMPLES];
	uint64_t base[LAT_SAMPLES];
	size_t n;                         /* of lat, rx, cb and base */
	double wakeups, involuntary;      /* per event, latency events */
	double base_wakeups;              /* the ping-pong receiver's */
	double sim_wakeups;               /* the simulator's, latency events */
	double rate, base_rate;
	double runs[RATE_RUNS], base_runs[RATE_RUNS];
	double rate_wakeups[RATE_RUNS], rate_sim_wakeups[RATE_RUNS];
	unsigned int lost;                /* notifications not delivered,
					   * in every run, the warm-up's too */
	uint64_t dropped0;                /* the agent's drops before a run */
	unsigned int per_req, threads;
	uint64_t bad, rx_early, settle_pauses;
};

static struct config configs[MAX_CONFIGS];
static size_t num_configs;
static int measured;                      /* 0: not yet; 1: done; -1: failed */

/* The parts of one configuration's run. */
struct run {
	struct config *c;
	struct bench_rig rig;
	struct bench_toggle lat, rate;
};

/* ---- latency and wake-ups ------------------------------------------- */

static int measure_latency(struct run *r)
{
	struct config *c = r->c;
	struct bench_series s = {
		.last_ns = c->lat, .rx_ns = c->rx, .base_ns = c->base,
	};

	if (bench_agents_series(&r->rig, &r->lat, LAT_SAMPLES, BLOCKS, GAP_NS,
				&s))
		return -1;
	c->n = s.n;
	c->wakeups = s.wakeups;
	c->involuntary = s.involuntary;
	c->base_wakeups = s.base_wakeups;
	c->sim_wakeups = s.sim_wakeups;
	c->bad = atomic_load(&r->rig.ap.rec->bad);
	c->rx_early = atomic_load(&r->rig.ap.rec->rx_early);
	c->settle_pauses = r->rig.ap.settle_pauses;
	if (c->bad) {
		fprintf(stderr, "bench-e2e: %" PRIu64 " updates without a usable timestamp\n",
			c->bad);
		return -1;
	}
	for (size_t i = 0; i < c->n; i++)
		c->cb[i] = c->lat[i] - c->rx[i];
	bench_sort_u64(c->lat, c->n);
	bench_sort_u64(c->rx, c->n);
	bench_sort_u64(c->cb, c->n);
	bench_sort_u64(c->base, c->n);
	return 0;
}

/* ---- rate ------------------------------------------------------------ */

/* Send @reqs requests, at most CTL_WINDOW unanswered, and take every reply. */
static int rate_fill(struct run *r, unsigned int reqs)
{
	uint64_t sent0 = r->rig.ctl.sent;

	while (r->rig.ctl.sent - sent0 < reqs || r->rig.ctl.replies < r->rig.ctl.sent) {
		if (r->rig.ctl.sent - sent0 < reqs &&
		    r->rig.ctl.sent - r->rig.ctl.replies < CTL_WINDOW) {
			if (bench_toggle_send(&r->rig.ctl, &r->rate))
				return -1;
		} else if (bench_ctl_recv(&r->rig.ctl, NULL, 0)) {
			return -1;
		}
	}
	return 0;
}

static int rate_run(struct run *r, unsigned int k)
{
	struct config *c = r->c;
	struct bench_rec *br = r->rig.ap.rec;
	unsigned int reqs = (RATE_EVENTS + c->per_req - 1) / c->per_req;
	uint32_t base = atomic_load(&br->delivered);
	uint32_t events = reqs * c->per_req, got;
	uint64_t sim0 = 0, sim1 = 0, t_end, t0, dropped;
	unsigned int snaps = 1;
	double window;

	memset(&br->snap_a, 0, sizeof(br->snap_a));
	atomic_store(&br->mark_a, base + RATE_WARMUP);
	atomic_store(&br->mark_b, 0);
	if (bench_agents_pause(&r->rig.ap) || rate_fill(r, reqs))
		return -1;
	bench_proc_switches(r->rig.sim.pid, &sim0);
	if (bench_agents_resume(&r->rig.ap))
		return -1;
	/* until all came, or the agent's drops account for the rest */
	for (t0 = sim_now_ns();; snaps++) {
		got = bench_agents_drain(&r->rig.ap, base + events, QUIET_MS);
		t_end = atomic_load(&br->last_cb_ns);
		if (bench_agents_snapshot(&r->rig.ap))
			return -1;
		dropped = br->dropped - c->dropped0;
		if (got + dropped >= base + events ||
		    sim_now_ns() - t0 > DRAIN_MAX_NS)
			break;
	}
	bench_proc_switches(r->rig.sim.pid, &sim1);
	c->dropped0 = br->dropped;
	c->lost += base + events - got;
	if (base + events - got != dropped)
		fprintf(stderr, "bench-e2e: %u notifications lost, %" PRIu64 " dropped by the agent\n",
			base + events - got, dropped);
	if (!br->snap_a.ns || got < base + 2 * RATE_WARMUP ||
	    t_end <= br->snap_a.ns) {
		fprintf(stderr, "bench-e2e: rate run: %u of %u notifications\n",
			got - base, events);
		return -1;
	}
	window = (double)(got - base - RATE_WARMUP);
	c->runs[k] = window * 1e9 / (double)(t_end - br->snap_a.ns);
	/* less the one wake-up per snapshot of the thread that took it */
	c->rate_wakeups[k] = ((double)(br->snap_end.nvcsw - br->snap_a.nvcsw) -
			      snaps) / window;
	c->rate_sim_wakeups[k] = (double)(sim1 - sim0) / (double)(got - base);
	return 0;
}

static int measure_rate(struct run *r)
{
	struct config *c = r->c;
	double a[RATE_RUNS], b[RATE_RUNS];

	c->per_req = r->rig.ap.rec->per_rate_req;
	if (!c->per_req || bench_pp_rate(&r->rig.pp, RATE_EVENTS / 4) < 0 ||
	    rate_run(r, 0))
		return -1;
	for (unsigned int k = 0; k < RATE_RUNS; k++) {
		c->base_runs[k] = bench_pp_rate(&r->rig.pp, RATE_EVENTS);
		if (c->base_runs[k] < 0 || rate_run(r, k))
			return -1;
	}
	memcpy(a, c->runs, sizeof(a));
	memcpy(b, c->base_runs, sizeof(b));
	c->rate = bench_median(a, RATE_RUNS);
	c->base_rate = bench_median(b, RATE_RUNS);
	return 0;
}

/* ---- one configuration, and all ------------------------------------ */

/* The next configuration: @mode in @place. */
static int measure_config(void *arg, const struct bench_place *place,
			  enum bench_mode mode)
{
	static const char *const sim_args[] = { "--queue-len", QUEUE_LEN, NULL };
	struct config *c = &configs[num_configs];
	struct run r = { .c = c };
	struct bench_agents_cfg acfg = {
		.cpu = place->agent_cpu, .mode = mode, .n = 1,
		.lat_sensor = LAT_SENSOR, .rate = true,
		.rate_sensor = RATE_SENSOR,
	};
	int ret = -1;

	c->mode = mode;
	c->place = *place;
	if (bench_rig_start(&r.rig, sim_args, place) ||
	    bench_toggle_init(&r.rig.ctl, &r.lat, LAT_SENSOR) ||
	    bench_toggle_init(&r.rig.ctl, &r.rate, RATE_SENSOR))
		goto out;
	acfg.sock = r.rig.sim.sock;
	acfg.rate_trip = r.rate.hi;
	if (bench_agents_start(&r.rig.ap, &acfg))
		goto out;
	c->threads = r.rig.ap.rec->threads;
	if (measure_latency(&r) || measure_rate(&r))
		goto out;
	num_configs++;
	ret = 0;
out:
	if (ret)
		fprintf(stderr, "bench-e2e: %s, placement %s: failed\n",
			bench_mode_name(c->mode), c->place.name);
	bench_rig_stop(&r.rig);
	return ret;
}

static int measure(void)
{
	return bench_matrix(&measured, BENCH, measure_config, NULL);
}

/* ---- output ---------------------------------------------------------- */

static bool same_cpu(const struct config *c)
{
	return c->place.platform_cpu == c->place.agent_cpu;
}

static bool loop(const struct config *c)
{
	return c->mode == BENCH_EVENT_LOOP;
}

/* "[a,b,...]" of @n values with @dec decimals */
static const char *fmt_runs(char *buf, size_t cap, const double *v, size_t n,
			    int dec)
{
	size_t len = (size_t)snprintf(buf, cap, "[");

	for (size_t i = 0; i < n && len < cap; i++)
		len += (size_t)snprintf(buf + len, cap - len, "%s%.*f",
					i ? "," : "", dec, v[i]);
	if (len < cap)
		snprintf(buf + len, cap - len, "]");
	return buf;
}

static struct bench_line line_of(const struct config *c, const char *metric,
				 const char *unit)
{
	struct bench_line l = {
		.bench = BENCH, .metric = metric, .unit = unit,
		.mode = bench_mode_name(c->mode), .placement = c->place.name,
		.pass = -1,
	};

	return l;
}

static void emit_latency(const struct config *c, const char *metric, double p)
{
	struct bench_line l = line_of(c, metric, "ns");
	bool p50 = p < 0.9;
	double max = p50 ? (loop(c) ? TGT_LOOP_P50 : same_cpu(c) ?
			    TGT_THR_P50_SAME : TGT_THR_P50_CROSS) :
			   (loop(c) ? TGT_LOOP_P99 : 0);
	char target[48];

	l.value = (double)bench_percentile(c->lat, c->n, p);
	l.baseline = (double)bench_percentile(c->base, c->n, p);
	l.has_baseline = true;
	if (max > 0) {
		snprintf(target, sizeof(target), "{\"ratio_max\":%.1f}", max);
		l.target = target;
		l.pass = l.value <= max * l.baseline;
	}
	bench_line(&l,
		   "\"post_to_rx\":%" PRIu64 ",\"rx_to_callback\":%" PRIu64 ","
		   "\"samples\":%zu,\"gap_ns\":%u,\"settle_pauses\":%" PRIu64 ","
		   "\"rx_stamped_before_post\":%" PRIu64 ","
		   "\"baseline_kind\":\"eventfd one-way, platform CPU to agent CPU, paced alike\","
		   "\"loadavg\":%.2f",
		   bench_percentile(c->rx, c->n, p),
		   bench_percentile(c->cb, c->n, p), c->n, GAP_NS,
		   c->settle_pauses, c->rx_early,
		   bench_loadavg());
}

static int metric_p50(void)
{
	if (measure())
		return 1;
	for (size_t i = 0; i < num_configs; i++)
		emit_latency(&configs[i], "latency_p50", 0.50);
	return 0;
}

static int metric_p99(void)
{
	if (measure())
		return 1;
	for (size_t i = 0; i < num_configs; i++)
		emit_latency(&configs[i], "latency_p99", 0.99);
	return 0;
}

static int metric_wakeups(void)
{
	if (measure())
		return 1;
	for (size_t i = 0; i < num_configs; i++) {
		const struct config *c = &configs[i];
		struct bench_line l = line_of(c, "agent_wakeups_per_event",
					      "switches/event");
		double max = loop(c) ? TGT_LOOP_WAKEUPS : TGT_THR_WAKEUPS;
		char target[48];

		l.decimals = 3;
		l.value = c->wakeups;
		l.baseline = c->base_wakeups;
		l.has_baseline = true;
		snprintf(target, sizeof(target), "{\"value_max\":%.2f}", max);
		l.target = target;
		l.pass = l.value <= max;
		bench_line(&l,
			   "\"involuntary_per_event\":%.3f,"
			   "\"platform_wakeups_per_event\":%.3f,"
			   "\"events\":%zu,\"agent_threads\":%u,"
			   "\"source\":\"getrusage(RUSAGE_SELF) of the agent process, in the first and last measured callback\","
			   "\"baseline_kind\":\"voluntary switches of the bare ping-pong's receiver per message\"",
			   c->involuntary, c->sim_wakeups, c->n - 1, c->threads);
	}
	return 0;
}

static int metric_rate(void)
{
	char runs[160], base_runs[160], wk[96], swk[96];

	if (measure())
		return 1;
	for (size_t i = 0; i < num_configs; i++) {
		const struct config *c = &configs[i];
		struct bench_line l = line_of(c, "rate", "events/s");
		double min = loop(c) ? TGT_LOOP_RATE : same_cpu(c) ?
			     TGT_THR_RATE_SAME : TGT_THR_RATE_CROSS;
		double w[RATE_RUNS], sw[RATE_RUNS];
		char target[48];

		memcpy(w, c->rate_wakeups, sizeof(w));
		memcpy(sw, c->rate_sim_wakeups, sizeof(sw));
		l.value = c->rate;
		l.baseline = c->base_rate;
		l.has_baseline = true;
		snprintf(target, sizeof(target),
			 "{\"ratio_min\":%.1f,\"lost\":0}", min);
		l.target = target;
		l.pass = l.value >= min * l.baseline && !c->lost;
		bench_line(&l,
			   "\"lost\":%u,\"runs\":%s,\"baseline_runs\":%s,"
			   "\"agent_wakeups_per_event\":%.3f,"
			   "\"platform_wakeups_per_event\":%.3f,"
			   "\"agent_wakeups_runs\":%s,\"platform_wakeups_runs\":%s,"
			   "\"events_per_run\":%u,\"events_per_request\":%u,"
			   "\"warmup_events\":%u,"
			   "\"baseline_kind\":\"eventfd round trips/s, platform CPU and agent CPU\","
			   "\"loadavg\":%.2f",
			   c->lost,
			   fmt_runs(runs, sizeof(runs), c->runs, RATE_RUNS, 0),
			   fmt_runs(base_runs, sizeof(base_runs), c->base_runs,
				    RATE_RUNS, 0),
			   bench_median(w, RATE_RUNS),
			   bench_median(sw, RATE_RUNS),
			   fmt_runs(wk, sizeof(wk), c->rate_wakeups, RATE_RUNS, 3),
			   fmt_runs(swk, sizeof(swk), c->rate_sim_wakeups,
				    RATE_RUNS, 3),
			   RATE_EVENTS, c->per_req, RATE_WARMUP, bench_loadavg());
	}
	return 0;
}

static const struct bench_metric metrics[] = {
	{ "latency_p50", metric_p50 },
	{ "latency_p99", metric_p99 },
	{ "agent_wakeups_per_event", metric_wakeups },
	{ "rate", metric_rate },
};

int main(int argc, char **argv)
{
	return bench_main(argc, argv, BENCH, metrics,
			  sizeof(metrics) / sizeof(metrics[0]));
}
