/* SPDX-License-Identifier: MIT */
/*
 * Fault injection (see faults.h): the "fault" and "faults" control
 * requests, the hook channel.c calls before it writes a response and the
 * one delayed.c calls before it posts a delayed response. The faults
 * themselves are carried out where they act: response faults in
 * channel.c's respond(), drop-delayed in sim_delayed_send(), stall in
 * channel_p2a_post().
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "agents.h"
#include "channel.h"
#include "faults.h"
#include "notify-queue.h"
#include "protocols/common.h"

#define FAULT_MAX_DELAY_MS 600000u /* ten minutes */

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

/* ---- the hook --------------------------------------------------------- */

enum sim_fault fault_take_response(struct sim_agent *a, uint32_t *delay_ms)
{
	struct sim_faults *fs = &a->faults;
	enum sim_fault f = fs->armed;

	if (f == SIM_FAULT_NONE)
		return f;
	fs->armed = SIM_FAULT_NONE;
	fs->fired[f]++;
	*delay_ms = fs->delay_ms;
	if (f == SIM_FAULT_DELAY)
		sim_log(SIM_LOG_INFO, "agent %u: fault delay: response in %" PRIu32 " ms",
			a->id, fs->delay_ms);
	else
		sim_log(SIM_LOG_INFO, "agent %u: fault %s: on this response",
			a->id, sim_fault_name(f));
	return f;
}

bool fault_take_delayed(struct sim_agent *a)
{
	struct sim_faults *fs = &a->faults;

	if (!fs->drop_delayed)
		return false;
	fs->drop_delayed = false;
	fs->fired[SIM_FAULT_DROP_DELAYED]++;
	sim_log(SIM_LOG_INFO, "agent %u: fault drop-delayed: on this delayed response",
		a->id);
	return true;
}

/* ---- "fault <kind> <agent> [args]" ------------------------------------- */

static int find_agent(const char *word, struct sim_agent **ret, FILE *out)
{
	uint32_t id;

	if (sim_parse_u32(word, &id)) {
		fprintf(out, "fault: bad agent id '%.32s'", word);
		return -EINVAL;
	}
	if (id < 1 || id > sim_config()->max_agents) {
		/* never connected: a scenario that names it is wrong (-ENOENT is not) */
		fprintf(out, "fault: agent ids are 1..%u (--max-agents): no agent %" PRIu32 " can connect",
			sim_config()->max_agents, id);
		return -ERANGE;
	}
	*ret = agent_get(id);
	if (!*ret) {
		fprintf(out, "fault: no agent %" PRIu32 " connected", id);
		return -ENOENT;
	}
	return 0;
}

static void arm(struct sim_agent *a, enum sim_fault f, uint32_t delay_ms,
		FILE *out)
{
	struct sim_faults *fs = &a->faults;
	enum sim_fault old = fs->armed;

	fs->armed = f;
	fs->delay_ms = f == SIM_FAULT_DELAY ? delay_ms : 0;
	if (f == SIM_FAULT_DELAY)
		fprintf(out, "agent %u: delay %" PRIu32 " ms armed", a->id,
			delay_ms);
	else
		fprintf(out, "agent %u: %s armed", a->id, sim_fault_name(f));
	if (old != SIM_FAULT_NONE)
		fprintf(out, " (replaces %s)", sim_fault_name(old));
	sim_log(SIM_LOG_INFO, "agent %u: fault %s armed%s%s", a->id,
		sim_fault_name(f), old != SIM_FAULT_NONE ? ", replacing " : "",
		old != SIM_FAULT_NONE ? sim_fault_name(old) : "");
}

static void set_stall(struct sim_agent *a, bool on)
{
	struct sim_faults *fs = &a->faults;

	if (fs->stalled == on)
		return;
	fs->stalled = on;
	if (on) {
		fs->fired[SIM_FAULT_STALL]++;
		sim_log(SIM_LOG_INFO, "agent %u: fault stall: P2A posting stopped",
			a->id);
	} else {
		sim_log(SIM_LOG_INFO,
			"agent %u: fault stall off: P2A posting resumed, %u waiting",
			a->id, a->nq.count);
		nq_pump(a);
	}
}

static const struct {
	const char *name;
	enum sim_fault fault;
	int nargs;                        /* words after the agent id */
	const char *usage;
} kinds[] = {
	{ "delay", SIM_FAULT_DELAY, 1, "fault delay <agent> <ms>" },
	{ "drop", SIM_FAULT_DROP, 0, "fault drop <agent>" },
	{ "error", SIM_FAULT_ERROR, 0, "fault error <agent>" },
	{ "corrupt-length", SIM_FAULT_CORRUPT_LENGTH, 0,
	  "fault corrupt-length <agent>" },
	{ "stall", SIM_FAULT_STALL, 1, "fault stall <agent> on|off" },
	{ "drop-delayed", SIM_FAULT_DROP_DELAYED, 0, "fault drop-delayed <agent>" },
	{ "clear", SIM_FAULT_NONE, 0, "fault clear <agent>" },
};

int fault_control(int argc, char **argv, FILE *out)
{
	size_t k, n = sizeof(kinds) / sizeof(kinds[0]);
	struct sim_agent *a;
	uint64_t ms;
	int ret;

	for (k = 0; k < n; k++)
		if (!strcmp(argv[0], kinds[k].name))
			break;
	if (k == n) {
		fprintf(out,
			"fault: no kind '%.32s' (delay, drop, error, corrupt-length, stall, drop-delayed, clear)",
			argv[0]);
		return -EOPNOTSUPP;
	}
	if (argc != 2 + kinds[k].nargs) {
		fprintf(out, "usage: %s", kinds[k].usage);
		return -EINVAL;
	}
	ret = find_agent(argv[1], &a, out);
	if (ret)
		return ret;

	switch (kinds[k].fault) {
	case SIM_FAULT_DELAY:
		ret = sim_parse_unsigned(argv[2], UINT64_MAX, &ms);
		if (!ret && ms > FAULT_MAX_DELAY_MS)
			ret = -ERANGE;
		if (ret) {
			fprintf(out, "fault delay: '%.32s' is not a number of ms in 0..%u",
				argv[2], FAULT_MAX_DELAY_MS);
			return ret;
		}
		arm(a, SIM_FAULT_DELAY, (uint32_t)ms, out);
		return 0;
	case SIM_FAULT_STALL:
		if (strcmp(argv[2], "on") && strcmp(argv[2], "off")) {
			fprintf(out, "usage: %s", kinds[k].usage);
			return -EINVAL;
		}
		set_stall(a, !strcmp(argv[2], "on"));
		fprintf(out, "agent %u: stall %s", a->id, argv[2]);
		return 0;
	case SIM_FAULT_DROP_DELAYED:
		fprintf(out, "agent %u: drop-delayed armed%s", a->id,
			a->faults.drop_delayed ? " (already)" : "");
		a->faults.drop_delayed = true;
		sim_log(SIM_LOG_INFO, "agent %u: fault drop-delayed armed", a->id);
		return 0;
	case SIM_FAULT_NONE: /* clear */
		fprintf(out, "agent %u: cleared", a->id);
		if (a->faults.armed != SIM_FAULT_NONE)
			fprintf(out, " %s", sim_fault_name(a->faults.armed));
		if (a->faults.drop_delayed)
			fprintf(out, " drop-delayed");
		if (a->faults.stalled)
			fprintf(out, " stall");
		sim_log(SIM_LOG_INFO, "agent %u: faults cleared", a->id);
		a->faults.armed = SIM_FAULT_NONE;
		a->faults.delay_ms = 0;
		a->faults.drop_delayed = false;
		set_stall(a, false);
		return 0;
	default:
		arm(a, kinds[k].fault, 0, out);
		return 0;
	}
}

/* ---- "faults" --------------------------------------------------------- */

void faults_print(FILE *out)
{
	const char *sep = "";

	for (uint32_t id = 1; id <= sim_config()->max_agents; id++) {
		struct sim_agent *a = agent_get(id);
		int due;

		if (!a)
			continue;
		if (a->faults.armed == SIM_FAULT_DELAY) {
			fprintf(out, "%sagent %u: delay %" PRIu32 " ms (armed)", sep,
				id, a->faults.delay_ms);
			sep = "\n";
		} else if (a->faults.armed != SIM_FAULT_NONE) {
			fprintf(out, "%sagent %u: %s (armed)", sep, id,
				sim_fault_name(a->faults.armed));
			sep = "\n";
		}
		if (a->faults.drop_delayed) {
			fprintf(out, "%sagent %u: drop-delayed (armed)", sep, id);
			sep = "\n";
		}
		if (a->faults.stalled) {
			fprintf(out, "%sagent %u: stall (on, %u waiting)", sep, id,
				a->nq.count);
			sep = "\n";
		}
		due = channel_delayed_response_ms(a->ch);
		if (due >= 0) {
			fprintf(out, "%sagent %u: delayed response due in %d ms",
				sep, id, due);
			sep = "\n";
		}
	}
}

static int add_fault(struct json_object *arr, uint32_t id, enum sim_fault f,
		     const char *state, const char *key, int64_t v)
{
	struct json_object *o = json_object_new_object();

	if (!o)
		return -ENOMEM;
	if (json_object_array_add(arr, o)) {
		json_object_put(o);
		return -ENOMEM;
	}
	if (json_object_object_add(o, "agent", json_object_new_int64(id)) ||
	    json_object_object_add(o, "fault",
				   json_object_new_string(sim_fault_name(f))) ||
	    json_object_object_add(o, "state", json_object_new_string(state)))
		return -ENOMEM;
	if (key && json_object_object_add(o, key, json_object_new_int64(v)))
		return -ENOMEM;
	return 0;
}

struct json_object *faults_json(void)
{
	struct json_object *root = json_object_new_object();
	struct json_object *arr = json_object_new_array();
	int r = 0;

	if (!root || !arr || json_object_object_add(root, "faults", arr)) {
		json_object_put(arr);
		json_object_put(root);
		return NULL;
	}
	for (uint32_t id = 1; id <= sim_config()->max_agents && !r; id++) {
		struct sim_agent *a = agent_get(id);
		int due;

		if (!a)
			continue;
		if (a->faults.armed == SIM_FAULT_DELAY)
			r = add_fault(arr, id, SIM_FAULT_DELAY, "armed", "ms",
				      a->faults.delay_ms);
		else if (a->faults.armed != SIM_FAULT_NONE)
			r = add_fault(arr, id, a->faults.armed, "armed", NULL, 0);
		if (!r && a->faults.drop_delayed)
			r = add_fault(arr, id, SIM_FAULT_DROP_DELAYED, "armed",
				      NULL, 0);
		if (!r && a->faults.stalled)
			r = add_fault(arr, id, SIM_FAULT_STALL, "on", "waiting",
				      a->nq.count);
		due = channel_delayed_response_ms(a->ch);
		if (!r && due >= 0)
			r = add_fault(arr, id, SIM_FAULT_DELAY, "in-flight",
				      "due_ms", due);
	}
	if (r) {
		json_object_put(root);
		return NULL;
	}
	return root;
}
