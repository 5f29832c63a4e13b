/* SPDX-License-Identifier: MIT */
/*
 * The "fault" and "faults" control requests (control-faults.h): find the
 * agent, and arm, clear or list the faults of its session (faults.h,
 * channel.h). Runs on the loop thread.
 */
#include <errno.h>
#include <inttypes.h>
#include <string.h>

#include <json-c/json.h>

#include "agents.h"
#include "channel.h"
#include "config.h"
#include "control-faults.h"
#include "faults.h"
#include "notify-queue.h"
#include "number.h"

#define FAULT_MAX_DELAY_MS 600000u /* ten minutes */

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
	struct sim_faults *fs;
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
	fs = channel_faults(a->ch);

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
		fault_arm(fs, a->id, SIM_FAULT_DELAY, (uint32_t)ms, out);
		return 0;
	case SIM_FAULT_STALL:
		if (strcmp(argv[2], "on") && strcmp(argv[2], "off")) {
			fprintf(out, "usage: %s", kinds[k].usage);
			return -EINVAL;
		}
		channel_set_stall(a->ch, !strcmp(argv[2], "on"));
		fprintf(out, "agent %u: stall %s", a->id, argv[2]);
		return 0;
	case SIM_FAULT_NONE: /* clear */
		fault_clear(fs, a->id, out);
		channel_set_stall(a->ch, false);
		return 0;
	default:
		fault_arm(fs, a->id, kinds[k].fault, 0, out);
		return 0;
	}
}

/* An active fault, as "faults" lists it: @key = @v when @key is set. */
struct fault_row {
	enum sim_fault fault;
	const char *state;                /* "armed", "on", "in-flight" */
	const char *key;
	int64_t v;
};

/* The active faults of agent @a, in the order they are listed: how many. */
static size_t fault_rows(struct sim_agent *a, struct fault_row rows[4])
{
	const struct sim_faults *fs = channel_faults(a->ch);
	int due = channel_delayed_response_ms(a->ch);
	size_t n = 0;

	if (fs->armed == SIM_FAULT_DELAY)
		rows[n++] = (struct fault_row){ SIM_FAULT_DELAY, "armed", "ms",
						fs->delay_ms };
	else if (fs->armed != SIM_FAULT_NONE)
		rows[n++] = (struct fault_row){ fs->armed, "armed", NULL, 0 };
	if (fs->drop_delayed)
		rows[n++] = (struct fault_row){ SIM_FAULT_DROP_DELAYED, "armed",
						NULL, 0 };
	if (fs->stalled)
		rows[n++] = (struct fault_row){ SIM_FAULT_STALL, "on", "waiting",
						channel_queue(a->ch)->count };
	if (due >= 0)
		rows[n++] = (struct fault_row){ SIM_FAULT_DELAY, "in-flight",
						"due_ms", due };
	return n;
}

void faults_print(FILE *out)
{
	const char *sep = "";
	struct fault_row rows[4];

	for (uint32_t id = 1; id <= sim_config()->max_agents; id++) {
		struct sim_agent *a = agent_get(id);
		size_t n = a ? fault_rows(a, rows) : 0;

		for (const struct fault_row *r = rows; r < rows + n; r++) {
			fprintf(out, "%sagent %u: ", sep, id);
			if (!strcmp(r->state, "in-flight"))
				fprintf(out, "delayed response due in %" PRId64 " ms", r->v);
			else if (r->fault == SIM_FAULT_STALL)
				fprintf(out, "stall (on, %" PRId64 " waiting)", r->v);
			else if (r->key)
				fprintf(out, "delay %" PRId64 " ms (armed)", r->v);
			else
				fprintf(out, "%s (armed)", sim_fault_name(r->fault));
			sep = "\n";
		}
	}
}

/* {"agent": @id, "fault": ..., "state": ..., [key: v]} onto @arr. */
static int add_fault(struct json_object *arr, uint32_t id,
		     const struct fault_row *r)
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
				   json_object_new_string(sim_fault_name(r->fault))) ||
	    json_object_object_add(o, "state", json_object_new_string(r->state)))
		return -ENOMEM;
	if (r->key && json_object_object_add(o, r->key,
					     json_object_new_int64(r->v)))
		return -ENOMEM;
	return 0;
}

struct json_object *faults_json(void)
{
	struct json_object *root = json_object_new_object();
	struct json_object *arr = json_object_new_array();
	struct fault_row rows[4];
	int r = 0;

	if (!root || !arr || json_object_object_add(root, "faults", arr)) {
		json_object_put(arr);
		json_object_put(root);
		return NULL;
	}
	for (uint32_t id = 1; id <= sim_config()->max_agents && !r; id++) {
		struct sim_agent *a = agent_get(id);
		size_t n = a ? fault_rows(a, rows) : 0;

		for (size_t i = 0; i < n && !r; i++)
			r = add_fault(arr, id, &rows[i]);
	}
	if (r) {
		json_object_put(root);
		return NULL;
	}
	return root;
}
