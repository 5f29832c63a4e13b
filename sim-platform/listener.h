/* SPDX-License-Identifier: MIT */
/*
 * A listening UNIX socket of type SOCK_SEQPACKET for the simulator: the
 * agents' socket and the control socket. The socket file is made mode
 * 0600; a stale file is replaced only when nothing answers on it, and at
 * close the file is removed only if it is still the one we bound.
 *
 * Started on the loop, it accepts every connection waiting and hands
 * each to its callback. When accept fails for want of descriptors or
 * memory (EMFILE, ENFILE, ENOBUFS, ENOMEM), the connection stays in the
 * backlog and the socket stays readable: the listener then stops
 * watching it for SIM_ACCEPT_BACKOFF_S and tries again, rather than
 * spin on it (and log) as fast as the loop turns; the warning that says
 * so is rate-limited.
 */
#ifndef SIM_LISTENER_H
#define SIM_LISTENER_H

#include <sys/stat.h>

#include <ev.h>

#include "ratelimit.h"

#define SIM_ACCEPT_BACKOFF_S 0.1

/* A connection accepted (non-blocking, close-on-exec): @fd is the callee's. */
typedef void sim_accept_fn(struct ev_loop *loop, int fd, void *data);

struct sim_listener {
	int fd;                /* -1 when closed */
	const char *path;
	const char *name;      /* "agents", "control": for logs */
	struct stat st;        /* of the socket file we bound */
	struct ev_loop *loop;  /* NULL until started */
	sim_accept_fn *accept_fn;
	void *data;
	ev_io w;               /* readable: connections to accept */
	ev_timer backoff;      /* accept paused: out of descriptors or memory */
	struct sim_ratelimit rl;  /* of the line saying so */
};

/* Bind and listen on l->path (non-blocking). 0 or a negative errno, logged. */
int sim_listener_open(struct sim_listener *l);
/* Accept connections on @loop, each given to @fn with @data. */
void sim_listener_start(struct sim_listener *l, struct ev_loop *loop,
			sim_accept_fn *fn, void *data);
/* Stop, close, and remove the socket file if it is still ours. Idempotent. */
void sim_listener_close(struct sim_listener *l);

#endif /* SIM_LISTENER_H */
