/* SPDX-License-Identifier: MIT */
/*
 * The manual mode's wake-up (worker.c): a producer that queues an event
 * while the dispatcher takes the outstanding kick must leave the core's
 * fd readable for the events after it. The dispatcher reads the eventfd
 * first and clears the kick flag after; the other way round, the read
 * swallows the write of a producer that kicked in between, the flag
 * stays set, no later producer writes again, and the user's loop never
 * wakes for the events that follow.
 *
 * The interleaving is made, not hoped for: this program defines read(),
 * which the core's objects (linked in statically) call, and runs the
 * producer inside it just before the eventfd is read. The stress test of
 * notify runs the same path with real threads.
 */
#include <errno.h>
#include <poll.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cmocka.h>

#include <scmi/notify.h>

#include "fake-proto.h"

#define P 0x13
#define EA FAKE_EVT_A

/* The producer to run at the next read() of hook_fd, once. */
static struct fake_proto *hook_fp;
static int hook_fd = -1;
static uint32_t hook_value;

ssize_t read(int fd, void *buf, size_t n)
{
	if (fd == hook_fd && hook_fp) {
		struct fake_proto *fp = hook_fp;

		hook_fp = NULL;
		/* a producer queues an event (and kicks) right now */
		if (fake_emit(fp, EA, 0, hook_value))
			fail_msg("the producer's event was refused");
	}
	return syscall(SYS_read, fd, buf, n);
}

static int readable(int fd, int ms)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };

	return poll(&p, 1, ms) == 1;
}

static void test_kick_during_consume_is_not_lost(void **state)
{
	struct scmi_notify_config cfg = { .manual_dispatch = true };
	struct fake_sink sink;
	struct scmi_notify *ni;
	struct fake_proto *fp;
	struct fake_nb a;
	uint32_t src = 0;
	int fd;

	fake_sink_init(&sink);
	assert_int_equal(scmi_notify_create(&ni, &cfg), 0);
	fp = fake_proto_new(ni, P, 4);
	assert_int_equal(fake_proto_register(fp), 0);
	fake_nb_init(&a, &sink, 1, 0);
	assert_int_equal(scmi_event_notifier_register(ni, P, EA, &src, &a.nb),
			 0);
	fd = scmi_notify_get_fd(ni);
	assert_int_equal(scmi_notify_run_pending(ni), 0);
	assert_false(readable(fd, 0));

	/* an event: the fd wakes the loop */
	assert_int_equal(fake_emit(fp, EA, 0, 1), 0);
	assert_true(readable(fd, 0));
	/* the dispatch takes the kick; a producer kicks in the middle */
	hook_fd = fd;
	hook_fp = fp;
	hook_value = 2;
	assert_true(scmi_notify_run_pending(ni) >= 1);
	assert_null(hook_fp);
	/* whatever of event 2 this pass took, what follows must wake */
	if (!readable(fd, 0))
		assert_int_equal(fake_sink_count(&sink), 2);
	else
		assert_true(scmi_notify_run_pending(ni) >= 0);
	assert_int_equal(fake_sink_count(&sink), 2);

	assert_int_equal(fake_emit(fp, EA, 0, 3), 0);
	assert_true(readable(fd, 100));
	assert_int_equal(scmi_notify_run_pending(ni), 1);
	assert_int_equal(fake_sink_count(&sink), 3);
	assert_false(readable(fd, 0));

	hook_fd = -1;
	assert_int_equal(scmi_event_notifier_unregister(ni, P, EA, &src,
							&a.nb), 0);
	assert_int_equal(scmi_notify_destroy(ni), 0);
	fake_proto_free(fp);
	fake_sink_fini(&sink);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kick_during_consume_is_not_lost),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
