/* SPDX-License-Identifier: MIT */
/*
 * Event-loop mode: the agent inside the user's event loop, with no thread
 * of the library's own (the manner of sd_bus_get_fd() / sd_bus_get_timeout()
 * / sd_bus_process() and libinput_get_fd() / libinput_dispatch()).
 *
 * The loop fd is an epoll set, readable while there is work:
 *   p2a_doorbell (edge-triggered)  a P2A message was posted
 *   the session socket             the platform hung up
 *   the notify core's eventfd      notifications queued (by a command that
 *                                  took them while it waited), or pending
 *                                  notifiers to bind
 *   wake_efd (ours)                deferred work: a hang-up a command saw,
 *                                  a completion callback due, a teardown a
 *                                  callback asked for
 *   the raw queue's eventfd        raw P2A messages wait (level: as long as
 *                                  they do), for raw_fn or the user's
 *                                  scmi_raw_recv() (include/scmi/raw.h)
 * and scmi_agent_get_timeout() gives the next deadline (a reconnect
 * attempt, a completion callback's timeout). scmi_agent_dispatch() harvests
 * the set, takes the P2A messages, acks them when asked, handles a hang-up
 * (and reconnects when an attempt is due), runs the completion callbacks
 * that are due and raw_fn for each raw message, then the notify core's
 * dispatch (which takes P2A
 * messages again between its rounds), all on the calling thread: one wake-up of that thread per notification. The channel's
 * descriptors join the set at connect and leave it before the channel
 * closes; the set itself lives as long as the agent, so the user adds it
 * to their loop once.
 */
#include <errno.h>
#include <stdint.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <scmi/agent.h>

#include "agent-priv.h"
#include "notify-priv.h"
#include "symbols.h"

enum { LOOP_P2A, LOOP_SOCK, LOOP_NOTIFY, LOOP_WAKE, LOOP_RAW };

static int loop_add(struct scmi_agent *a, int fd, uint32_t events,
		    uint32_t what)
{
	struct epoll_event ev = { .events = events, .data.u32 = what };

	return epoll_ctl(a->loop_fd, EPOLL_CTL_ADD, fd, &ev) < 0 ? -errno : 0;
}

/*
 * Between the rounds of a dispatch pass: take what the platform posted
 * meanwhile (a pass over many queued events, or callbacks taking their
 * time, must not leave the platform's queue filling up).
 */
static void take_between_rounds(void *arg)
{
	struct scmi_agent *a = arg;

	if (atomic_load(&a->connected) && agent_take_p2a(a, false))
		loop_poke(a); /* a completion is due: the next dispatch */
}

int loop_init(struct scmi_agent *a)
{
	int ret;

	notify_set_round_hook(a->ni, take_between_rounds, a);
	a->loop_fd = epoll_create1(EPOLL_CLOEXEC);
	if (a->loop_fd < 0)
		return -errno;
	a->wake_efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (a->wake_efd < 0) {
		ret = -errno;
		goto fail;
	}
	ret = loop_add(a, a->wake_efd, EPOLLIN, LOOP_WAKE);
	if (!ret)
		ret = loop_add(a, scmi_notify_get_fd(a->ni), EPOLLIN,
			       LOOP_NOTIFY);
	if (!ret && a->raw_q)
		ret = loop_add(a, a->raw_q->efd, EPOLLIN, LOOP_RAW);
	if (!ret)
		return 0;
fail:
	loop_fini(a);
	return ret;
}

void loop_fini(struct scmi_agent *a)
{
	if (a->wake_efd >= 0)
		close(a->wake_efd);
	if (a->loop_fd >= 0)
		close(a->loop_fd);
	a->wake_efd = a->loop_fd = -1;
}

int loop_attach(struct scmi_agent *a)
{
	int ret = loop_add(a, a->ch.p2a_doorbell, EPOLLIN | EPOLLET, LOOP_P2A);

	if (!ret)
		ret = loop_add(a, a->ch.sock, EPOLLIN | EPOLLRDHUP, LOOP_SOCK);
	if (ret)
		loop_detach(a);
	return ret;
}

void loop_detach(struct scmi_agent *a)
{
	/* either may be missing (a failed attach): ENOENT is fine */
	if (a->ch.p2a_doorbell >= 0)
		epoll_ctl(a->loop_fd, EPOLL_CTL_DEL, a->ch.p2a_doorbell, NULL);
	if (a->ch.sock >= 0)
		epoll_ctl(a->loop_fd, EPOLL_CTL_DEL, a->ch.sock, NULL);
}

void loop_poke(struct scmi_agent *a)
{
	static const uint64_t one = 1;
	ssize_t n;

	/* our own eventfd: EAGAIN means it is rung already */
	do
		n = write(a->wake_efd, &one, sizeof(one));
	while (n < 0 && errno == EINTR);
}

/*
 * Empty the loop fd's ready list (its edges are taken) and wake_efd, and
 * say what was ready (a bit per LOOP_*): the dispatch makes no system call
 * for what was not.
 */
static unsigned int harvest(struct scmi_agent *a)
{
	struct epoll_event ev[8];
	unsigned int ready = 0;
	uint64_t v;
	int n;

	do {
		n = epoll_wait(a->loop_fd, ev, 8, 0);
		for (int i = 0; i < n; i++)
			ready |= 1u << ev[i].data.u32;
	} while (n == 8 || (n < 0 && errno == EINTR));
	if (ready & (1u << LOOP_WAKE))
		while (read(a->wake_efd, &v, sizeof(v)) == sizeof(v))
			;
	return ready;
}

SCMI_EXPORT int scmi_agent_get_fd(struct scmi_agent *a)
{
	if (!a)
		return -EINVAL;
	return a->event_loop ? a->loop_fd : -EOPNOTSUPP;
}

SCMI_EXPORT int scmi_agent_get_timeout(struct scmi_agent *a, uint64_t *usec)
{
	uint64_t next;

	if (!a || !usec)
		return -EINVAL;
	if (!a->event_loop)
		return -EOPNOTSUPP;
	next = agent_next_deadline(a);
	*usec = next == UINT64_MAX ? UINT64_MAX : next / 1000;
	return 0;
}

SCMI_EXPORT int scmi_agent_dispatch(struct scmi_agent *a)
{
	unsigned int ready;
	uint64_t at;
	int n;

	if (!a)
		return -EINVAL;
	if (!a->event_loop)
		return -EOPNOTSUPP;
	if (agent_in_callback(a))
		return -EDEADLK;

	ready = harvest(a);
	if (atomic_load(&a->connected)) {
		if (((ready & (1u << LOOP_SOCK)) && channel_check_sock(&a->ch)) ||
		    channel_is_dead(&a->ch))
			agent_lose(a);
		else
			agent_take_p2a(a, false);
	}
	/* no system call: a load, and a look at the delayed table */
	at = atomic_load(&a->reconnect_at_ns);
	if (at && at <= scmi_now_ns())
		agent_reconnect_once(a);
	agent_run_completions(a);
	agent_run_raw(a);
	/* the core's eventfd is read only when it was readable */
	n = notify_dispatch(a->ni, ready & (1u << LOOP_NOTIFY));
	if (agent_do_teardown(a, false))
		return n < 0 ? 0 : n; /* destroyed: a is gone */
	return n;
}
