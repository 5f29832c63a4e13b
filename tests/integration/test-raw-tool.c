/* SPDX-License-Identifier: MIT */
/*
 * scmi-raw (examples/raw.c) end to end: the real tool, run as a child
 * process (fx_run_tool()) against the real simulator, its output compared
 * whole: a response in text and JSON, a status other than SUCCESS, an
 * asynchronous reset's immediate and delayed responses, a header word
 * given whole (its token the library's), a payload of bytes; --listen
 * printing a delayed response nobody waits for and notifications; and
 * the exit statuses of the table the tools share (scmi-raw.1): 0, 1 (a
 * status, no delayed response in time), 2 (usage), 3 (no platform), 4
 * (the platform died while it waited), and 0 for a reader that went away.
 *
 * The tool's path: $SCMI_RAW (set by meson); skipped without it.
 */
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fixture.h"

#define MAX_ARGS 24

static const char *const async_args[] = { "--async-delay", "50", NULL };
static const char *const slow_args[] = { "--async-delay", "3000", NULL };

static int setup_async(void **state)
{
	return fx_start(state, async_args);
}

static int setup_slow(void **state)
{
	return fx_start(state, slow_args);
}

static const char *raw_exe(void)
{
	const char *env = getenv("SCMI_RAW");

	if (!env || !env[0])
		skip();
	return env;
}

/*
 * Run scmi-raw with "--socket <the simulator's>" (when @fx is not NULL)
 * and the NULL-terminated words after @first. Its exit status.
 */
static int run(struct fx *fx, struct fx_run *r, const char *first, ...)
{
	char *argv[MAX_ARGS];
	int argc = 0;
	va_list ap;

	argv[argc++] = (char *)raw_exe();
	if (fx) {
		argv[argc++] = "--socket";
		argv[argc++] = fx->sim.sock;
	}
	va_start(ap, first);
	for (const char *w = first; w; w = va_arg(ap, const char *)) {
		assert_true(argc < MAX_ARGS - 1);
		argv[argc++] = (char *)w;
	}
	va_end(ap);
	argv[argc] = NULL;
	return fx_run_tool(argv, false, r);
}

/* Assert what the run printed: @out on stdout, nothing on stderr. */
static void assert_out(const struct fx_run *r, const char *out)
{
	if (strcmp(r->out, out) || r->err[0])
		print_error("stdout:\n%s\nexpected:\n%s\nstderr:\n%s\n", r->out,
			    out, r->err);
	assert_string_equal(r->out, out);
	assert_string_equal(r->err, "");
}

static struct fx_run *new_run(void)
{
	struct fx_run *r = calloc(1, sizeof(*r));

	assert_non_null(r);
	return r;
}

static void test_text(void **state)
{
	struct fx *fx = *state;
	struct fx_run *r = new_run();

	assert_int_equal(run(fx, r, "base", "0", NULL), 0);
	assert_out(r, "response header=0x00004000 protocol=base(0x10) message=0x00 type=0 token=0 status=SUCCESS(0) bytes=4 payload=0x00020000\n");
	/* an undefined message: the status is the answer, exit 1 */
	assert_int_equal(run(fx, r, "base", "0xc", NULL), 1);
	assert_out(r, "response header=0x0000400c protocol=base(0x10) message=0x0c type=0 token=0 status=NOT_FOUND(-4) bytes=0\n");
	/* by number, with words; a vendor protocol the platform lacks */
	assert_int_equal(run(fx, r, "0x13", "0x5", "2", "800", "200", NULL), 1);
	assert_out(r, "response header=0x00004c05 protocol=perf(0x13) message=0x05 type=0 token=0 status=DENIED(-3) bytes=0\n");
	assert_int_equal(run(fx, r, "0x80", "0", NULL), 1);
	assert_out(r, "response header=0x00020000 protocol=0x80 message=0x00 type=0 token=0 status=NOT_SUPPORTED(-1) bytes=0\n");
	free(r);
}

static void test_json(void **state)
{
	struct fx *fx = *state;
	struct fx_run *r = new_run();

	assert_int_equal(run(fx, r, "--json", "base", "3", NULL), 0);
	assert_out(r, "{\"kind\":\"response\",\"header\":16387,\"protocol\":16,"
		      "\"protocol_name\":\"base\",\"message\":3,\"type\":0,"
		      "\"token\":0,\"status\":0,\"status_name\":\"SUCCESS\","
		      "\"size\":16,\"payload\":\"6c696273636d692d73696d0000000000\","
		      "\"words\":[1935829356,761884003,7170419,0]}\n");
	assert_int_equal(run(fx, r, "-j", "system", "6", NULL), 1);
	assert_out(r, "{\"kind\":\"response\",\"header\":18438,\"protocol\":18,"
		      "\"protocol_name\":\"system\",\"message\":6,\"type\":0,"
		      "\"token\":0,\"status\":-4,\"status_name\":\"NOT_FOUND\","
		      "\"size\":0,\"payload\":\"\",\"words\":[]}\n");
	free(r);
}

static void test_header_word_and_bytes(void **state)
{
	struct fx *fx = *state;
	struct fx_run *r = new_run();

	/* every token bit set: the library's token (0) goes out */
	assert_int_equal(run(fx, r, "--header", "0x0ffc4000", NULL), 0);
	assert_out(r, "response header=0x00004000 protocol=base(0x10) message=0x00 type=0 token=0 status=SUCCESS(0) bytes=4 payload=0x00020000\n");
	/* three bytes where none belong */
	assert_int_equal(run(fx, r, "-x", "0x010203", "base", "0", NULL), 1);
	assert_out(r, "response header=0x00004000 protocol=base(0x10) message=0x00 type=0 token=0 status=PROTOCOL_ERROR(-10) bytes=0\n");
	/* PROTOCOL_MESSAGE_ATTRIBUTES of message 0, its id given as bytes */
	assert_int_equal(run(fx, r, "-x", "00000000", "base", "2", NULL), 0);
	assert_true(strstr(r->out, "status=SUCCESS(0) bytes=4 payload=0x00000000\n"));
	free(r);
}

static void test_async(void **state)
{
	struct fx *fx = *state;
	struct fx_run *r = new_run();

	assert_int_equal(run(fx, r, "--async", "reset", "4", "0", "5", "0", NULL), 0);
	assert_out(r, "response header=0x00005804 protocol=reset(0x16) message=0x04 type=0 token=0 status=SUCCESS(0) bytes=0\n"
		      "delayed header=0x00005a04 protocol=reset(0x16) message=0x04 type=2 token=0 status=SUCCESS(0) bytes=4 payload=0x00000000\n");
	assert_int_equal(run(fx, r, "-a", "-j", "reset", "4", "0", "5", "0", NULL), 0);
	assert_out(r, "{\"kind\":\"response\",\"header\":22532,\"protocol\":22,\"protocol_name\":\"reset\",\"message\":4,\"type\":0,\"token\":0,\"status\":0,\"status_name\":\"SUCCESS\",\"size\":0,\"payload\":\"\",\"words\":[]}\n"
		      "{\"kind\":\"delayed\",\"header\":23044,\"protocol\":22,\"protocol_name\":\"reset\",\"message\":4,\"type\":2,\"token\":0,\"status\":0,\"status_name\":\"SUCCESS\",\"size\":4,\"payload\":\"00000000\",\"words\":[0]}\n");
	/* domain 1 resets synchronously only: no delayed response follows */
	assert_int_equal(run(fx, r, "-a", "reset", "4", "1", "5", "0", NULL), 1);
	assert_out(r, "response header=0x00005804 protocol=reset(0x16) message=0x04 type=0 token=0 status=NOT_SUPPORTED(-1) bytes=0\n");
	free(r);
}

/* --listen: a reset sent plainly; its delayed response nobody waits for. */
static void test_listen_delayed(void **state)
{
	struct fx *fx = *state;
	struct fx_run *r = new_run();

	assert_int_equal(run(fx, r, "--listen", "1000", "reset", "4", "0", "5",
			     "0", NULL),
			 0);
	assert_out(r, "response header=0x00005804 protocol=reset(0x16) message=0x04 type=0 token=0 status=SUCCESS(0) bytes=0\n"
		      "delayed header=0x00005a04 protocol=reset(0x16) message=0x04 type=2 token=0 status=SUCCESS(0) bytes=4 payload=0x00000000\n");
	free(r);
}

struct resetter {
	struct fx *fx;
	atomic_bool stop;
	pthread_t th;
};

/* Reset domain 0 through the control socket every 50 ms until stopped. */
static void *resetter_main(void *arg)
{
	struct resetter *rs = arg;

	while (!atomic_load(&rs->stop)) {
		sim_ctl(&rs->fx->sim, NULL, 0, "reset issue 0");
		sim_sleep_ms(50);
	}
	return NULL;
}

/* --listen: RESET_NOTIFY enabled by the tool's message, then the events. */
static void test_listen_notifications(void **state)
{
	struct resetter rs = { .fx = *state };
	struct fx_run *r = new_run();
	const char *line = "notification header=0x00005b00 protocol=reset(0x16) message=0x00 type=3 token=0 bytes=12 payload=0x00000000,0x00000000,0x00000000\n";
	const char *first = "response header=0x00005805 protocol=reset(0x16) message=0x05 type=0 token=0 status=SUCCESS(0) bytes=0\n";
	unsigned int n = 0;
	const char *p;

	assert_int_equal(pthread_create(&rs.th, NULL, resetter_main, &rs), 0);
	assert_int_equal(run(rs.fx, r, "-l", "1000", "reset", "5", "0", "1",
			     NULL),
			 0);
	atomic_store(&rs.stop, true);
	pthread_join(rs.th, NULL);
	assert_string_equal(r->err, "");
	assert_memory_equal(r->out, first, strlen(first));
	for (p = r->out + strlen(first); *p; p += strlen(line), n++)
		assert_memory_equal(p, line, strlen(line));
	print_message("%u notifications in 1 s\n", n);
	assert_true(n >= 1);
	free(r);
}

static void test_usage(void **state)
{
	struct fx *fx = *state;
	struct fx_run *r = new_run();
	char big[2 * 129 + 1];

	assert_int_equal(run(NULL, r, "--help", NULL), 0);
	assert_non_null(strstr(r->out, "Usage: scmi-raw"));
	assert_int_equal(run(NULL, r, "--version", NULL), 0);
	assert_memory_equal(r->out, "scmi-raw ", 9);

	assert_int_equal(run(fx, r, NULL), 2);
	assert_non_null(strstr(r->err, "PROTOCOL and MESSAGE expected"));
	assert_int_equal(run(fx, r, "base", NULL), 2);
	assert_int_equal(run(fx, r, "nosuch", "0", NULL), 2);
	assert_non_null(strstr(r->err, "no protocol 'nosuch'"));
	assert_int_equal(run(fx, r, "base", "256", NULL), 2);
	assert_int_equal(run(fx, r, "base", "0", "0x100000000", NULL), 2);
	assert_int_equal(run(fx, r, "-x", "0102", "base", "0", "7", NULL), 2);
	assert_int_equal(run(fx, r, "-x", "012", "base", "0", NULL), 2);
	assert_int_equal(run(fx, r, "--nosuch", NULL), 2);
	assert_int_equal(run(fx, r, "-t", "0", "base", "0", NULL), 2);
	/* beyond the platform's max_msg_size (128): refused, nothing sent */
	memset(big, '0', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	assert_int_equal(run(fx, r, "-x", big, "base", "0", NULL), 2);
	assert_non_null(strstr(r->err, "at most 128"));
	assert_string_equal(r->out, "");
	free(r);
}

static void test_unreachable(void **state)
{
	struct fx_run *r = new_run();
	char *argv[] = { (char *)raw_exe(), "-s", "/nonexistent/scmi.sock",
			 "base", "0", NULL };

	(void)state;
	assert_int_equal(fx_run_tool(argv, false, r), 3);
	assert_non_null(strstr(r->err, "/nonexistent/scmi.sock"));
	assert_string_equal(r->out, "");
	free(r);
}

/* A delayed response later than --delayed-timeout: 1, the immediate printed. */
static void test_no_delayed_in_time(void **state)
{
	struct fx *fx = *state;
	struct fx_run *r = new_run();

	assert_int_equal(run(fx, r, "-a", "-d", "100", "reset", "4", "0", "5",
			     "0", NULL),
			 1);
	assert_string_equal(r->out, "response header=0x00005804 protocol=reset(0x16) message=0x04 type=0 token=0 status=SUCCESS(0) bytes=0\n");
	assert_non_null(strstr(r->err, "no delayed response within 100 ms"));
	free(r);
}

struct killer {
	struct fx *fx;
	pthread_t th;
};

static void *killer_main(void *arg)
{
	struct killer *k = arg;

	sim_sleep_ms(300);
	sim_crash(&k->fx->sim);
	return NULL;
}

/* The platform dies while the tool waits for a delayed response: 4. */
static void test_platform_gone(void **state)
{
	struct killer k = { .fx = *state };
	struct fx_run *r = new_run();

	assert_int_equal(pthread_create(&k.th, NULL, killer_main, &k), 0);
	assert_int_equal(run(k.fx, r, "-a", "-d", "10000", "reset", "4", "0",
			     "5", "0", NULL),
			 4);
	pthread_join(k.th, NULL);
	assert_memory_equal(r->out, "response ", 9);
	assert_non_null(strstr(r->err, "scmi-raw: "));
	free(r);
}

/* A reader that went away (head -1 after its line): 0, quietly. */
static void test_output_closed(void **state)
{
	struct fx *fx = *state;
	struct fx_run *r = new_run();
	char *argv[] = { (char *)raw_exe(), "-s", fx->sim.sock, "base", "0",
			 NULL };

	assert_int_equal(fx_run_tool(argv, true, r), 0);
	assert_string_equal(r->err, "");
	free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		FX_TEST(test_text),
		FX_TEST(test_json),
		FX_TEST(test_header_word_and_bytes),
		FX_TEST_SETUP(test_async, setup_async),
		FX_TEST_SETUP(test_listen_delayed, setup_async),
		FX_TEST(test_listen_notifications),
		FX_TEST(test_usage),
		cmocka_unit_test(test_unreachable),
		FX_TEST_SETUP(test_no_delayed_in_time, setup_slow),
		cmocka_unit_test_setup_teardown(test_platform_gone, setup_slow,
						fx_teardown_crash),
		FX_TEST(test_output_closed),
	};

	return fx_run_tests(tests);
}
