/* SPDX-License-Identifier: MIT */
/*
 * The dispatcher's wake-up (see worker.h): a kick word, a futex for the
 * worker thread, an eventfd for a user's loop.
 */
#include <errno.h>
#include <linux/futex.h>
#include <signal.h>
#include <stdint.h>
#include <sys/eventfd.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "worker.h"

#define WORKER_KICKED 1u   /* work was signalled since the last consume */
#define WORKER_SLEEPING 2u /* the worker waits on the word (threaded) */

static void futex_wait(_Atomic uint32_t *addr, uint32_t val)
{
	/* returns at once if *addr != val; EINTR and spurious returns loop */
	syscall(SYS_futex, addr, FUTEX_WAIT_PRIVATE, val, NULL, NULL, 0);
}

static void futex_wake(_Atomic uint32_t *addr)
{
	syscall(SYS_futex, addr, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
}

/* Our own eventfd (never shared): a write cannot block, EAGAIN = rung. */
static void efd_write(int efd)
{
	uint64_t one = 1;
	ssize_t n;

	do
		n = write(efd, &one, sizeof(one));
	while (n < 0 && errno == EINTR);
}

int worker_init(struct scmi_worker *w, bool manual, void (*work)(void *),
		void *arg)
{
	atomic_init(&w->word, 0);
	atomic_init(&w->stop, false);
	w->started = false;
	w->work = work;
	w->arg = arg;
	w->efd = -1;
	if (manual) {
		w->efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
		if (w->efd < 0)
			return -errno;
	}
	return 0;
}

/*
 * A producer published work P (an atomic store or RMW: the queue's tail,
 * the protocol's work bit) and calls this. The dispatcher, in
 * worker_consume(), clears KICKED with a seq_cst RMW (C) and then looks
 * for work with seq_cst operations (L). The seq_cst fence F between P and
 * our load of the word is what makes a lost wake-up impossible: in the
 * single total order of seq_cst operations either F precedes C, and then
 * L (after C) must see P; or C precedes F, and then our load, after F,
 * sees C's value (KICKED clear: we kick) or a later one. A later KICKED
 * set by another producer makes the dispatcher consume and look again,
 * and that look follows F in the order too. Without F this is the
 * store-buffering pattern: P can sit in a store buffer while our load
 * reads a stale KICKED and the dispatcher's L misses P; C11 allows it
 * and so does ARMv8 (x86 does not, so no test here can see it).
 */
void worker_kick(struct scmi_worker *w)
{
	uint32_t old;

	atomic_thread_fence(memory_order_seq_cst);
	if (atomic_load_explicit(&w->word, memory_order_relaxed) &
	    WORKER_KICKED)
		return;
	old = atomic_fetch_or(&w->word, WORKER_KICKED);
	if (old & WORKER_KICKED)
		return;
	if (w->efd >= 0)
		efd_write(w->efd);
	else if (old & WORKER_SLEEPING)
		futex_wake(&w->word);
}

void worker_consume(struct scmi_worker *w, bool read_fd)
{
	if (w->efd >= 0 && read_fd) {
		uint64_t v;
		ssize_t n;

		/*
		 * Read first, then clear: cleared first, a producer could set
		 * the flag and write between the two, and the read would
		 * swallow its write with the flag left set: no producer would
		 * write again, and the user's loop would never wake.
		 */
		do
			n = read(w->efd, &v, sizeof(v));
		while (n < 0 && errno == EINTR);
	}
	atomic_fetch_and(&w->word, ~WORKER_KICKED);
}

static void *worker_main(void *arg)
{
	struct scmi_worker *w = arg;

	while (!atomic_load(&w->stop)) {
		uint32_t idle = 0;

		w->work(w->arg);
		/*
		 * Sleep only if nothing was kicked since the work consumed the
		 * word: a kick in between leaves KICKED set, the exchange
		 * fails and the work runs again.
		 */
		if (!atomic_compare_exchange_strong(&w->word, &idle,
						    WORKER_SLEEPING))
			continue;
		while (atomic_load(&w->word) == WORKER_SLEEPING &&
		       !atomic_load(&w->stop))
			futex_wait(&w->word, WORKER_SLEEPING);
		atomic_fetch_and(&w->word, ~WORKER_SLEEPING);
	}
	return NULL;
}

int worker_start(struct scmi_worker *w)
{
	sigset_t all, old;
	int ret;

	atomic_store(&w->stop, false);
	/* the worker takes no signal: they go to the application's threads */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	ret = pthread_create(&w->thread, NULL, worker_main, w);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
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
	atomic_fetch_or(&w->word, WORKER_KICKED);
	futex_wake(&w->word);
	pthread_join(w->thread, NULL);
	w->started = false;
}

void worker_fini(struct scmi_worker *w)
{
	if (w->efd >= 0)
		close(w->efd);
	w->efd = -1;
}
