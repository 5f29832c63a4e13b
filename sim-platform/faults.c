/* SPDX-License-Identifier: MIT */
/*
 * An agent's faults (see faults.h): their names, arming and clearing
 * them, and the hooks its session calls before it writes a response and
 * before it posts a delayed response. The faults themselves are carried
 * out where they act: response faults in channel.c's respond(),
 * drop-delayed where the session sends a delayed response, stall in its
 * P2A post.
 */
#include <inttypes.h>

#include "faults.h"
#include "log.h"

static const char *const fault_names[SIM_FAULT_MAX] = {
	[SIM_FAULT_NONE] = "none",
	[SIM_FAULT_DELAY] = "delay",
	[SIM_FAULT_DROP] = "drop",
	[SIM_FAULT_ERROR] = "error",
	[SIM_FAULT_CORRUPT_LENGTH] = "corrupt-length",
	[SIM_FAULT_STALL] = "stall",
	[SIM_FAULT_DROP_DELAYED] = "drop-delayed",
};

const char *sim_fault_name(enum sim_fault f)
{
	return (unsigned int)f < SIM_FAULT_MAX ? fault_names[f] : "?";
}

void fault_arm(struct sim_faults *fs, uint32_t agent_id, enum sim_fault f,
	       uint32_t delay_ms, FILE *out)
{
	enum sim_fault old = fs->armed;

	if (f == SIM_FAULT_DROP_DELAYED) {
		fprintf(out, "agent %u: drop-delayed armed%s", agent_id,
			fs->drop_delayed ? " (already)" : "");
		fs->drop_delayed = true;
		sim_log(SIM_LOG_INFO, "agent %u: fault drop-delayed armed",
			agent_id);
		return;
	}
	fs->armed = f;
	fs->delay_ms = f == SIM_FAULT_DELAY ? delay_ms : 0;
	if (f == SIM_FAULT_DELAY)
		fprintf(out, "agent %u: delay %" PRIu32 " ms armed", agent_id,
			delay_ms);
	else
		fprintf(out, "agent %u: %s armed", agent_id, sim_fault_name(f));
	if (old != SIM_FAULT_NONE)
		fprintf(out, " (replaces %s)", sim_fault_name(old));
	sim_log(SIM_LOG_INFO, "agent %u: fault %s armed%s%s", agent_id,
		sim_fault_name(f), old != SIM_FAULT_NONE ? ", replacing " : "",
		old != SIM_FAULT_NONE ? sim_fault_name(old) : "");
}

void fault_clear(struct sim_faults *fs, uint32_t agent_id, FILE *out)
{
	fprintf(out, "agent %u: cleared", agent_id);
	if (fs->armed != SIM_FAULT_NONE)
		fprintf(out, " %s", sim_fault_name(fs->armed));
	if (fs->drop_delayed)
		fprintf(out, " drop-delayed");
	if (fs->stalled)
		fprintf(out, " stall");
	sim_log(SIM_LOG_INFO, "agent %u: faults cleared", agent_id);
	fs->armed = SIM_FAULT_NONE;
	fs->delay_ms = 0;
	fs->drop_delayed = false;
}

enum sim_fault fault_take_response(struct sim_faults *fs, uint32_t agent_id,
				   uint32_t *delay_ms)
{
	enum sim_fault f = fs->armed;

	if (f == SIM_FAULT_NONE)
		return f;
	fs->armed = SIM_FAULT_NONE;
	fs->fired[f]++;
	*delay_ms = fs->delay_ms;
	if (f == SIM_FAULT_DELAY)
		sim_log(SIM_LOG_INFO, "agent %u: fault delay: response in %" PRIu32 " ms",
			agent_id, fs->delay_ms);
	else
		sim_log(SIM_LOG_INFO, "agent %u: fault %s: on this response",
			agent_id, sim_fault_name(f));
	return f;
}

bool fault_take_delayed(struct sim_faults *fs, uint32_t agent_id)
{
	if (!fs->drop_delayed)
		return false;
	fs->drop_delayed = false;
	fs->fired[SIM_FAULT_DROP_DELAYED]++;
	sim_log(SIM_LOG_INFO, "agent %u: fault drop-delayed: on this delayed response",
		agent_id);
	return true;
}
