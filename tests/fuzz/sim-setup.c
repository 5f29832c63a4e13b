/* SPDX-License-Identifier: MIT */
/*
 * The simulator's state for the fuzz-sim-* fuzzers: the agent table once
 * (no agent in it: sim_emit() reaches nobody), the default topology before
 * every input (so that an input does not depend on the ones before), and
 * agents of the simulator's kind without a session: what the layers
 * below a session ask of it, nobody answers (nothing is posted, nothing
 * waits).
 */
#include <errno.h>
#include <stdlib.h>

#include <scmi/wire.h>

#include "access.h"
#include "agents.h"
#include "config.h"
#include "topology.h"
#include "fuzz.h"

static int no_notify(struct sim_channel *ch, uint8_t proto_id, uint8_t evt_id,
		     const void *payld, size_t sz)
{
	return 0;
}

static int no_delayed(struct sim_channel *ch, const struct scmi_msg_hdr *hdr,
		      int32_t status, const void *ret, size_t ret_sz)
{
	return -ENOTCONN;
}

static unsigned int none_waiting(const struct sim_channel *ch)
{
	return 0;
}

static const struct sim_session_ops no_session = {
	.notify = no_notify,
	.delayed = no_delayed,
	.delayed_waiting = none_waiting,
};

void fuzz_sim_reset(void)
{
	static int ready;

	if (!ready) {
		struct sim_config cfg = {
			.max_agents = 4,
			.policy = SIM_NOTIFY_DROP,
			.queue_len = 4,
			.max_msg_size = SCMI_MAX_MSG_SIZE,
			.verbosity = -1, /* quiet */
		};

		sim_config_set(&cfg);
		if (agents_init() < 0)
			abort();
		ready = 1;
	}
	topology_load_default();
	sim_access_reset_all();
}

struct sim_agent *fuzz_sim_agent_new(void)
{
	struct sim_agent *a = calloc(1, sizeof(*a));

	if (!a)
		abort();
	a->ops = &no_session;
	a->id = 0; /* agent_free() clears table[0], which no agent uses */
	return a;
}

void fuzz_sim_agent_free(struct sim_agent *a)
{
	agent_free(a);
}
