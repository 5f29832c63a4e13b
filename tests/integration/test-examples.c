/* SPDX-License-Identifier: MIT */
/*
 * The examples run as a user runs them, against the real simulator:
 *  - readme (README.md's API example): its callback runs, every time;
 *  - the event-loop examples (loop-poll.c, loop-libev.c): each connects,
 *    prints one line per power state change (the changes made through the
 *    control socket once it said it is connected) and exits 0 after
 *    --count of them; without --count, SIGTERM ends it, 0 too.
 * Their paths come in $SCMI_README, $SCMI_LOOP_POLL and $SCMI_LOOP_LIBEV
 * (set by meson; a missing one is skipped).
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <scmi/power.h>

#include "fixture.h"

#define WAIT_MS 5000

extern char **environ;

struct proc {
	pid_t pid;
	int out;                  /* its stdout, non-blocking */
	char buf[4096];
	size_t len;
};

static void proc_start_argv(struct proc *p, const char *exe,
			    const char *const *argv)
{
	posix_spawn_file_actions_t fa;
	int pfd[2];

	assert_int_equal(pipe2(pfd, O_CLOEXEC), 0);
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, pfd[1], 1);
	assert_int_equal(posix_spawn(&p->pid, exe, &fa, NULL,
				     (char *const *)argv, environ), 0);
	posix_spawn_file_actions_destroy(&fa);
	close(pfd[1]);
	p->out = pfd[0];
	p->len = 0;
}

static void proc_start(struct proc *p, const char *exe, const char *sock,
		       const char *count)
{
	const char *argv[] = { exe, "--socket", sock, count ? "--count" : NULL,
			       count, NULL };

	proc_start_argv(p, exe, argv);
}

/* The next line of its output within @ms, into @line; false if none. */
static bool proc_line(struct proc *p, char *line, size_t sz, int ms)
{
	uint64_t t0 = sim_now_ns();

	for (;;) {
		char *nl = memchr(p->buf, '\n', p->len);
		struct pollfd pf = { .fd = p->out, .events = POLLIN };
		ssize_t n;

		if (nl) {
			size_t l = (size_t)(nl - p->buf);

			snprintf(line, sz, "%.*s", (int)l, p->buf);
			memmove(p->buf, nl + 1, p->len - l - 1);
			p->len -= l + 1;
			return true;
		}
		if (fx_ms_since(t0) >= (uint64_t)ms ||
		    poll(&pf, 1, ms - (int)fx_ms_since(t0)) <= 0)
			return false;
		n = read(p->out, p->buf + p->len, sizeof(p->buf) - 1 - p->len);
		if (n <= 0)
			return false;
		p->len += (size_t)n;
	}
}

/* Its exit status within WAIT_MS (killed and -1 if it does not exit). */
static int proc_wait(struct proc *p)
{
	uint64_t t0 = sim_now_ns();
	int st;

	while (waitpid(p->pid, &st, WNOHANG) == 0) {
		if (fx_ms_since(t0) > WAIT_MS) {
			kill(p->pid, SIGKILL);
			waitpid(p->pid, &st, 0);
			close(p->out);
			return -1;
		}
		sim_sleep_ms(5);
	}
	close(p->out);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

static const char *example(const char *env)
{
	const char *e = getenv(env);

	return e && access(e, X_OK) == 0 ? e : NULL;
}

static void counts_three(struct fx *fx, const char *env)
{
	const char *exe = example(env);
	static const uint32_t states[] = { SCMI_POWER_STATE_ON,
					   SCMI_POWER_STATE_OFF,
					   SCMI_POWER_STATE_ON };
	struct proc p;
	char line[256];

	if (!exe) {
		print_message("%s not set: skipped\n", env);
		skip();
	}
	proc_start(&p, exe, fx->sim.sock, "3");
	assert_true(proc_line(&p, line, sizeof(line), WAIT_MS));
	assert_non_null(strstr(line, "connected as agent"));
	for (int i = 0; i < 3; i++) {
		fx_ctl(fx, "power set 2 %u", states[i]);
		assert_true(proc_line(&p, line, sizeof(line), WAIT_MS));
		assert_non_null(strstr(line, "power domain 2 is"));
		assert_non_null(strstr(line, i % 2 ? " off" : " on"));
	}
	assert_int_equal(proc_wait(&p), 0);
}

static void ends_on_sigterm(struct fx *fx, const char *env)
{
	const char *exe = example(env);
	struct proc p;
	char line[256];

	if (!exe)
		skip();
	proc_start(&p, exe, fx->sim.sock, NULL);
	assert_true(proc_line(&p, line, sizeof(line), WAIT_MS));
	assert_int_equal(kill(p.pid, SIGTERM), 0);
	assert_int_equal(proc_wait(&p), 0);
}

/*
 * README's example turns power domain 2 on and waits for its callback:
 * 20 runs, the domain turned off before each, the callback every time.
 */
static void test_readme_example(void **state)
{
	struct fx *fx = *state;
	const char *exe = example("SCMI_README");
	char line[256];

	if (!exe)
		skip();
	for (int i = 0; i < 20; i++) {
		const char *argv[] = { exe, fx->sim.sock, NULL };
		struct proc p;

		fx_ctl(fx, "power set 2 %u", SCMI_POWER_STATE_OFF);
		proc_start_argv(&p, exe, argv);
		assert_true(proc_line(&p, line, sizeof(line), WAIT_MS));
		assert_non_null(strstr(line, "power domain 2 is now 0x00000000"));
		assert_int_equal(proc_wait(&p), 0);
	}
}

static void test_loop_poll_counts(void **state)
{
	counts_three(*state, "SCMI_LOOP_POLL");
}

static void test_loop_poll_sigterm(void **state)
{
	ends_on_sigterm(*state, "SCMI_LOOP_POLL");
}

static void test_loop_libev_counts(void **state)
{
	counts_three(*state, "SCMI_LOOP_LIBEV");
}

static void test_loop_libev_sigterm(void **state)
{
	ends_on_sigterm(*state, "SCMI_LOOP_LIBEV");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		FX_TEST(test_readme_example),
		FX_TEST(test_loop_poll_counts),
		FX_TEST(test_loop_poll_sigterm),
		FX_TEST(test_loop_libev_counts),
		FX_TEST(test_loop_libev_sigterm),
	};

	return fx_run_tests(tests);
}
