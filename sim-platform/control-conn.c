/* SPDX-License-Identifier: MIT */
/*
 * The control socket's connections (see control.h): accept them on the
 * loop, read one request per message, run it with control_exec() and
 * send its reply, in parts when it is long.
 *
 * A reply the client's socket has no room for waits, whole, in its
 * connection (the watcher then waits to write, not to read): the next
 * request of that connection is read once the reply is all sent. So a
 * client that sends and never reads holds itself up and nobody else,
 * loses no reply, and costs one reply's memory.
 *
 * At most CONTROL_MAX_CONNS are open. To make room for a new one, the
 * requests already waiting on the others are read first (a client that
 * has sent its request has spoken, however fast others connect); then
 * the connection open longest without sending any request is closed;
 * failing that, the one that spoke and has been silent longest, if for
 * CONTROL_IDLE_S at least (a client that left it open); failing that, the
 * new connection is answered -EBUSY and closed. So a client that opens
 * connections in a loop and never speaks only evicts its own, and
 * clients that speak keep theirs. Runs on the simulator's loop thread.
 */
#include <errno.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include <ev.h>

#include "log.h"
#include "control.h"
#include "listener.h"

#define CONTROL_MAX_CONNS 16
#define CONTROL_IDLE_S 2.0

struct ctl_conn {
	ev_io w;              /* EV_READ, or EV_WRITE while a reply waits */
	bool used;
	bool spoke;           /* it has sent a request */
	ev_tstamp last;       /* accepted, or its latest request */
	char *out;            /* the rest of a reply, waiting for room */
	size_t out_len, out_off;
};

static struct sim_listener ctl_sock = { .fd = -1 };
/* what a client can make us log again and again, one limit each */
static struct sim_ratelimit rl_lost = SIM_RATELIMIT_INIT;
static struct sim_ratelimit rl_evicted = SIM_RATELIMIT_INIT;
static struct sim_ratelimit rl_busy = SIM_RATELIMIT_INIT;
static struct ctl_conn conns[CONTROL_MAX_CONNS];
static char reply_buf[SIM_CONTROL_MAX_TOTAL];

static void conn_close(struct ev_loop *loop, struct ctl_conn *c)
{
	ev_io_stop(loop, &c->w);
	if (close(c->w.fd) < 0)
		sim_log(SIM_LOG_ERR, "control: close: %s", strerror(errno));
	free(c->out);
	memset(c, 0, sizeof(*c));
}

static void conn_watch(struct ev_loop *loop, struct ctl_conn *c, int events)
{
	ev_io_stop(loop, &c->w);
	ev_io_set(&c->w, c->w.fd, events);
	ev_io_start(loop, &c->w);
}

/*
 * Send as much of the @len bytes of a reply at @p as the socket takes,
 * in messages of SIM_CONTROL_MAX_REPLY bytes, every one but the last
 * marked '+' (control.h). The bytes sent, or a negative errno.
 */
static ssize_t send_parts(int fd, const char *p, size_t len)
{
	size_t off = 0;

	while (off < len) {
		bool more = len - off > SIM_CONTROL_MAX_REPLY;
		size_t n = more ? SIM_CONTROL_MAX_REPLY - 1 : len - off;
		struct iovec iov[2] = {
			{ .iov_base = "+", .iov_len = 1 },
			{ .iov_base = (void *)(p + off), .iov_len = n },
		};
		struct msghdr msg = { .msg_iov = more ? iov : iov + 1,
				      .msg_iovlen = more ? 2 : 1 };

		if (sendmsg(fd, &msg, MSG_DONTWAIT | MSG_NOSIGNAL) < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				break;
			return -errno;
		}
		off += n;
	}
	return (ssize_t)off;
}

/* A reply could not be sent: the client is gone, or it goes. */
static void conn_lost(struct ev_loop *loop, struct ctl_conn *c, int err)
{
	/* a client that left before its reply is no news */
	sim_log_limited(&rl_lost,
			err == -EPIPE || err == -ECONNRESET ? SIM_LOG_INFO :
							      SIM_LOG_WARN,
			"control: reply not sent: %s: closing", strerror(-err));
	conn_close(loop, c);
}

/* Send a reply of @len bytes, or keep what the socket has no room for. */
static void conn_reply(struct ev_loop *loop, struct ctl_conn *c,
		       const char *reply, size_t len)
{
	ssize_t n = send_parts(c->w.fd, reply, len);

	if (n < 0) {
		conn_lost(loop, c, (int)n);
		return;
	}
	if ((size_t)n == len)
		return;
	c->out = malloc(len - (size_t)n);
	if (!c->out) {
		conn_lost(loop, c, -ENOMEM);
		return;
	}
	memcpy(c->out, reply + n, len - (size_t)n);
	c->out_len = len - (size_t)n;
	c->out_off = 0;
	conn_watch(loop, c, EV_WRITE);
}

/* The socket has room: more of the reply waiting; then requests again. */
static void conn_flush(struct ev_loop *loop, struct ctl_conn *c)
{
	ssize_t n = send_parts(c->w.fd, c->out + c->out_off,
			       c->out_len - c->out_off);

	if (n < 0) {
		conn_lost(loop, c, (int)n);
		return;
	}
	c->out_off += (size_t)n;
	if (c->out_off < c->out_len)
		return;
	free(c->out);
	c->out = NULL;
	conn_watch(loop, c, EV_READ);
}

/*
 * After a read of 0 bytes: whether the client hung up. If not, it sent
 * an empty message, a request like any other (refused as empty).
 */
static bool hung_up(int fd)
{
	struct pollfd p = { .fd = fd, .events = POLLIN | POLLRDHUP };
	int r = poll(&p, 1, 0);

	return r < 0 || (r == 1 && (p.revents & (POLLRDHUP | POLLHUP | POLLERR)));
}

/* Read one request, if one waits, and answer it. */
static void conn_request(struct ev_loop *loop, struct ctl_conn *c)
{
	char req[SIM_CONTROL_MAX_MSG + 1];
	struct iovec iov = { .iov_base = req, .iov_len = SIM_CONTROL_MAX_MSG };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1 };
	char *reply = reply_buf;
	ssize_t n;

	n = recvmsg(c->w.fd, &msg, MSG_DONTWAIT);
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n < 0 || (n == 0 && hung_up(c->w.fd))) {
		conn_close(loop, c);
		return;
	}
	req[n] = '\0';
	c->spoke = true;
	c->last = ev_now(loop);
	if (msg.msg_flags & MSG_TRUNC) {
		/* the rest is gone: what came is not the request that was sent */
		snprintf(reply, sizeof(reply_buf),
			 "error %d a request is at most %d bytes: not run",
			 -EMSGSIZE, SIM_CONTROL_MAX_MSG);
	} else if (strlen(req) != (size_t)n) {
		snprintf(reply, sizeof(reply_buf), "error %d a request is text",
			 -EINVAL);
	} else {
		sim_log(SIM_LOG_INFO, "control: %s", req);
		control_exec(req, reply, sizeof(reply_buf));
	}
	conn_reply(loop, c, reply, strlen(reply));
}

static void on_conn(struct ev_loop *loop, ev_io *w, int revents)
{
	struct ctl_conn *c = (struct ctl_conn *)w;

	if (c->out)
		conn_flush(loop, c);
	else
		conn_request(loop, c);
}

/* A slot for a new connection, made by closing another if need be; or NULL. */
static struct ctl_conn *free_slot(struct ev_loop *loop)
{
	struct ctl_conn *silent = NULL, *idle = NULL;

	for (size_t i = 0; i < CONTROL_MAX_CONNS; i++)
		if (!conns[i].used)
			return &conns[i];
	/* a request already sent is spoken, read or not */
	for (size_t i = 0; i < CONTROL_MAX_CONNS; i++)
		if (!conns[i].spoke)
			conn_request(loop, &conns[i]);
	for (size_t i = 0; i < CONTROL_MAX_CONNS; i++) {
		struct ctl_conn *c = &conns[i];

		if (!c->used)
			return c;
		if (!c->spoke && (!silent || c->last < silent->last))
			silent = c;
		if (c->spoke && (!idle || c->last < idle->last))
			idle = c;
	}
	if (silent) {
		sim_log_limited(&rl_evicted, SIM_LOG_WARN,
				"control: %d connections open: closing the one open %.1f s without a request",
				CONTROL_MAX_CONNS, ev_now(loop) - silent->last);
		conn_close(loop, silent);
		return silent;
	}
	if (idle && ev_now(loop) - idle->last >= CONTROL_IDLE_S) {
		sim_log_limited(&rl_evicted, SIM_LOG_WARN,
				"control: %d connections open: closing the one silent for %.1f s",
				CONTROL_MAX_CONNS, ev_now(loop) - idle->last);
		conn_close(loop, idle);
		return idle;
	}
	return NULL;
}

static void on_accept(struct ev_loop *loop, int fd, void *data)
{
	struct ctl_conn *c = free_slot(loop);
	char busy[128];

	if (!c) {
		snprintf(busy, sizeof(busy),
			 "error %d all %d control connections are in use: try again later",
			 -EBUSY, CONTROL_MAX_CONNS);
		sim_log_limited(&rl_busy, SIM_LOG_WARN,
				"control: %d connections open and in use: a new one turned away",
				CONTROL_MAX_CONNS);
		(void)send(fd, busy, strlen(busy), MSG_DONTWAIT | MSG_NOSIGNAL);
		if (close(fd) < 0)
			sim_log(SIM_LOG_ERR, "control: close: %s", strerror(errno));
		return;
	}
	c->used = true;
	c->last = ev_now(loop);
	ev_io_init(&c->w, on_conn, fd, EV_READ);
	ev_io_start(loop, &c->w);
}

int control_open(struct ev_loop *loop, const char *path)
{
	int r;

	ctl_sock.path = path;
	ctl_sock.name = "control";
	r = sim_listener_open(&ctl_sock);
	if (r < 0)
		return r;
	sim_listener_start(&ctl_sock, loop, on_accept, NULL);
	sim_log(SIM_LOG_INFO, "control socket %s", path);
	return 0;
}

void control_close(struct ev_loop *loop)
{
	for (size_t i = 0; i < CONTROL_MAX_CONNS; i++)
		if (conns[i].used)
			conn_close(loop, &conns[i]);
	sim_listener_close(&ctl_sock);
}
