/* SPDX-License-Identifier: MIT */
/* The driver's control connection (see bench-ctl.h). */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>

#include "bench-ctl.h"

#define REPLY_WAIT_S 2

int bench_ctl_open(struct bench_ctl *c, const char *sim_sock)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	struct timeval tv = { .tv_sec = REPLY_WAIT_S };

	c->sent = c->replies = 0;
	if ((size_t)snprintf(sun.sun_path, sizeof(sun.sun_path), "%s.ctl",
			     sim_sock) >= sizeof(sun.sun_path)) {
		fprintf(stderr, "bench: %s.ctl: path too long\n", sim_sock);
		return -1;
	}
	c->fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	if (c->fd < 0 ||
	    setsockopt(c->fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) < 0 ||
	    connect(c->fd, (struct sockaddr *)&sun, sizeof(sun)) < 0) {
		fprintf(stderr, "bench: control socket %s: %s\n", sun.sun_path,
			strerror(errno));
		bench_ctl_close(c);
		return -1;
	}
	return 0;
}

void bench_ctl_close(struct bench_ctl *c)
{
	if (c->fd >= 0)
		close(c->fd);
	c->fd = -1;
}

int bench_ctl_send(struct bench_ctl *c, const char *fmt, ...)
{
	char req[128];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(req, sizeof(req), fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(req) ||
	    send(c->fd, req, (size_t)n, MSG_NOSIGNAL) != n) {
		fprintf(stderr, "bench: control request '%s': %s\n", req,
			strerror(errno));
		return -1;
	}
	c->sent++;
	return 0;
}

int bench_ctl_recv(struct bench_ctl *c, char *out, size_t out_sz)
{
	char rep[256];
	ssize_t n = recv(c->fd, rep, sizeof(rep) - 1, 0);

	if (n <= 0) {
		fprintf(stderr, "bench: control reply: %s\n",
			n < 0 ? strerror(errno) : "connection closed");
		return -1;
	}
	rep[n] = '\0';
	c->replies++;
	if (strncmp(rep, "ok", 2) != 0) {
		fprintf(stderr, "bench: control reply '%s'\n", rep);
		return -1;
	}
	if (out && out_sz) {
		const char *text = rep[2] == ' ' ? rep + 3 : "";
		size_t len = strnlen(text, out_sz - 1);

		memcpy(out, text, len);
		out[len] = '\0';
	}
	return 0;
}

int bench_toggle_init(struct bench_ctl *c, struct bench_toggle *t,
		      unsigned int sensor)
{
	char val[64] = "";

	t->sensor = sensor;
	if (bench_ctl_send(c, "sensor get %u", sensor) ||
	    bench_ctl_recv(c, val, sizeof(val)) ||
	    sscanf(val, "%" SCNd64, &t->value) != 1) {
		fprintf(stderr, "bench: sensor get %u: '%s'\n", sensor, val);
		return -1;
	}
	t->lo = t->value;
	t->hi = t->value + 1;
	return 0;
}

int bench_toggle_send(struct bench_ctl *c, struct bench_toggle *t)
{
	t->value = t->value == t->hi ? t->lo : t->hi;
	return bench_ctl_send(c, "sensor set %u %" PRId64, t->sensor, t->value);
}
