/* SPDX-License-Identifier: MIT */
/*
 * scmi-raw: send one SCMI message to a platform and print its reply, as
 * text or JSON lines (see scmi-raw.1). The library's raw interface
 * (include/scmi/raw.h) in a tool: the kind a firmware engineer runs on a
 * board, or a compliance script calls.
 *
 * The agent is raw_only: connecting is the handshake alone, so the only
 * command the platform sees is the one given. With --async the command
 * is an asynchronous one (its payload carries the protocol's flag): the
 * immediate response is printed, then the delayed one. With --listen the
 * P2A messages that come within the time given (notifications the
 * command enabled, delayed responses nobody waits for) are printed too.
 *
 * One thread, no lock of its own: the agent's threads print nothing.
 * Exit status: the table scmi-sim, scmi-sim-ctl and scmi-monitor share
 * (scmi-raw.1): 0 the response said SUCCESS (and the delayed one, with
 * --async), 1 another status or no usable response, 2 bad usage, 3 the
 * platform cannot be reached, 4 it went away.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <scmi/agent.h>
#include <scmi/names.h>
#include <scmi/paths.h>
#include <scmi/raw.h>
#include <scmi/wire.h>

#include "cli.h"
#include "connect-error.h"

#ifndef SCMI_RAW_VERSION
#define SCMI_RAW_VERSION "0.1.0"
#endif

#define PROG "scmi-raw"
#define DEFAULT_TIMEOUT_MS 1000u /* a tool's, not the kernel's 30 ms */
#define MAX_PAYLOAD 65536u       /* the largest max_msg_size a hello may give */

/* The exit status table of scmi-sim, scmi-sim-ctl, scmi-monitor (and us). */
enum {
	EXIT_STATUS_OK = 0,
	EXIT_STATUS_ERROR = 1,       /* another status, no usable response */
	EXIT_STATUS_USAGE = 2,
	EXIT_STATUS_UNREACHABLE = 3,
	EXIT_STATUS_GONE = 4,
};

struct options {
	const char *socket;
	struct scmi_raw_cmd cmd;
	uint8_t *payld;            /* MAX_PAYLOAD bytes */
	bool have_hdr_word;
	bool have_bytes;
	bool async;
	bool json;
	unsigned int verbose;
	uint32_t timeout_ms;
	uint32_t delayed_timeout_ms; /* 0: the library's default */
	uint32_t listen_ms;
};

/* ---------------------------------------------------------------- */
/* output                                                           */

/* One message received, whatever its kind. */
struct shown {
	const char *kind;          /* "response", "delayed", "notification" */
	uint32_t hdr_word;
	const struct scmi_msg_hdr *hdr;
	bool has_status;
	int32_t status;
	const uint8_t *payld;      /* after the status, if any */
	size_t payld_sz;
};

static void print_text(const struct shown *s)
{
	const char *pname = scmi_protocol_name(s->hdr->proto_id);
	size_t i;

	printf("%s header=0x%08" PRIx32 " protocol=", s->kind, s->hdr_word);
	if (pname)
		printf("%s(0x%02x)", pname, s->hdr->proto_id);
	else
		printf("0x%02x", s->hdr->proto_id);
	printf(" message=0x%02x type=%u token=%u", s->hdr->msg_id,
	       s->hdr->type, s->hdr->token);
	if (s->has_status)
		printf(" status=%s(%" PRId32 ")", scmi_status_name(s->status),
		       s->status);
	printf(" bytes=%zu", s->payld_sz);
	/* whole words as SCMI reads them, then a tail of bytes */
	if (s->payld_sz)
		printf(" payload=");
	for (i = 0; i + 4 <= s->payld_sz; i += 4)
		printf("%s0x%08" PRIx32, i ? "," : "", scmi_get_le32(s->payld + i));
	for (; i < s->payld_sz; i++)
		printf("%s0x%02x", i ? "," : "", s->payld[i]);
	printf("\n");
}

static void print_json(const struct shown *s)
{
	const char *pname = scmi_protocol_name(s->hdr->proto_id);
	size_t i;

	printf("{\"kind\":\"%s\",\"header\":%" PRIu32 ",\"protocol\":%u",
	       s->kind, s->hdr_word, s->hdr->proto_id);
	if (pname)
		printf(",\"protocol_name\":\"%s\"", pname);
	printf(",\"message\":%u,\"type\":%u,\"token\":%u", s->hdr->msg_id,
	       s->hdr->type, s->hdr->token);
	if (s->has_status)
		printf(",\"status\":%" PRId32 ",\"status_name\":\"%s\"",
		       s->status, scmi_status_name(s->status));
	printf(",\"size\":%zu,\"payload\":\"", s->payld_sz);
	for (i = 0; i < s->payld_sz; i++)
		printf("%02x", s->payld[i]);
	printf("\",\"words\":[");
	for (i = 0; i + 4 <= s->payld_sz; i += 4)
		printf("%s%" PRIu32, i ? "," : "", scmi_get_le32(s->payld + i));
	printf("]}\n");
}

static void show(const struct options *o, const struct shown *s)
{
	if (o->json)
		print_json(s);
	else
		print_text(s);
}

static void show_reply(const struct options *o, const char *kind,
		       const struct scmi_raw_reply *r)
{
	const struct shown s = {
		.kind = kind, .hdr_word = r->hdr_word, .hdr = &r->hdr,
		.has_status = true, .status = r->status, .payld = r->payld,
		.payld_sz = r->payld_sz < r->payld_cap ? r->payld_sz :
							 r->payld_cap,
	};

	show(o, &s);
}

/* A P2A message: a delayed response's status is its first word. */
static void show_p2a(const struct options *o, const struct scmi_raw_msg *m)
{
	const uint8_t *p = m->payld;
	size_t sz = m->payld_sz < m->payld_cap ? m->payld_sz : m->payld_cap;
	struct shown s = {
		.kind = "notification", .hdr_word = m->hdr_word, .hdr = &m->hdr,
		.payld = p, .payld_sz = sz,
	};

	if (m->hdr.type == SCMI_MSG_TYPE_DELAYED_RESP && sz >= 4) {
		s.kind = "delayed";
		s.has_status = true;
		s.status = (int32_t)scmi_get_le32(p);
		s.payld = p + 4;
		s.payld_sz = sz - 4;
	}
	show(o, &s);
}

/*
 * Flush stdout: @status, or EXIT_STATUS_ERROR when the output failed. A
 * reader that went away (EPIPE: it has what it wanted) is no failure.
 */
static int finish_output(int status)
{
	errno = 0;
	if (fflush(stdout) != EOF && !ferror(stdout))
		return status;
	if (errno == EPIPE)
		return status;
	fprintf(stderr, PROG ": writing the reply: %s\n",
		strerror(errno ? errno : EIO));
	return EXIT_STATUS_ERROR;
}

/* ---------------------------------------------------------------- */
/* options                                                          */

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: " PROG " [OPTION]... PROTOCOL MESSAGE [WORD]...\n"
		"       " PROG " [OPTION]... --header WORD [WORD]...\n"
		"Send one SCMI message to a platform and print its reply.\n"
		"\n"
		"  PROTOCOL                a name (base, power, system, perf, clock, sensor,\n"
		"                          reset, voltage, powercap) or a number (0..255)\n"
		"  MESSAGE                 the message id (0..255)\n"
		"  WORD                    payload words, each a little-endian u32\n"
		"  -H, --header WORD       the header word (its token is the library's)\n"
		"  -x, --bytes HEX         the payload as hex bytes instead of words\n"
		"  -a, --async             an asynchronous command: the immediate response,\n"
		"                          then the delayed one\n"
		"  -d, --delayed-timeout MS  wait for the delayed response (default 2000)\n"
		"  -l, --listen MS         then print the P2A messages of the next MS ms\n"
		"  -s, --socket PATH       the platform's socket (default $XDG_RUNTIME_DIR/"
		SCMI_DEFAULT_SOCKET_NAME ",\n"
		"                          else /tmp/scmi-sim-$UID/" SCMI_DEFAULT_SOCKET_NAME ")\n"
		"  -t, --timeout MS        command timeout (default %u)\n"
		"  -j, --json              JSON lines instead of text\n"
		"  -v, --verbose           log more of the library (repeatable)\n"
		"  -h, --help              show this help\n"
		"  -V, --version           show the version\n"
		"\n"
		"Exit status: 0 SUCCESS; 1 another status, or no usable response; 2 bad\n"
		"usage; 3 the platform cannot be reached; 4 the platform went away.\n",
		DEFAULT_TIMEOUT_MS);
}

/* A u64 option argument up to @max, or a message and false. */
static bool opt_number(const char *what, const char *arg, uint64_t min,
		       uint64_t max, uint64_t *v)
{
	if (cli_parse_u64(arg, max, v) && *v >= min)
		return true;
	fprintf(stderr, PROG ": %s: '%s' is not a number in %" PRIu64 "..%" PRIu64 "\n",
		what, arg, min, max);
	return false;
}

static int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* --bytes: pairs of hex digits (an optional 0x first). */
static bool opt_bytes(struct options *o, const char *arg)
{
	size_t n = 0;

	if (!strncmp(arg, "0x", 2) || !strncmp(arg, "0X", 2))
		arg += 2;
	for (; arg[0]; arg += 2) {
		int hi = hex_digit(arg[0]), lo = arg[1] ? hex_digit(arg[1]) : -1;

		if (hi < 0 || lo < 0 || n == MAX_PAYLOAD) {
			fprintf(stderr, PROG ": --bytes: not pairs of hex digits (at most %u bytes)\n",
				MAX_PAYLOAD);
			return false;
		}
		o->payld[n++] = (uint8_t)(hi << 4 | lo);
	}
	o->cmd.payld_sz = n;
	o->have_bytes = true;
	return true;
}

/* PROTOCOL: a name or a number. */
static bool arg_protocol(const char *arg, uint8_t *id)
{
	int r = cli_protocol(arg);

	if (r >= 0) {
		*id = (uint8_t)r;
		return true;
	}
	fprintf(stderr, PROG ": no protocol '%s' (see --help)\n", arg);
	return false;
}

/* The operands: [PROTOCOL MESSAGE] WORD... */
static int parse_operands(struct options *o, int argc, char **argv)
{
	uint64_t v;
	int i = optind;

	if (!o->have_hdr_word) {
		if (argc - i < 2) {
			fprintf(stderr, PROG ": PROTOCOL and MESSAGE expected\nTry '" PROG " --help'.\n");
			return EXIT_STATUS_USAGE;
		}
		if (!arg_protocol(argv[i], &o->cmd.hdr.proto_id) ||
		    !opt_number("MESSAGE", argv[i + 1], 0, 0xFF, &v))
			return EXIT_STATUS_USAGE;
		o->cmd.hdr.msg_id = (uint8_t)v;
		i += 2;
	}
	if (i < argc && o->have_bytes) {
		fprintf(stderr, PROG ": payload words and --bytes: one or the other\n");
		return EXIT_STATUS_USAGE;
	}
	for (; i < argc; i++) {
		if (o->cmd.payld_sz + 4 > MAX_PAYLOAD ||
		    !opt_number("WORD", argv[i], 0, UINT32_MAX, &v))
			return EXIT_STATUS_USAGE;
		scmi_put_le32(o->payld + o->cmd.payld_sz, (uint32_t)v);
		o->cmd.payld_sz += 4;
	}
	return -1;
}

/* Returns -1 to go on, else the exit status. */
static int parse_options(int argc, char **argv, struct options *o)
{
	static const struct option longopts[] = {
		{ "header", required_argument, NULL, 'H' },
		{ "bytes", required_argument, NULL, 'x' },
		{ "async", no_argument, NULL, 'a' },
		{ "delayed-timeout", required_argument, NULL, 'd' },
		{ "listen", required_argument, NULL, 'l' },
		{ "socket", required_argument, NULL, 's' },
		{ "timeout", required_argument, NULL, 't' },
		{ "json", no_argument, NULL, 'j' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	uint64_t v;
	int c;

	/* '+': operands end the options, so that a WORD is never one */
	while ((c = getopt_long(argc, argv, "+H:x:ad:l:s:t:jvhV", longopts,
				NULL)) != -1) {
		switch (c) {
		case 'H':
			if (!opt_number("--header", optarg, 0, UINT32_MAX, &v))
				return EXIT_STATUS_USAGE;
			o->cmd.hdr_word = (uint32_t)v;
			o->cmd.flags = SCMI_RAW_HDR_WORD;
			o->have_hdr_word = true;
			break;
		case 'x':
			if (!opt_bytes(o, optarg))
				return EXIT_STATUS_USAGE;
			break;
		case 'a':
			o->async = true;
			break;
		case 'd':
			if (!opt_number("--delayed-timeout", optarg, 1, 3600000, &v))
				return EXIT_STATUS_USAGE;
			o->delayed_timeout_ms = (uint32_t)v;
			break;
		case 'l':
			if (!opt_number("--listen", optarg, 1, 3600000, &v))
				return EXIT_STATUS_USAGE;
			o->listen_ms = (uint32_t)v;
			break;
		case 's':
			if (!optarg[0]) {
				fprintf(stderr, PROG ": --socket: empty path\n");
				return EXIT_STATUS_USAGE;
			}
			o->socket = optarg;
			break;
		case 't':
			if (!opt_number("--timeout", optarg, 1, 3600000, &v))
				return EXIT_STATUS_USAGE;
			o->timeout_ms = (uint32_t)v;
			break;
		case 'j':
			o->json = true;
			break;
		case 'v':
			o->verbose++;
			break;
		case 'h':
			usage(stdout);
			return finish_output(EXIT_STATUS_OK);
		case 'V':
			printf(PROG " " SCMI_RAW_VERSION "\n");
			return finish_output(EXIT_STATUS_OK);
		default:
			fprintf(stderr, "Try '" PROG " --help'.\n");
			return EXIT_STATUS_USAGE;
		}
	}
	return parse_operands(o, argc, argv);
}

/* ---------------------------------------------------------------- */

static void log_line(void *userdata, enum scmi_log_level level, const char *msg)
{
	fprintf(stderr, PROG ": %s\n", msg);
}

/* The exit status of a command that failed with @err, said on stderr. */
static int failed(const char *what, int err, const struct options *o)
{
	if (err == -ETIMEDOUT)
		fprintf(stderr, PROG ": %s: no response within %u ms\n", what,
			o->timeout_ms);
	else if (err == -EPROTO)
		fprintf(stderr, PROG ": %s: a malformed response (refused)\n",
			what);
	else
		fprintf(stderr, PROG ": %s: %s\n", what, strerror(-err));
	return err == -ECONNRESET ? EXIT_STATUS_GONE : EXIT_STATUS_ERROR;
}

/* Send the command, print what comes back: the exit status. */
static int send_and_print(struct scmi_agent *agent, const struct options *o,
			  uint8_t *ibuf, uint8_t *dbuf)
{
	struct scmi_raw_reply imm = { .payld = ibuf, .payld_cap = MAX_PAYLOAD };
	struct scmi_raw_reply del = { .payld = dbuf, .payld_cap = MAX_PAYLOAD };
	int ret;

	if (!o->async) {
		ret = scmi_raw_xfer(agent, &o->cmd, &imm);
		if (ret)
			return failed("the command", ret, o);
		show_reply(o, "response", &imm);
		return imm.status == SCMI_SUCCESS ? EXIT_STATUS_OK :
						    EXIT_STATUS_ERROR;
	}
	ret = scmi_raw_xfer_async(agent, &o->cmd, &imm, &del,
				  o->delayed_timeout_ms);
	if (imm.received)
		show_reply(o, "response", &imm);
	if (ret == -ETIMEDOUT && imm.received) {
		fprintf(stderr, PROG ": no delayed response within %u ms\n",
			o->delayed_timeout_ms ? o->delayed_timeout_ms :
						SCMI_AGENT_DEFAULT_DELAYED_TIMEOUT_MS);
		return EXIT_STATUS_ERROR;
	}
	if (ret)
		return failed("the command", ret, o);
	if (imm.status != SCMI_SUCCESS)
		return EXIT_STATUS_ERROR; /* no delayed response follows */
	show_reply(o, "delayed", &del);
	return del.status == SCMI_SUCCESS ? EXIT_STATUS_OK : EXIT_STATUS_ERROR;
}

/* --listen: the P2A messages of the next listen_ms. */
static int listen_p2a(struct scmi_agent *agent, const struct options *o,
		      uint8_t *buf)
{
	struct timespec ts;
	uint64_t now, end;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	now = (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
	end = now + o->listen_ms;
	while (now < end) {
		struct scmi_raw_msg m = { .payld = buf, .payld_cap = MAX_PAYLOAD + 4 };

		if (scmi_raw_recv_wait(agent, &m, (uint32_t)(end - now)) == 0)
			show_p2a(o, &m);
		if (scmi_agent_get_state(agent) != SCMI_AGENT_CONNECTED) {
			fprintf(stderr, PROG ": the platform went away\n");
			return EXIT_STATUS_GONE;
		}
		clock_gettime(CLOCK_MONOTONIC, &ts);
		now = (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
	}
	return EXIT_STATUS_OK;
}

int main(int argc, char **argv)
{
	static const enum scmi_log_level levels[] = {
		SCMI_LOG_ERR, SCMI_LOG_WARNING, SCMI_LOG_INFO, SCMI_LOG_DEBUG,
	};
	struct options o = { .timeout_ms = DEFAULT_TIMEOUT_MS };
	struct scmi_agent_config cfg = { .log_fn = log_line, .raw_only = true };
	struct scmi_agent *agent = NULL;
	uint8_t *ibuf = NULL, *dbuf = NULL, *pbuf = NULL;
	char sock[4096];
	int status, r;

	signal(SIGPIPE, SIG_IGN); /* a closed pipe: EPIPE, quietly */
	o.payld = calloc(1, MAX_PAYLOAD);
	ibuf = malloc(MAX_PAYLOAD);
	dbuf = malloc(MAX_PAYLOAD);
	pbuf = malloc(MAX_PAYLOAD + 4);
	if (!o.payld || !ibuf || !dbuf || !pbuf) {
		fprintf(stderr, PROG ": %s\n", strerror(ENOMEM));
		status = EXIT_STATUS_ERROR;
		goto out;
	}
	o.cmd.payld = o.payld;
	status = parse_options(argc, argv, &o);
	if (status >= 0)
		goto out;
	if (o.socket) {
		snprintf(sock, sizeof(sock), "%s", o.socket);
	} else if (scmi_default_socket_path(sock, sizeof(sock)) < 0) {
		fprintf(stderr, PROG ": the default socket path ($XDG_RUNTIME_DIR/"
			SCMI_DEFAULT_SOCKET_NAME ") is too long\n");
		status = EXIT_STATUS_UNREACHABLE;
		goto out;
	}

	cfg.timeout_ms = o.timeout_ms;
	cfg.log_level = levels[o.verbose < 3 ? o.verbose : 3];
	if (o.listen_ms)
		cfg.raw_p2a = SCMI_RAW_P2A_INSTEAD;
	r = scmi_agent_create(&agent, &cfg);
	if (r < 0) {
		fprintf(stderr, PROG ": %s\n", strerror(-r));
		status = EXIT_STATUS_ERROR;
		goto out;
	}
	r = scmi_agent_connect(agent, sock);
	if (r < 0) {
		connect_error(PROG, sock, r, o.timeout_ms);
		status = EXIT_STATUS_UNREACHABLE;
		goto out;
	}
	if (o.cmd.payld_sz > (size_t)scmi_raw_max_payload(agent)) {
		fprintf(stderr, PROG ": a payload of %zu bytes: the platform takes at most %d\n",
			o.cmd.payld_sz, scmi_raw_max_payload(agent));
		status = EXIT_STATUS_USAGE;
		goto out;
	}
	status = send_and_print(agent, &o, ibuf, dbuf);
	if (o.listen_ms && status != EXIT_STATUS_GONE) {
		r = listen_p2a(agent, &o, pbuf);
		if (r != EXIT_STATUS_OK)
			status = r;
	}
	status = finish_output(status);
out:
	scmi_agent_destroy(agent);
	free(o.payld);
	free(ibuf);
	free(dbuf);
	free(pbuf);
	return status;
}
