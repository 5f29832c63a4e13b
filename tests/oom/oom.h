/* SPDX-License-Identifier: MIT */
/*
 * Allocation-failure tests in the manner of SQLite's: run a public path
 * once to count its allocations, then again for k = 1, 2, ... with the
 * k-th allocation failed, until a run completes without reaching k. For
 * every k: the call returns an error it documents (or succeeds if it could
 * do without that memory), the state is as before the call (the path's own
 * checks), the same call made again without failure succeeds, and after
 * the path's teardown no heap block is left that was not there before.
 * Each k runs twice: "transient" (only the k-th allocation fails) and
 * "persistent" (the k-th and every later one fail, as when memory is
 * exhausted, so that error paths that allocate are caught too).
 *
 * Any program linked with oom.c has malloc & co. replaced (see oom.c for
 * how, and why so): the failures reach allocations made inside libc (strdup,
 * fopen) and other libraries (json-c) on the program's behalf.
 *
 * Use (a CMocka test):
 *
 *   static const int errs[] = { -ENOMEM, 0 };
 *   struct oom_path p = {
 *       .name = "register, bound protocol",
 *       .ctx = &fx,
 *       .setup = fx_setup,           // build the state the call starts from
 *       .call = call_register,       // the call: 0 or a negative errno
 *       .check_failed = check_none,  // state as setup left it
 *       .check_done = check_one,     // state the call leaves
 *       .teardown = fx_teardown,     // free everything
 *       .errors = errs,              // what the call may fail with
 *   };
 *   assert_oom_path(&p);             // fails the test with k and mode
 *
 * The hooks run without any failure armed, so they may allocate and use
 * CMocka's assertions. Only call() runs armed. Allocations of other
 * threads count and fail too, unless .this_thread_only: then only those
 * of the thread that runs call() do, which keeps k deterministic while a
 * background thread (a worker, an rx thread) allocates on its own clock.
 * A process forked during call() never has its allocations failed (a
 * dry run in a child is not the path under test).
 *
 * For a path that must never allocate (deregistration, unregistration,
 * destroy), .never_allocates makes that an assertion.
 */
#ifndef SCMI_TEST_OOM_H
#define SCMI_TEST_OOM_H

#include <stdbool.h>
#include <stddef.h>

/*
 * OOM_UNDER_SANITIZER: GCC's AddressSanitizer owns the allocator, in
 * libasan.so, and oom.c forwards to it. Its strdup() and a few others
 * then allocate without malloc, so they are not failed; and a new
 * thread's start-up in its runtime allocates through libc and aborts
 * when that fails: paths that start threads set .this_thread_only.
 *
 * OOM_UNAVAILABLE: another sanitizer owns the allocator (ThreadSanitizer,
 * MemorySanitizer, clang's AddressSanitizer, whose runtime is linked
 * into the program): malloc is not replaced, and assert_oom_path()
 * skips the test. TSan's runtime calls malloc before it can serve
 * it and counts no exact heap in use; a runtime linked into the program
 * has no "next" malloc to forward to. The plain, valgrind and (GCC) ASan
 * runs test allocation failure.
 */
#if defined(__clang__) && defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer) || \
	__has_feature(memory_sanitizer)
#define OOM_UNAVAILABLE 1
#endif
#elif defined(__SANITIZE_THREAD__)
#define OOM_UNAVAILABLE 1
#elif defined(__SANITIZE_ADDRESS__)
#define OOM_UNDER_SANITIZER 1
#endif

struct oom_path {
	const char *name;
	void *ctx;                                 /* given to every hook */
	void (*setup)(void *ctx);                  /* optional */
	int (*call)(void *ctx);                    /* required */
	void (*check_failed)(void *ctx, int err);  /* optional */
	void (*check_done)(void *ctx);             /* optional */
	void (*teardown)(void *ctx);               /* optional */
	/* errors besides success the call may return, 0-terminated; NULL: -ENOMEM */
	const int *errors;
	bool this_thread_only;
	bool never_allocates;
};

/* What oom_run() found. */
struct oom_result {
	unsigned long allocs;   /* allocations of the call in the unfailed run */
	unsigned long steps[2]; /* values of k run, transient and persistent */
	unsigned long absorbed; /* failures the call did without (returned 0) */
	bool ok;
	char why[512];          /* the first defect, when !ok */
};

/*
 * Run @p as described at the top of this file. Stops at the first defect
 * (a hook's CMocka assertion stops the test at once instead). Returns
 * res->ok.
 */
bool oom_run(const struct oom_path *p, struct oom_result *res);

/*
 * oom_run(), failing the calling CMocka test with the defect found, or
 * skipping it where the harness is unavailable (OOM_UNAVAILABLE).
 */
void oom_assert_path(const struct oom_path *p, struct oom_result *res,
		     const char *file, int line);
#define assert_oom_path(p) oom_assert_path((p), NULL, __FILE__, __LINE__)

/*
 * Skip the calling CMocka test where the harness is unavailable
 * (OOM_UNAVAILABLE); fail it where malloc is not the harness's. For a
 * test that calibrates (oom_find_growth()) before assert_oom_path().
 */
void oom_require(void);

/* ---- the allocator's side, for hooks and calibration ---------------- */

/*
 * Whether the replacement is what the program's allocations reach (not
 * with OOM_UNAVAILABLE, nor under a valgrind that replaces malloc in the
 * program itself: run it with --soname-synonyms=somalloc=nouserintercepts).
 */
bool oom_active(void);

/* Allocation calls made so far by the process, successful or not. */
unsigned long oom_allocations(void);

/*
 * Heap in use: blocks (our own count) or, under a sanitizer that owns
 * the allocator, its bytes. Only differences mean something.
 */
long oom_live(void);

/*
 * Make @n calls @step(@ctx, i), i = 0, 1, ..., in a row, and find those
 * that allocate more than the second one did: where a hash table grows
 * its buckets, say (a path to run again with that many calls made in
 * its setup). Up to @max of them in @at; returns how many.
 */
unsigned int oom_find_growth(void (*step)(void *ctx, unsigned int i),
			     void *ctx, unsigned int n, unsigned int *at,
			     unsigned int max);

#endif /* SCMI_TEST_OOM_H */
