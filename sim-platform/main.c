/* SPDX-License-Identifier: MIT */
/*
 * scmi-sim: an Arm SCMI platform in a process. Parses the options, loads
 * the topology (the embedded default, or --topology FILE) and a scenario
 * if one is given, makes the listening socket (include/scmi/transport.h),
 * and runs one libev loop that accepts agents (channel.c serves each) and
 * runs the scenario's steps until SIGINT or SIGTERM, then stops the async
 * commands still pending (delayed.h), ends every session and removes the
 * socket file. A bad topology or scenario file
 * is exit status 2, before anything starts.
 *
 * Layers, top to bottom. A file includes headers of its own layer and of
 * those below, never above, and no two files include each other in a
 * circle (tests/build/check-sim-layers.sh holds the includes to this):
 *
 *   main:       main.c ctl.c (scmi-sim-ctl, a program of its own)
 *   paths:      socket-path.c
 *   control:    control.c control-conn.c control-faults.c state.c scenario.c
 *   session:    channel.c listener.c
 *   protocols:  protocols.h protocols/
 *   delayed:    delayed.c
 *   agents:     agents.c emit.h access.c
 *   per agent:  notify-queue.c faults.c
 *   topology:   topology-file.c topology-roles.c topology.c json-table.c json-doc.c json-parse.c
 *   base:       config.c log.c counters.h ratelimit.c number.c hash.h
 *
 *   main       the options, the loop; starts and ends everything below
 *   paths      where the sockets go: the library's default path (its
 *              /tmp directory made), a given path's directory checked
 *   control    the control socket and its requests (which change the
 *              protocols' state, arm a session's faults, show counters),
 *              and scenarios, which are timed control requests
 *   session    one per connected agent (channel.c): the shared memory and
 *              doorbells, each command dispatched to its protocol; it owns
 *              its agent, its notification queue and its faults
 *   protocols  one file per protocol: its commands, state and events; they
 *              see the agents through emit.h and access.h only
 *   delayed    an asynchronous command's completion and delayed response
 *   agents     the table of agents, their subscriptions, sim_emit(), what
 *              each may use now (access.c)
 *   per agent  an agent's P2A queue and faults, used by its session
 *   topology   the simulated platform's data; its JSON file, described by a
 *              table (json-table.c) of JSON documents (json-doc.c), which
 *              the strict parser reads (json-parse.c)
 *   base       the configuration, the log, counters, numbers, uthash
 *              in its non-fatal mode (hash.h)
 *
 * Calls go down. Where a lower layer must reach a higher one, it calls a
 * function it was given: an agent's session through struct
 * sim_session_ops (agents.h), the P2A area through struct sim_nq_ops
 * (notify-queue.h), both filled in by channel.c.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <ev.h>

#include <scmi/paths.h>

#include "agents.h"
#include "channel.h"
#include "config.h"
#include "control.h"
#include "delayed.h"
#include "listener.h"
#include "log.h"
#include "number.h"
#include "scenario.h"
#include "socket-path.h"
#include "topology-file.h"
#include "topology.h"

#ifndef SCMI_SIM_VERSION
#define SCMI_SIM_VERSION "unknown"
#endif

enum {
	OPT_SOCKET = 0x100,
	OPT_CONTROL,
	OPT_MAX_AGENTS,
	OPT_NOTIFY_POLICY,
	OPT_QUEUE_LEN,
	OPT_MAX_MSG_SIZE,
	OPT_ASYNC_DELAY,
	OPT_TOPOLOGY,
	OPT_DUMP_TOPOLOGY,
	OPT_TOPOLOGY_SCHEMA,
	OPT_SCENARIO,
	OPT_CHECK,
};

/* What the options ask for beyond the agents' configuration. */
struct options {
	const char *socket_path;
	const char *ctl_path;
	const char *topology;             /* NULL: the embedded default */
	const char *scenario;
	bool dump_topology;
	bool topology_schema;
	bool check;
};

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: scmi-sim [OPTION]...\n"
		"Play an Arm SCMI platform for agents that connect to a UNIX socket\n"
		"(the shared-memory + eventfd transport of <scmi/transport.h>).\n"
		"\n"
		"  -s, --socket PATH       listen on PATH (default $XDG_RUNTIME_DIR/"
		SCMI_DEFAULT_SOCKET_NAME ",\n"
		"                          else /tmp/scmi-sim-$UID/" SCMI_DEFAULT_SOCKET_NAME ")\n"
		"  --control PATH          control socket (default: the socket path + .ctl)\n"
		"  --max-agents N          agents connected at once, 1..255 (default 8);\n"
		"                          more connections are closed\n"
		"  --notify-policy P       when an agent's P2A channel is busy: queue (keep\n"
		"                          up to --queue-len, drop the newest), drop-oldest,\n"
		"                          or drop (default queue)\n"
		"  --queue-len N           notifications waiting per agent, 1..65536 (default 64)\n"
		"  --max-msg-size N        payload bytes per message, 32..65536 (default 128)\n"
		"  --async-delay MS        an asynchronous command is done, and its delayed\n"
		"                          response sent, MS ms after it is accepted,\n"
		"                          0..60000 (default 1; a reset domain's latency\n"
		"                          if longer)\n"
		"  --topology FILE         simulate the platform FILE describes (JSON;\n"
		"                          default: the embedded topology)\n"
		"  --dump-topology         print the topology as JSON and exit\n"
		"  --topology-schema       print every key of a topology file, its type,\n"
		"                          range and default, as JSON, and exit\n"
		"  --scenario FILE         run the timed control commands of FILE (JSON)\n"
		"  --check                 load and check --topology and --scenario, then exit\n"
		"  -v, --verbose           log more (sessions; twice: every message)\n"
		"  -h, --help              show this help\n"
		"  -V, --version           show the version\n"
		"\n"
		"Exit status: 0 stopped by SIGINT or SIGTERM, or done (--check, --help...);\n"
		"1 it cannot start (a socket that cannot be made, no memory); 2 usage error,\n"
		"or a topology or scenario file that cannot be read or is not valid.\n");
}

/*
 * Flush stdout: @status, or 1 (said on stderr) when the output failed. A
 * reader that went away (EPIPE: head(1) has what it wanted) is no
 * failure: the rest is not printed, quietly (SIGPIPE is ignored).
 */
static int finish_output(int status)
{
	errno = 0;
	if (fflush(stdout) != EOF && !ferror(stdout))
		return status;
	if (errno == EPIPE)
		return status;
	fprintf(stderr, "scmi-sim: writing the output: %s\n",
		strerror(errno ? errno : EIO));
	return 1;
}

/* An option's number: decimal or 0x hex, as in control requests (number.h). */
static int parse_uint(const char *opt, const char *s, unsigned int min,
		      unsigned int max, unsigned int *ret)
{
	uint64_t v;

	if (sim_parse_unsigned(s, max, &v) || v < min) {
		fprintf(stderr, "scmi-sim: %s: '%s' is not a number in %u..%u\n",
			opt, s, min, max);
		return -EINVAL;
	}
	*ret = (unsigned int)v;
	return 0;
}

/* Each agent holds 5 descriptors (socket, 4 eventfds): raise the soft limit if needed. */
static void raise_fd_limit(unsigned int max_agents)
{
	rlim_t need = (rlim_t)max_agents * 5 + 32;
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) < 0) {
		sim_log(SIM_LOG_WARN, "getrlimit: %s", strerror(errno));
		return;
	}
	if (rl.rlim_cur >= need)
		return;
	rl.rlim_cur = rl.rlim_max < need ? rl.rlim_max : need;
	if (setrlimit(RLIMIT_NOFILE, &rl) < 0 || rl.rlim_cur < need)
		sim_log(SIM_LOG_WARN,
			"only %llu descriptors: fewer than %u agents may connect",
			(unsigned long long)rl.rlim_cur, max_agents);
}

/* ---- watchers -------------------------------------------------------- */

/* An agent connected: its session, or a warning why not (a peer can repeat it). */
static void on_accept(struct ev_loop *loop, int fd, void *data)
{
	static struct sim_ratelimit rl_refused = SIM_RATELIMIT_INIT;
	static struct sim_ratelimit rl_dropped = SIM_RATELIMIT_INIT;
	int r = channel_open(loop, fd);

	if (r == -ENOSPC)
		sim_log_limited(&rl_refused, SIM_LOG_WARN,
				"connection refused: %u agents connected (--max-agents)",
				sim_config()->max_agents);
	else if (r < 0)
		sim_log_limited(&rl_dropped, SIM_LOG_WARN,
				"connection dropped: %s", strerror(-r));
}

static void on_signal(struct ev_loop *loop, ev_signal *w, int revents)
{
	sim_log(SIM_LOG_INFO, "%s: shutting down", strsignal(w->signum));
	ev_break(loop, EVBREAK_ALL);
}

/* ---- main ------------------------------------------------------------ */

/*
 * Option @c (named @name) when it takes a number or a path: stored in
 * @cfg or @o. 0; 2 when the value is bad (said on stderr); -1 when @c
 * is not such an option.
 */
static int option_value(int c, const char *name, struct sim_config *cfg,
			struct options *o)
{
	static const struct {
		int opt;
		unsigned int min, max;
		size_t off;               /* in struct sim_config */
	} numbers[] = {
		{ OPT_MAX_AGENTS, 1, 255, offsetof(struct sim_config, max_agents) },
		{ OPT_QUEUE_LEN, 1, 65536, offsetof(struct sim_config, queue_len) },
		{ OPT_MAX_MSG_SIZE, 32, 65536,
		  offsetof(struct sim_config, max_msg_size) },
		{ OPT_ASYNC_DELAY, 0, 60000,
		  offsetof(struct sim_config, async_delay_ms) },
	};
	static const struct {
		int opt;
		size_t off;               /* in struct options */
	} paths[] = {
		{ OPT_SOCKET, offsetof(struct options, socket_path) },
		{ OPT_CONTROL, offsetof(struct options, ctl_path) },
		{ OPT_TOPOLOGY, offsetof(struct options, topology) },
		{ OPT_SCENARIO, offsetof(struct options, scenario) },
	};

	for (size_t i = 0; i < sizeof(numbers) / sizeof(numbers[0]); i++)
		if (c == numbers[i].opt)
			return parse_uint(name, optarg, numbers[i].min,
					  numbers[i].max,
					  (unsigned int *)((char *)cfg +
							   numbers[i].off)) ? 2 : 0;
	for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		if (c != paths[i].opt)
			continue;
		if (!optarg[0]) {
			fprintf(stderr, "scmi-sim: %s: empty path\n", name);
			return 2;
		}
		*(const char **)((char *)o + paths[i].off) = optarg;
		return 0;
	}
	return -1;
}

static int parse_options(int argc, char **argv, struct sim_config *cfg,
			 struct options *o)
{
	static const struct option long_opts[] = {
		{ "socket", required_argument, NULL, OPT_SOCKET },
		{ "control", required_argument, NULL, OPT_CONTROL },
		{ "max-agents", required_argument, NULL, OPT_MAX_AGENTS },
		{ "notify-policy", required_argument, NULL, OPT_NOTIFY_POLICY },
		{ "queue-len", required_argument, NULL, OPT_QUEUE_LEN },
		{ "max-msg-size", required_argument, NULL, OPT_MAX_MSG_SIZE },
		{ "async-delay", required_argument, NULL, OPT_ASYNC_DELAY },
		{ "topology", required_argument, NULL, OPT_TOPOLOGY },
		{ "dump-topology", no_argument, NULL, OPT_DUMP_TOPOLOGY },
		{ "topology-schema", no_argument, NULL, OPT_TOPOLOGY_SCHEMA },
		{ "scenario", required_argument, NULL, OPT_SCENARIO },
		{ "check", no_argument, NULL, OPT_CHECK },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	char name[32];
	int c, idx = 0, r;

	while ((c = getopt_long(argc, argv, "s:vhV", long_opts, &idx)) != -1) {
		if (c == 's') {           /* -s is --socket, long_opts[0] */
			c = OPT_SOCKET;
			idx = 0;
		}
		switch (c) {
		case OPT_NOTIFY_POLICY:
			if (sim_notify_policy_parse(optarg, &cfg->policy) < 0) {
				fprintf(stderr,
					"scmi-sim: --notify-policy: '%s' is not queue, drop-oldest or drop\n",
					optarg);
				return 2;
			}
			break;
		case OPT_DUMP_TOPOLOGY:
			o->dump_topology = true;
			break;
		case OPT_TOPOLOGY_SCHEMA:
			o->topology_schema = true;
			break;
		case OPT_CHECK:
			o->check = true;
			break;
		case 'v':
			if (cfg->verbosity < SIM_LOG_DEBUG)
				cfg->verbosity++;
			break;
		case 'h':
			usage(stdout);
			return finish_output(0);
		case 'V':
			printf("scmi-sim " SCMI_SIM_VERSION "\n");
			return finish_output(0);
		default:
			snprintf(name, sizeof(name), "--%s",
				 c >= OPT_SOCKET ? long_opts[idx].name : "");
			r = c >= OPT_SOCKET ? option_value(c, name, cfg, o) : -1;
			if (r == 0)
				break;
			if (r < 0)
				fprintf(stderr, "Try 'scmi-sim --help'.\n");
			return 2;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "scmi-sim: unexpected argument '%s'\nTry 'scmi-sim --help'.\n",
			argv[optind]);
		return 2;
	}
	return -1;
}

int main(int argc, char **argv)
{
	struct sim_config cfg = {
		.max_agents = 8,
		.policy = SIM_NOTIFY_QUEUE,
		.queue_len = 64,
		.max_msg_size = 128,
		.async_delay_ms = 1,
		.verbosity = SIM_LOG_WARN,
	};
	char default_path[PATH_MAX];
	struct sim_listener l = { .fd = -1, .name = "agents" };
	char default_ctl[PATH_MAX];
	struct options opts = { 0 };
	const char *ctl_path;
	struct scenario *sc = NULL;
	struct ev_loop *loop;
	ev_signal sigint, sigterm;
	char err[512];
	int r;

	/* a closed pipe or socket: EPIPE, quietly (finish_output()) */
	if (signal(SIGPIPE, SIG_IGN) == SIG_ERR) {
		fprintf(stderr, "scmi-sim: signal: %s\n", strerror(errno));
		return 1;
	}
	r = parse_options(argc, argv, &cfg, &opts);
	if (r >= 0)
		return r;
	l.path = opts.socket_path;
	ctl_path = opts.ctl_path;
	sim_config_set(&cfg);
	if (agents_init() < 0) {
		sim_log(SIM_LOG_ERR, "out of memory");
		return 1;
	}
	topology_load_default();
	if (opts.topology) {
		if (topology_file_load(opts.topology, err, sizeof(err)) < 0) {
			sim_log(SIM_LOG_ERR, "%s", err);
			agents_fini();
			return 2;
		}
		sim_log(SIM_LOG_INFO, "topology %s", opts.topology);
	}
	if (opts.scenario &&
	    scenario_load(opts.scenario, &sc, err, sizeof(err)) < 0) {
		sim_log(SIM_LOG_ERR, "%s", err);
		agents_fini();
		return 2;
	}
	if (opts.dump_topology || opts.topology_schema || opts.check) {
		r = 0;
		if (opts.dump_topology) {
			r = topology_file_dump(sim_topo(), stdout);
			if (r < 0 && r != -EPIPE)
				sim_log(SIM_LOG_ERR, "--dump-topology: %s",
					strerror(-r));
		}
		if (opts.topology_schema && r == 0) {
			r = topology_schema_dump(stdout);
			if (r < 0 && r != -EPIPE)
				sim_log(SIM_LOG_ERR, "--topology-schema: %s",
					strerror(-r));
		}
		scenario_free(sc);
		agents_fini();
		/* a reader that went away (EPIPE) is no failure */
		return r < 0 && r != -EPIPE ? 1 : 0;
	}
	if (l.path)
		r = sim_socket_path_check_dir("--socket", l.path);
	else
		r = sim_socket_path_default(default_path, sizeof(default_path));
	if (r == 0 && ctl_path)
		r = sim_socket_path_check_dir("--control", ctl_path);
	if (r < 0) {
		scenario_free(sc);
		agents_fini();
		return 1;
	}
	if (!l.path)
		l.path = default_path;

	raise_fd_limit(cfg.max_agents);

	loop = ev_default_loop(0);
	if (!loop) {
		sim_log(SIM_LOG_ERR, "cannot start the libev loop");
		scenario_free(sc);
		agents_fini();
		return 1;
	}
	if (!ctl_path) {
		r = snprintf(default_ctl, sizeof(default_ctl), "%s.ctl",
			     l.path);
		if (r < 0 || (size_t)r >= sizeof(default_ctl)) {
			sim_log(SIM_LOG_ERR, "the control socket path is too long");
			scenario_free(sc);
			ev_loop_destroy(loop);
			agents_fini();
			return 1;
		}
		ctl_path = default_ctl;
	}
	/* control first: once agents can connect, it is there too */
	if (control_open(loop, ctl_path) < 0) {
		scenario_free(sc);
		ev_loop_destroy(loop);
		agents_fini();
		return 1;
	}
	/* its time 0 before agents can connect: a step at 0 comes first */
	if (sc)
		scenario_start(sc, loop);
	if (sim_listener_open(&l) < 0) {
		control_close(loop);
		scenario_free(sc);
		ev_loop_destroy(loop);
		agents_fini();
		return 1;
	}

	sim_listener_start(&l, loop, on_accept, NULL);
	ev_signal_init(&sigint, on_signal, SIGINT);
	ev_signal_init(&sigterm, on_signal, SIGTERM);
	ev_signal_start(loop, &sigint);
	ev_signal_start(loop, &sigterm);

	sim_log(SIM_LOG_INFO,
		"scmi-sim " SCMI_SIM_VERSION " listening on %s (max agents %u, policy %s, queue-len %u, max-msg-size %u, async-delay %u ms)",
		l.path, cfg.max_agents, sim_notify_policy_name(cfg.policy),
		cfg.queue_len, cfg.max_msg_size, cfg.async_delay_ms);

	ev_run(loop, 0);

	scenario_free(sc);
	/* async commands not done: their timers stop, their responses are lost */
	sim_delayed_fini();
	channel_close_all();
	ev_signal_stop(loop, &sigint);
	ev_signal_stop(loop, &sigterm);
	control_close(loop);
	sim_listener_close(&l);
	ev_loop_destroy(loop);
	agents_fini();
	return 0;
}
