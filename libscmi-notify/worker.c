/* SPDX-License-Identifier: MIT */
/*
 * The worker thread and its wake-up. Protocol between producers and the
 * worker, which guarantees no lost wake-up and at most one eventfd write per
 * burst:
 *   producer: publish work; seq_cst fence; if !kicked and exchange(kicked,
 *             true) was false: write(efd)   (worker_kick)
 *   worker:   read(efd); exchange(kicked, false); do all published work
 * Work published after the worker's exchange kicks again; work published
 * before it is seen by the work that follows. A write that lands after the
 * read leaves the eventfd readable: one spurious wake-up, never a lost one.
 */
#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "worker.h"

int worker_init(struct scmi_worker *w, void (*work)(void *), void *arg)
{
	w->efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (w->efd < 0)
		return -errno;
	atomic_init(&w->kicked, false);
	atomic_init(&w->stop, false);
	w->started = false;
	w->work = work;
	w->arg = arg;
	return 0;
}

static void efd_write(int efd)
{
	uint64_t one = 1;
	ssize_t n;

	do
		n = write(efd, &one, sizeof(one));
	while (n < 0 && errno == EINTR);
	/* EAGAIN: the counter is saturated, so the fd is readable anyway */
}

void worker_kick_fenced(struct scmi_worker *w)
{
	if (atomic_load_explicit(&w->kicked, memory_order_relaxed))
		return;
	if (!atomic_exchange(&w->kicked, true))
		efd_write(w->efd);
}

void worker_kick(struct scmi_worker *w)
{
	atomic_thread_fence(memory_order_seq_cst);
	worker_kick_fenced(w);
}

void worker_consume(struct scmi_worker *w)
{
	uint64_t v;
	ssize_t n;

	/*
	 * Read first, then clear: cleared first, a producer could set the
	 * flag and write between the two, and the read would swallow its
	 * write with the flag left set: no producer would write again.
	 */
	do
		n = read(w->efd, &v, sizeof(v));
	while (n < 0 && errno == EINTR);
	atomic_exchange(&w->kicked, false);
}

static void *worker_main(void *arg)
{
	struct scmi_worker *w = arg;
	struct pollfd pfd = { .fd = w->efd, .events = POLLIN };

	while (!atomic_load(&w->stop)) {
		if (poll(&pfd, 1, -1) < 0 && errno != EINTR)
			break;
		if (atomic_load(&w->stop))
			break;
		w->work(w->arg);
	}
	return NULL;
}

int worker_start(struct scmi_worker *w)
{
	int ret;

	atomic_store(&w->stop, false);
	ret = pthread_create(&w->thread, NULL, worker_main, w);
	if (ret)
		return -ret;
	w->started = true;
	return 0;
}

void worker_stop(struct scmi_worker *w)
{
	if (!w->started)
		return;
	atomic_store(&w->stop, true);
	efd_write(w->efd);
	pthread_join(w->thread, NULL);
	w->started = false;
}

void worker_fini(struct scmi_worker *w)
{
	if (w->efd >= 0)
		close(w->efd);
	w->efd = -1;
}
