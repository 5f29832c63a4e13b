/* SPDX-License-Identifier: MIT */
/* A listening SOCK_SEQPACKET socket of the simulator; see listener.h. */
#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "log.h"
#include "listener.h"

static int make_addr(const char *path, struct sockaddr_un *sun)
{
	memset(sun, 0, sizeof(*sun));
	sun->sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(sun->sun_path)) {
		sim_log(SIM_LOG_ERR, "socket path too long (at most %zu bytes): %s",
			sizeof(sun->sun_path) - 1, path);
		return -ENAMETOOLONG;
	}
	strcpy(sun->sun_path, path);
	return 0;
}

/*
 * A socket file already at @path: remove it if it is stale (nothing
 * answers), refuse if a simulator (or anything) listens there or if it is
 * not a socket.
 */
static int clear_stale_socket(const struct sockaddr_un *sun)
{
	const char *path = sun->sun_path;
	struct stat st;
	int fd, r, err;

	if (lstat(path, &st) < 0) {
		if (errno == ENOENT)
			return 0;
		sim_log(SIM_LOG_ERR, "%s: %s", path, strerror(errno));
		return -errno;
	}
	if (!S_ISSOCK(st.st_mode)) {
		sim_log(SIM_LOG_ERR, "%s exists and is not a socket: not replacing it",
			path);
		return -EEXIST;
	}

	fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		sim_log(SIM_LOG_ERR, "socket: %s", strerror(errno));
		return -errno;
	}
	r = connect(fd, (const struct sockaddr *)sun, sizeof(*sun));
	err = errno;
	if (close(fd) < 0)
		sim_log(SIM_LOG_ERR, "close: %s", strerror(errno));
	if (r == 0 || err == EAGAIN) {
		sim_log(SIM_LOG_ERR,
			"another scmi-sim is already listening on %s: not starting",
			path);
		return -EADDRINUSE;
	}
	if (err != ECONNREFUSED) {
		sim_log(SIM_LOG_ERR, "%s is in use (%s): not starting", path,
			strerror(err));
		return -err;
	}
	if (unlink(path) < 0 && errno != ENOENT) {
		sim_log(SIM_LOG_ERR, "removing the stale socket %s: %s", path,
			strerror(errno));
		return -errno;
	}
	sim_log(SIM_LOG_INFO, "removed the stale socket %s", path);
	return 0;
}

static int listener_bind(struct sim_listener *l)
{
	struct sockaddr_un sun;
	mode_t old_mask;
	int r, err;

	r = make_addr(l->path, &sun);
	if (r < 0)
		return r;
	r = clear_stale_socket(&sun);
	if (r < 0)
		return r;

	l->fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (l->fd < 0) {
		sim_log(SIM_LOG_ERR, "socket: %s", strerror(errno));
		return -errno;
	}
	old_mask = umask(0177);                   /* the socket file: 0600 */
	r = bind(l->fd, (const struct sockaddr *)&sun, sizeof(sun));
	err = errno;
	umask(old_mask);
	if (r < 0) {
		sim_log(SIM_LOG_ERR, "bind %s: %s", l->path, strerror(err));
		return -err;
	}
	if (lstat(l->path, &l->st) < 0 || listen(l->fd, SOMAXCONN) < 0) {
		err = errno;
		sim_log(SIM_LOG_ERR, "listen %s: %s", l->path, strerror(err));
		if (unlink(l->path) < 0)
			sim_log(SIM_LOG_ERR, "unlink %s: %s", l->path, strerror(errno));
		return -err;
	}
	return 0;
}

/* Remove the socket file, if it is still the one we bound. */
void sim_listener_close(struct sim_listener *l)
{
	struct stat st;

	if (l->loop) {
		ev_io_stop(l->loop, &l->w);
		ev_timer_stop(l->loop, &l->backoff);
		l->loop = NULL;
	}
	if (l->fd < 0)
		return;
	if (close(l->fd) < 0)
		sim_log(SIM_LOG_ERR, "close: %s", strerror(errno));
	l->fd = -1;
	if (lstat(l->path, &st) == 0 && st.st_dev == l->st.st_dev &&
	    st.st_ino == l->st.st_ino && unlink(l->path) < 0)
		sim_log(SIM_LOG_ERR, "unlink %s: %s", l->path, strerror(errno));
}

int sim_listener_open(struct sim_listener *l)
{
	int r;

	l->fd = -1;
	r = listener_bind(l);
	if (r < 0 && l->fd >= 0) {
		if (close(l->fd) < 0)
			sim_log(SIM_LOG_ERR, "close: %s", strerror(errno));
		l->fd = -1;
	}
	return r;
}

/* ---- accepting --------------------------------------------------------- */

static void on_accept(struct ev_loop *loop, ev_io *w, int revents)
{
	struct sim_listener *l = w->data;

	for (;;) {
		int fd = accept4(l->fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);

		if (fd >= 0) {
			l->accept_fn(loop, fd, l->data);
			continue;
		}
		if (errno == EAGAIN || errno == EWOULDBLOCK)
			return;
		if (errno == EINTR || errno == ECONNABORTED || errno == EPROTO)
			continue;
		/* out of descriptors or memory: pause, do not spin */
		sim_log_limited(&l->rl, SIM_LOG_WARN, "%s: accept: %s: pausing %.1f s",
				l->name, strerror(errno), SIM_ACCEPT_BACKOFF_S);
		ev_io_stop(loop, &l->w);
		/* set each time: a timer that fired keeps no useful time */
		ev_timer_set(&l->backoff, SIM_ACCEPT_BACKOFF_S, 0.);
		ev_timer_start(loop, &l->backoff);
		return;
	}
}

static void on_backoff(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct sim_listener *l = w->data;

	ev_io_start(loop, &l->w);
}

void sim_listener_start(struct sim_listener *l, struct ev_loop *loop,
			sim_accept_fn *fn, void *data)
{
	l->loop = loop;
	l->accept_fn = fn;
	l->data = data;
	ev_io_init(&l->w, on_accept, l->fd, EV_READ);
	l->w.data = l;
	ev_timer_init(&l->backoff, on_backoff, SIM_ACCEPT_BACKOFF_S, 0.);
	l->backoff.data = l;
	ev_io_start(loop, &l->w);
}
