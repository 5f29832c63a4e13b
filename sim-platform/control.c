/* SPDX-License-Identifier: MIT */
/*
 * The control socket (see control.h): accepts connections on the loop,
 * reads one request per message, runs it through the protocol table and
 * sends one reply. A connection that sends more than it reads is not
 * waited for: replies are sent non-blocking and dropped if its buffer is
 * full. Runs on the simulator's loop thread only.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "agents.h"
#include "control.h"
#include "listener.h"
#include "protocols.h"

#define CONTROL_MAX_CONNS 16
#define CONTROL_MAX_WORDS 16

struct ctl_conn {
	ev_io w;
	bool used;
};

static struct sim_listener ctl_sock = { .fd = -1 };
static ev_io ctl_accept_w;
static struct ctl_conn conns[CONTROL_MAX_CONNS];

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

int control_exec(char *req, char *reply, size_t reply_sz)
{
	char *argv[CONTROL_MAX_WORDS];
	char text[SIM_CONTROL_MAX_MSG - 32] = "";
	const struct sim_protocol *p = NULL;
	int argc, ret;

	argc = split_words(req, argv, CONTROL_MAX_WORDS);
	if (argc == -E2BIG) {
		ret = -EINVAL;
		snprintf(text, sizeof(text), "more than %d words",
			 CONTROL_MAX_WORDS);
	} else if (argc == 0) {
		ret = -EINVAL;
		snprintf(text, sizeof(text), "empty request");
	} else if (!strcmp(argv[0], "ping")) {
		ret = 0;
		snprintf(text, sizeof(text), "pong");
	} else {
		for (size_t i = 0; i < SIM_NUM_PROTOCOLS; i++)
			if (!strcmp(argv[0], sim_protocols[i].name))
				p = &sim_protocols[i];
		if (!p || !p->control) {
			ret = -ENOENT;
			snprintf(text, sizeof(text),
				 "no protocol '%.32s' to control", argv[0]);
		} else if (argc < 2) {
			ret = -EINVAL;
			snprintf(text, sizeof(text), "%s: missing verb", p->name);
		} else {
			ret = p->control(argc - 1, argv + 1, text, sizeof(text));
		}
	}

	if (ret)
		snprintf(reply, reply_sz, "error %d %s", ret,
			 text[0] ? text : strerror(-ret));
	else if (text[0])
		snprintf(reply, reply_sz, "ok %s", text);
	else
		snprintf(reply, reply_sz, "ok");
	return ret;
}

static void conn_close(struct ev_loop *loop, struct ctl_conn *c)
{
	ev_io_stop(loop, &c->w);
	if (close(c->w.fd) < 0)
		sim_log(SIM_LOG_ERR, "control: close: %s", strerror(errno));
	c->used = false;
}

static void on_request(struct ev_loop *loop, ev_io *w, int revents)
{
	struct ctl_conn *c = (struct ctl_conn *)w;
	char req[SIM_CONTROL_MAX_MSG + 1], reply[SIM_CONTROL_MAX_MSG];
	ssize_t n;

	n = recv(w->fd, req, SIM_CONTROL_MAX_MSG, MSG_DONTWAIT);
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n <= 0) {
		conn_close(loop, c);
		return;
	}
	req[n] = '\0';
	if (strlen(req) != (size_t)n) {
		snprintf(reply, sizeof(reply), "error %d a request is text",
			 -EINVAL);
	} else {
		sim_log(SIM_LOG_INFO, "control: %s", req);
		control_exec(req, reply, sizeof(reply));
	}
	if (send(w->fd, reply, strlen(reply), MSG_DONTWAIT | MSG_NOSIGNAL) < 0)
		sim_log(SIM_LOG_WARN, "control: reply not sent: %s",
			strerror(errno));
}

static void on_accept(struct ev_loop *loop, ev_io *w, int revents)
{
	for (;;) {
		int fd = accept4(ctl_sock.fd, NULL, NULL,
				 SOCK_NONBLOCK | SOCK_CLOEXEC);
		struct ctl_conn *c = NULL;

		if (fd < 0) {
			if (errno != EAGAIN && errno != EINTR &&
			    errno != ECONNABORTED)
				sim_log(SIM_LOG_WARN, "control: accept: %s",
					strerror(errno));
			return;
		}
		for (size_t i = 0; i < CONTROL_MAX_CONNS && !c; i++)
			if (!conns[i].used)
				c = &conns[i];
		if (!c) {
			sim_log(SIM_LOG_WARN,
				"control: more than %d connections, refused",
				CONTROL_MAX_CONNS);
			close(fd);
			continue;
		}
		c->used = true;
		ev_io_init(&c->w, on_request, fd, EV_READ);
		ev_io_start(loop, &c->w);
	}
}

int control_open(struct ev_loop *loop, const char *path)
{
	int r;

	ctl_sock.path = path;
	r = sim_listener_open(&ctl_sock);
	if (r < 0)
		return r;
	ev_io_init(&ctl_accept_w, on_accept, ctl_sock.fd, EV_READ);
	ev_io_start(loop, &ctl_accept_w);
	sim_log(SIM_LOG_INFO, "control socket %s", path);
	return 0;
}

void control_close(struct ev_loop *loop)
{
	for (size_t i = 0; i < CONTROL_MAX_CONNS; i++)
		if (conns[i].used)
			conn_close(loop, &conns[i]);
	if (ctl_sock.fd >= 0) {
		ev_io_stop(loop, &ctl_accept_w);
		sim_listener_close(&ctl_sock);
	}
}
