/* SPDX-License-Identifier: MIT */
/*
 * The agent table, per-agent subscriptions and counters, sim_emit().
 * Everything here runs on the one libev thread.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <uthash.h>

#include "agents.h"
#include "channel.h"

/* One subscribed (proto_id, evt_id, src_id) of an agent. */
struct sim_sub {
	uint64_t key;                     /* sub_key() */
	UT_hash_handle hh;
};

static struct sim_agent **table;          /* [max_agents + 1], by id */
static uint64_t last_gen;                 /* the gen of the newest agent */

/* ---- the table ------------------------------------------------------- */

int agents_init(const struct sim_config *c)
{
	sim_config_set(c);
	table = calloc(c->max_agents + 1, sizeof(*table));
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

	for (id = 1; id <= sim_config()->max_agents; id++)
		if (!table[id])
			break;
	if (id > sim_config()->max_agents)
		return -ENOSPC;

	a = calloc(1, sizeof(*a));
	if (!a)
		return -ENOMEM;
	r = nq_init(&a->nq, sim_config()->policy, sim_config()->queue_len, sim_config()->max_msg_size);
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
	return id >= 1 && id <= sim_config()->max_agents ? table[id] : NULL;
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
	if (sz > sim_config()->max_msg_size)
		return -EMSGSIZE;
	if (!agent_is_subscribed(a, proto_id, evt_id, src_id))
		return 0;
	return nq_post(a, proto_id, evt_id, payld, sz) > 0;
}

int sim_emit(uint8_t proto_id, uint8_t evt_id, uint32_t src_id,
	     const void *payld, size_t sz)
{
	int reached = 0;

	if (sz > sim_config()->max_msg_size) {
		sim_log(SIM_LOG_ERR, "event 0x%02x/0x%02x of %zu bytes exceeds max_msg_size %u",
			proto_id, evt_id, sz, sim_config()->max_msg_size);
		return -EMSGSIZE;
	}
	for (uint32_t id = 1; id <= sim_config()->max_agents; id++) {
		struct sim_agent *a = table[id];

		if (a && agent_is_subscribed(a, proto_id, evt_id, src_id))
			reached += nq_post(a, proto_id, evt_id, payld, sz) > 0;
	}
	return reached;
}
