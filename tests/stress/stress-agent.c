/* SPDX-License-Identifier: MIT */
/*
 * stress-agent: a stress test of the agent and its notification core
 * against the real simulator, meant to run under ASan+UBSan and TSan.
 *
 * The real scmi-sim (tests/integration/sim-harness.c), one agent with the
 * notify worker thread, and:
 *  - a flooding thread driving the platform through one persistent control
 *    connection (SOCK_SEQPACKET to the socket path + ".ctl", one request,
 *    one reply) as fast as it can: "sensor set 0 <v>" and "power set <d>
 *    <state>" alternating, every request changing the value or state (so
 *    that each emits SENSOR_UPDATE / POWER_STATE_CHANGED to subscribers);
 *  - user threads registering and unregistering notifiers on (sensor,
 *    SENSOR_UPDATE, sensor 0 or all) and (power, POWER_STATE_CHANGED,
 *    domain 0..3 or all) on the agent's notify instance, and sending a
 *    few read commands beside them; some callbacks unregister themselves.
 *
 * Checks, on the spot: a notifier is poisoned and freed as soon as its
 * unregister returns on the user thread (a callback unregistering itself
 * hands it back to its owner, which poisons it and frees it a little
 * later); a callback that finds itself dead aborts. Reports match the
 * tuple. Registering fails only where documented (-EOPNOTSUPP for the
 * domain that cannot notify, or a command error of <scmi/agent.h>), and
 * so does every other command; the control requests all succeed.
 * At the end (every notifier unregistered): the simulator says our agent
 * has no subscription left ("agents --json"), the core's counters of the
 * sensor (0x15) and power (0x11) protocols obey
 *   received = queued + dropped_invalid + dropped_full
 *   queued   = delivered + dropped_report + discarded   (after a drain)
 * the agent's notification count equals what the core received over all
 * protocols, and the library logged no error.
 *
 * Run: stress-agent [--seconds N] [--seed S] [--users N] [--abort] [-v]
 * A failure prints "stress-agent: FAIL [seed] file:line: what" and exits 1.
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
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include <scmi/agent.h>
#include <scmi/notify.h>
#include <scmi/power.h>
#include <scmi/sensor.h>

#include "sim-harness.h"
#include "mini-json.h"

#define PROG "stress-agent"

#define container_of(ptr, type, member) \
	((type *)(void *)((char *)(ptr) - offsetof(type, member)))

/* ---------------------------------------------------------------- */
/* configuration                                                    */

#define P_SENSOR SCMI_PROTOCOL_SENSOR   /* 0x15 */
#define P_POWER SCMI_PROTOCOL_POWER     /* 0x11 */

/* the simulator's default topology */
#define NUM_SENSORS 4
#define NUM_DOMAINS 4
#define NOTIFY_DOMAINS 3  /* domain 3 cannot notify: -EOPNOTSUPP */

#define MAX_USERS 8
#define MAX_LIVE 6        /* notifiers a user thread keeps at most */
#define QUARANTINE 16     /* self-unregistered notifiers kept poisoned */
#define WAIT_NS (10ull * 1000000000ull)
#define CMD_TIMEOUT_MS 5000u
#define CTL_REPLY_MAX 65536

#define TN_MAGIC 0x57A6E071u
#define TN_DEAD 0xDEADBEEFu

static struct {
	double seconds;
	uint64_t seed;
	unsigned int users;
	bool do_abort;
	int verbose;
} opt = {
	.seconds = 3.0,
	.seed = 0xA6E7757E55ull,
	.users = 3,
};

/* ---------------------------------------------------------------- */
/* failures, time, randomness                                       */

static void fail_at(const char *file, int line, const char *fmt, ...)
	__attribute__((noreturn, format(printf, 3, 4)));

static void fail_at(const char *file, int line, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	fprintf(stderr, PROG ": FAIL [seed 0x%" PRIx64 "] %s:%d: %s\n",
		opt.seed, file, line, msg);
	fflush(stderr);
	fflush(stdout);
	if (opt.do_abort)
		abort();
	/* the harness's atexit handler reaps the simulator */
	exit(1);
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

static void sleep_us(unsigned int us)
{
	struct timespec ts = { 0, (long)(us > 1000 ? 1000 : us) * 1000L };

	nanosleep(&ts, NULL);
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

static unsigned int rnd(uint64_t *s, unsigned int n)
{
	return (unsigned int)(rnd64(s) % n);
}

static uint64_t seed_for(unsigned int role, unsigned int idx)
{
	return mix64(opt.seed ^ ((uint64_t)role << 48) ^ ((uint64_t)idx << 32));
}

/* ---------------------------------------------------------------- */
/* the watchdog: no progress for WAIT_NS is a failure (a deadlock)  */

enum { W_MAIN, W_FLOOD, W_USER0, NWATCH = W_USER0 + MAX_USERS };

static struct {
	char name[16];
	_Atomic uint64_t beat; /* 0: not watched */
} watches[NWATCH];
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
				     "a deadlock or a starvation",
				     watches[i].name, (double)(now - b) / 1e9);
		}
		sleep_us(1000);
	}
	return NULL;
}

/* ---------------------------------------------------------------- */
/* state                                                            */

static struct sim g_sim;
static struct scmi_agent *g_agent;
static struct scmi_notify *g_ni;
static _Atomic bool g_stop;

static _Atomic uint64_t log_count[8];
static _Atomic uint64_t cb_calls[2];    /* 0 sensor, 1 power */
static _Atomic uint64_t cb_self_unreg;
static _Atomic uint64_t async_reads;    /* good reads of async sensors */
static _Atomic uint64_t cmd_errors[4];  /* by kind, below */
enum { CE_TIMEDOUT, CE_CONN, CE_PLATFORM, CE_OTHER };

static void log_sink(void *userdata, enum scmi_log_level level,
		     const char *msg)
{
	(void)userdata;
	atomic_fetch_add(&log_count[(unsigned int)level & 7], 1);
	if (level <= SCMI_LOG_ERR || opt.verbose >= 2)
		fprintf(stderr, PROG ": lib log %d: %s\n", (int)level, msg);
}

/*
 * A command error every command may return (<scmi/agent.h>): counted,
 * and printed. Anything else fails the test.
 */
static void command_error(const char *what, int err)
{
	switch (err) {
	case -ETIMEDOUT:
		atomic_fetch_add(&cmd_errors[CE_TIMEDOUT], 1);
		break;
	case -ENOTCONN:
	case -ECONNRESET:
		FAIL("%s: %d (%s): the agent lost the platform", what, err,
		     strerror(-err));
	case -EPROTO:
		FAIL("%s: -EPROTO: a malformed response from the simulator",
		     what);
	case -EOPNOTSUPP:
	case -EINVAL:
	case -EACCES:
	case -ENOENT:
	case -ERANGE:
	case -EBUSY:
	case -ECOMM:
	case -EIO:
	case -EREMOTEIO:
		atomic_fetch_add(&cmd_errors[CE_PLATFORM], 1);
		break;
	default:
		FAIL("%s: undocumented error %d (%s)", what, err,
		     strerror(err < 0 ? -err : err));
	}
	fprintf(stderr, PROG ": note: %s failed with a documented error %d (%s)\n",
		what, err, strerror(-err));
}

/* ---------------------------------------------------------------- */
/* notifiers                                                        */

enum {
	ST_NEW,
	ST_REG,          /* registered, owned by its user thread */
	ST_OWNER_CLAIM,  /* its user thread is unregistering it */
	ST_CB_CLAIM,     /* its callback is unregistering it */
	ST_DONE_BY_CB,   /* its callback unregistered it: the owner frees it */
	ST_DEAD,
};

struct tn {
	struct scmi_notifier nb;
	uint32_t magic;
	uint8_t proto, evt;
	bool all;
	uint32_t src;
	_Atomic int state;
	_Atomic uint64_t calls;
	uint64_t self_after;    /* 0: never unregisters itself */
	struct tn *link;        /* the owner's list */
};

static const char *proto_name(uint8_t p)
{
	return p == P_SENSOR ? "sensor" : "power";
}

static int dead_cb(struct scmi_notifier *nb, uint8_t evt_id, const void *r)
{
	(void)evt_id;
	(void)r;
	fprintf(stderr, PROG ": FAIL: the callback of a notifier %p that was "
		"unregistered and poisoned was called\n", (void *)nb);
	abort();
}

static int tn_cb(struct scmi_notifier *nb, uint8_t evt_id, const void *report)
{
	struct tn *t = container_of(nb, struct tn, nb);
	bool self_done = false;
	uint64_t calls;
	int st;

	if (t->magic != TN_MAGIC) {
		fprintf(stderr, PROG ": FAIL: a callback found its notifier %p "
			"dead (magic 0x%x): called after its unregister returned\n",
			(void *)t, t->magic);
		abort();
	}
	st = atomic_load(&t->state);
	if (st == ST_DEAD || st == ST_NEW || st == ST_DONE_BY_CB) {
		fprintf(stderr, PROG ": FAIL: a callback of notifier %p in "
			"state %d\n", (void *)t, st);
		abort();
	}
	calls = atomic_fetch_add(&t->calls, 1) + 1;
	CHECK(evt_id == t->evt, "%s callback for event %u, registered for %u",
	      proto_name(t->proto), evt_id, t->evt);
	CHECK(report, "NULL report");
	if (t->proto == P_SENSOR) {
		const struct scmi_sensor_update_report *r = report;

		CHECK(r->sensor_id < 2,
		      "SENSOR_UPDATE from sensor %u, which cannot emit it",
		      r->sensor_id);
		CHECK(t->all || r->sensor_id == t->src,
		      "SENSOR_UPDATE from sensor %u to a notifier of sensor %u",
		      r->sensor_id, t->src);
		CHECK(r->readings_count >= 1 &&
			      r->readings_count <= SCMI_SENSOR_MAX_READINGS,
		      "SENSOR_UPDATE with %u readings", r->readings_count);
		atomic_fetch_add(&cb_calls[0], 1);
	} else {
		const struct scmi_power_state_changed_report *r = report;

		CHECK(r->domain_id < NOTIFY_DOMAINS,
		      "POWER_STATE_CHANGED from domain %u, which cannot emit it",
		      r->domain_id);
		CHECK(t->all || r->domain_id == t->src,
		      "POWER_STATE_CHANGED from domain %u to a notifier of domain %u",
		      r->domain_id, t->src);
		CHECK(r->power_state == SCMI_POWER_STATE_ON ||
			      r->power_state == SCMI_POWER_STATE_OFF,
		      "POWER_STATE_CHANGED to state 0x%x", r->power_state);
		atomic_fetch_add(&cb_calls[1], 1);
	}
	if (t->self_after && calls >= t->self_after) {
		int exp = ST_REG;

		/* unless its owner is unregistering it right now */
		if (atomic_compare_exchange_strong(&t->state, &exp,
						   ST_CB_CLAIM)) {
			int err = scmi_event_notifier_unregister(
				g_ni, t->proto, t->evt, t->all ? NULL : &t->src,
				&t->nb);

			CHECK(err == 0,
			      "a callback unregistering itself from %s/%u/%u: %d",
			      proto_name(t->proto), t->evt, t->src, err);
			self_done = true;
			atomic_fetch_add(&cb_self_unreg, 1);
		}
	}
	st = atomic_load(&t->state);
	CHECK(st != ST_DEAD,
	      "unregister of %s/%u/%u returned while its callback was running",
	      proto_name(t->proto), t->evt, t->src);
	if (self_done)
		atomic_store(&t->state, ST_DONE_BY_CB); /* last touch of t */
	return SCMI_NOTIFY_OK;
}

static void tn_poison(struct tn *t)
{
	atomic_store(&t->state, ST_DEAD);
	t->magic = TN_DEAD;
	t->nb.cb = dead_cb;
	t->nb.priority = INT_MIN;
	t->nb.next = (struct scmi_notifier *)(uintptr_t)0xDEADDEADu;
}

struct quarantine {
	struct tn *slot[QUARANTINE];
	unsigned int pos;
};

static void quarantine_flush(struct quarantine *q)
{
	for (unsigned int i = 0; i < QUARANTINE; i++) {
		free(q->slot[i]);
		q->slot[i] = NULL;
	}
}

struct ustats {
	uint64_t registers, reg_failed, reg_unsupported, unregisters, reaped,
		commands;
};

/* A new notifier on a random tuple, registered; NULL if that failed. */
static struct tn *tn_new(uint64_t *rng, struct ustats *st)
{
	struct tn *t = calloc(1, sizeof(*t));
	bool unsup;
	int ret;

	CHECK(t, "out of memory");
	t->magic = TN_MAGIC;
	t->nb.cb = tn_cb;
	t->nb.priority = (int)rnd(rng, 5) - 2;
	if (rnd(rng, 2)) {
		t->proto = P_SENSOR;
		t->evt = SCMI_EVENT_SENSOR_UPDATE;
		t->all = rnd(rng, 3) == 0;
		t->src = t->all ? SCMI_ALL_SRC_IDS : 0;
	} else {
		t->proto = P_POWER;
		t->evt = SCMI_EVENT_POWER_STATE_CHANGED;
		t->all = rnd(rng, 4) == 0;
		t->src = t->all ? SCMI_ALL_SRC_IDS : rnd(rng, NUM_DOMAINS);
	}
	if (rnd(rng, 3) == 0)
		t->self_after = 1 + rnd(rng, 64);
	unsup = t->proto == P_POWER && !t->all && t->src >= NOTIFY_DOMAINS;
	atomic_store(&t->state, ST_REG);
	ret = scmi_event_notifier_register(g_ni, t->proto, t->evt,
					   t->all ? NULL : &t->src, &t->nb);
	if (!ret) {
		CHECK(!unsup, "registered on power domain %u, which cannot notify",
		      t->src);
		st->registers++;
		return t;
	}
	if (ret == -EOPNOTSUPP && unsup) {
		st->reg_unsupported++;
	} else {
		char what[64];

		CHECK(!unsup, "register on power domain %u: %d, not -EOPNOTSUPP",
		      t->src, ret);
		snprintf(what, sizeof(what), "register on %s/%u/%u",
			 proto_name(t->proto), t->evt, t->src);
		command_error(what, ret);
		st->reg_failed++;
	}
	CHECK(atomic_load(&t->calls) == 0,
	      "register failed with %d, yet its callback ran", ret);
	tn_poison(t);
	free(t);
	return NULL;
}

/* Unregister @t (or take it back from its callback), poison it, free it. */
static void tn_release(struct tn *t, struct quarantine *q, struct ustats *st)
{
	int exp = ST_REG;
	int ret;

	CHECK(t->magic == TN_MAGIC, "releasing a bad notifier");
	if (atomic_compare_exchange_strong(&t->state, &exp, ST_OWNER_CLAIM)) {
		ret = scmi_event_notifier_unregister(g_ni, t->proto, t->evt,
						     t->all ? NULL : &t->src,
						     &t->nb);
		CHECK(ret == 0, "unregister of %s/%u/%u: %d",
		      proto_name(t->proto), t->evt, t->src, ret);
		exp = ST_OWNER_CLAIM;
		CHECK(atomic_compare_exchange_strong(&t->state, &exp, ST_DEAD),
		      "notifier state changed to %d while its owner held it",
		      exp);
		/* freed right after unregister returned */
		tn_poison(t);
		free(t);
		st->unregisters++;
		return;
	}
	CHECK(exp == ST_CB_CLAIM || exp == ST_DONE_BY_CB,
	      "releasing a notifier in state %d", exp);
	{
		uint64_t deadline = now_ns() + WAIT_NS;

		while ((exp = atomic_load(&t->state)) != ST_DONE_BY_CB) {
			CHECK(exp == ST_CB_CLAIM,
			      "notifier in state %d while its callback unregisters it",
			      exp);
			CHECK(now_ns() < deadline,
			      "a callback has been unregistering itself for 10 s");
			sched_yield();
		}
	}
	ret = scmi_event_notifier_unregister(g_ni, t->proto, t->evt,
					     t->all ? NULL : &t->src, &t->nb);
	CHECK(ret == -ENOENT,
	      "second unregister of a self-unregistered notifier: %d", ret);
	/* its callback may still be returning: keep it poisoned a while */
	tn_poison(t);
	free(q->slot[q->pos]);
	q->slot[q->pos] = t;
	q->pos = (q->pos + 1) % QUARANTINE;
	st->reaped++;
}

/* ---------------------------------------------------------------- */
/* user threads                                                     */

struct user {
	unsigned int idx;
	pthread_t th;
	uint64_t rng;
	struct tn *list;
	unsigned int n;
	struct quarantine q;
	struct ustats st;
};

static struct user users[MAX_USERS];

static void user_command(struct user *u)
{
	char what[64];
	int ret;

	if (rnd(&u->rng, 2)) {
		uint32_t id = rnd(&u->rng, NUM_SENSORS);
		int64_t v;

		struct scmi_sensor_info si;

		ret = scmi_sensor_reading_get(g_agent, id, &v, NULL);
		snprintf(what, sizeof(what), "sensor reading of %u", id);
		if (!ret && scmi_sensor_info_get(g_agent, id, &si) == 0 &&
		    si.async_read)
			atomic_fetch_add(&async_reads, 1);
	} else {
		uint32_t id = rnd(&u->rng, NUM_DOMAINS), s;

		ret = scmi_power_state_get(g_agent, id, &s);
		snprintf(what, sizeof(what), "power state of %u", id);
	}
	if (ret)
		command_error(what, ret);
	u->st.commands++;
}

static void *user_main(void *arg)
{
	struct user *u = arg;

	while (!atomic_load(&g_stop)) {
		unsigned int a = rnd(&u->rng, 16);

		beat(W_USER0 + u->idx);
		/* give back the notifiers whose callback unregistered them */
		for (struct tn **pp = &u->list; *pp;) {
			struct tn *t = *pp;

			if (atomic_load(&t->state) == ST_DONE_BY_CB) {
				*pp = t->link;
				u->n--;
				tn_release(t, &u->q, &u->st);
			} else {
				pp = &t->link;
			}
		}
		if (a < 7 && u->n < MAX_LIVE) {
			struct tn *t = tn_new(&u->rng, &u->st);

			if (t) {
				t->link = u->list;
				u->list = t;
				u->n++;
			}
		} else if (a < 14 && u->n) {
			unsigned int k = rnd(&u->rng, u->n);
			struct tn **pp = &u->list;

			while (k--)
				pp = &(*pp)->link;
			{
				struct tn *t = *pp;

				*pp = t->link;
				u->n--;
				tn_release(t, &u->q, &u->st);
			}
		} else if (a == 15) {
			user_command(u);
		} else {
			sched_yield();
		}
	}
	while (u->list) {
		struct tn *t = u->list;

		u->list = t->link;
		u->n--;
		tn_release(t, &u->q, &u->st);
	}
	unwatch(W_USER0 + u->idx);
	return NULL;
}

/* ---------------------------------------------------------------- */
/* the control connection                                           */

struct ctl {
	int fd;
	char *rep; /* CTL_REPLY_MAX + 1 */
};

static void ctl_open(struct ctl *c)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	struct timeval tv = { .tv_sec = 5 };

	CHECK((size_t)snprintf(sun.sun_path, sizeof(sun.sun_path), "%s.ctl",
			       g_sim.sock) < sizeof(sun.sun_path),
	      "control socket path too long");
	c->fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	CHECK(c->fd >= 0, "socket: %s", strerror(errno));
	CHECK(!setsockopt(c->fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)),
	      "setsockopt: %s", strerror(errno));
	CHECK(!connect(c->fd, (struct sockaddr *)&sun, sizeof(sun)),
	      "connect to %s: %s", sun.sun_path, strerror(errno));
	c->rep = malloc(CTL_REPLY_MAX + 1);
	CHECK(c->rep, "out of memory");
}

static void ctl_close(struct ctl *c)
{
	close(c->fd);
	free(c->rep);
	c->fd = -1;
	c->rep = NULL;
}

/* One request, its reply in c->rep; the request must succeed ("ok"). */
static const char *ctl_req(struct ctl *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static const char *ctl_req(struct ctl *c, const char *fmt, ...)
{
	char req[256];
	va_list ap;
	ssize_t n;
	int len;

	va_start(ap, fmt);
	len = vsnprintf(req, sizeof(req), fmt, ap);
	va_end(ap);
	CHECK(len > 0 && (size_t)len < sizeof(req), "request too long");
	n = send(c->fd, req, (size_t)len, MSG_NOSIGNAL);
	CHECK(n == len, "control request '%s': send: %s", req,
	      n < 0 ? strerror(errno) : "short");
	n = recv(c->fd, c->rep, CTL_REPLY_MAX, 0);
	CHECK(n > 0, "control request '%s': recv: %s", req,
	      n < 0 ? strerror(errno) : "the simulator hung up");
	c->rep[n] = '\0';
	CHECK(!strncmp(c->rep, "ok", 2), "control request '%s': '%s'", req,
	      c->rep);
	return c->rep[2] == ' ' ? c->rep + 3 : c->rep + 2;
}

struct flood {
	pthread_t th;
	struct ctl c;
	uint64_t sensor_sets, power_sets;
};

static void *flood_main(void *arg)
{
	struct flood *f = arg;
	uint32_t pstate[NUM_DOMAINS];
	uint32_t i = 0;

	/* the default topology: domain 2 starts off, the others on */
	for (unsigned int d = 0; d < NUM_DOMAINS; d++)
		pstate[d] = d == 2 ? SCMI_POWER_STATE_OFF : SCMI_POWER_STATE_ON;
	while (!atomic_load(&g_stop)) {
		beat(W_FLOOD);
		if (i & 1) {
			unsigned int d = (i >> 1) % NUM_DOMAINS;

			pstate[d] ^= SCMI_POWER_STATE_OFF;
			ctl_req(&f->c, "power set %u %u", d, pstate[d]);
			f->power_sets++;
		} else {
			/* 41000..59999 (no trip point), never twice the same */
			ctl_req(&f->c, "sensor set 0 %u", 41000 + (i >> 1) % 19000);
			f->sensor_sets++;
		}
		i++;
	}
	unwatch(W_FLOOD);
	return NULL;
}

/* Our agent's "subscriptions" and "waiting" from "agents --json". */
static void sim_agent_counts(struct ctl *c, uint32_t id, int64_t *subs,
			     int64_t *waiting, int64_t *sent)
{
	const char *body = ctl_req(c, "agents --json");
	struct mj *v;
	const struct mj *arr;
	bool found = false;

	CHECK(mj_parse(body, &v) == 0, "agents --json: not JSON: '%.200s'",
	      body);
	arr = mj_get(v, "agents");
	CHECK(arr && arr->type == MJ_ARR, "agents --json: no agents array");
	for (size_t k = 0;; k++) {
		char path[64];
		const struct mj *idn, *s, *w, *n;

		snprintf(path, sizeof(path), "agents.%zu.id", k);
		idn = mj_get(v, path);
		if (!idn)
			break;
		CHECK(idn->type == MJ_NUM && idn->is_int, "agents --json: bad id");
		if ((uint32_t)idn->i != id)
			continue;
		snprintf(path, sizeof(path), "agents.%zu.subscriptions", k);
		s = mj_get(v, path);
		snprintf(path, sizeof(path), "agents.%zu.waiting", k);
		w = mj_get(v, path);
		snprintf(path, sizeof(path), "agents.%zu.notifications_sent", k);
		n = mj_get(v, path);
		CHECK(s && s->type == MJ_NUM && s->is_int && w &&
			      w->type == MJ_NUM && w->is_int && n &&
			      n->type == MJ_NUM && n->is_int,
		      "agents --json: agent %u lacks subscriptions/waiting/"
		      "notifications_sent", id);
		*subs = s->i;
		*waiting = w->i;
		*sent = n->i;
		found = true;
	}
	mj_free(v);
	CHECK(found, "agents --json does not list our agent %u", id);
}

/* ---------------------------------------------------------------- */

/* The core's received count, summed over every protocol. */
static uint64_t core_received_all(void)
{
	uint64_t sum = 0;

	for (unsigned int p = 0; p < 256; p++) {
		struct scmi_notify_stats st;

		CHECK(scmi_notify_get_stats(g_ni, (uint8_t)p, &st) == 0,
		      "get_stats(0x%x)", p);
		sum += st.received;
	}
	return sum;
}

static void drain(void)
{
	int n = 1;

	for (unsigned int i = 0; i < 100000 && n; i++) {
		beat(W_MAIN);
		n = scmi_notify_run_pending(g_ni);
		CHECK(n >= 0, "scmi_notify_run_pending: %d", n);
	}
	CHECK(n == 0, "the queues never ran dry");
}

static void usage(FILE *f)
{
	fprintf(f,
		"usage: " PROG " [--seconds N] [--seed S] [--users N] [--abort] [-v]\n"
		"  --seconds N   run time of the flood (default 3)\n"
		"  --seed S      seed of every random choice (default 0x%" PRIx64 ")\n"
		"  --users N     registering threads, 1..%d (default 3)\n"
		"  --abort       abort() on a failed check instead of exit(1)\n"
		"  -v            more detail (-vv: the library's log too)\n",
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
	struct scmi_agent_config cfg = {
		.timeout_ms = CMD_TIMEOUT_MS,
		.log_fn = log_sink,
		.log_level = SCMI_LOG_DEBUG,
	};
	struct scmi_notify_stats st[2];
	static const uint8_t protos[2] = { P_SENSOR, P_POWER };
	struct scmi_agent_stats ast;
	struct flood fl = { 0 };
	struct ustats tot = { 0 };
	struct ctl c;
	pthread_t wd;
	uint64_t deadline, recv_all = 0, self_reaped_q = 0;
	int64_t subs = -1, waiting = -1, sent = 0;
	uint32_t agent_id;
	int ret;

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
				fprintf(stderr, PROG ": users: 1..%d\n", MAX_USERS);
				return 2;
			}
			i++;
		} else {
			usage(stderr);
			return 2;
		}
	}

	if (!sim_exe()) {
		fprintf(stderr, PROG ": no simulator (SCMI_SIM): skipped\n");
		return 77;
	}
	snprintf(watches[W_MAIN].name, sizeof(watches[W_MAIN].name), "main");
	snprintf(watches[W_FLOOD].name, sizeof(watches[W_FLOOD].name), "flood");
	for (unsigned int i = 0; i < MAX_USERS; i++)
		snprintf(watches[W_USER0 + i].name,
			 sizeof(watches[W_USER0 + i].name), "user %u", i);
	beat(W_MAIN);
	CHECK(!pthread_create(&wd, NULL, watchdog_main, NULL), "pthread_create");

	ret = sim_start(&g_sim, NULL);
	CHECK(ret == 0, "sim_start: %d (%s)", ret, strerror(-ret));
	ret = scmi_agent_create(&g_agent, &cfg);
	CHECK(ret == 0, "scmi_agent_create: %d", ret);
	g_ni = scmi_agent_notify(g_agent);
	CHECK(g_ni, "scmi_agent_notify: NULL");
	ret = scmi_agent_connect(g_agent, g_sim.sock);
	CHECK(ret == 0, "scmi_agent_connect: %d", ret);
	agent_id = scmi_agent_id(g_agent);
	CHECK(agent_id >= 1 && agent_id <= 255, "agent id %u", agent_id);
	CHECK(scmi_sensor_count(g_agent) == NUM_SENSORS &&
		      scmi_power_domain_count(g_agent) == NUM_DOMAINS,
	      "not the default topology: %d sensors, %d power domains",
	      scmi_sensor_count(g_agent), scmi_power_domain_count(g_agent));

	/* go */
	ctl_open(&fl.c);
	for (unsigned int i = 0; i < opt.users; i++) {
		struct user *u = &users[i];

		u->idx = i;
		u->rng = seed_for(1, i);
		beat(W_USER0 + i);
		CHECK(!pthread_create(&u->th, NULL, user_main, u),
		      "pthread_create");
	}
	beat(W_FLOOD);
	CHECK(!pthread_create(&fl.th, NULL, flood_main, &fl), "pthread_create");

	deadline = now_ns() + (uint64_t)(opt.seconds * 1e9);
	while (now_ns() < deadline) {
		beat(W_MAIN);
		sleep_us(1000);
	}
	unwatch(W_MAIN);

	/* stop: every notifier unregistered */
	atomic_store(&g_stop, true);
	pthread_join(fl.th, NULL);
	for (unsigned int i = 0; i < opt.users; i++) {
		pthread_join(users[i].th, NULL);
		tot.registers += users[i].st.registers;
		tot.reg_failed += users[i].st.reg_failed;
		tot.reg_unsupported += users[i].st.reg_unsupported;
		tot.unregisters += users[i].st.unregisters;
		tot.reaped += users[i].st.reaped;
		tot.commands += users[i].st.commands;
	}
	beat(W_MAIN);

	/* the simulator saw every subscription turned off, and has nothing
	 * left to send us; then the agent hands the core everything it got */
	c = fl.c;
	deadline = now_ns() + WAIT_NS / 2;
	for (;;) {
		beat(W_MAIN);
		sim_agent_counts(&c, agent_id, &subs, &waiting, &sent);
		if (subs == 0 && waiting == 0)
			break;
		CHECK(subs == 0,
		      "the simulator still has %" PRId64 " subscriptions of our "
		      "agent %u once every notifier was unregistered",
		      subs, agent_id);
		CHECK(now_ns() < deadline,
		      "the simulator still holds %" PRId64 " notifications for us",
		      waiting);
		sleep_us(1000);
	}
	deadline = now_ns() + WAIT_NS / 2;
	for (;;) {
		beat(W_MAIN);
		drain();
		CHECK(scmi_agent_get_stats(g_agent, &ast) == 0, "agent stats");
		recv_all = core_received_all();
		if (ast.notifications + ast.notify_refused >= (uint64_t)sent &&
		    ast.notifications == recv_all)
			break;
		CHECK(now_ns() < deadline,
		      "the agent counts %" PRIu64 " notifications (%" PRIu64
		      " refused), the core received %" PRIu64
		      ", the simulator sent %" PRId64,
		      ast.notifications, ast.notify_refused, recv_all, sent);
		sleep_us(1000);
	}
	drain();
	/* and again, now that nothing moves */
	sim_agent_counts(&c, agent_id, &subs, &waiting, &sent);
	CHECK(subs == 0 && waiting == 0,
	      "subscriptions %" PRId64 ", waiting %" PRId64 " at the end",
	      subs, waiting);
	CHECK(scmi_agent_get_stats(g_agent, &ast) == 0, "agent stats");
	recv_all = core_received_all();
	CHECK(ast.notifications == recv_all,
	      "the agent counts %" PRIu64 " notifications, the core received %" PRIu64,
	      ast.notifications, recv_all);
	CHECK(ast.notifications + ast.notify_refused == (uint64_t)sent,
	      "the simulator sent %" PRId64 " notifications, the agent got %"
	      PRIu64 " (+%" PRIu64 " refused)",
	      sent, ast.notifications, ast.notify_refused);
	CHECK(ast.proto_errors == 0, "%" PRIu64 " malformed responses",
	      ast.proto_errors);
	/* each good read of an async sensor took exactly one delayed response */
	CHECK(ast.delayed_responses == atomic_load(&async_reads),
	      "%" PRIu64 " delayed responses taken for %" PRIu64
	      " asynchronous reads",
	      ast.delayed_responses, atomic_load(&async_reads));

	/* the core's laws */
	for (unsigned int p = 0; p < 2; p++) {
		CHECK(scmi_notify_get_stats(g_ni, protos[p], &st[p]) == 0,
		      "get_stats");
#define EQ(a, b)                                                              \
	CHECK((a) == (b), "protocol 0x%x: %s = %" PRIu64 " but %s = %" PRIu64, \
	      protos[p], #a, (uint64_t)(a), #b, (uint64_t)(b))
		EQ(st[p].received, st[p].queued + st[p].dropped_invalid +
					   st[p].dropped_full);
		EQ(st[p].queued, st[p].delivered + st[p].dropped_report +
					 st[p].discarded);
		EQ(st[p].dropped_invalid, (uint64_t)0);
		EQ(st[p].dropped_report, (uint64_t)0);
		EQ(st[p].discarded, (uint64_t)0);
#undef EQ
	}
	CHECK(cmd_errors[CE_OTHER] == 0, "undocumented command errors");
	CHECK(atomic_load(&log_count[SCMI_LOG_ERR]) == 0,
	      "the library logged %" PRIu64 " errors",
	      atomic_load(&log_count[SCMI_LOG_ERR]));

	ctl_close(&c);
	beat(W_MAIN);
	scmi_agent_disconnect(g_agent);
	scmi_agent_destroy(g_agent);
	g_agent = NULL;
	g_ni = NULL;
	sim_stop(&g_sim);
	for (unsigned int i = 0; i < opt.users; i++) {
		for (unsigned int k = 0; k < QUARANTINE; k++)
			self_reaped_q += users[i].q.slot[k] != NULL;
		quarantine_flush(&users[i].q);
	}
	(void)self_reaped_q;
	unwatch(W_MAIN);
	atomic_store(&wd_stop, true);
	pthread_join(wd, NULL);

	printf(PROG ": OK seed=0x%" PRIx64 " seconds=%g users=%u"
	       " | ctl sensor_sets=%" PRIu64 " power_sets=%" PRIu64
	       " | sim_sent=%" PRId64 " agent_notifications=%" PRIu64
	       " refused=%" PRIu64
	       " | sensor received=%" PRIu64 " full=%" PRIu64
	       " delivered=%" PRIu64 " | power received=%" PRIu64
	       " full=%" PRIu64 " delivered=%" PRIu64
	       " | callbacks sensor=%" PRIu64 " power=%" PRIu64
	       " | registers=%" PRIu64 " unsupported=%" PRIu64
	       " failed=%" PRIu64 " unregisters=%" PRIu64
	       " self_unreg=%" PRIu64 " commands=%" PRIu64
	       " timeouts=%" PRIu64 " platform_errors=%" PRIu64
	       " warnings=%" PRIu64 " delayed=%" PRIu64 "\n",
	       opt.seed, opt.seconds, opt.users, fl.sensor_sets, fl.power_sets,
	       sent, ast.notifications, ast.notify_refused, st[0].received,
	       st[0].dropped_full, st[0].delivered, st[1].received,
	       st[1].dropped_full, st[1].delivered,
	       atomic_load(&cb_calls[0]), atomic_load(&cb_calls[1]),
	       tot.registers, tot.reg_unsupported, tot.reg_failed,
	       tot.unregisters, atomic_load(&cb_self_unreg), tot.commands,
	       atomic_load(&cmd_errors[CE_TIMEDOUT]),
	       atomic_load(&cmd_errors[CE_PLATFORM]),
	       atomic_load(&log_count[SCMI_LOG_WARNING]),
	       ast.delayed_responses);
	return 0;
}
