/* SPDX-License-Identifier: MIT */
/*
 * The control requests (see control.h): control_exec() splits a request
 * into words, runs it (one of the requests table below, else a
 * protocol's verb through the protocol table) and writes its reply.
 * The socket and its connections are control-conn.c's. Runs on the
 * simulator's loop thread only.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "control.h"
#include "control-faults.h"
#include "protocols.h"
#include "topology.h"
#include "state.h"

#define CONTROL_MAX_WORDS 16
#define HELP_COLUMN 48

static int split_words(char *s, char **argv, int max)
{
	int argc = 0;
	char *save = NULL;

	for (char *w = strtok_r(s, " \t\r\n", &save); w;
	     w = strtok_r(NULL, " \t\r\n", &save)) {
		if (argc == max)
			return -E2BIG;
		argv[argc++] = w;
	}
	return argc;
}

/* ---- help ------------------------------------------------------------- */

/*
 * What "help" lists: the requests of control.c, and the verbs of each
 * protocol's control function, by protocol name. A protocol that has a
 * control function and no row here is listed as such. (The verbs are the
 * protocol files' to define: tests/integration/test-control.c checks
 * that each one listed is accepted.)
 */
static const struct ctl_help {
	const char *proto;                /* NULL: a request of control.c */
	const char *usage;
	const char *what;
} help_rows[] = {
	{ NULL, "ping", "answer pong" },
	{ NULL, "help", "this list" },
	{ NULL, "state [<protocol>]", "every domain's state (of one protocol)" },
	{ NULL, "agents", "each agent's counters, in total and per protocol" },
	{ NULL, "faults", "the faults armed or in effect" },
	{ NULL, "fault delay <agent> <ms>", "write the agent's next response ms later" },
	{ NULL, "fault drop <agent>", "give the agent's next command no response" },
	{ NULL, "fault error <agent>", "answer its next command with CHANNEL_ERROR" },
	{ NULL, "fault corrupt-length <agent>", "give its next response a length past the area" },
	{ NULL, "fault stall <agent> on|off", "stop / resume posting to its P2A channel" },
	{ NULL, "fault drop-delayed <agent>", "do not send the next delayed response owed to it" },
	{ NULL, "fault clear <agent>", "disarm its response fault and drop-delayed, stall off" },
	{ "power", "power set <domain> <state>", "set a state (0 on, 0x40000000 off)" },
	{ "power", "power get <domain>", "the domain's state" },
	{ "system", "system request <state> graceful|forceful [<ms>]",
	  "ask the agents for a system state (shutdown, cold-reset, warm-reset, power-up, suspend)" },
	{ "system", "system support notify|warm-reset|suspend on|off",
	  "what the platform offers" },
	{ "perf", "perf level <domain> <level>", "set the performance level" },
	{ "perf", "perf limits <domain> <max> <min>", "set the limits" },
	{ "perf", "perf get <domain>", "level and limits" },
	{ "clock", "clock rate <clock> <hz>", "set a rate" },
	{ "sensor", "sensor set <sensor> <value>", "the value read from now on" },
	{ "sensor", "sensor get <sensor>", "the value" },
	{ "reset", "reset issue <domain>", "an autonomous cold reset" },
	{ "reset", "reset get <domain>", "asserted or deasserted" },
	{ "voltage", "voltage level <domain> <uV>", "set the level" },
	{ "voltage", "voltage config <domain> <config>", "set the config word (0 off, 7 on)" },
	{ "voltage", "voltage get <domain>", "level and config" },
	{ "powercap", "powercap measure <domain> <mW>", "the power measured from now on" },
	{ "powercap", "powercap cap <domain> <mW>", "set the cap (0 disables capping)" },
	{ "powercap", "powercap pai <domain> <us>", "set the averaging interval" },
	{ "powercap", "powercap attr <domain> <field> <value>",
	  "change a discovery attribute (min_pai, max_pai, pai_step, min_cap, max_cap, cap_step, parent)" },
};

#define NUM_HELP_ROWS (sizeof(help_rows) / sizeof(help_rows[0]))

static void help_row(FILE *out, const char *usage, const char *what)
{
	int n = fprintf(out, "%s", usage);

	fprintf(out, "%*s  %s\n", n < HELP_COLUMN ? HELP_COLUMN - n : 0, "",
		what);
}

static int do_help(int argc, char **argv, FILE *out)
{
	if (argc != 1) {
		fprintf(out, "usage: help");
		return -EINVAL;
	}
	for (size_t i = 0; i < NUM_HELP_ROWS && !help_rows[i].proto; i++)
		help_row(out, help_rows[i].usage, help_rows[i].what);
	for (size_t p = 0; p < SIM_NUM_PROTOCOLS; p++) {
		bool listed = false;

		if (!sim_protocols[p].control)
			continue;
		for (size_t i = 0; i < NUM_HELP_ROWS; i++) {
			if (help_rows[i].proto &&
			    !strcmp(help_rows[i].proto, sim_protocols[p].name)) {
				help_row(out, help_rows[i].usage, help_rows[i].what);
				listed = true;
			}
		}
		if (!listed)
			help_row(out, sim_protocols[p].name, "(its verbs are not listed)");
	}
	fprintf(out, "Add --json to a request for its reply as JSON.");
	return 0;
}

/* ---- the requests of control.c ---------------------------------------- */

static int usage_error(FILE *out, const char *usage)
{
	fprintf(out, "usage: %s", usage);
	return -EINVAL;
}

/*
 * A request of control.c: argv[0] is its name. Each writes its text (or
 * the reason of its error) to @out, or, when @json and it has a JSON
 * form, sets *@jo.
 */
typedef int ctl_request_fn(int argc, char **argv, bool json, FILE *out,
			   struct json_object **jo);

static int req_ping(int argc, char **argv, bool json, FILE *out,
		    struct json_object **jo)
{
	if (argc != 1)
		return usage_error(out, "ping");
	fprintf(out, "pong");
	return 0;
}

static int req_help(int argc, char **argv, bool json, FILE *out,
		    struct json_object **jo)
{
	return do_help(argc, argv, out);
}

static int req_state(int argc, char **argv, bool json, FILE *out,
		     struct json_object **jo)
{
	const char *proto = argc == 2 ? argv[1] : NULL;

	if (argc > 2)
		return usage_error(out, "state [<protocol>]");
	if (json)
		return state_json(proto, jo, out);
	return state_print(out, proto);
}

/* A listing with a JSON form: @print's text, or *@jo from @to_json. */
static int listing(int argc, const char *name, bool json, FILE *out,
		   struct json_object **jo, void (*print)(FILE *out),
		   struct json_object *(*to_json)(void))
{
	if (argc != 1)
		return usage_error(out, name);
	if (!json) {
		print(out);
		return 0;
	}
	*jo = to_json();
	return *jo ? 0 : -ENOMEM;
}

static int req_agents(int argc, char **argv, bool json, FILE *out,
		      struct json_object **jo)
{
	return listing(argc, "agents", json, out, jo, agents_print, agents_json);
}

static int req_faults(int argc, char **argv, bool json, FILE *out,
		      struct json_object **jo)
{
	return listing(argc, "faults", json, out, jo, faults_print, faults_json);
}

static int req_fault(int argc, char **argv, bool json, FILE *out,
		     struct json_object **jo)
{
	if (argc < 2) {
		fprintf(out, "fault: missing kind (delay, drop, error, corrupt-length, stall, drop-delayed, clear)");
		return -EINVAL;
	}
	return fault_control(argc - 1, argv + 1, out);
}

static const struct ctl_request {
	const char *name;
	ctl_request_fn *fn;
} requests[] = {
	{ "ping", req_ping },
	{ "help", req_help },
	{ "state", req_state },
	{ "agents", req_agents },
	{ "faults", req_faults },
	{ "fault", req_fault },
};

/* A protocol's verb, through its control function. */
static int run_protocol(int argc, char **argv, FILE *out)
{
	char text[SIM_CONTROL_MAX_MSG - 32] = "";
	const struct sim_protocol *p = NULL;
	int ret;

	for (size_t i = 0; i < SIM_NUM_PROTOCOLS; i++)
		if (!strcmp(argv[0], sim_protocols[i].name))
			p = &sim_protocols[i];
	if (!p || !p->control) {
		fprintf(out, "no protocol '%.32s' to control (try help)", argv[0]);
		return -ENOENT;
	}
	if (!sim_topo()->offered[p->id]) {
		fprintf(out, "protocol '%s' is not offered by this topology",
			p->name);
		return -ENOENT;
	}
	if (argc < 2) {
		fprintf(out, "%s: missing verb", p->name);
		return -EINVAL;
	}
	ret = p->control(argc - 1, argv + 1, text, sizeof(text));
	fputs(text, out);
	return ret;
}

/* Run a request of @argc words; its text to @out, its JSON form to *@jo. */
static int run(int argc, char **argv, bool json, FILE *out,
	       struct json_object **jo)
{
	if (argc == -E2BIG) {
		fprintf(out, "more than %d words", CONTROL_MAX_WORDS);
		return -EINVAL;
	}
	if (argc == 0) {
		fprintf(out, "empty request");
		return -EINVAL;
	}
	for (size_t i = 0; i < sizeof(requests) / sizeof(requests[0]); i++)
		if (!strcmp(argv[0], requests[i].name))
			return requests[i].fn(argc, argv, json, out, jo);
	return run_protocol(argc, argv, out);
}

/* Make the reply of a request that succeeded; -EMSGSIZE if it does not fit. */
static int compose_ok(char *reply, size_t reply_sz, const char *text,
		      bool json, struct json_object *jo)
{
	struct json_object *wrap = NULL;
	const char *body = text;
	size_t n;

	if (json && !jo) {
		wrap = json_object_new_object();
		if (!wrap || json_object_object_add(wrap, "reply",
						    json_object_new_string(text))) {
			json_object_put(wrap);
			return -ENOMEM;
		}
		jo = wrap;
	}
	if (jo) {
		body = json_object_to_json_string_ext(jo, JSON_C_TO_STRING_PLAIN);
		if (!body) {
			json_object_put(wrap);
			return -ENOMEM;
		}
	}
	if (body[0])
		n = (size_t)snprintf(reply, reply_sz, "ok %s", body);
	else
		n = (size_t)snprintf(reply, reply_sz, "ok");
	json_object_put(wrap);
	return n < reply_sz ? 0 : -EMSGSIZE;
}

int control_exec(char *req, char *reply, size_t reply_sz)
{
	char *argv[CONTROL_MAX_WORDS];
	struct json_object *jo = NULL;
	char *text = NULL;
	size_t text_len = 0;
	bool json = false;
	FILE *out;
	int argc, ret;

	argc = split_words(req, argv, CONTROL_MAX_WORDS);
	/* "--json" is a word of the request, not of any verb */
	for (int i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "--json")) {
			json = true;
			memmove(&argv[i], &argv[i + 1],
				sizeof(argv[0]) * (size_t)(argc - i - 1));
			argc--;
			i--;
		}
	}

	out = open_memstream(&text, &text_len);
	if (!out) {
		snprintf(reply, reply_sz, "error %d out of memory", -ENOMEM);
		return -ENOMEM;
	}
	ret = run(argc, argv, json, out, &jo);
	if (fclose(out) || !text) {
		free(text);
		json_object_put(jo);
		snprintf(reply, reply_sz, "error %d out of memory", -ENOMEM);
		return -ENOMEM;
	}
	/* one line or more, no newline at the end */
	while (text_len && text[text_len - 1] == '\n')
		text[--text_len] = '\0';

	if (!ret) {
		ret = compose_ok(reply, reply_sz, text, json, jo);
		if (ret == -EMSGSIZE)
			snprintf(reply, reply_sz,
				 "error %d the reply exceeds %zu bytes", ret,
				 reply_sz - 1);
		else if (ret)
			snprintf(reply, reply_sz, "error %d out of memory", ret);
	} else {
		snprintf(reply, reply_sz, "error %d %s", ret,
			 text[0] ? text : strerror(-ret));
	}
	json_object_put(jo);
	free(text);
	return ret;
}
