/* SPDX-License-Identifier: MIT */
/*
 * stress-notify: a stress test of the notification core (DESIGN.md 3.3,
 * items 4, 7, 9, 10, 11 and 12), meant to run under ASan+UBSan and TSan.
 *
 * One instance with its worker thread, two fake protocols (A never goes
 * away, B is deregistered and registered again all the time), and:
 *  - producers pushing events with scmi_notify(): valid ones, and some
 *    that must be refused (unknown protocol or event, payload too large,
 *    NULL payload) or dropped by the report filler (refused payload,
 *    source out of range); B's queue is small, so -ENOSPC happens too;
 *  - user threads registering and unregistering notifiers on a few shared
 *    tuples, for one source or for all (src_id NULL or SCMI_ALL_SRC_IDS),
 *    plus the error paths (-EEXIST, -EBUSY, -ENOENT, -EINVAL);
 *  - callbacks that unregister themselves, and callbacks that register
 *    new notifiers (handed over to a user thread, which frees them);
 *  - a control thread that deregisters and registers B again (handlers
 *    go back to pending and are bound again), runs scmi_notify_run_pending()
 *    beside the worker, and reads the stats;
 *  - a fake platform refusing some enables (partial enables, handlers
 *    bound with generation off, registrations that fail) and taking a
 *    little time to answer; one "hot" source at a time refuses every
 *    enable, and users and producers favour it;
 *  - a watchdog thread: no progress for 10 s is a failure (deadlock).
 *
 * Checks, on the spot: the platform sees on/off alternate for each (proto,
 * evt, src) and never hears about an unsupported source; every source of
 * B is off when its deregister returns and nothing of B is called until it
 * registers again (and its private data is freed in between); a notifier
 * is never called once unregister returned for it (it is marked dead,
 * poisoned and freed right away or soon after), nor after a failed
 * registration, nor for the event during which a callback registered it;
 * callbacks are never concurrent (per protocol and overall); reports match
 * the tuple; each producer's events of a protocol reach the filler in order
 * and intact. At the end of each phase: the stats add up and match what
 * the producers saw and what the filler counted, permanent notifiers on A
 * saw exactly every delivered event, every enable has its disable and no
 * source is on, a pending registration is bound by the worker when its
 * protocol comes back, no handler is left (deregistering and registering
 * both protocols binds nothing and enables nothing), no error was logged,
 * and (under ASan) nothing leaks.
 *
 * Run: stress-notify [--seconds N] [--seed S] [-v]; --help for the rest.
 * A failure prints "stress-notify: FAIL [phase, seed] file:line: what" and
 * exits 1; the seed and --seconds reproduce the mix (not the timing).
 *
 * Phases: "multi" (default config, two producers) and "single"
 * (single_producer = true, one producer), half of --seconds each.
 */
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <pthread.h>
#include <sched.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <scmi/notify.h>

#define PROG "stress-notify"

#define container_of(ptr, type, member) \
	((type *)(void *)((char *)(ptr) - offsetof(type, member)))

/* ---------------------------------------------------------------- */
/* configuration                                                    */

#define NPROTO 2          /* A and B */
#define SLOT_A 0
#define SLOT_B 1
#define SLOT_UNK 2        /* a protocol id that is never registered */
#define NSLOT 3
static const uint8_t slot_proto[NSLOT] = { 0x13, 0x15, 0x7E };

#define NEVT 2
#define NSRC 4
#define BAD_EVT 0x09      /* an event id neither protocol has */
/* B's event 1 cannot be emitted by source 3 (is_notify_supported) */
#define UNSUP_SLOT SLOT_B
#define UNSUP_EIDX 1
#define UNSUP_SRC 3u

#define B_QUEUE_SZ 512
#define MAX_PRODUCERS 2
#define MAX_USERS 8
#define MAX_LIVE 8        /* notifiers a user thread keeps at most */
#define MAX_CHILDREN 48   /* notifiers registered by callbacks, live */
#define QUARANTINE 32     /* dead notifiers kept poisoned before free() */
#define MAX_ITERS 100000000ull
#define WAIT_NS (10ull * 1000000000ull) /* give up waiting after 10 s */

#define PAYLD_MAGIC 0x5C4E0717u
#define REPORT_MAGIC 0x7E9087EDu
#define TNB_MAGIC 0x7B0B0B01u
#define TNB_DEAD 0xDEADBEEFu
#define PRIV_MAGIC 0x9A1F0001u
#define F_REFUSE 0x01     /* the filler refuses this payload */

struct payld_hdr {
	uint32_t magic;
	uint8_t producer;
	uint8_t flags;
	uint16_t src;
	uint64_t seq;
};
#define HDR_SZ sizeof(struct payld_hdr)

struct report {
	uint32_t magic;
	uint8_t slot;
	uint8_t evt_id;
	uint16_t producer;
	uint32_t src;
	uint32_t pad;
	uint64_t seq;
};

static const struct scmi_event evts[NEVT] = {
	{ .id = 0x00, .max_payld_sz = 24, .max_report_sz = sizeof(struct report) },
	{ .id = 0x03, .max_payld_sz = 48, .max_report_sz = sizeof(struct report) },
};

static struct {
	double seconds;
	uint64_t seed;
	unsigned int users;
	unsigned int fail_rate; /* the platform refuses 1 enable in N; 0: never */
	bool delay;             /* the platform takes a little time to answer */
	bool do_abort;          /* abort() on failure (for a core dump) */
	int verbose;
	bool phase_multi, phase_single;
} opt = {
	.seconds = 3.0,
	.seed = 0x5C3117E57ull,
	.users = 3,
	.fail_rate = 16,
	.delay = true,
	.phase_multi = true,
	.phase_single = true,
};

/* ---------------------------------------------------------------- */
/* failures, time, randomness                                       */

static _Atomic(const char *) g_phase = "setup";

static void fail_at(const char *file, int line, const char *fmt, ...)
	__attribute__((noreturn, format(printf, 3, 4)));

static void fail_at(const char *file, int line, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	fprintf(stderr, PROG ": FAIL [phase %s, seed 0x%" PRIx64 "] %s:%d: %s\n",
		atomic_load(&g_phase), opt.seed, file, line, msg);
	fflush(stderr);
	fflush(stdout);
	if (opt.do_abort)
		abort();
	_exit(1);
}

#define FAIL(...) fail_at(__FILE__, __LINE__, __VA_ARGS__)
#define CHECK(cond, ...)                  \
	do {                              \
		if (!(cond))              \
			FAIL(__VA_ARGS__); \
	} while (0)

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* Sleep @us microseconds, never more than a millisecond. */
static void sleep_us(unsigned int us)
{
	struct timespec ts = { 0, (long)(us > 1000 ? 1000 : us) * 1000L };

	nanosleep(&ts, NULL);
}

static void spin_ns(uint64_t ns)
{
	uint64_t end = now_ns() + ns;

	while (now_ns() < end)
		;
}

static uint64_t mix64(uint64_t z)
{
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
	return z ^ (z >> 31);
}

static uint64_t rnd64(uint64_t *s)
{
	*s += 0x9E3779B97F4A7C15ull;
	return mix64(*s);
}

/* 0 <= result < n */
static unsigned int rnd(uint64_t *s, unsigned int n)
{
	return (unsigned int)(rnd64(s) % n);
}

static uint64_t seed_for(unsigned int role, unsigned int idx)
{
	return mix64(opt.seed ^ ((uint64_t)role << 48) ^ ((uint64_t)idx << 32));
}

/* ---------------------------------------------------------------- */
/* the watchdog: a thread that makes no progress for WAIT_NS fails the
 * test (a deadlock, or a starvation, in the core) instead of hanging */

enum { W_MAIN, W_CONTROL, W_USER0, W_PROD0 = W_USER0 + MAX_USERS,
       NWATCH = W_PROD0 + MAX_PRODUCERS };

struct watch {
	char name[16];             /* set before the watchdog starts */
	_Atomic uint64_t beat;     /* 0: not watched */
};

static struct watch watches[NWATCH];
static _Atomic bool wd_stop;

static void beat(unsigned int w)
{
	atomic_store_explicit(&watches[w].beat, now_ns(), memory_order_relaxed);
}

static void unwatch(unsigned int w)
{
	atomic_store_explicit(&watches[w].beat, 0, memory_order_relaxed);
}

static void *watchdog_main(void *arg)
{
	(void)arg;
	while (!atomic_load(&wd_stop)) {
		uint64_t now = now_ns();

		for (unsigned int i = 0; i < NWATCH; i++) {
			uint64_t b = atomic_load_explicit(&watches[i].beat,
							  memory_order_relaxed);

			if (b && now > b + WAIT_NS)
				FAIL("the %s thread made no progress for %.1f s: "
				     "a deadlock or a starvation in the core",
				     watches[i].name, (double)(now - b) / 1e9);
		}
		sleep_us(1000);
	}
	return NULL;
}

/* ---------------------------------------------------------------- */
/* per-phase state                                                  */

static struct scmi_notify *g_ni;
static _Atomic bool g_stop;
static _Atomic bool g_spawn_allowed;
static _Atomic bool g_destroyed;
static _Atomic int g_live_children;
static unsigned int g_nproducers;

/* the protocols */
struct proto_priv {
	uint32_t magic;
	unsigned int slot;
	unsigned int gen;
};
static _Atomic bool proto_up[NPROTO];
static _Atomic unsigned int proto_gen[NPROTO];
static struct proto_priv *proto_priv_cur[NPROTO]; /* main, then control */

/* the fake platform: generation state per (proto, evt, src) */
static _Atomic int plat_on[NPROTO][NEVT][NSRC];
static _Atomic uint64_t plat_enables[NPROTO][NEVT][NSRC];
static _Atomic uint64_t plat_disables[NPROTO][NEVT][NSRC];
static _Atomic uint64_t plat_refused;
static _Atomic bool plat_no_fail; /* the quiescent checks need no refusal */
/*
 * The "hot" source: one (proto, evt, src) at a time refuses every enable
 * for a while (a domain powered off), and users and producers favour it,
 * so that registrations fail on handlers that are bound with generation
 * off and receiving events. 0: none; else 1 + slot << 8 | eidx << 4 | src.
 */
static _Atomic unsigned int g_hot;

static unsigned int hot_key(unsigned int slot, unsigned int eidx,
			    unsigned int src)
{
	return 1 + (slot << 8 | eidx << 4 | src);
}

/* Whether there is a hot source; then its tuple. */
static bool hot_get(unsigned int *slot, unsigned int *eidx, unsigned int *src)
{
	unsigned int k = atomic_load_explicit(&g_hot, memory_order_relaxed);

	if (!k)
		return false;
	k--;
	*slot = k >> 8;
	*eidx = (k >> 4) & 15;
	*src = k & 15;
	return true;
}
static _Atomic uint64_t plat_calls;

/* the report filler */
static _Atomic bool in_fill[NPROTO];
static _Atomic uint64_t last_seq[NPROTO][MAX_PRODUCERS];
static _Atomic uint64_t fill_ok[NPROTO][NEVT][NSRC];
static _Atomic uint64_t fill_refused[NPROTO];
static _Atomic uint64_t fill_oor[NPROTO];

/* callbacks */
static _Atomic bool in_cb[NPROTO];
static _Atomic bool in_any_cb;
static _Atomic uint64_t cb_calls;
static _Atomic uint64_t cb_self_unreg;
static _Atomic uint64_t cb_spawned;
static _Atomic uint64_t cb_deadlk_checked;
/* permanent notifiers ("sentinels"): [slot][eidx][src], src NSRC = all */
static _Atomic uint64_t sent_calls[NPROTO][NEVT][NSRC + 1];

/* the log */
static _Atomic uint64_t log_count[8];
static _Atomic uint64_t log_pending_lines; /* "pending notifier on ..." */

/* totals over the phases, for the summary */
static struct {
	uint64_t pushed, queued, delivered, dropped_full, dropped_invalid,
		dropped_report, discarded;
	uint64_t callbacks, registers, reg_failed, unregisters, self_unreg,
		children, err_checks;
	uint64_t dereg_cycles, enables, disables, refused, late_binds;
} tot;

/* ---------------------------------------------------------------- */
/* the log sink                                                     */

static void log_sink(void *userdata, enum scmi_log_level level,
		     const char *msg)
{
	(void)userdata;
	atomic_fetch_add(&log_count[(unsigned int)level & 7], 1);
	if (strstr(msg, "pending notifier on"))
		atomic_fetch_add(&log_pending_lines, 1);
	if (level <= SCMI_LOG_ERR || opt.verbose >= 2)
		fprintf(stderr, PROG ": [%s] lib log %d: %s\n", atomic_load(&g_phase),
			(int)level, msg);
}

/* ---------------------------------------------------------------- */
/* the fake protocols and platform                                  */

static int evt_index(uint8_t evt_id)
{
	for (int i = 0; i < NEVT; i++)
		if (evts[i].id == evt_id)
			return i;
	return -1;
}

static bool unsupported(unsigned int slot, int eidx, uint32_t src)
{
	return slot == UNSUP_SLOT && eidx == UNSUP_EIDX && src == UNSUP_SRC;
}

static struct proto_priv *priv_check(void *priv, const char *who)
{
	struct proto_priv *pp = priv;

	CHECK(!atomic_load(&g_destroyed), "%s called after destroy", who);
	CHECK(pp && pp->magic == PRIV_MAGIC,
	      "%s called with a stale or bad proto_priv %p", who, priv);
	CHECK(pp->slot < NPROTO, "%s: bad slot", who);
	CHECK(atomic_load(&proto_up[pp->slot]),
	      "%s called for protocol 0x%x after its deregister returned", who,
	      slot_proto[pp->slot]);
	CHECK(pp->gen == atomic_load(&proto_gen[pp->slot]),
	      "%s called with the private data of an old registration (gen %u, now %u)",
	      who, pp->gen, atomic_load(&proto_gen[pp->slot]));
	return pp;
}

static int plat_get_num_sources(void *priv)
{
	(void)priv;
	return NSRC;
}

static bool plat_is_notify_supported(void *priv, uint8_t evt_id,
				     uint32_t src_id)
{
	struct proto_priv *pp = priv_check(priv, "is_notify_supported");

	return !unsupported(pp->slot, evt_index(evt_id), src_id);
}

/* A platform takes time to answer a *_NOTIFY command. */
static void plat_delay(uint64_t n)
{
	if (!opt.delay)
		return;
	switch (mix64(n) % 8) {
	case 0:
		sched_yield();
		break;
	case 1:
		spin_ns(2000 + mix64(n + 1) % 8000);
		break;
	default:
		break;
	}
}

static int plat_set_notify_enabled(void *priv, uint8_t evt_id,
				   uint32_t src_id, bool enable)
{
	struct proto_priv *pp = priv_check(priv, "set_notify_enabled");
	int eidx = evt_index(evt_id);
	uint64_t n = atomic_fetch_add(&plat_calls, 1);
	int old;

	CHECK(eidx >= 0, "set_notify_enabled for unknown event %u", evt_id);
	CHECK(src_id < NSRC, "set_notify_enabled for source %u out of range",
	      src_id);
	CHECK(!unsupported(pp->slot, eidx, src_id),
	      "set_notify_enabled(%s) for 0x%x/%u/%u, which is not supported",
	      enable ? "on" : "off", slot_proto[pp->slot], evt_id, src_id);

	plat_delay(n);
	if (enable && opt.fail_rate && !atomic_load(&plat_no_fail) &&
	    (atomic_load(&g_hot) == hot_key(pp->slot, (unsigned int)eidx, src_id) ||
	     mix64(opt.seed ^ (n * 0x2545F4914F6CDD1Dull)) % opt.fail_rate == 0)) {
		atomic_fetch_add(&plat_refused, 1);
		return -EIO;
	}
	old = atomic_exchange(&plat_on[pp->slot][eidx][src_id], enable);
	CHECK(old != (int)enable,
	      "platform: 0x%x/%u/%u turned %s twice in a row",
	      slot_proto[pp->slot], evt_id, src_id, enable ? "on" : "off");
	if (enable)
		atomic_fetch_add(&plat_enables[pp->slot][eidx][src_id], 1);
	else
		atomic_fetch_add(&plat_disables[pp->slot][eidx][src_id], 1);
	return 0;
}

static void *plat_fill_report(void *priv, uint8_t evt_id, uint64_t ts,
			      const void *payld, size_t sz, void *report,
			      uint32_t *src_id)
{
	struct proto_priv *pp = priv_check(priv, "fill_custom_report");
	unsigned int slot = pp->slot;
	int eidx = evt_index(evt_id);
	struct report *r = report;
	struct payld_hdr h;
	void *ret = NULL;

	CHECK(!atomic_exchange(&in_fill[slot], true),
	      "two fill_custom_report of protocol 0x%x at once",
	      slot_proto[slot]);
	CHECK(eidx >= 0, "fill_custom_report for unknown event %u", evt_id);
	CHECK(sz <= evts[eidx].max_payld_sz,
	      "fill_custom_report: %zu bytes for event %u (max %zu)", sz,
	      evt_id, evts[eidx].max_payld_sz);
	CHECK(report, "fill_custom_report: NULL report buffer");
	if (sz < HDR_SZ) {
		/* an empty event: nothing to decode */
		atomic_fetch_add(&fill_refused[slot], 1);
		goto out;
	}
	CHECK(payld, "fill_custom_report: NULL payload of %zu bytes", sz);
	memcpy(&h, payld, sizeof(h));
	CHECK(h.magic == PAYLD_MAGIC, "queued payload corrupted (magic 0x%x)",
	      h.magic);
	CHECK(h.producer < g_nproducers, "queued payload: producer %u",
	      h.producer);
	CHECK(ts == (h.seq << 8 | h.producer),
	      "timestamp 0x%" PRIx64 " does not match the payload's", ts);
	for (size_t i = HDR_SZ; i < sz; i++)
		CHECK(((const uint8_t *)payld)[i] == (uint8_t)(h.seq * 7 + i),
		      "queued payload corrupted at byte %zu", i);
	{
		uint64_t last = atomic_load_explicit(
			&last_seq[slot][h.producer], memory_order_relaxed);

		CHECK(h.seq > last,
		      "protocol 0x%x: event seq %" PRIu64
		      " of producer %u after seq %" PRIu64 ": out of order",
		      slot_proto[slot], h.seq, h.producer, last);
		atomic_store_explicit(&last_seq[slot][h.producer], h.seq,
				      memory_order_relaxed);
	}
	if (h.flags & F_REFUSE) {
		atomic_fetch_add(&fill_refused[slot], 1);
		goto out;
	}
	memset(r, 0, sizeof(*r));
	r->magic = REPORT_MAGIC;
	r->slot = (uint8_t)slot;
	r->evt_id = evt_id;
	r->producer = h.producer;
	r->src = h.src;
	r->seq = h.seq;
	*src_id = h.src;
	if (h.src >= NSRC)
		atomic_fetch_add(&fill_oor[slot], 1);
	else
		atomic_fetch_add(&fill_ok[slot][eidx][h.src], 1);
	ret = r;
out:
	atomic_store(&in_fill[slot], false);
	return ret;
}

static const struct scmi_event_ops ops_a = {
	.get_num_sources = plat_get_num_sources,
	.set_notify_enabled = plat_set_notify_enabled,
	.fill_custom_report = plat_fill_report,
};

static const struct scmi_event_ops ops_b = {
	.get_num_sources = plat_get_num_sources,
	.set_notify_enabled = plat_set_notify_enabled,
	.fill_custom_report = plat_fill_report,
	.is_notify_supported = plat_is_notify_supported,
};

static const struct scmi_protocol_events proto_events[NPROTO] = {
	/* A: default queue, sources given */
	{ .ops = &ops_a, .evts = evts, .num_events = NEVT, .num_sources = NSRC },
	/* B: small queue, sources asked for, one unsupported source */
	{ .queue_sz = B_QUEUE_SZ, .ops = &ops_b, .evts = evts,
	  .num_events = NEVT },
};

static void check_proto_off(unsigned int slot, const char *when)
{
	for (int e = 0; e < NEVT; e++)
		for (unsigned int s = 0; s < NSRC; s++)
			CHECK(!atomic_load(&plat_on[slot][e][s]),
			      "0x%x/%u/%u still enabled at the platform %s",
			      slot_proto[slot], evts[e].id, s, when);
}

/* Register protocol @slot with a fresh private struct. */
static void proto_up_now(unsigned int slot)
{
	struct proto_priv *pp = malloc(sizeof(*pp));
	int ret;

	CHECK(pp, "out of memory");
	pp->magic = PRIV_MAGIC;
	pp->slot = slot;
	pp->gen = atomic_load(&proto_gen[slot]) + 1;
	proto_priv_cur[slot] = pp;
	atomic_store(&proto_gen[slot], pp->gen);
	atomic_store(&proto_up[slot], true);
	ret = scmi_register_protocol_events(g_ni, slot_proto[slot], pp,
					    &proto_events[slot]);
	CHECK(ret == 0, "registering protocol 0x%x: %d", slot_proto[slot],
	      ret);
}

/* Deregister protocol @slot, check it is all off, free its private data. */
static void proto_down_now(unsigned int slot)
{
	struct proto_priv *pp = proto_priv_cur[slot];

	scmi_deregister_protocol_events(g_ni, slot_proto[slot]);
	atomic_store(&proto_up[slot], false);
	check_proto_off(slot, "after its protocol deregistered");
	proto_priv_cur[slot] = NULL;
	pp->magic = TNB_DEAD;
	free(pp); /* a later use by the core shows up under ASan */
}

/* ---------------------------------------------------------------- */
/* notifiers                                                        */

enum tnb_state {
	ST_NEW = 0,
	ST_REG,          /* registered (or being registered) */
	ST_OWNER_CLAIM,  /* its owner is unregistering it */
	ST_CB_CLAIM,     /* its callback is unregistering it */
	ST_DONE_BY_CB,   /* its callback unregistered it: owner may free */
	ST_FAILED,       /* registration failed */
	ST_DEAD,         /* unregister returned: must never be called */
};

enum tnb_behaviour {
	BH_PLAIN,
	BH_STOP,         /* returns SCMI_NOTIFY_STOP_MASK */
	BH_SELF,         /* unregisters itself after self_after calls */
	BH_SPAWN,        /* registers a new notifier, now and then */
	BH_SENTINEL,     /* permanent, counts every event */
};

struct tnb {
	struct scmi_notifier nb;
	uint32_t magic;
	unsigned int slot;
	uint8_t evt_id;
	int eidx;                /* -1: BAD_EVT */
	uint32_t src;            /* SCMI_ALL_SRC_IDS: all */
	bool valid;              /* the tuple exists on its protocol */
	enum tnb_behaviour bh;
	unsigned int self_after;
	unsigned int spawn_left;
	unsigned int owner;      /* user thread index */
	bool child;
	bool has_birth;          /* registered from a callback, during ... */
	unsigned int birth_slot; /* ... this event: it must not receive it */
	uint16_t birth_producer;
	uint64_t birth_seq;
	uint64_t rng;            /* the callback's */
	_Atomic int state;
	_Atomic unsigned int calls;
	struct tnb *link;        /* owner's list, or inbox */
};

static int tnb_cb(struct scmi_notifier *nb, uint8_t evt_id, const void *report);

static int dead_cb(struct scmi_notifier *nb, uint8_t evt_id,
		   const void *report)
{
	(void)report;
	FAIL("a dead notifier %p (poisoned after unregister) was called for event %u",
	     (void *)nb, evt_id);
}

static uint8_t tnb_proto(const struct tnb *t)
{
	return slot_proto[t->slot];
}

/* The source argument: for "all", NULL or a pointer to SCMI_ALL_SRC_IDS. */
static const uint32_t *tnb_src(const struct tnb *t, uint32_t *tmp,
			       uint64_t *rng)
{
	if (t->src != SCMI_ALL_SRC_IDS || rnd(rng, 2)) {
		*tmp = t->src;
		return tmp;
	}
	return NULL;
}

static struct tnb *tnb_alloc(unsigned int owner, uint64_t seed)
{
	struct tnb *t = calloc(1, sizeof(*t));

	CHECK(t, "out of memory");
	t->magic = TNB_MAGIC;
	t->nb.cb = tnb_cb;
	t->owner = owner;
	t->rng = seed;
	atomic_init(&t->state, ST_NEW);
	atomic_init(&t->calls, 0);
	return t;
}

static void tnb_pick(struct tnb *t, uint64_t *rng, bool allow_invalid)
{
	unsigned int hs, he, hsrc;

	t->slot = rnd(rng, NPROTO);
	t->eidx = (int)rnd(rng, NEVT);
	t->src = rnd(rng, 10) < 3 ? SCMI_ALL_SRC_IDS : rnd(rng, NSRC);
	if (rnd(rng, 5) == 0 && hot_get(&hs, &he, &hsrc)) {
		t->slot = hs;
		t->eidx = (int)he;
		t->src = hsrc;
	}
	t->evt_id = evts[t->eidx].id;
	t->valid = true;
	t->nb.priority = (int)rnd(rng, 9) - 4;
	if (allow_invalid && rnd(rng, 100) < 2) {
		t->valid = false;
		if (rnd(rng, 2)) {
			t->src = NSRC + rnd(rng, 4);
		} else {
			t->evt_id = BAD_EVT;
			t->eidx = -1;
		}
	}
}

static void tnb_pick_behaviour(struct tnb *t, uint64_t *rng, bool child)
{
	unsigned int r = rnd(rng, 100);

	if (child) {
		t->bh = r < 80 ? BH_SELF : BH_PLAIN;
	} else if (r < 40) {
		t->bh = BH_PLAIN;
	} else if (r < 50) {
		t->bh = BH_STOP;
	} else if (r < 80) {
		t->bh = BH_SELF;
	} else {
		t->bh = BH_SPAWN;
	}
	t->self_after = 1 + rnd(rng, 4);
	t->spawn_left = 1 + rnd(rng, 2);
}

/* Poison a notifier whose unregister returned, or whose registration
 * failed. It stays allocated in the quarantine for a while (so that a late
 * call finds it dead even without ASan), then is freed (so that ASan sees
 * a late call as a use after free). */
struct quarantine {
	struct tnb *slot[QUARANTINE];
	unsigned int pos;
};

static void tnb_free(struct tnb *t)
{
	if (t->child)
		atomic_fetch_sub(&g_live_children, 1);
	free(t);
}

static void tnb_poison(struct tnb *t)
{
	atomic_store(&t->state, ST_DEAD);
	t->magic = TNB_DEAD;
	t->nb.cb = dead_cb;
	t->nb.priority = INT_MIN;
}

static void tnb_bury(struct quarantine *q, struct tnb *t)
{
	tnb_poison(t);
	if (q->slot[q->pos])
		tnb_free(q->slot[q->pos]);
	q->slot[q->pos] = t;
	q->pos = (q->pos + 1) % QUARANTINE;
}

static void quarantine_flush(struct quarantine *q)
{
	for (unsigned int i = 0; i < QUARANTINE; i++) {
		if (q->slot[i])
			tnb_free(q->slot[i]);
		q->slot[i] = NULL;
	}
}

/*
 * Register @t on its tuple. Returns 0, or the error, which must be one the
 * tuple allows; then the callback must never have run and @t is the
 * caller's to poison.
 */
static int tnb_register(struct tnb *t, uint64_t *rng)
{
	bool unsup = t->valid && unsupported(t->slot, t->eidx, t->src);
	uint32_t tmp;
	int exp = ST_NEW;
	int ret;

	if (!atomic_compare_exchange_strong(&t->state, &exp, ST_REG))
		FAIL("registering a notifier in state %d", exp);
	ret = scmi_event_notifier_register(g_ni, tnb_proto(t), t->evt_id,
					   tnb_src(t, &tmp, rng), &t->nb);
	if (!ret)
		return 0;
	switch (ret) {
	case -EIO: /* the platform refused (every) enable */
		CHECK(t->valid && !unsup,
		      "register on 0x%x/%u/%u: -EIO, but no enable was due",
		      tnb_proto(t), t->evt_id, t->src);
		break;
	case -EOPNOTSUPP:
		CHECK(unsup, "register on 0x%x/%u/%u: unexpected -EOPNOTSUPP",
		      tnb_proto(t), t->evt_id, t->src);
		break;
	case -EINVAL:
		CHECK(!t->valid, "register on 0x%x/%u/%u: unexpected -EINVAL",
		      tnb_proto(t), t->evt_id, t->src);
		break;
	default:
		FAIL("register on 0x%x/%u/%u: unexpected %d", tnb_proto(t),
		     t->evt_id, t->src, ret);
	}
	exp = ST_REG;
	if (!atomic_compare_exchange_strong(&t->state, &exp, ST_FAILED) ||
	    atomic_load(&t->calls))
		FAIL("register on 0x%x/%u/%u failed with %d, yet its callback ran "
		     "(%u calls, state %d): the caller may free it now",
		     tnb_proto(t), t->evt_id, t->src, ret,
		     atomic_load(&t->calls), exp);
	return ret;
}

/* Wait until a callback that claimed @t has finished unregistering it. */
static void tnb_wait_done(struct tnb *t)
{
	uint64_t deadline = now_ns() + WAIT_NS;
	int st;

	while ((st = atomic_load(&t->state)) != ST_DONE_BY_CB) {
		CHECK(st == ST_CB_CLAIM,
		      "notifier in state %d while its callback unregisters it",
		      st);
		CHECK(now_ns() < deadline,
		      "a callback has been unregistering itself for 10 s (deadlock?)");
		sched_yield();
	}
}

struct ustats {
	uint64_t registers, reg_failed, unregisters, reaped, err_checks;
};

/*
 * Owner side: make sure @t is unregistered (by us, or already by its own
 * callback), then poison it. Called on a non-callback thread.
 */
static void tnb_release(struct tnb *t, struct quarantine *q, uint64_t *rng,
			struct ustats *st)
{
	int exp = ST_REG;
	uint32_t tmp;
	int ret;

	CHECK(t->magic == TNB_MAGIC, "releasing a bad notifier");
	if (atomic_compare_exchange_strong(&t->state, &exp, ST_OWNER_CLAIM)) {
		ret = scmi_event_notifier_unregister(g_ni, tnb_proto(t),
						     t->evt_id,
						     tnb_src(t, &tmp, rng),
						     &t->nb);
		CHECK(ret == 0, "unregister of 0x%x/%u/%u: %d", tnb_proto(t),
		      t->evt_id, t->src, ret);
		exp = ST_OWNER_CLAIM;
		CHECK(atomic_compare_exchange_strong(&t->state, &exp, ST_DEAD),
		      "notifier state changed to %d while its owner held it",
		      exp);
		st->unregisters++;
	} else {
		CHECK(exp == ST_CB_CLAIM || exp == ST_DONE_BY_CB,
		      "releasing a notifier in state %d", exp);
		tnb_wait_done(t);
		if (rnd(rng, 4) == 0) {
			/* it is gone: unregistering again finds nothing */
			ret = scmi_event_notifier_unregister(
				g_ni, tnb_proto(t), t->evt_id,
				tnb_src(t, &tmp, rng), &t->nb);
			CHECK(ret == -ENOENT,
			      "second unregister of a self-unregistered notifier: %d",
			      ret);
		}
		st->reaped++;
	}
	tnb_bury(q, t);
}

/* ---------------------------------------------------------------- */
/* user threads                                                     */

struct user {
	unsigned int idx;
	pthread_t th;
	uint64_t rng;
	struct tnb *list;
	unsigned int n;
	pthread_mutex_t inbox_mtx;  /* a leaf: never held across the core */
	struct tnb *inbox;          /* registered by callbacks, for us */
	struct quarantine q;
	struct ustats st;
};

static struct user users[MAX_USERS];

static void inbox_push(struct tnb *t)
{
	struct user *u = &users[t->owner];

	pthread_mutex_lock(&u->inbox_mtx);
	t->link = u->inbox;
	u->inbox = t;
	pthread_mutex_unlock(&u->inbox_mtx);
}

static void user_adopt(struct user *u)
{
	struct tnb *t, *next;

	pthread_mutex_lock(&u->inbox_mtx);
	t = u->inbox;
	u->inbox = NULL;
	pthread_mutex_unlock(&u->inbox_mtx);
	for (; t; t = next) {
		next = t->link;
		t->link = u->list;
		u->list = t;
		u->n++;
	}
}

/* Free the notifiers whose callback unregistered them. */
static void user_reap(struct user *u)
{
	struct tnb **pp = &u->list;

	while (*pp) {
		struct tnb *t = *pp;

		if (atomic_load(&t->state) == ST_DONE_BY_CB) {
			*pp = t->link;
			u->n--;
			tnb_release(t, &u->q, &u->rng, &u->st);
		} else {
			pp = &t->link;
		}
	}
}

static void user_register_one(struct user *u)
{
	struct tnb *t = tnb_alloc(u->idx, rnd64(&u->rng));

	tnb_pick(t, &u->rng, true);
	tnb_pick_behaviour(t, &u->rng, false);
	if (!t->valid)
		t->bh = BH_PLAIN;
	u->st.registers++;
	if (tnb_register(t, &u->rng)) {
		u->st.reg_failed++;
		tnb_bury(&u->q, t);
		return;
	}
	t->link = u->list;
	u->list = t;
	u->n++;
}

static void user_unregister_one(struct user *u)
{
	unsigned int i = rnd(&u->rng, u->n);
	struct tnb **pp = &u->list, *t;

	while (i--)
		pp = &(*pp)->link;
	t = *pp;
	*pp = t->link;
	u->n--;
	tnb_release(t, &u->q, &u->rng, &u->st);
}

/* The error paths, on a plain notifier of ours that is registered. */
static void user_error_checks(struct user *u)
{
	struct tnb *t, *other;
	uint32_t tmp, src;
	int ret;

	for (t = u->list; t; t = t->link)
		if ((t->bh == BH_PLAIN || t->bh == BH_STOP) && t->valid &&
		    !unsupported(t->slot, t->eidx, t->src) &&
		    atomic_load(&t->state) == ST_REG)
			break;
	u->st.err_checks++;
	if (t) {
		/* same tuple again */
		ret = scmi_event_notifier_register(g_ni, tnb_proto(t),
						   t->evt_id,
						   tnb_src(t, &tmp, &u->rng),
						   &t->nb);
		CHECK(ret == -EEXIST, "registering a notifier twice: %d", ret);
		/* another tuple (valid and supported) */
		if (t->eidx == 0) {
			ret = scmi_event_notifier_register(
				g_ni, tnb_proto(t), evts[1].id, NULL, &t->nb);
		} else {
			src = rnd(&u->rng, 2);
			ret = scmi_event_notifier_register(
				g_ni, tnb_proto(t), evts[0].id, &src, &t->nb);
		}
		CHECK(ret == -EBUSY,
		      "registering a notifier on a second tuple: %d", ret);
		/* unregister from a tuple it is not on */
		src = t->src == SCMI_ALL_SRC_IDS ? 2 : SCMI_ALL_SRC_IDS;
		ret = scmi_event_notifier_unregister(g_ni, tnb_proto(t),
						     t->evt_id, &src, &t->nb);
		CHECK(ret == -ENOENT,
		      "unregistering from the wrong tuple: %d", ret);
		CHECK(atomic_load(&t->state) == ST_REG, "state changed");
	}

	/* a notifier that was never registered */
	other = tnb_alloc(u->idx, 0);
	tnb_pick(other, &u->rng, false);
	ret = scmi_event_notifier_unregister(g_ni, tnb_proto(other),
					     other->evt_id,
					     tnb_src(other, &tmp, &u->rng),
					     &other->nb);
	CHECK(ret == -ENOENT, "unregistering an unknown notifier: %d", ret);
	/* bad arguments */
	src = SCMI_ALL_SRC_IDS + 1 + rnd(&u->rng, 1000);
	ret = scmi_event_notifier_register(g_ni, tnb_proto(other),
					   other->evt_id, &src, &other->nb);
	CHECK(ret == -EINVAL, "register with source 0x%x: %d", src, ret);
	src = NSRC;
	ret = scmi_event_notifier_register(g_ni, slot_proto[SLOT_A],
					   evts[0].id, &src, &other->nb);
	CHECK(ret == -EINVAL, "register on A with source %u: %d", src, ret);
	ret = scmi_event_notifier_register(g_ni, slot_proto[SLOT_A], BAD_EVT,
					   NULL, &other->nb);
	CHECK(ret == -EINVAL, "register on A for event %u: %d", BAD_EVT, ret);
	other->nb.cb = NULL;
	ret = scmi_event_notifier_register(g_ni, tnb_proto(other),
					   other->evt_id, NULL, &other->nb);
	CHECK(ret == -EINVAL, "register with a NULL callback: %d", ret);
	CHECK(atomic_load(&other->calls) == 0,
	      "a notifier that was never registered was called");
	tnb_bury(&u->q, other);
}

static void *user_main(void *arg)
{
	struct user *u = arg;
	uint64_t it;

	for (it = 0; it < MAX_ITERS && !atomic_load(&g_stop); it++) {
		unsigned int r = rnd(&u->rng, 1000);

		beat(W_USER0 + u->idx);
		if ((it & 15) == 0) {
			user_adopt(u);
			user_reap(u);
		}
		if (r < 8)
			user_error_checks(u);
		else if (u->n == 0 || (u->n < MAX_LIVE && r < 550))
			user_register_one(u);
		else
			user_unregister_one(u);
		if (rnd(&u->rng, 8) == 0)
			sched_yield();
		if (rnd(&u->rng, 64) == 0)
			sleep_us(rnd(&u->rng, 100));
	}
	/* the end: let go of everything we hold */
	user_adopt(u);
	while (u->list) {
		beat(W_USER0 + u->idx);
		user_unregister_one(u);
	}
	unwatch(W_USER0 + u->idx);
	return NULL;
}

/* ---------------------------------------------------------------- */
/* callbacks                                                        */

static void cb_spawn(struct tnb *parent, const struct report *r)
{
	struct tnb *c;

	if (!atomic_load(&g_spawn_allowed))
		return;
	if (atomic_fetch_add(&g_live_children, 1) >= MAX_CHILDREN) {
		atomic_fetch_sub(&g_live_children, 1);
		return;
	}
	c = tnb_alloc(parent->owner, rnd64(&parent->rng));
	c->child = true;
	tnb_pick(c, &parent->rng, false);
	tnb_pick_behaviour(c, &parent->rng, true);
	c->has_birth = true;
	c->birth_slot = r->slot;
	c->birth_producer = r->producer;
	c->birth_seq = r->seq;
	atomic_fetch_add(&cb_spawned, 1);
	if (tnb_register(c, &parent->rng)) {
		tnb_poison(c);
		tnb_free(c);
		return;
	}
	inbox_push(c); /* its owner unregisters and frees it */
}

static int tnb_cb(struct scmi_notifier *nb, uint8_t evt_id, const void *report)
{
	struct tnb *t = container_of(nb, struct tnb, nb);
	const struct report *r = report;
	unsigned int slot, calls;
	bool self_done = false;
	int st, ret = SCMI_NOTIFY_OK;

	CHECK(!atomic_load(&g_destroyed), "callback after destroy");
	CHECK(t->magic == TNB_MAGIC,
	      "callback of a notifier that is not live (magic 0x%x)", t->magic);
	st = atomic_load(&t->state);
	CHECK(st == ST_REG || st == ST_OWNER_CLAIM,
	      "callback of notifier 0x%x/%u/%u in state %d (after its unregister returned?)",
	      tnb_proto(t), t->evt_id, t->src, st);
	CHECK(t->valid, "callback of a notifier on a tuple that does not exist");
	slot = t->slot;
	CHECK(!atomic_exchange(&in_any_cb, true), "two callbacks at once");
	CHECK(!atomic_exchange(&in_cb[slot], true),
	      "two callbacks of protocol 0x%x at once", slot_proto[slot]);
	CHECK(atomic_load(&proto_up[slot]),
	      "callback of protocol 0x%x after its deregister returned",
	      slot_proto[slot]);
	CHECK(r && r->magic == REPORT_MAGIC, "callback: bad report");
	CHECK(evt_id == t->evt_id && r->evt_id == evt_id && r->slot == slot,
	      "callback of 0x%x/%u got event %u of protocol 0x%x",
	      tnb_proto(t), t->evt_id, evt_id, slot_proto[r->slot % NSLOT]);
	CHECK(t->src == SCMI_ALL_SRC_IDS || r->src == t->src,
	      "callback of source %u got an event of source %u", t->src,
	      r->src);
	CHECK(r->src < NSRC, "callback got source %u, out of range", r->src);
	CHECK(!(t->has_birth && t->birth_slot == slot &&
		t->birth_producer == r->producer && t->birth_seq == r->seq),
	      "a notifier registered from a callback received the event being dispatched");
	calls = atomic_fetch_add(&t->calls, 1) + 1;
	atomic_fetch_add(&cb_calls, 1);

	switch (t->bh) {
	case BH_SENTINEL:
		atomic_fetch_add(&sent_calls[slot][t->eidx]
					    [t->src == SCMI_ALL_SRC_IDS ? NSRC :
									    t->src],
				 1);
		break;
	case BH_STOP:
		ret = SCMI_NOTIFY_STOP_MASK | SCMI_NOTIFY_OK;
		break;
	case BH_SPAWN:
		if (t->spawn_left && rnd(&t->rng, 4) == 0) {
			t->spawn_left--;
			cb_spawn(t, r);
		}
		break;
	case BH_PLAIN:
	case BH_SELF:
		break;
	}
	if (rnd(&t->rng, 512) == 0) {
		CHECK(scmi_notify_run_pending(g_ni) == -EDEADLK,
		      "scmi_notify_run_pending() from a callback did not fail with -EDEADLK");
		atomic_fetch_add(&cb_deadlk_checked, 1);
	}
	if ((t->bh == BH_SELF && calls >= t->self_after) ||
	    (t->bh == BH_SPAWN && !t->spawn_left && rnd(&t->rng, 2))) {
		int exp = ST_REG;

		/* unless its owner is unregistering it right now */
		if (atomic_compare_exchange_strong(&t->state, &exp,
						   ST_CB_CLAIM)) {
			uint32_t tmp;
			int err = scmi_event_notifier_unregister(
				g_ni, tnb_proto(t), t->evt_id,
				tnb_src(t, &tmp, &t->rng), &t->nb);

			CHECK(err == 0,
			      "a callback unregistering itself from 0x%x/%u/%u: %d%s",
			      tnb_proto(t), t->evt_id, t->src, err,
			      err == -ENOENT ?
				      " (called, but not registered: was its registration failing?)" :
				      "");
			self_done = true;
			atomic_fetch_add(&cb_self_unreg, 1);
		}
	}
	st = atomic_load(&t->state);
	CHECK(st != ST_DEAD,
	      "unregister of 0x%x/%u/%u returned while its callback was running",
	      tnb_proto(t), t->evt_id, t->src);
	atomic_store(&in_cb[slot], false);
	atomic_store(&in_any_cb, false);
	if (self_done)
		atomic_store(&t->state, ST_DONE_BY_CB); /* last touch of t */
	return ret;
}

/* ---------------------------------------------------------------- */
/* producers                                                        */

struct producer {
	unsigned int idx;
	pthread_t th;
	uint64_t rng;
	uint64_t seq[NSLOT];
	uint64_t pushed[NSLOT], ok[NSLOT], einval[NSLOT], enospc[NSLOT];
};

static struct producer producers[MAX_PRODUCERS];

static void produce_one(struct producer *p)
{
	uint8_t buf[64];
	struct payld_hdr h;
	unsigned int r = rnd(&p->rng, 1000), k = rnd(&p->rng, 1000);
	unsigned int slot = r < 20 ? SLOT_UNK : r % 2 ? SLOT_A : SLOT_B;
	unsigned int eidx = rnd(&p->rng, NEVT);
	unsigned int src = rnd(&p->rng, NSRC), hs, he, hsrc;
	uint8_t evt_id;
	size_t max, sz;
	const void *pl = buf;
	bool bad;
	uint64_t seq;
	int ret;

	if (r >= 20 && r < 220 && hot_get(&hs, &he, &hsrc)) {
		slot = hs;
		eidx = he;
		src = hsrc;
	}
	evt_id = evts[eidx].id;
	max = evts[eidx].max_payld_sz;
	sz = HDR_SZ + rnd(&p->rng, (unsigned int)(max - HDR_SZ + 1));
	bad = slot == SLOT_UNK;
	memset(&h, 0, sizeof(h));
	h.magic = PAYLD_MAGIC;
	h.producer = (uint8_t)p->idx;
	h.src = (uint16_t)src;
	if (k < 20) {
		evt_id = BAD_EVT;
		bad = true;
	} else if (k < 40) {
		sz = max + 1 + rnd(&p->rng, 8);
		bad = true;
	} else if (k < 50) {
		pl = NULL;
		sz = 1 + rnd(&p->rng, 8);
		bad = true;
	} else if (k < 60) {
		sz = 0;
	} else if (k < 90) {
		h.flags |= F_REFUSE;
	} else if (k < 120) {
		h.src = (uint16_t)(NSRC + rnd(&p->rng, 3));
	}
	seq = ++p->seq[slot];
	h.seq = seq;
	memcpy(buf, &h, sizeof(h));
	for (size_t i = HDR_SZ; i < sizeof(buf); i++)
		buf[i] = (uint8_t)(seq * 7 + i);

	ret = scmi_notify(g_ni, slot_proto[slot], evt_id, pl, sz,
			  seq << 8 | p->idx);
	p->pushed[slot]++;
	switch (ret) {
	case 0:
		CHECK(!bad, "scmi_notify accepted a bad event (proto 0x%x evt %u size %zu%s)",
		      slot_proto[slot], evt_id, sz, pl ? "" : " NULL");
		p->ok[slot]++;
		break;
	case -EINVAL:
		/* B may be deregistered right now; A never is */
		CHECK(bad || slot == SLOT_B,
		      "scmi_notify refused a valid event of 0x%x/%u: -EINVAL",
		      slot_proto[slot], evt_id);
		p->einval[slot]++;
		break;
	case -ENOSPC:
		CHECK(!bad, "scmi_notify: -ENOSPC for a bad event");
		p->enospc[slot]++;
		break;
	default:
		FAIL("scmi_notify: unexpected %d", ret);
	}
}

static void *producer_main(void *arg)
{
	struct producer *p = arg;
	uint64_t it = 0;

	while (it < MAX_ITERS && !atomic_load(&g_stop)) {
		unsigned int burst = 1 + rnd(&p->rng, 32);

		beat(W_PROD0 + p->idx);
		for (unsigned int i = 0; i < burst; i++, it++)
			produce_one(p);
		sched_yield();
		if (rnd(&p->rng, 4) == 0)
			sleep_us(10 + rnd(&p->rng, 200));
	}
	unwatch(W_PROD0 + p->idx);
	return NULL;
}

/* ---------------------------------------------------------------- */
/* the control thread                                               */

struct control {
	pthread_t th;
	uint64_t rng;
	uint64_t cycles, runs, stats_reads, max_dereg_ns;
	struct scmi_notify_stats last[NSLOT];
};

static void control_stats(struct control *c)
{
	for (unsigned int s = 0; s < NSLOT; s++) {
		struct scmi_notify_stats st, *l = &c->last[s];

		CHECK(scmi_notify_get_stats(g_ni, slot_proto[s], &st) == 0,
		      "get_stats");
		CHECK(st.received >= l->received && st.queued >= l->queued &&
			      st.dropped_invalid >= l->dropped_invalid &&
			      st.dropped_full >= l->dropped_full &&
			      st.dropped_report >= l->dropped_report &&
			      st.discarded >= l->discarded &&
			      st.delivered >= l->delivered,
		      "stats of 0x%x went backwards", slot_proto[s]);
		/* the relations notify.h promises in every copy */
		CHECK(st.received >=
			      st.queued + st.dropped_invalid + st.dropped_full,
		      "stats of 0x%x: received < queued + dropped",
		      slot_proto[s]);
		CHECK(st.queued >=
			      st.delivered + st.dropped_report + st.discarded,
		      "stats of 0x%x: queued < delivered + dropped_report + discarded",
		      slot_proto[s]);
		*l = st;
	}
	c->stats_reads++;
}

static void *control_main(void *arg)
{
	struct control *c = arg;
	uint64_t it;

	for (it = 0; it < MAX_ITERS && !atomic_load(&g_stop); it++) {
		unsigned int r = rnd(&c->rng, 100);

		beat(W_CONTROL);
		if (r < 10) {
			/* a source starts or stops refusing to be enabled:
			 * one at a time */
			if (atomic_load(&g_hot))
				atomic_store(&g_hot, 0);
			else
				atomic_store(&g_hot,
					     hot_key(rnd(&c->rng, 4) ? SLOT_B : SLOT_A,
						     rnd(&c->rng, NEVT),
						     rnd(&c->rng, NSRC)));
		} else if (r < 60) {
			/* the core puts B's handlers back to pending ... */
			uint64_t t0 = now_ns(), lat;

			proto_down_now(SLOT_B);
			lat = now_ns() - t0;
			if (lat > c->max_dereg_ns)
				c->max_dereg_ns = lat;
			if (rnd(&c->rng, 2))
				sleep_us(rnd(&c->rng, 300));
			else
				sched_yield();
			/* ... and binds them again */
			proto_up_now(SLOT_B);
			c->cycles++;
		} else if (r < 80) {
			int n = scmi_notify_run_pending(g_ni);

			CHECK(n >= 0, "scmi_notify_run_pending: %d", n);
			c->runs++;
		} else {
			control_stats(c);
		}
		if (rnd(&c->rng, 2))
			sleep_us(rnd(&c->rng, 500));
		else
			sched_yield();
	}
	unwatch(W_CONTROL);
	return NULL;
}

/* ---------------------------------------------------------------- */
/* a phase                                                          */

static void reset_phase_state(void)
{
	atomic_store(&g_stop, false);
	atomic_store(&g_spawn_allowed, true);
	atomic_store(&g_destroyed, false);
	atomic_store(&g_live_children, 0);
	for (unsigned int p = 0; p < NPROTO; p++) {
		atomic_store(&proto_up[p], false);
		atomic_store(&in_fill[p], false);
		atomic_store(&in_cb[p], false);
		atomic_store(&fill_refused[p], 0);
		atomic_store(&fill_oor[p], 0);
		for (unsigned int i = 0; i < MAX_PRODUCERS; i++)
			atomic_store(&last_seq[p][i], 0);
		for (int e = 0; e < NEVT; e++) {
			for (unsigned int s = 0; s < NSRC; s++) {
				atomic_store(&plat_on[p][e][s], 0);
				atomic_store(&plat_enables[p][e][s], 0);
				atomic_store(&plat_disables[p][e][s], 0);
				atomic_store(&fill_ok[p][e][s], 0);
			}
			for (unsigned int s = 0; s <= NSRC; s++)
				atomic_store(&sent_calls[p][e][s], 0);
		}
	}
	atomic_store(&in_any_cb, false);
	atomic_store(&plat_refused, 0);
	atomic_store(&plat_no_fail, false);
	atomic_store(&g_hot, 0);
	atomic_store(&cb_calls, 0);
	atomic_store(&cb_self_unreg, 0);
	atomic_store(&cb_spawned, 0);
	atomic_store(&log_pending_lines, 0);
	for (unsigned int i = 0; i < 8; i++)
		atomic_store(&log_count[i], 0);
}

static uint64_t plat_sum(_Atomic uint64_t (*a)[NEVT][NSRC])
{
	uint64_t n = 0;

	for (unsigned int p = 0; p < NPROTO; p++)
		for (int e = 0; e < NEVT; e++)
			for (unsigned int s = 0; s < NSRC; s++)
				n += atomic_load(&a[p][e][s]);
	return n;
}

static void check_platform_balanced(const char *when)
{
	for (unsigned int p = 0; p < NPROTO; p++) {
		check_proto_off(p, when);
		for (int e = 0; e < NEVT; e++)
			for (unsigned int s = 0; s < NSRC; s++)
				CHECK(atomic_load(&plat_enables[p][e][s]) ==
					      atomic_load(&plat_disables[p][e][s]),
				      "0x%x/%u/%u: %" PRIu64 " enables but %" PRIu64
				      " disables %s",
				      slot_proto[p], evts[e].id, s,
				      atomic_load(&plat_enables[p][e][s]),
				      atomic_load(&plat_disables[p][e][s]), when);
	}
}

/*
 * Quiescent: a notifier registered while B is not registered stays pending
 * and sends nothing; once B registers, the worker (nobody calls
 * scmi_notify_run_pending() here) binds it, turns its source on, and
 * delivers B's events to it.
 */
static void check_pending_bind(struct quarantine *q, uint64_t *rng,
			       struct ustats *st)
{
	struct tnb *t = tnb_alloc(0, rnd64(rng));
	struct producer *p = &producers[0];
	uint8_t buf[HDR_SZ];
	struct payld_hdr h = { .magic = PAYLD_MAGIC, .src = 1 };
	uint64_t deadline, en0 = plat_sum(plat_enables);
	int ret;

	atomic_store(&plat_no_fail, true);
	proto_down_now(SLOT_B);
	t->slot = SLOT_B;
	t->eidx = 0;
	t->evt_id = evts[0].id;
	t->src = 1;
	t->valid = true;
	t->bh = BH_PLAIN;
	CHECK(tnb_register(t, rng) == 0, "pending registration failed");
	CHECK(plat_sum(plat_enables) == en0,
	      "a pending registration reached the platform");
	proto_up_now(SLOT_B);
	deadline = now_ns() + WAIT_NS;
	while (!atomic_load(&plat_on[SLOT_B][0][1])) {
		CHECK(now_ns() < deadline,
		      "the worker did not bind a pending notifier within 10 s");
		sleep_us(1000);
	}
	h.seq = ++p->seq[SLOT_B];
	memcpy(buf, &h, sizeof(h));
	ret = scmi_notify(g_ni, slot_proto[SLOT_B], evts[0].id, buf, sizeof(buf),
			  h.seq << 8);
	CHECK(ret == 0, "scmi_notify on an idle queue: %d", ret);
	while (!atomic_load(&t->calls)) {
		CHECK(now_ns() < deadline,
		      "the worker did not deliver an event within 10 s");
		sleep_us(1000);
	}
	tnb_release(t, q, rng, st);
	CHECK(!atomic_load(&plat_on[SLOT_B][0][1]),
	      "source still on after its last notifier left");
	atomic_store(&plat_no_fail, false);
}

/* Run the queues dry from this (non-callback) thread. */
static void drain_all(void)
{
	int n = 1;

	for (unsigned int i = 0; i < 100000 && n; i++) {
		beat(W_MAIN);
		n = scmi_notify_run_pending(g_ni);
		CHECK(n >= 0, "scmi_notify_run_pending: %d", n);
	}
	CHECK(n == 0, "the queues never ran dry");
}

static void run_phase(const char *name, bool single_producer,
		      unsigned int nproducers, double seconds)
{
	struct scmi_notify_config cfg = {
		.log_fn = log_sink,
		.log_level = SCMI_LOG_DEBUG,
		.single_producer = single_producer,
	};
	struct tnb *sentinels[16];
	unsigned int nsent = 0;
	struct quarantine mainq = { { NULL }, 0 };
	struct ustats mainst = { 0 };
	uint64_t mainrng = seed_for(9, single_producer);
	struct control ctl = { .rng = seed_for(3, single_producer) };
	struct scmi_notify_stats st[NSLOT];
	uint64_t pushed[NSLOT] = { 0 }, ok[NSLOT] = { 0 },
		 einval[NSLOT] = { 0 }, enospc[NSLOT] = { 0 };
	uint64_t deadline, en0, pend0;
	int ret;

	atomic_store(&g_phase, name);
	beat(W_MAIN);
	g_nproducers = nproducers;
	reset_phase_state();
	ret = scmi_notify_create(&g_ni, &cfg);
	CHECK(ret == 0, "scmi_notify_create: %d", ret);
	proto_up_now(SLOT_A);
	proto_up_now(SLOT_B);
	drain_all();

	/* permanent notifiers: on A they must see every delivered event */
	for (int e = 0; e < NEVT; e++) {
		for (unsigned int s = 0; s <= NSRC; s++) {
			unsigned int slots = s == NSRC ? 2 : 1;

			if (s < NSRC && e != 0)
				continue;
			for (unsigned int p = 0; p < slots; p++) {
				struct tnb *t = tnb_alloc(0, rnd64(&mainrng));
				unsigned int tries = 0;

				t->slot = p;
				t->eidx = e;
				t->evt_id = evts[e].id;
				t->src = s == NSRC ? SCMI_ALL_SRC_IDS : s;
				t->valid = true;
				t->bh = BH_SENTINEL;
				t->nb.priority = INT_MAX;
				/* the platform may refuse: try again */
				while (tnb_register(t, &mainrng)) {
					CHECK(++tries < 1000,
					      "cannot register a sentinel");
					atomic_store(&t->state, ST_NEW);
				}
				sentinels[nsent++] = t;
			}
		}
	}

	/* go */
	for (unsigned int i = 0; i < opt.users; i++) {
		struct user *u = &users[i];

		memset(u, 0, sizeof(*u));
		u->idx = i;
		u->rng = seed_for(1, i + 16 * single_producer);
		pthread_mutex_init(&u->inbox_mtx, NULL);
		beat(W_USER0 + i);
		CHECK(!pthread_create(&u->th, NULL, user_main, u),
		      "pthread_create");
	}
	for (unsigned int i = 0; i < nproducers; i++) {
		struct producer *p = &producers[i];

		memset(p, 0, sizeof(*p));
		p->idx = i;
		p->rng = seed_for(2, i + 16 * single_producer);
		beat(W_PROD0 + i);
		CHECK(!pthread_create(&p->th, NULL, producer_main, p),
		      "pthread_create");
	}
	beat(W_CONTROL);
	CHECK(!pthread_create(&ctl.th, NULL, control_main, &ctl),
	      "pthread_create");

	deadline = now_ns() + (uint64_t)(seconds * 1e9);
	while (now_ns() < deadline) {
		beat(W_MAIN);
		sleep_us(1000);
	}
	unwatch(W_MAIN); /* the threads joined are watched */

	/* stop */
	atomic_store(&g_stop, true);
	for (unsigned int i = 0; i < nproducers; i++) {
		struct producer *p = &producers[i];

		pthread_join(p->th, NULL);
		for (unsigned int s = 0; s < NSLOT; s++) {
			pushed[s] += p->pushed[s];
			ok[s] += p->ok[s];
			einval[s] += p->einval[s];
			enospc[s] += p->enospc[s];
		}
	}
	pthread_join(ctl.th, NULL);
	atomic_store(&g_hot, 0);
	if (!atomic_load(&proto_up[SLOT_B]))
		proto_up_now(SLOT_B);
	/* no callback registers anything from here on: once a dispatch pass
	 * ran after the flag went down, none is in flight */
	beat(W_MAIN);
	atomic_store(&g_spawn_allowed, false);
	CHECK(scmi_notify_run_pending(g_ni) >= 0, "run_pending");
	unwatch(W_MAIN);
	for (unsigned int i = 0; i < opt.users; i++) {
		struct user *u = &users[i];

		pthread_join(u->th, NULL);
		beat(W_MAIN);
		/* notifiers that callbacks registered after it left */
		user_adopt(u);
		while (u->list) {
			struct tnb *t = u->list;

			u->list = t->link;
			tnb_release(t, &mainq, &mainrng, &mainst);
		}
		quarantine_flush(&u->q);
		pthread_mutex_destroy(&u->inbox_mtx);
	}

	/* every event in: count it out */
	beat(W_MAIN);
	drain_all();
	for (unsigned int p = 0; p < NPROTO; p++) {
		for (int e = 0; e < NEVT; e++) {
			uint64_t sum = 0;

			for (unsigned int s = 0; s < NSRC; s++) {
				uint64_t n = atomic_load(&fill_ok[p][e][s]);

				sum += n;
				if (p == SLOT_A && e == 0)
					CHECK(atomic_load(&sent_calls[p][e][s]) == n,
					      "A/%u/%u: the permanent notifier saw %" PRIu64
					      " of %" PRIu64 " delivered events",
					      evts[e].id, s,
					      atomic_load(&sent_calls[p][e][s]), n);
			}
			if (p == SLOT_A)
				CHECK(atomic_load(&sent_calls[p][e][NSRC]) == sum,
				      "A/%u/all: the permanent notifier saw %" PRIu64
				      " of %" PRIu64 " delivered events",
				      evts[e].id,
				      atomic_load(&sent_calls[p][e][NSRC]), sum);
			else
				CHECK(atomic_load(&sent_calls[p][e][NSRC]) <= sum,
				      "B/%u/all: the permanent notifier saw more events than were delivered",
				      evts[e].id);
		}
	}
	for (unsigned int i = 0; i < nsent; i++)
		tnb_release(sentinels[i], &mainq, &mainrng, &mainst);
	CHECK(scmi_notify_run_pending(g_ni) == 0,
	      "events queued after the producers stopped");

	/* the stats add up */
	for (unsigned int s = 0; s < NSLOT; s++) {
		uint64_t fok = 0, fdrop = 0;

		CHECK(scmi_notify_get_stats(g_ni, slot_proto[s], &st[s]) == 0,
		      "get_stats");
		if (s < NPROTO) {
			for (int e = 0; e < NEVT; e++)
				for (unsigned int x = 0; x < NSRC; x++)
					fok += atomic_load(&fill_ok[s][e][x]);
			fdrop = atomic_load(&fill_refused[s]) +
				atomic_load(&fill_oor[s]);
		}
#define EQ(a, b)                                                              \
	CHECK((a) == (b), "protocol 0x%x: %s = %" PRIu64 " but %s = %" PRIu64, \
	      slot_proto[s], #a, (uint64_t)(a), #b, (uint64_t)(b))
		EQ(st[s].received, pushed[s]);
		EQ(st[s].received, st[s].queued + st[s].dropped_invalid +
					   st[s].dropped_full);
		EQ(st[s].queued, ok[s]);
		EQ(st[s].dropped_invalid, einval[s]);
		EQ(st[s].dropped_full, enospc[s]);
		EQ(st[s].queued, st[s].delivered + st[s].dropped_report +
					 st[s].discarded);
		EQ(st[s].delivered, fok);
		EQ(st[s].dropped_report, fdrop);
		if (s != SLOT_B)
			EQ(st[s].discarded, (uint64_t)0);
#undef EQ
	}

	/* every enable has its disable, nothing is on */
	check_platform_balanced("once every notifier was unregistered");

	check_pending_bind(&mainq, &mainrng, &mainst);

	/* no handler is left: deregistering puts every handler back to
	 * pending, registering again binds (and logs) each of them */
	en0 = plat_sum(plat_enables);
	pend0 = atomic_load(&log_pending_lines);
	proto_down_now(SLOT_A);
	proto_down_now(SLOT_B);
	proto_up_now(SLOT_A);
	proto_up_now(SLOT_B);
	drain_all();
	CHECK(atomic_load(&log_pending_lines) == pend0,
	      "handlers were left behind: %" PRIu64
	      " bound again after every notifier was unregistered",
	      atomic_load(&log_pending_lines) - pend0);
	CHECK(plat_sum(plat_enables) == en0,
	      "sources turned on with no notifier registered");

	beat(W_MAIN);
	scmi_notify_destroy(g_ni);
	atomic_store(&g_destroyed, true);
	unwatch(W_MAIN);
	g_ni = NULL;
	check_platform_balanced("after destroy");
	for (unsigned int p = 0; p < NPROTO; p++) {
		free(proto_priv_cur[p]);
		proto_priv_cur[p] = NULL;
	}
	quarantine_flush(&mainq);
	CHECK(atomic_load(&g_live_children) == 0,
	      "%d notifiers registered by callbacks were never freed",
	      atomic_load(&g_live_children));
	CHECK(atomic_load(&log_count[SCMI_LOG_ERR]) == 0,
	      "the library logged %" PRIu64 " errors",
	      atomic_load(&log_count[SCMI_LOG_ERR]));

	/* totals */
	{
		uint64_t regs = mainst.registers, fails = mainst.reg_failed,
			 unregs = mainst.unregisters, reaped = mainst.reaped,
			 errs = 0;

		for (unsigned int i = 0; i < opt.users; i++) {
			regs += users[i].st.registers;
			fails += users[i].st.reg_failed;
			unregs += users[i].st.unregisters;
			reaped += users[i].st.reaped;
			errs += users[i].st.err_checks;
		}
		for (unsigned int s = 0; s < NSLOT; s++) {
			tot.pushed += pushed[s];
			tot.queued += st[s].queued;
			tot.delivered += st[s].delivered;
			tot.dropped_full += st[s].dropped_full;
			tot.dropped_invalid += st[s].dropped_invalid;
			tot.dropped_report += st[s].dropped_report;
			tot.discarded += st[s].discarded;
		}
		tot.callbacks += atomic_load(&cb_calls);
		tot.registers += regs;
		tot.reg_failed += fails;
		tot.unregisters += unregs;
		tot.self_unreg += atomic_load(&cb_self_unreg);
		tot.children += atomic_load(&cb_spawned);
		tot.err_checks += errs;
		tot.dereg_cycles += ctl.cycles;
		tot.enables += plat_sum(plat_enables);
		tot.disables += plat_sum(plat_disables);
		tot.refused += atomic_load(&plat_refused);
		tot.late_binds += atomic_load(&log_pending_lines);
		if (opt.verbose)
			printf(PROG ": phase %s (%u producer%s): pushed=%" PRIu64
			       " delivered A=%" PRIu64 " B=%" PRIu64
			       " full B=%" PRIu64 " discarded B=%" PRIu64
			       " callbacks=%" PRIu64 " registers=%" PRIu64
			       " failed=%" PRIu64 " unregisters=%" PRIu64
			       " self=%" PRIu64 " reaped=%" PRIu64
			       " children=%" PRIu64 " dereg=%" PRIu64
			       " runs=%" PRIu64 " max_dereg_ms=%.3f"
			       " enables=%" PRIu64
			       " refused=%" PRIu64 " binds=%" PRIu64
			       " warnings=%" PRIu64 "\n",
			       name, nproducers, nproducers > 1 ? "s" : "",
			       pushed[0] + pushed[1] + pushed[2],
			       st[SLOT_A].delivered, st[SLOT_B].delivered,
			       st[SLOT_B].dropped_full, st[SLOT_B].discarded,
			       atomic_load(&cb_calls), regs, fails, unregs,
			       atomic_load(&cb_self_unreg), reaped,
			       atomic_load(&cb_spawned), ctl.cycles, ctl.runs,
			       (double)ctl.max_dereg_ns / 1e6,
			       plat_sum(plat_enables),
			       atomic_load(&plat_refused),
			       atomic_load(&log_pending_lines),
			       atomic_load(&log_count[SCMI_LOG_WARNING]));
	}
}

/* ---------------------------------------------------------------- */

static void usage(FILE *f)
{
	fprintf(f,
		"usage: " PROG " [--seconds N] [--seed S] [--users N] [--fail-rate N]\n"
		"                     [--no-delay] [--phase multi|single|both] [--abort] [-v]\n"
		"  --seconds N     total run time, split between the phases (default 3)\n"
		"  --seed S        seed of every random choice (default 0x%" PRIx64 ")\n"
		"  --users N       registering threads, 1..%d (default 3)\n"
		"  --fail-rate N   the platform refuses 1 enable in N, and some sources\n"
		"                  refuse all for a while; 0 = never (default 16)\n"
		"  --no-delay      the platform answers at once\n"
		"  --phase P       multi: 2 producers, default config; single:\n"
		"                  single_producer with 1 producer; both (default)\n"
		"  --abort         abort() on a failed check instead of exit(1)\n"
		"  -v              per-phase counts (-vv: the library's log too)\n",
		opt.seed, MAX_USERS);
}

static unsigned long long parse_num(const char *s, const char *what)
{
	char *end;
	unsigned long long v;

	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno || end == s || *end) {
		fprintf(stderr, PROG ": bad %s '%s'\n", what, s);
		exit(2);
	}
	return v;
}

int main(int argc, char **argv)
{
	pthread_t wd;
	unsigned int nphases;
	double each;

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			usage(stdout);
			return 0;
		} else if (!strcmp(a, "-v")) {
			opt.verbose++;
		} else if (!strcmp(a, "-vv")) {
			opt.verbose += 2;
		} else if (!strcmp(a, "--no-delay")) {
			opt.delay = false;
		} else if (!strcmp(a, "--abort")) {
			opt.do_abort = true;
		} else if (!v) {
			usage(stderr);
			return 2;
		} else if (!strcmp(a, "--seconds")) {
			char *end;

			opt.seconds = strtod(v, &end);
			if (end == v || *end || !(opt.seconds > 0) ||
			    opt.seconds > 3600) {
				fprintf(stderr, PROG ": bad seconds '%s'\n", v);
				return 2;
			}
			i++;
		} else if (!strcmp(a, "--seed")) {
			opt.seed = parse_num(v, "seed");
			i++;
		} else if (!strcmp(a, "--users")) {
			opt.users = (unsigned int)parse_num(v, "users");
			if (opt.users < 1 || opt.users > MAX_USERS) {
				fprintf(stderr, PROG ": users: 1..%d\n",
					MAX_USERS);
				return 2;
			}
			i++;
		} else if (!strcmp(a, "--fail-rate")) {
			opt.fail_rate = (unsigned int)parse_num(v, "fail rate");
			i++;
		} else if (!strcmp(a, "--phase")) {
			opt.phase_multi = !strcmp(v, "multi") || !strcmp(v, "both");
			opt.phase_single = !strcmp(v, "single") || !strcmp(v, "both");
			if (!opt.phase_multi && !opt.phase_single) {
				fprintf(stderr, PROG ": bad phase '%s'\n", v);
				return 2;
			}
			i++;
		} else {
			usage(stderr);
			return 2;
		}
	}

	snprintf(watches[W_MAIN].name, sizeof(watches[W_MAIN].name), "main");
	snprintf(watches[W_CONTROL].name, sizeof(watches[W_CONTROL].name),
		 "control");
	for (unsigned int i = 0; i < MAX_USERS; i++)
		snprintf(watches[W_USER0 + i].name,
			 sizeof(watches[W_USER0 + i].name), "user %u", i);
	for (unsigned int i = 0; i < MAX_PRODUCERS; i++)
		snprintf(watches[W_PROD0 + i].name,
			 sizeof(watches[W_PROD0 + i].name), "producer %u", i);
	if (pthread_create(&wd, NULL, watchdog_main, NULL)) {
		fprintf(stderr, PROG ": cannot start the watchdog\n");
		return 1;
	}

	nphases = (unsigned int)opt.phase_multi + (unsigned int)opt.phase_single;
	each = opt.seconds / nphases;
	if (opt.phase_multi)
		run_phase("multi", false, 2, each);
	if (opt.phase_single)
		run_phase("single", true, 1, each);
	atomic_store(&g_phase, "done");
	atomic_store(&wd_stop, true);
	pthread_join(wd, NULL);

	printf(PROG ": OK seed=0x%" PRIx64 " seconds=%g phases=%u users=%u"
	       " | pushed=%" PRIu64 " queued=%" PRIu64 " delivered=%" PRIu64
	       " dropped_full=%" PRIu64 " dropped_invalid=%" PRIu64
	       " dropped_report=%" PRIu64 " discarded=%" PRIu64
	       " | callbacks=%" PRIu64 " registers=%" PRIu64
	       " reg_failed=%" PRIu64 " unregisters=%" PRIu64
	       " self_unreg=%" PRIu64 " children=%" PRIu64
	       " err_checks=%" PRIu64 " | dereg_cycles=%" PRIu64
	       " rebinds=%" PRIu64 " enables=%" PRIu64 " disables=%" PRIu64
	       " refused=%" PRIu64 "\n",
	       opt.seed, opt.seconds, nphases, opt.users, tot.pushed, tot.queued,
	       tot.delivered, tot.dropped_full, tot.dropped_invalid,
	       tot.dropped_report, tot.discarded, tot.callbacks, tot.registers,
	       tot.reg_failed, tot.unregisters, tot.self_unreg, tot.children,
	       tot.err_checks, tot.dereg_cycles, tot.late_binds, tot.enables,
	       tot.disables, tot.refused);
	return 0;
}
