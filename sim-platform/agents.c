/* SPDX-License-Identifier: MIT */
/*
 * The agent table, per-agent subscriptions, and the events sent to the
 * agents subscribed to them, through each agent's session (agents.h,
 * emit.h). Everything here runs on the one libev thread.
 */
#include <errno.h>
#include <stdlib.h>

#include "access.h"
#include "agents.h"
#include "hash.h"

/* One subscribed (proto_id, evt_id, src_id) of an agent. */
struct sim_sub {
	uint64_t key;                     /* sub_key() */
	UT_hash_handle hh;
};

static struct sim_agent **table;          /* [max_agents + 1], by id */
static uint64_t last_gen;                 /* the gen of the newest agent */

/* ---- the table ------------------------------------------------------- */

int agents_init(void)
{
	table = calloc(sim_config()->max_agents + 1, sizeof(*table));
	return table ? 0 : -ENOMEM;
}

void agents_fini(void)
{
	free(table);
	table = NULL;
}

int agent_new(struct sim_channel *ch, const struct sim_session_ops *ops,
	      struct sim_agent **ret)
{
	unsigned int max = sim_config()->max_agents;
	struct sim_agent *a;
	uint32_t id;

	for (id = 1; id <= max; id++)
		if (!table[id])
			break;
	if (id > max)
		return -ENOSPC;

	a = calloc(1, sizeof(*a));
	if (!a)
		return -ENOMEM;
	a->id = id;
	a->gen = ++last_gen;
	a->ch = ch;
	a->ops = ops;
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
	table[a->id] = NULL;
	free(a);
}

struct sim_agent *agent_get(uint32_t id)
{
	return id >= 1 && id <= sim_config()->max_agents ? table[id] : NULL;
}

uint32_t sim_agent_id(const struct sim_agent *a)
{
	return a->id;
}

uint8_t sim_agent_cmd_proto(const struct sim_agent *a)
{
	return a->cur_hdr.proto_id;
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

int sim_subscribe(struct sim_agent *a, uint8_t proto_id, uint8_t evt_id,
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
	if (sz > sim_config()->max_msg_size)
		return -EMSGSIZE;
	if (!agent_is_subscribed(a, proto_id, evt_id, src_id) ||
	    !sim_access_allowed(a->id, proto_id, src_id))
		return 0;
	return a->ops->notify(a->ch, proto_id, evt_id, payld, sz) > 0;
}

int sim_emit_if(uint8_t proto_id, uint8_t evt_id, uint32_t src_id,
		const void *payld, size_t sz,
		bool (*want)(uint32_t agent_id, void *ctx), void *ctx)
{
	unsigned int max = sim_config()->max_agents;
	int reached = 0;

	if (sz > sim_config()->max_msg_size) {
		sim_log(SIM_LOG_ERR, "event 0x%02x/0x%02x of %zu bytes exceeds max_msg_size %u",
			proto_id, evt_id, sz, sim_config()->max_msg_size);
		return -EMSGSIZE;
	}
	for (uint32_t id = 1; id <= max; id++) {
		struct sim_agent *a = table[id];

		if (a && agent_is_subscribed(a, proto_id, evt_id, src_id) &&
		    sim_access_allowed(id, proto_id, src_id) &&
		    (!want || want(id, ctx)))
			reached += a->ops->notify(a->ch, proto_id, evt_id,
						  payld, sz) > 0;
	}
	return reached;
}

int sim_emit(uint8_t proto_id, uint8_t evt_id, uint32_t src_id,
	     const void *payld, size_t sz)
{
	return sim_emit_if(proto_id, evt_id, src_id, payld, sz, NULL, NULL);
}
