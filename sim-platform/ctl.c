/* SPDX-License-Identifier: MIT */
/*
 * scmi-sim-ctl: send one request to scmi-sim's control socket (control.h)
 * and print the reply. The words of the command line are joined by blanks
 * into the request; the reply's text is printed without its "ok".
 *
 * Exit status, the table all three tools share (scmi-sim-ctl(1)): 0 the
 * simulator answered "ok" (or stdout was closed: a reader that stops
 * reading, as head(1), is no error); 1 it answered "error" (the text on
 * stderr), its reply was not understood, or the output failed; 2 a usage
 * error; 3 the simulator could not be reached (no socket, nobody
 * listening, an agent socket instead of a control socket, no reply within
 * the timeout); 4 it went away (hung up) before it replied.
 *
 * The default control socket is the simulator's: its default socket path
 * (scmi_default_socket_path(), include/scmi/paths.h) followed by ".ctl".
 */
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include <scmi/paths.h>
#include <scmi/transport.h>

#include "control.h"
#include "number.h"

#ifndef SCMI_SIM_VERSION
#define SCMI_SIM_VERSION "unknown"
#endif

#define PROG "scmi-sim-ctl"
#define DEFAULT_TIMEOUT_MS 5000u

/* The exit status table of scmi-sim, scmi-sim-ctl and scmi-monitor. */
enum {
	EXIT_OK = 0,
	EXIT_ERROR = 1,       /* the simulator said "error", or spoke nonsense */
	EXIT_USAGE = 2,
	EXIT_UNREACHABLE = 3,
	EXIT_GONE = 4,        /* it hung up before its reply */
};

enum {
	OPT_CONTROL = 0x100,
	OPT_JSON,
	OPT_TIMEOUT,
};

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: " PROG " [OPTION]... COMMAND [ARG]...\n"
		"Send one request to scmi-sim's control socket and print its reply.\n"
		"\n"
		"  -s, --socket PATH the simulator's agent socket (scmi-sim --socket):\n"
		"                    its control socket is PATH" SCMI_CONTROL_SOCKET_SUFFIX "\n"
		"  --control PATH    the control socket itself (scmi-sim --control)\n"
		"                    (default $XDG_RUNTIME_DIR/" SCMI_DEFAULT_SOCKET_NAME
		SCMI_CONTROL_SOCKET_SUFFIX ", else\n"
		"                    /tmp/scmi-sim-$UID/" SCMI_DEFAULT_SOCKET_NAME
		SCMI_CONTROL_SOCKET_SUFFIX ")\n"
		"  --json            the reply as JSON\n"
		"  --timeout MS      wait at most MS milliseconds for the reply (default %u)\n"
		"  -h, --help        show this help and the simulator's commands\n"
		"  -V, --version     show the version\n"
		"\n"
		"Exit status: 0 ok, 1 the simulator answered an error, 2 usage error,\n"
		"3 the simulator cannot be reached, 4 it went away before replying.\n",
		DEFAULT_TIMEOUT_MS);
}

/* The simulator's default control socket path: its agent socket's + ".ctl". */
static int default_path(char *path, size_t sz)
{
	int n = scmi_default_socket_path(path, sz);

	if (n < 0)
		return n;
	if ((size_t)n + strlen(SCMI_CONTROL_SOCKET_SUFFIX) >= sz)
		return -ENAMETOOLONG;
	strcat(path, SCMI_CONTROL_SOCKET_SUFFIX);
	return 0;
}

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

/* Wait until @fd is readable, at most until @deadline (ms): 0 or -errno. */
static int wait_readable(int fd, uint64_t deadline)
{
	for (;;) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		uint64_t now = now_ms();
		int r;

		if (now >= deadline)
			return -ETIMEDOUT;
		r = poll(&pfd, 1, (int)(deadline - now));
		if (r < 0 && errno != EINTR)
			return -errno;
		if (r > 0)
			return 0;
	}
}

/*
 * Receive a reply on @fd by @deadline: one message, or its parts joined
 * (each but the last starts with '+': control.h). *@buf (malloc'd,
 * NUL-terminated, the caller frees it) and its length *@len. 0 or -errno.
 */
static int recv_reply(int fd, uint64_t deadline, char **buf, size_t *len)
{
	bool more = true;
	char *b = NULL;
	size_t n = 0;
	int ret = 0;

	while (more) {
		ssize_t m;
		char *nb;

		ret = wait_readable(fd, deadline);
		if (ret)
			break;
		/* the whole message: its size first */
		m = recv(fd, NULL, 0, MSG_PEEK | MSG_TRUNC | MSG_DONTWAIT);
		if (m <= 0) {
			/* hung up without a reply, or in its middle */
			ret = m < 0 ? -errno : -ECONNRESET;
			break;
		}
		if (n + (size_t)m > SIM_CONTROL_MAX_TOTAL) {
			ret = -EMSGSIZE;
			break;
		}
		nb = realloc(b, n + (size_t)m + 1);
		if (!nb) {
			ret = -ENOMEM;
			break;
		}
		b = nb;
		m = recv(fd, b + n, (size_t)m, MSG_DONTWAIT);
		if (m <= 0) {
			ret = m < 0 ? -errno : -ECONNRESET;
			break;
		}
		more = b[n] == '+';
		if (more) {
			memmove(b + n, b + n + 1, (size_t)m - 1);
			m--;
		}
		n += (size_t)m;
	}
	if (ret) {
		free(b);
		return ret;
	}
	b[n] = '\0';
	*buf = b;
	*len = n;
	return 0;
}

/*
 * Send @req to the control socket at @path and receive the reply into
 * *@reply (malloc'd, NUL-terminated). 0, or a negative errno with what
 * failed in *@what ("connect", "send", "reply"): -EPROTOTYPE with "reply"
 * when the reply is an SCMI transport hello (include/scmi/transport.h),
 * so @path is an agent socket of the simulator, not its control socket.
 */
static int transact(const char *path, const char *req, unsigned int timeout_ms,
		    char **reply, const char **what)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	uint64_t deadline = now_ms() + timeout_ms;
	char *buf = NULL;
	size_t len = 0;
	int fd, ret;

	*what = "connect";
	if (strlen(path) >= sizeof(sa.sun_path))
		return -ENAMETOOLONG;
	memcpy(sa.sun_path, path, strlen(path) + 1);
	fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		ret = -errno;
		goto out;
	}
	*what = "send";
	if (send(fd, req, strlen(req), MSG_NOSIGNAL) < 0) {
		ret = -errno;
		goto out;
	}
	*what = "reply";
	ret = recv_reply(fd, deadline, &buf, &len);
	if (!ret && len >= 4 && scmi_get_le32(buf) == SCMI_HELLO_MAGIC) {
		free(buf);
		ret = -EPROTOTYPE;
	} else if (!ret) {
		*reply = buf;
	}
out:
	close(fd);
	return ret;
}

/* Print text, with a newline at the end. */
static void print_text(FILE *f, const char *text)
{
	size_t n = strlen(text);

	fputs(text, f);
	if (n && text[n - 1] != '\n')
		fputc('\n', f);
}

/*
 * Act on a reply: its text on stdout and EXIT_OK, or the error on stderr
 * and EXIT_ERROR.
 */
static int handle_reply(const char *reply)
{
	const char *text;
	char *end;
	long err;

	if (!strcmp(reply, "ok"))
		return EXIT_OK;
	if (!strncmp(reply, "ok ", 3)) {
		print_text(stdout, reply + 3);
		return EXIT_OK;
	}
	if (!strncmp(reply, "error ", 6)) {
		errno = 0;
		err = strtol(reply + 6, &end, 10);
		if (!errno && end != reply + 6 && err < 0 &&
		    (*end == ' ' || !*end)) {
			text = *end ? end + 1 : strerror((int)-err);
			fprintf(stderr, PROG ": %s\n", text);
			return EXIT_ERROR;
		}
	}
	fprintf(stderr, PROG ": the simulator's reply is not understood: '%.80s'\n",
		reply);
	return EXIT_ERROR;
}

/*
 * Say why transact() failed (@what, @err) on stderr, naming @path; the
 * exit status that goes with it.
 */
static int unreachable(const char *path, const char *what, int err)
{
	if (err == -EPROTOTYPE) {
		fprintf(stderr, PROG ": %s is an agent socket of scmi-sim, not its control socket (give it with --socket, or --control %s%s)\n",
			path, path, SCMI_CONTROL_SOCKET_SUFFIX);
		return EXIT_UNREACHABLE;
	}
	if (err == -ETIMEDOUT) {
		fprintf(stderr, PROG ": the simulator at %s did not answer in time\n",
			path);
		return EXIT_UNREACHABLE;
	}
	if (strcmp(what, "connect")) {
		/* it was reached: it hung up, or the reply could not be taken */
		if (err == -ECONNRESET || err == -EPIPE) {
			fprintf(stderr, PROG ": the simulator at %s hung up before it replied\n",
				path);
			return EXIT_GONE;
		}
		fprintf(stderr, PROG ": %s: %s: %s\n", path, what, strerror(-err));
		return EXIT_ERROR;
	}
	fprintf(stderr, PROG ": cannot reach the simulator at %s: %s: %s\n",
		path, what, strerror(-err));
	return EXIT_UNREACHABLE;
}

/* Whether stdout is a pipe or socket whose reader went away. */
static bool output_closed(void)
{
	struct pollfd pfd = { .fd = STDOUT_FILENO };

	return poll(&pfd, 1, 0) == 1 && (pfd.revents & (POLLERR | POLLHUP));
}

/*
 * Flush stdout and return @status, or EXIT_ERROR (with a message) when
 * the output failed. A reader that went away (EPIPE: head(1) has what it
 * wanted) is no failure: the rest is not printed, quietly.
 */
static int finish_output(int status)
{
	errno = 0;
	if (fflush(stdout) != EOF && !ferror(stdout))
		return status;
	if (errno == EPIPE || output_closed())
		return status;
	fprintf(stderr, PROG ": writing the reply: %s\n",
		strerror(errno ? errno : EIO));
	return EXIT_ERROR;
}

/* --help: ours, then the simulator's list of requests if it can be reached. */
static int help(const char *path, unsigned int timeout_ms)
{
	const char *what;
	char *reply = NULL;
	int ret;

	usage(stdout);
	fflush(stdout);
	ret = transact(path, "help", timeout_ms, &reply, &what);
	if (ret) {
		printf("\nCommands: ask a running simulator (");
		fflush(stdout);
		unreachable(path, what, ret);
		printf("start one, or give --socket or --control).\n");
		return EXIT_OK;
	}
	if (!strncmp(reply, "ok ", 3)) {
		printf("\nCommands (from the simulator at %s):\n", path);
		print_text(stdout, reply + 3);
		ret = EXIT_OK;
	} else {
		ret = handle_reply(reply);
	}
	free(reply);
	return ret;
}

/* --timeout: decimal or 0x hex, as the simulator reads numbers (number.h). */
static int parse_timeout(const char *s, unsigned int *ms)
{
	uint64_t v;

	if (sim_parse_unsigned(s, 3600000, &v) || v == 0) {
		fprintf(stderr, PROG ": --timeout: '%s' is not a number of ms in 1..3600000\n",
			s);
		return -EINVAL;
	}
	*ms = (unsigned int)v;
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option long_opts[] = {
		{ "socket", required_argument, NULL, 's' },
		{ "control", required_argument, NULL, OPT_CONTROL },
		{ "json", no_argument, NULL, OPT_JSON },
		{ "timeout", required_argument, NULL, OPT_TIMEOUT },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	char path[sizeof(((struct sockaddr_un *)0)->sun_path)];
	unsigned int timeout_ms = DEFAULT_TIMEOUT_MS;
	const char *sock = NULL, *ctl = NULL, *what;
	char req[SIM_CONTROL_MAX_MSG + 1];
	bool json = false, want_help = false;
	char *reply = NULL;
	size_t len = 0;
	int c, ret;

	/* a closed stdout is EPIPE, and ends quietly (finish_output()) */
	signal(SIGPIPE, SIG_IGN);
	/* "+": options end at the command, so that "sensor set 0 -5" works */
	while ((c = getopt_long(argc, argv, "+s:hV", long_opts, NULL)) != -1) {
		switch (c) {
		case 's':
			sock = optarg;
			break;
		case OPT_CONTROL:
			ctl = optarg;
			break;
		case OPT_JSON:
			json = true;
			break;
		case OPT_TIMEOUT:
			if (parse_timeout(optarg, &timeout_ms))
				return EXIT_USAGE;
			break;
		case 'h':
			want_help = true;
			break;
		case 'V':
			printf(PROG " " SCMI_SIM_VERSION "\n");
			return finish_output(EXIT_OK);
		default:
			fprintf(stderr, "Try '" PROG " --help'.\n");
			return EXIT_USAGE;
		}
	}
	if (sock && ctl) {
		fprintf(stderr, PROG ": --socket and --control: give one\n");
		return EXIT_USAGE;
	}
	if ((sock && !sock[0]) || (ctl && !ctl[0])) {
		fprintf(stderr, PROG ": empty socket path\n");
		return EXIT_USAGE;
	}
	if (ctl)
		ret = snprintf(path, sizeof(path), "%s", ctl);
	else if (sock)
		ret = snprintf(path, sizeof(path), "%s.ctl", sock);
	else
		ret = default_path(path, sizeof(path)) ? -1 : 0;
	if (ret < 0 || (size_t)ret >= sizeof(path)) {
		fprintf(stderr, PROG ": the control socket path is too long for a UNIX socket\n");
		return EXIT_USAGE;
	}

	if (want_help)
		return finish_output(help(path, timeout_ms));
	if (optind == argc) {
		fprintf(stderr, PROG ": no command\nTry '" PROG " --help'.\n");
		return EXIT_USAGE;
	}

	/* the words, joined by one blank; --json is the request's last word */
	req[0] = '\0';
	for (int i = optind; i <= argc; i++) {
		const char *w = i < argc ? argv[i] : json ? "--json" : NULL;
		int n;

		if (!w)
			break;
		n = snprintf(req + len, sizeof(req) - len, "%s%s", len ? " " : "", w);
		if (n < 0 || (size_t)n >= sizeof(req) - len ||
		    len + (size_t)n > SIM_CONTROL_MAX_MSG) {
			fprintf(stderr, PROG ": the request is longer than %d bytes\n",
				SIM_CONTROL_MAX_MSG);
			return EXIT_USAGE;
		}
		len += (size_t)n;
	}
	if (!req[strspn(req, " \t\r\n")]) {
		fprintf(stderr, PROG ": empty command\n");
		return EXIT_USAGE;
	}

	ret = transact(path, req, timeout_ms, &reply, &what);
	if (ret)
		return unreachable(path, what, ret);
	ret = handle_reply(reply);
	free(reply);
	return finish_output(ret);
}
