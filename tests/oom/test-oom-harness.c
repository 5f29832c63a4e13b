/* SPDX-License-Identifier: MIT */
/*
 * The allocation-failure harness (oom.h) on toy paths: a correct one
 * passes with the right number of steps, and each planted defect (a leak,
 * a missing rollback, an undocumented error, a call that cannot be made
 * again, an allocation where none may be) is reported. Also: libc's own
 * allocations are failed, a forked child's are not, and a background
 * thread's are left alone when asked.
 */
#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "oom.h"

#define NBLK 3

/* A toy state: blocks the call allocates, and a counter it bumps. */
struct toy {
	void *blk[NBLK];
	int counter;
	/* defects to plant */
	bool leak_on_failure;      /* keep what it got when a later one fails */
	void *lost[NBLK];          /* ... here, for the test to free at its end */
	bool bump_before_alloc;    /* change state and not undo it on failure */
	int error;                 /* what it returns on failure */
	bool fail_twice;           /* refuses to be called again */
	bool called;
	/* what the checks saw (counted, not asserted, to be looked at) */
	unsigned int failed_checks, rollbacks_missed, done_checks, done_wrong;
};

static void toy_setup(void *ctx)
{
	struct toy *t = ctx;

	memset(t->blk, 0, sizeof(t->blk));
	t->counter = 0;
	t->called = false;
}

static int toy_call(void *ctx)
{
	struct toy *t = ctx;

	if (t->fail_twice && t->called)
		return -EIO;
	t->called = true;
	if (t->bump_before_alloc)
		t->counter++;
	for (int i = 0; i < NBLK; i++) {
		t->blk[i] = malloc(16);
		if (!t->blk[i]) {
			if (!t->leak_on_failure)
				for (int j = 0; j < i; j++) {
					free(t->blk[j]);
					t->blk[j] = NULL;
				}
			else
				for (int j = 0; j < i; j++) {
					t->lost[j] = t->blk[j];
					t->blk[j] = NULL;
				}
			return t->error ? t->error : -ENOMEM;
		}
	}
	if (!t->bump_before_alloc)
		t->counter++;
	return 0;
}

static void toy_check_failed(void *ctx, int err)
{
	struct toy *t = ctx;

	t->failed_checks++;
	if (t->counter != 0)
		t->rollbacks_missed++;
}

static void toy_check_done(void *ctx)
{
	struct toy *t = ctx;

	t->done_checks++;
	for (int i = 0; i < NBLK; i++)
		if (!t->blk[i])
			t->done_wrong++;
	if (t->counter != 1)
		t->done_wrong++;
}

static void toy_teardown(void *ctx)
{
	struct toy *t = ctx;

	for (int i = 0; i < NBLK; i++)
		free(t->blk[i]);
}

static struct oom_path toy_path(struct toy *t)
{
	return (struct oom_path){
		.name = "toy",
		.ctx = t,
		.setup = toy_setup,
		.call = toy_call,
		.check_failed = toy_check_failed,
		.check_done = toy_check_done,
		.teardown = toy_teardown,
	};
}

static void test_replacement_active(void **state)
{
	assert_true(oom_active());
}

static void test_correct_path_passes(void **state)
{
	struct toy t = { 0 };
	struct oom_path p = toy_path(&t);
	struct oom_result res;

	assert_true(oom_run(&p, &res));
	assert_int_equal(res.allocs, NBLK);
	/* k = 1..NBLK fail one each, k = NBLK + 1 completes */
	assert_int_equal(res.steps[0], NBLK + 1);
	assert_int_equal(res.steps[1], NBLK + 1);
	assert_int_equal(t.failed_checks, 2 * NBLK);
	assert_int_equal(t.rollbacks_missed, 0);
	/* two unfailed runs, 2 * NBLK retries, the two runs that complete */
	assert_int_equal(t.done_checks, 2 + 2 * NBLK + 2);
	assert_int_equal(t.done_wrong, 0);
}

static void test_leak_is_reported(void **state)
{
	struct toy t = { .leak_on_failure = true };
	struct oom_path p = toy_path(&t);
	struct oom_result res;

	assert_false(oom_run(&p, &res));
	for (int i = 0; i < NBLK; i++)
		free(t.lost[i]);
	assert_non_null(strstr(res.why, "leak"));
	/* k = 1 fails the first allocation: nothing to leak yet */
	assert_non_null(strstr(res.why, "allocation 2 failed"));
}

static void test_missing_rollback_is_seen(void **state)
{
	struct toy t = { .bump_before_alloc = true };
	struct oom_path p = toy_path(&t);
	struct oom_result res;

	oom_run(&p, &res);
	assert_int_equal(t.rollbacks_missed, t.failed_checks);
	assert_true(t.failed_checks > 0);
	/* and the call made again on top of it leaves the counter at 2 */
	assert_true(t.done_wrong > 0);
}

static void test_undocumented_error_is_reported(void **state)
{
	static const int errs[] = { -ENOMEM, -EAGAIN, 0 };
	struct toy t = { .error = -EIO };
	struct oom_path p = toy_path(&t);
	struct oom_result res;

	assert_false(oom_run(&p, &res));
	assert_non_null(strstr(res.why, "not an error it documents"));

	t.error = -EAGAIN;
	assert_false(oom_run(&p, &res));
	p.errors = errs;
	assert_true(oom_run(&p, &res));
}

static void test_call_that_cannot_be_repeated_is_reported(void **state)
{
	struct toy t = { .fail_twice = true };
	struct oom_path p = toy_path(&t);
	struct oom_result res;

	assert_false(oom_run(&p, &res));
	assert_non_null(strstr(res.why, "then the same call with memory returns"));
}

static void test_never_allocates(void **state)
{
	struct toy t = { 0 };
	struct oom_path p = toy_path(&t);
	struct oom_result res;

	p.never_allocates = true;
	assert_false(oom_run(&p, &res));
	assert_non_null(strstr(res.why, "must not"));
}

/* ---- whose allocations are failed ---------------------------------------- */

static char *dup_result;

static int call_strdup(void *ctx)
{
	dup_result = strdup("what libc allocates for us");
	return dup_result ? 0 : -ENOMEM;
}

static void free_dup(void *ctx)
{
	free(dup_result);
	dup_result = NULL;
}

static void test_libc_allocations_are_failed(void **state)
{
	struct oom_path p = {
		.name = "strdup", .call = call_strdup, .teardown = free_dup,
	};
	struct oom_result res;

	assert_true(oom_run(&p, &res));
#ifdef OOM_UNDER_SANITIZER
	/* the sanitizer's strdup does not call malloc (see oom.c) */
	assert_true(res.allocs <= 1);
#else
	assert_int_equal(res.allocs, 1);
	assert_int_equal(res.steps[0], 2);
#endif
}

static void *child_blk;

/* One block here; a forked child allocates its own and exits. */
static int call_fork(void *ctx)
{
	pid_t pid;
	int status;

	child_blk = malloc(8);
	if (!child_blk)
		return -ENOMEM;
	pid = fork();
	if (pid < 0) {
		free(child_blk);
		child_blk = NULL;
		return -errno;
	}
	if (pid == 0) {
		void *volatile b[4];

		for (int i = 0; i < 4; i++)
			b[i] = malloc(8);
		for (int i = 0; i < 4; i++)
			if (!b[i])
				_exit(1);
		_exit(0);
	}
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		free(child_blk);
		child_blk = NULL;
		return -ECHILD;
	}
	return 0;
}

static void free_child_blk(void *ctx)
{
	free(child_blk);
	child_blk = NULL;
}

static void test_forked_child_is_not_failed(void **state)
{
	struct oom_path p = {
		.name = "fork", .call = call_fork, .teardown = free_child_blk,
	};
	struct oom_result res;

	assert_true(oom_run(&p, &res));
	assert_int_equal(res.allocs, 1);
}

static void *thread_alloc(void *arg)
{
	void **out = arg;

	*out = malloc(32);
	return NULL;
}

static void *own_blk, *thread_blk;

static int call_with_thread(void *ctx)
{
	pthread_t th;
	int ret;

	own_blk = malloc(8);
	if (!own_blk)
		return -ENOMEM;
	ret = pthread_create(&th, NULL, thread_alloc, &thread_blk);
	if (ret) {
		free(own_blk);
		own_blk = NULL;
		return -ret;
	}
	pthread_join(th, NULL);
	if (!thread_blk) {
		free(own_blk);
		own_blk = NULL;
		return -ENOMEM;
	}
	return 0;
}

static void free_thread_blks(void *ctx)
{
	free(own_blk);
	free(thread_blk);
	own_blk = thread_blk = NULL;
}

static void test_this_thread_only(void **state)
{
	static const int errs[] = { -ENOMEM, -EAGAIN, 0 };
	struct oom_path p = {
		.name = "thread", .call = call_with_thread,
		.teardown = free_thread_blks, .errors = errs,
		.this_thread_only = true,
	};
	struct oom_result res;

	unsigned long mine;

	assert_true(oom_run(&p, &res));
	/* ours and what pthread_create() allocates, not the new thread's */
	mine = res.allocs;
	assert_true(mine >= 1);
#ifndef OOM_UNDER_SANITIZER
	p.this_thread_only = false;
	assert_true(oom_run(&p, &res));
	assert_int_equal(res.allocs, mine + 1);
#endif
}

int main(void)
{
#ifdef OOM_UNAVAILABLE
	/* see oom.h: nothing to test under this sanitizer; 77 is a skip */
	fprintf(stderr, "test-oom-harness: malloc is the sanitizer's here\n");
	return 77;
#endif
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_replacement_active),
		cmocka_unit_test(test_correct_path_passes),
		cmocka_unit_test(test_leak_is_reported),
		cmocka_unit_test(test_missing_rollback_is_seen),
		cmocka_unit_test(test_undocumented_error_is_reported),
		cmocka_unit_test(test_call_that_cannot_be_repeated_is_reported),
		cmocka_unit_test(test_never_allocates),
		cmocka_unit_test(test_libc_allocations_are_failed),
		cmocka_unit_test(test_forked_child_is_not_failed),
		cmocka_unit_test(test_this_thread_only),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
