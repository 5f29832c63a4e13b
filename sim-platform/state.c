/* SPDX-License-Identifier: MIT */
/*
 * The "state" and "agents" control requests (state.h): the topology's
 * current values and the agents' counters, as text or JSON (json-c).
 *
 * One row per protocol in the table at the end, each with a text and a
 * JSON writer, named as in sim_protocols[] (protocols.h). The writers only
 * read: the protocols own their state (protocols/<name>.c).
 */
#include <errno.h>
#include <inttypes.h>
#include <string.h>

#include <json-c/json.h>

#include "agents.h"
#include "channel.h"
#include "config.h"
#include "faults.h"
#include "notify-queue.h"
#include "protocols.h"
#include "state.h"
#include "topology.h"

/* ---- JSON helpers ------------------------------------------------------ */
/* Each sets *oom and frees what it could not attach, so that callers check once. */

static void jset(bool *oom, struct json_object *o, const char *key,
		 struct json_object *v)
{
	if (!o || !v || json_object_object_add(o, key, v)) {
		json_object_put(v);
		*oom = true;
	}
}

static void jpush(bool *oom, struct json_object *arr, struct json_object *v)
{
	if (!arr || !v || json_object_array_add(arr, v)) {
		json_object_put(v);
		*oom = true;
	}
}

static void jint(bool *oom, struct json_object *o, const char *key, int64_t v)
{
	jset(oom, o, key, json_object_new_int64(v));
}

static void juint(bool *oom, struct json_object *o, const char *key, uint64_t v)
{
	jset(oom, o, key, json_object_new_uint64(v));
}

static void jbool(bool *oom, struct json_object *o, const char *key, bool v)
{
	jset(oom, o, key, json_object_new_boolean(v));
}

static void jstr(bool *oom, struct json_object *o, const char *key,
		 const char *v)
{
	jset(oom, o, key, json_object_new_string(v));
}

/* A new {"id": @id, "name": @name} pushed onto @arr; NULL (and *oom) if not. */
static struct json_object *jdomain(bool *oom, struct json_object *arr,
				   unsigned int id, const char *name)
{
	struct json_object *o = json_object_new_object();

	jpush(oom, arr, o);
	if (*oom)
		return NULL;
	jint(oom, o, "id", id);
	jstr(oom, o, "name", name);
	return o;
}

/* ---- power ------------------------------------------------------------- */

#define POWER_ON 0x00000000u
#define POWER_OFF 0x40000000u

static const char *power_state_name(uint32_t state)
{
	return state == POWER_ON ? "on" : state == POWER_OFF ? "off" : "other";
}

static void power_print(FILE *out)
{
	const struct sim_topology *t = sim_topo();

	for (unsigned int i = 0; i < t->num_power; i++)
		fprintf(out, "power %u %s: %s (0x%08" PRIx32 ")\n", i,
			t->power[i].name, power_state_name(t->power[i].state),
			t->power[i].state);
}

static struct json_object *power_json(bool *oom)
{
	const struct sim_topology *t = sim_topo();
	struct json_object *arr = json_object_new_array();

	for (unsigned int i = 0; i < t->num_power && arr && !*oom; i++) {
		struct json_object *o = jdomain(oom, arr, i, t->power[i].name);

		juint(oom, o, "state", t->power[i].state);
		jbool(oom, o, "on", t->power[i].state == POWER_ON);
	}
	return arr;
}

/* ---- system ------------------------------------------------------------ */

static const char *const system_state_names[] = {
	"shutdown", "cold-reset", "warm-reset", "power-up", "suspend",
};

static const char *system_state_name(uint32_t state)
{
	return state < sizeof(system_state_names) / sizeof(system_state_names[0])
		       ? system_state_names[state] : "vendor";
}

static void system_print(FILE *out)
{
	const struct sim_system *s = &sim_topo()->system;

	fprintf(out,
		"system: %s (%" PRIu32 "), notify %s, warm-reset %s, suspend %s, graceful timeout %" PRIu32 " ms\n",
		system_state_name(s->state), s->state, s->notify ? "on" : "off",
		s->warm_reset ? "on" : "off", s->suspend ? "on" : "off",
		s->timeout_ms);
}

static struct json_object *system_json(bool *oom)
{
	const struct sim_system *s = &sim_topo()->system;
	struct json_object *o = json_object_new_object();

	juint(oom, o, "state", s->state);
	jstr(oom, o, "state_name", system_state_name(s->state));
	jbool(oom, o, "notify", s->notify);
	jbool(oom, o, "warm_reset", s->warm_reset);
	jbool(oom, o, "suspend", s->suspend);
	juint(oom, o, "timeout_ms", s->timeout_ms);
	return o;
}

/* ---- perf -------------------------------------------------------------- */

static void perf_print(FILE *out)
{
	const struct sim_topology *t = sim_topo();

	for (unsigned int i = 0; i < t->num_perf; i++) {
		const struct sim_perf_domain *d = &t->perf[i];

		fprintf(out, "perf %u %s: level %" PRIu32 ", limits %" PRIu32
			"..%" PRIu32 "\n", i, d->name, d->level, d->range_min,
			d->range_max);
	}
}

static struct json_object *perf_json(bool *oom)
{
	const struct sim_topology *t = sim_topo();
	struct json_object *arr = json_object_new_array();

	for (unsigned int i = 0; i < t->num_perf && arr && !*oom; i++) {
		const struct sim_perf_domain *d = &t->perf[i];
		struct json_object *o = jdomain(oom, arr, i, d->name);
		struct json_object *levels = json_object_new_array();

		juint(oom, o, "level", d->level);
		juint(oom, o, "range_min", d->range_min);
		juint(oom, o, "range_max", d->range_max);
		for (unsigned int l = 0; l < d->num_levels && levels; l++)
			jpush(oom, levels, json_object_new_uint64(d->levels[l].perf));
		jset(oom, o, "levels", levels);
	}
	return arr;
}

/* ---- clock ------------------------------------------------------------- */

static void clock_print(FILE *out)
{
	const struct sim_topology *t = sim_topo();

	for (unsigned int i = 0; i < t->num_clocks; i++)
		fprintf(out, "clock %u %s: %s, %" PRIu64 " Hz\n", i,
			t->clocks[i].name, t->clocks[i].enabled ? "on" : "off",
			t->clocks[i].rate);
}

static struct json_object *clock_json(bool *oom)
{
	const struct sim_topology *t = sim_topo();
	struct json_object *arr = json_object_new_array();

	for (unsigned int i = 0; i < t->num_clocks && arr && !*oom; i++) {
		struct json_object *o = jdomain(oom, arr, i, t->clocks[i].name);

		jbool(oom, o, "enabled", t->clocks[i].enabled);
		juint(oom, o, "rate", t->clocks[i].rate);
	}
	return arr;
}

/* ---- sensor ------------------------------------------------------------ */

#define SENSOR_CONFIG_ENABLED 0x1u

static const char *const trip_directions[] = { "none", "up", "down", "both" };

static void sensor_print(FILE *out)
{
	const struct sim_topology *t = sim_topo();

	for (unsigned int i = 0; i < t->num_sensors; i++) {
		const struct sim_sensor *s = &t->sensors[i];

		fprintf(out, "sensor %u %s: %" PRId64 " x 10^%d, %s", i, s->name,
			s->value, s->scale,
			s->config & SENSOR_CONFIG_ENABLED ? "enabled" : "disabled");
		for (unsigned int k = 0; k < s->num_trips && k < SIM_MAX_TRIPS; k++)
			if (s->trips[k].enabled)
				fprintf(out, ", trip %u at %" PRId64 " %s", k,
					s->trips[k].value,
					trip_directions[s->trips[k].direction & 3]);
		fputc('\n', out);
	}
}

static struct json_object *sensor_json(bool *oom)
{
	const struct sim_topology *t = sim_topo();
	struct json_object *arr = json_object_new_array();

	for (unsigned int i = 0; i < t->num_sensors && arr && !*oom; i++) {
		const struct sim_sensor *s = &t->sensors[i];
		struct json_object *o = jdomain(oom, arr, i, s->name);
		struct json_object *trips = json_object_new_array();

		jint(oom, o, "value", s->value);
		jint(oom, o, "scale", s->scale);
		jbool(oom, o, "enabled", s->config & SENSOR_CONFIG_ENABLED);
		juint(oom, o, "config", s->config);
		for (unsigned int k = 0; k < s->num_trips && k < SIM_MAX_TRIPS &&
					 trips && !*oom; k++) {
			struct json_object *tp = json_object_new_object();

			jpush(oom, trips, tp);
			if (*oom)
				break;
			jint(oom, tp, "id", k);
			jbool(oom, tp, "enabled", s->trips[k].enabled);
			jstr(oom, tp, "direction",
			     trip_directions[s->trips[k].direction & 3]);
			jint(oom, tp, "value", s->trips[k].value);
		}
		jset(oom, o, "trips", trips);
	}
	return arr;
}

/* ---- reset ------------------------------------------------------------- */

static void reset_print(FILE *out)
{
	const struct sim_topology *t = sim_topo();

	for (unsigned int i = 0; i < t->num_reset; i++)
		fprintf(out, "reset %u %s: %s\n", i, t->reset[i].name,
			t->reset[i].asserted ? "asserted" : "deasserted");
}

static struct json_object *reset_json(bool *oom)
{
	const struct sim_topology *t = sim_topo();
	struct json_object *arr = json_object_new_array();

	for (unsigned int i = 0; i < t->num_reset && arr && !*oom; i++) {
		struct json_object *o = jdomain(oom, arr, i, t->reset[i].name);

		jbool(oom, o, "asserted", t->reset[i].asserted);
	}
	return arr;
}

/* ---- voltage ----------------------------------------------------------- */

static void voltage_print(FILE *out)
{
	const struct sim_topology *t = sim_topo();

	for (unsigned int i = 0; i < t->num_voltage; i++)
		fprintf(out, "voltage %u %s: %" PRId32 " uV, config 0x%" PRIx32 "\n",
			i, t->voltage[i].name, t->voltage[i].level_uv,
			t->voltage[i].config);
}

static struct json_object *voltage_json(bool *oom)
{
	const struct sim_topology *t = sim_topo();
	struct json_object *arr = json_object_new_array();

	for (unsigned int i = 0; i < t->num_voltage && arr && !*oom; i++) {
		struct json_object *o = jdomain(oom, arr, i, t->voltage[i].name);

		jint(oom, o, "level_uv", t->voltage[i].level_uv);
		juint(oom, o, "config", t->voltage[i].config);
	}
	return arr;
}

/* ---- powercap ---------------------------------------------------------- */

static void powercap_print(FILE *out)
{
	const struct sim_topology *t = sim_topo();

	for (unsigned int i = 0; i < t->num_powercap; i++) {
		const struct sim_powercap_domain *d = &t->powercap[i];

		fprintf(out, "powercap %u %s: cap %" PRIu32 " mW, pai %" PRIu32
			" us, power %" PRIu32 " mW\n", i, d->name, d->cap, d->pai,
			d->power);
	}
}

static struct json_object *powercap_json(bool *oom)
{
	const struct sim_topology *t = sim_topo();
	struct json_object *arr = json_object_new_array();

	for (unsigned int i = 0; i < t->num_powercap && arr && !*oom; i++) {
		const struct sim_powercap_domain *d = &t->powercap[i];
		struct json_object *o = jdomain(oom, arr, i, d->name);

		juint(oom, o, "cap", d->cap);
		juint(oom, o, "pai", d->pai);
		juint(oom, o, "power", d->power);
	}
	return arr;
}

/* ---- the table --------------------------------------------------------- */

/* Only the protocols the topology offers are shown, named as in sim_protocols[]. */
static const struct state_writer {
	uint8_t proto_id;
	void (*print)(FILE *out);
	struct json_object *(*json)(bool *oom);
} writers[] = {
	{ SCMI_PROTOCOL_POWER, power_print, power_json },
	{ SCMI_PROTOCOL_SYSTEM, system_print, system_json },
	{ SCMI_PROTOCOL_PERF, perf_print, perf_json },
	{ SCMI_PROTOCOL_CLOCK, clock_print, clock_json },
	{ SCMI_PROTOCOL_SENSOR, sensor_print, sensor_json },
	{ SCMI_PROTOCOL_RESET, reset_print, reset_json },
	{ SCMI_PROTOCOL_VOLTAGE, voltage_print, voltage_json },
	{ SCMI_PROTOCOL_POWERCAP, powercap_print, powercap_json },
};

#define NUM_WRITERS (sizeof(writers) / sizeof(writers[0]))

/* The name of writer @i's protocol. */
static const char *writer_name(size_t i)
{
	for (size_t p = 0; p < SIM_NUM_PROTOCOLS; p++)
		if (sim_protocols[p].id == writers[i].proto_id)
			return sim_protocols[p].name;
	return "?";
}

static bool offered(size_t i)
{
	return sim_topo()->offered[writers[i].proto_id];
}

/* The writer of @proto (NULL: all), in *@ret; -ENOENT with the reason in @err. */
static int find_writer(const char *proto, size_t *ret, FILE *err)
{
	const char *sep = "";

	if (!proto)
		return 0;
	for (size_t i = 0; i < NUM_WRITERS; i++) {
		if (!strcmp(writer_name(i), proto) && offered(i)) {
			*ret = i;
			return 0;
		}
	}
	fprintf(err, "state: no protocol '%.32s' with a state (", proto);
	for (size_t i = 0; i < NUM_WRITERS; i++) {
		if (offered(i)) {
			fprintf(err, "%s%s", sep, writer_name(i));
			sep = ", ";
		}
	}
	fputc(')', err);
	return -ENOENT;
}

static bool shown(const char *proto, size_t only, size_t i)
{
	return proto ? i == only : offered(i);
}

int state_print(FILE *out, const char *proto)
{
	size_t only = 0;
	int ret;

	ret = find_writer(proto, &only, out);
	if (ret)
		return ret;
	for (size_t i = 0; i < NUM_WRITERS; i++)
		if (shown(proto, only, i))
			writers[i].print(out);
	return 0;
}

int state_json(const char *proto, struct json_object **ret, FILE *err)
{
	struct json_object *root;
	bool oom = false;
	size_t only = 0;
	int r;

	r = find_writer(proto, &only, err);
	if (r)
		return r;
	root = json_object_new_object();
	for (size_t i = 0; i < NUM_WRITERS && root && !oom; i++)
		if (shown(proto, only, i))
			jset(&oom, root, writer_name(i), writers[i].json(&oom));
	if (!root || oom) {
		json_object_put(root);
		return -ENOMEM;
	}
	*ret = root;
	return 0;
}

/* ---- agents ------------------------------------------------------------ */

static const char *const counter_keys[SIM_CNT_MAX] = {
	[SIM_CNT_COMMANDS] = "commands",
	[SIM_CNT_CMD_ERRORS] = "malformed",
	[SIM_CNT_NOTIF_SENT] = "notifications_sent",
	[SIM_CNT_NOTIF_QUEUED] = "notifications_queued",
	[SIM_CNT_NOTIF_DROPPED] = "notifications_dropped",
	[SIM_CNT_DELAYED_SENT] = "delayed_sent",
	[SIM_CNT_DELAYED_LOST] = "delayed_lost",
};

static bool all_zero(const uint64_t c[SIM_CNT_MAX])
{
	for (int i = 0; i < SIM_CNT_MAX; i++)
		if (c[i])
			return false;
	return true;
}

/*
 * The protocol's name, or its id in hex when the simulator has no such
 * protocol (an agent may send commands of any id: they are counted).
 */
static const char *proto_name(unsigned int id, char buf[8])
{
	for (size_t i = 0; i < SIM_NUM_PROTOCOLS; i++)
		if (sim_protocols[i].id == id)
			return sim_protocols[i].name;
	snprintf(buf, 8, "0x%02x", id);
	return buf;
}

static void print_counts(FILE *out, const uint64_t c[SIM_CNT_MAX])
{
	fprintf(out, "commands %" PRIu64 " (malformed %" PRIu64
		"), notifications sent %" PRIu64 ", queued %" PRIu64
		", dropped %" PRIu64 ", delayed responses sent %" PRIu64
		", lost %" PRIu64, c[SIM_CNT_COMMANDS], c[SIM_CNT_CMD_ERRORS],
		c[SIM_CNT_NOTIF_SENT], c[SIM_CNT_NOTIF_QUEUED],
		c[SIM_CNT_NOTIF_DROPPED], c[SIM_CNT_DELAYED_SENT],
		c[SIM_CNT_DELAYED_LOST]);
}

void agents_print(FILE *out)
{
	const char *sep = "";

	for (uint32_t id = 1; id <= sim_config()->max_agents; id++) {
		const struct sim_agent *a = agent_get(id);
		const struct sim_faults *fs;
		const struct sim_nq *q;
		char buf[8];
		bool any = false;

		if (!a)
			continue;
		fs = channel_faults(a->ch);
		q = channel_queue(a->ch);
		fprintf(out, "%sagent %u: ", sep, id);
		print_counts(out, a->cnt.total);
		fprintf(out, "; %u subscriptions, %u waiting (policy %s, %u slots)%s; %u delayed responses owed, %u waiting; faults:",
			agent_sub_count(a), q->count,
			sim_notify_policy_name(q->policy), q->cap,
			fs->stalled ? ", stalled" : "", a->delayed_owed,
			q->dcount);
		for (int f = SIM_FAULT_NONE + 1; f < SIM_FAULT_MAX; f++) {
			if (fs->fired[f]) {
				fprintf(out, " %s %" PRIu64, sim_fault_name(f),
					fs->fired[f]);
				any = true;
			}
		}
		if (!any)
			fprintf(out, " none");
		for (unsigned int p = 0; p < 256; p++) {
			if (all_zero(a->cnt.per_proto[p]))
				continue;
			fprintf(out, "\n  %s: ", proto_name(p, buf));
			print_counts(out, a->cnt.per_proto[p]);
		}
		sep = "\n";
	}
}

static struct json_object *counts_json(bool *oom, const uint64_t c[SIM_CNT_MAX],
				       struct json_object *o)
{
	for (int i = 0; i < SIM_CNT_MAX; i++)
		juint(oom, o, counter_keys[i], c[i]);
	return o;
}

struct json_object *agents_json(void)
{
	struct json_object *root = json_object_new_object();
	struct json_object *arr = json_object_new_array();
	bool oom = false;

	jset(&oom, root, "agents", arr);
	for (uint32_t id = 1; id <= sim_config()->max_agents && !oom; id++) {
		const struct sim_agent *a = agent_get(id);
		struct json_object *o, *faults, *protos;
		const struct sim_faults *fs;
		const struct sim_nq *q;
		char buf[8];

		if (!a)
			continue;
		fs = channel_faults(a->ch);
		q = channel_queue(a->ch);
		o = json_object_new_object();
		jpush(&oom, arr, o);
		if (oom)
			break;
		jint(&oom, o, "id", id);
		counts_json(&oom, a->cnt.total, o);
		juint(&oom, o, "subscriptions", agent_sub_count(a));
		juint(&oom, o, "waiting", q->count);
		jstr(&oom, o, "policy", sim_notify_policy_name(q->policy));
		juint(&oom, o, "queue_len", q->cap);
		jbool(&oom, o, "stalled", fs->stalled);
		juint(&oom, o, "delayed_owed", a->delayed_owed);
		juint(&oom, o, "delayed_waiting", q->dcount);
		faults = json_object_new_object();
		for (int f = SIM_FAULT_NONE + 1; f < SIM_FAULT_MAX && faults; f++)
			juint(&oom, faults, sim_fault_name(f), fs->fired[f]);
		jset(&oom, o, "faults", faults);
		protos = json_object_new_object();
		for (unsigned int p = 0; p < 256 && protos && !oom; p++)
			if (!all_zero(a->cnt.per_proto[p]))
				jset(&oom, protos, proto_name(p, buf),
				     counts_json(&oom, a->cnt.per_proto[p],
						 json_object_new_object()));
		jset(&oom, o, "protocols", protos);
	}
	if (oom) {
		json_object_put(root);
		return NULL;
	}
	return root;
}
