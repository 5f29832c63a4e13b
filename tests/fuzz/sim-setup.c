/* SPDX-License-Identifier: MIT */
/*
 * The simulator's state for the fuzz-sim-* fuzzers: the agent table once
 * (no agent in it: sim_emit() reaches nobody), the default topology before
 * every input (so that an input does not depend on the ones before), and
 * agents of the simulator's kind without a session.
 */
#include <stdlib.h>

#include <scmi/wire.h>

#include "agents.h"
#include "topology.h"
#include "fuzz.h"

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

		if (agents_init(&cfg) < 0)
			abort();
		ready = 1;
	}
	topology_load_default();
}

struct sim_agent *fuzz_sim_agent_new(void)
{
	struct sim_agent *a = calloc(1, sizeof(*a));

	if (!a)
		abort();
	if (nq_init(&a->nq, SIM_NOTIFY_DROP, 4, SCMI_MAX_MSG_SIZE) < 0)
		abort();
	a->id = 0; /* agent_free() clears table[0], which no agent uses */
	return a;
}

void fuzz_sim_agent_free(struct sim_agent *a)
{
	agent_free(a);
}
