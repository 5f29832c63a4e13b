/* SPDX-License-Identifier: MIT */
/*
 * The agent table, per-agent subscriptions and counters, sim_emit(), and
 * the simulator's configuration and log. Everything here runs on the one
 * libev thread.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "agents.h"
#include "channel.h"
#include "hash.h"

/* One subscribed (proto_id, evt_id, src_id) of an agent. */
struct sim_sub {
	uint64_t key;                     /* sub_key() */
	UT_hash_handle hh;
};

static struct sim_config cfg = { .verbosity = SIM_LOG_WARN };
static struct sim_agent **table;          /* [max_agents + 1], by id */
static uint64_t last_gen;                 /* the gen of the newest agent */

/* ---- configuration and log ------------------------------------------ */

const struct sim_config *sim_config(void)
{
	return &cfg;
}

bool sim_log_enabled(enum sim_log_level level)
{
	return (int)level <= cfg.verbosity;
}

static void sim_vlog(enum sim_log_level level, const char *fmt, va_list ap)
{
	char line[512];
	size_t n;

	n = (size_t)snprintf(line, sizeof(line), "scmi-sim: %s",
			     level == SIM_LOG_ERR ? "error: " :
			     level == SIM_LOG_WARN ? "warning: " : "");
	vsnprintf(line + n, sizeof(line) - n - 1, fmt, ap);
	n = strlen(line);
	line[n] = '\n';
	/* one write per line: lines of processes sharing stderr do not mix */
	fwrite(line, 1, n + 1, stderr);
}

void sim_log(enum sim_log_level level, const char *fmt, ...)
{
	va_list ap;

	if (!sim_log_enabled(level))
		return;
	va_start(ap, fmt);
	sim_vlog(level, fmt, ap);
	va_end(ap);
}

void sim_log_limited(struct sim_ratelimit *rl, enum sim_log_level level,
		     const char *fmt, ...)
{
	unsigned long held;
	struct timespec ts;
	va_list ap;

	if (!sim_log_enabled(level))
		return;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	if (!sim_ratelimit_pass(rl, (double)ts.tv_sec + ts.tv_nsec / 1e9, &held))
		return;
	if (held)
		sim_log(level, "%lu more lines like the next held back (at most %d in %.0f s)",
			held, SIM_RATELIMIT_BURST, SIM_RATELIMIT_INTERVAL_S);
	va_start(ap, fmt);
	sim_vlog(level, fmt, ap);
	va_end(ap);
}

/* ---- the table ------------------------------------------------------- */

int agents_init(const struct sim_config *c)
{
	cfg = *c;
	table = calloc(cfg.max_agents + 1, sizeof(*table));
	return table ? 0 : -ENOMEM;
}

void agents_fini(void)
{
	free(table);
	table = NULL;
}

int agent_new(struct sim_channel *ch, struct sim_agent **ret)
{
	struct sim_agent *a;
	uint32_t id;
	int r;

	for (id = 1; id <= cfg.max_agents; id++)
		if (!table[id])
			break;
	if (id > cfg.max_agents)
		return -ENOSPC;

	a = calloc(1, sizeof(*a));
	if (!a)
		return -ENOMEM;
	r = nq_init(&a->nq, cfg.policy, cfg.queue_len, cfg.max_msg_size);
	if (r < 0) {
		free(a);
		return r;
	}
	a->id = id;
	a->gen = ++last_gen;
	a->ch = ch;
	table[id] = a;
	*ret = a;
	return 0;
}

void agent_free(struct sim_agent *a)
{
	struct sim_sub *s, *tmp;

	HASH_ITER(hh, a->subs, s, tmp) {
		HASH_DEL(a->subs, s);
		free(s);
	}
	nq_fini(&a->nq);
	table[a->id] = NULL;
	free(a);
}

struct sim_agent *agent_get(uint32_t id)
{
	return id >= 1 && id <= cfg.max_agents ? table[id] : NULL;
}

static void log_counts(uint32_t id, const char *what, const uint64_t c[SIM_CNT_MAX])
{
	sim_log(SIM_LOG_INFO,
		"agent %u: %s: commands %" PRIu64 " (malformed %" PRIu64
		"), notifications sent %" PRIu64 ", queued %" PRIu64
		", dropped %" PRIu64 ", delayed responses sent %" PRIu64
		", lost %" PRIu64,
		id, what, c[SIM_CNT_COMMANDS], c[SIM_CNT_CMD_ERRORS],
		c[SIM_CNT_NOTIF_SENT], c[SIM_CNT_NOTIF_QUEUED],
		c[SIM_CNT_NOTIF_DROPPED], c[SIM_CNT_DELAYED_SENT],
		c[SIM_CNT_DELAYED_LOST]);
}

void agent_log_counters(const struct sim_agent *a)
{
	static const uint64_t zero[SIM_CNT_MAX];
	char what[32];

	if (!sim_log_enabled(SIM_LOG_INFO))
		return;
	log_counts(a->id, "total", a->total);
	for (int f = SIM_FAULT_NONE + 1; f < SIM_FAULT_MAX; f++)
		if (a->faults.fired[f])
			sim_log(SIM_LOG_INFO, "agent %u: fault %s: %" PRIu64 " times",
				a->id, sim_fault_name(f), a->faults.fired[f]);
	for (unsigned int p = 0; p < 256; p++) {
		if (!memcmp(a->per_proto[p], zero, sizeof(zero)))
			continue;
		snprintf(what, sizeof(what), "protocol 0x%02x", p);
		log_counts(a->id, what, a->per_proto[p]);
	}
}

/* ---- subscriptions --------------------------------------------------- */

static uint64_t sub_key(uint8_t proto_id, uint8_t evt_id, uint32_t src_id)
{
	return (uint64_t)proto_id << 40 | (uint64_t)evt_id << 32 | src_id;
}

static struct sim_sub *sub_find(const struct sim_agent *a, uint64_t key)
{
	struct sim_sub *s;

	HASH_FIND(hh, a->subs, &key, sizeof(key), s);
	return s;
}

int agent_set_notify(struct sim_agent *a, uint8_t proto_id, uint8_t evt_id,
		     uint32_t src_id, bool enable)
{
	uint64_t key = sub_key(proto_id, evt_id, src_id);
	struct sim_sub *s = sub_find(a, key);

	if (enable && !s) {
		s = calloc(1, sizeof(*s));
		if (!s)
			return -ENOMEM;
		s->key = key;
		HASH_ADD(hh, a->subs, key, sizeof(s->key), s);
		if (!HASH_ADDED(s, hh)) {
			free(s);
			return -ENOMEM;
		}
	} else if (!enable && s) {
		HASH_DEL(a->subs, s);
		free(s);
	}
	sim_log(SIM_LOG_INFO, "agent %u: events 0x%02x/0x%02x source %u %s",
		a->id, proto_id, evt_id, src_id, enable ? "on" : "off");
	return 0;
}

bool agent_is_subscribed(const struct sim_agent *a, uint8_t proto_id,
			 uint8_t evt_id, uint32_t src_id)
{
	return sub_find(a, sub_key(proto_id, evt_id, src_id)) != NULL;
}

unsigned int agent_sub_count(const struct sim_agent *a)
{
	return HASH_COUNT(a->subs);
}

/* ---- emitting -------------------------------------------------------- */

int sim_emit_to(struct sim_agent *a, uint8_t proto_id, uint8_t evt_id,
		uint32_t src_id, const void *payld, size_t sz)
{
	if (sz > cfg.max_msg_size)
		return -EMSGSIZE;
	if (!agent_is_subscribed(a, proto_id, evt_id, src_id))
		return 0;
	return nq_post(a, proto_id, evt_id, payld, sz) > 0;
}

int sim_emit(uint8_t proto_id, uint8_t evt_id, uint32_t src_id,
	     const void *payld, size_t sz)
{
	int reached = 0;

	if (sz > cfg.max_msg_size) {
		sim_log(SIM_LOG_ERR, "event 0x%02x/0x%02x of %zu bytes exceeds max_msg_size %u",
			proto_id, evt_id, sz, cfg.max_msg_size);
		return -EMSGSIZE;
	}
	for (uint32_t id = 1; id <= cfg.max_agents; id++) {
		struct sim_agent *a = table[id];

		if (a && agent_is_subscribed(a, proto_id, evt_id, src_id))
			reached += nq_post(a, proto_id, evt_id, payld, sz) > 0;
	}
	return reached;
}
