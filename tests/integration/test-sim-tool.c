/* SPDX-License-Identifier: MIT */
/*
 * The tools agree (issue 13): scmi-sim, scmi-sim-ctl, scmi-monitor and
 * scmi-raw run as a user runs them, the real built binaries (not through
 * the harness, which always gives scmi-sim --socket): -s for --socket and
 * the library's default socket path in all of them; --version in each,
 * one version; the exit statuses of their shared table (0 done, 1 cannot
 * start, 2 usage, 3 unreachable); a reader that went away ends each
 * quietly with 0; and errors that name the real problem: a --socket whose
 * directory is missing, scmi-sim-ctl given the agent socket, an agent
 * (scmi-monitor, scmi-raw) given the control socket.
 *
 * The tools' paths: $SCMI_SIM_CTL, $SCMI_MONITOR, $SCMI_RAW (meson).
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <scmi/paths.h>

#include "fixture.h"

#define START_MS 5000         /* until it listens */
#define STOP_MS 10000         /* until it ends after SIGTERM */

/* A simulator started here, its stderr in a temporary file. */
struct proc {
	pid_t pid;
	int err_fd;
};

/* Start the NULL-terminated @argv (argv[0] is replaced by scmi-sim). */
static void proc_start(struct proc *p, char **argv)
{
	char err_path[] = "/tmp/scmi-test-err-XXXXXX";

	assert_non_null(sim_exe());
	argv[0] = (char *)sim_exe();
	p->err_fd = mkstemp(err_path);
	assert_true(p->err_fd >= 0);
	unlink(err_path);
	fflush(NULL);
	p->pid = fork();
	assert_true(p->pid >= 0);
	if (p->pid == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		signal(SIGPIPE, SIG_DFL);
		dup2(p->err_fd, STDERR_FILENO);
		execv(argv[0], argv);
		_exit(127);
	}
}

/* Whether a SOCK_SEQPACKET socket at @path takes a connection. */
static bool accepts(const char *path)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	bool ok;

	assert_true(fd >= 0);
	assert_true(strlen(path) < sizeof(sun.sun_path));
	strcpy(sun.sun_path, path);
	ok = connect(fd, (struct sockaddr *)&sun, sizeof(sun)) == 0;
	close(fd);
	return ok;
}

/* Wait until @p listens on @sock: its control socket answers, then an agent connects. */
static void wait_listening(struct proc *p, const char *sock)
{
	uint64_t t0 = sim_now_ns();
	char ctl[sizeof(((struct sockaddr_un *)0)->sun_path) + 8];
	struct scmi_agent *a;
	int status;

	snprintf(ctl, sizeof(ctl), "%s.ctl", sock);
	while (!accepts(ctl)) {
		if (waitpid(p->pid, &status, WNOHANG) == p->pid) {
			p->pid = 0;
			fail_msg("scmi-sim ended (status 0x%x): %s", status,
				 fx_slurp(p->err_fd));
		}
		if (fx_ms_since(t0) > START_MS) {
			kill(p->pid, SIGKILL);
			waitpid(p->pid, &status, 0);
			p->pid = 0;
			fail_msg("scmi-sim does not listen on %s", ctl);
		}
		sim_sleep_ms(5);
	}
	assert_int_equal(scmi_agent_create(&a, NULL), 0);
	assert_int_equal(scmi_agent_connect(a, sock), 0);
	scmi_agent_destroy(a);
}

/* SIGTERM @p: its exit status (-1 killed by a signal), asserted within STOP_MS. */
static int proc_stop(struct proc *p)
{
	uint64_t t0 = sim_now_ns();
	int status;

	assert_int_equal(kill(p->pid, SIGTERM), 0);
	while (waitpid(p->pid, &status, WNOHANG) != p->pid) {
		if (fx_ms_since(t0) > STOP_MS) {
			kill(p->pid, SIGKILL);
			waitpid(p->pid, &status, 0);
			fail_msg("scmi-sim did not end on SIGTERM");
		}
		sim_sleep_ms(5);
	}
	p->pid = 0;
	close(p->err_fd);
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* -s is --socket, as in scmi-sim-ctl, scmi-monitor and scmi-raw. */
static void test_short_socket(void **state)
{
	struct fx_dir d;
	char sock[96];
	char *argv[] = { NULL, "-s", sock, NULL };
	struct proc p;

	fx_dir_make(&d, "simtool");
	fx_dir_file(&d, "s.sock", sock, sizeof(sock));
	proc_start(&p, argv);
	wait_listening(&p, sock);
	assert_int_equal(proc_stop(&p), 0);
	assert_int_equal(access(sock, F_OK), -1);
	fx_dir_remove(&d);
}

/* A tool's path from @env, or the test is skipped. */
static char *tool(const char *env)
{
	const char *p = getenv(env);

	if (!p || !p[0])
		skip();
	return (char *)p;
}

static struct fx_run *new_run(void)
{
	struct fx_run *r = calloc(1, sizeof(*r));

	assert_non_null(r);
	return r;
}

/* Assert that @r's stderr holds @needle. */
static void assert_err_has(const struct fx_run *r, const char *needle)
{
	if (!strstr(r->err, needle))
		fail_msg("stderr lacks '%s':\n%s", needle, r->err);
}

/*
 * The scmi-sim started by the test with no socket option listens where
 * scmi_default_socket_path() says, and scmi-sim-ctl and scmi-raw find it
 * there with no socket option either.
 */
static void test_default_socket(void **state)
{
	struct fx_dir d;
	struct fx_run *r = new_run();
	char sock[108];
	char *argv[] = { NULL, NULL };
	char *ctl[] = { tool("SCMI_SIM_CTL"), "ping", NULL };
	char *raw[] = { tool("SCMI_RAW"), "base", "0", NULL };
	struct proc p;

	fx_dir_make(&d, "simdefault");
	assert_int_equal(setenv("XDG_RUNTIME_DIR", d.path, 1), 0);
	assert_true(scmi_default_socket_path(sock, sizeof(sock)) > 0);
	assert_int_equal(strncmp(sock, d.path, strlen(d.path)), 0);
	proc_start(&p, argv);
	wait_listening(&p, sock);
	assert_int_equal(fx_run_tool(ctl, false, r), 0);
	assert_string_equal(r->out, "pong\n");
	assert_int_equal(fx_run_tool(raw, false, r), 0);
	assert_string_equal(r->err, "");
	assert_int_equal(proc_stop(&p), 0);
	assert_int_equal(access(sock, F_OK), -1);
	assert_int_equal(unsetenv("XDG_RUNTIME_DIR"), 0);
	fx_dir_remove(&d);
	free(r);
}

/* -s is the short --socket of every tool: each reaches the simulator. */
static void test_short_socket_everywhere(void **state)
{
	struct fx *fx = *state;
	struct fx_run *r = new_run();
	char *ctl[] = { tool("SCMI_SIM_CTL"), "-s", fx->sim.sock, "ping", NULL };
	char *raw[] = { tool("SCMI_RAW"), "-s", fx->sim.sock, "base", "0", NULL };
	char *mon[] = { tool("SCMI_MONITOR"), "-s", fx->sim.sock, "-c", "1",
			"-p", "reset", NULL };

	assert_int_equal(fx_run_tool(ctl, false, r), 0);
	assert_string_equal(r->out, "pong\n");
	assert_int_equal(fx_run_tool(raw, false, r), 0);
	assert_string_equal(r->err, "");
	/* it subscribes, then an event ends it (--count 1): closed stdout, 0 */
	assert_int_equal(fx_run_tool(mon, true, r), 0);
	assert_string_equal(r->err, "");
	free(r);
}

/* --version: 0, one line "NAME VERSION", the same version in each tool. */
static void test_version(void **state)
{
	static const char *const names[] = { "scmi-sim", "scmi-sim-ctl",
					      "scmi-monitor", "scmi-raw" };
	char *exes[] = { (char *)sim_exe(), tool("SCMI_SIM_CTL"),
			 tool("SCMI_MONITOR"), tool("SCMI_RAW") };
	struct fx_run *r = new_run();
	char version[64] = "";

	for (size_t i = 0; i < 4; i++) {
		char *argv[] = { exes[i], "--version", NULL };
		size_t n = strlen(names[i]);

		assert_int_equal(fx_run_tool(argv, false, r), 0);
		assert_string_equal(r->err, "");
		assert_memory_equal(r->out, names[i], n);
		assert_int_equal(r->out[n], ' ');
		assert_non_null(strchr(r->out, '\n'));
		assert_string_equal(strchr(r->out, '\n'), "\n");
		if (!version[0])
			snprintf(version, sizeof(version), "%s", r->out + n);
		assert_string_equal(r->out + n, version);
		/* and to a reader that went away: 0, quietly */
		assert_int_equal(fx_run_tool(argv, true, r), 0);
		assert_string_equal(r->err, "");
	}
	free(r);
}

/* A bad option is usage, status 2, in every tool. */
static void test_usage(void **state)
{
	char *exes[] = { (char *)sim_exe(), tool("SCMI_SIM_CTL"),
			 tool("SCMI_MONITOR"), tool("SCMI_RAW") };
	struct fx_run *r = new_run();

	for (size_t i = 0; i < 4; i++) {
		char *argv[] = { exes[i], "--no-such-option", NULL };

		assert_int_equal(fx_run_tool(argv, false, r), 2);
		assert_err_has(r, "--help");
	}
	free(r);
}

/* No platform at the socket: 3 for each client, the path named. */
static void test_unreachable(void **state)
{
	const char *sock = "/nonexistent-dir/scmi-sim.sock";
	char *ctl[] = { tool("SCMI_SIM_CTL"), "-s", (char *)sock, "ping", NULL };
	char *raw[] = { tool("SCMI_RAW"), "-s", (char *)sock, "base", "0", NULL };
	char *mon[] = { tool("SCMI_MONITOR"), "-s", (char *)sock, NULL };
	char **runs[] = { ctl, raw, mon };
	struct fx_run *r = new_run();

	for (size_t i = 0; i < 3; i++) {
		assert_int_equal(fx_run_tool(runs[i], false, r), 3);
		assert_err_has(r, sock);
	}
	free(r);
}

/*
 * scmi-sim -s in a directory that does not exist: 1, and the message says
 * that the directory is missing (not "bind x.sock.ctl"); --control alike.
 */
static void test_missing_directory(void **state)
{
	struct fx_dir d;
	struct fx_run *r = new_run();
	char sock[128], dir[96], msg[160];
	char *argv[] = { (char *)sim_exe(), "-s", sock, NULL };
	char *ctl_argv[] = { (char *)sim_exe(), "--control", sock, NULL };

	fx_dir_make(&d, "simtool");
	fx_dir_file(&d, "missing", dir, sizeof(dir));
	snprintf(sock, sizeof(sock), "%s/s.sock", dir);
	snprintf(msg, sizeof(msg), "the directory %s does not exist", dir);
	assert_int_equal(fx_run_tool(argv, false, r), 1);
	assert_err_has(r, msg);
	assert_err_has(r, "--socket");
	assert_null(strstr(r->err, "bind"));
	assert_int_equal(fx_run_tool(ctl_argv, false, r), 1);
	assert_err_has(r, msg);
	assert_err_has(r, "--control");
	assert_int_equal(access(dir, F_OK), -1);
	fx_dir_remove(&d);
	free(r);
}

/* A topology file that is not valid: 2, before anything starts. */
static void test_bad_topology(void **state)
{
	struct fx_dir d;
	struct fx_run *r = new_run();
	char topo[96];
	char *argv[] = { (char *)sim_exe(), "--topology", topo, "--check", NULL };

	fx_dir_make(&d, "simtool");
	fx_dir_file(&d, "t.json", topo, sizeof(topo));
	fx_write_file(topo, "{ \"power\": 7 }\n");
	assert_int_equal(fx_run_tool(argv, false, r), 2);
	assert_err_has(r, topo);
	fx_dir_remove(&d);
	free(r);
}

/*
 * scmi-sim's output to a reader that went away (--dump-topology | head):
 * 0, nothing on stderr, not killed by SIGPIPE; and --help alike.
 */
static void test_output_closed(void **state)
{
	char *dump[] = { (char *)sim_exe(), "--dump-topology",
			 "--topology-schema", NULL };
	char *help[] = { (char *)sim_exe(), "--help", NULL };
	struct fx_run *r = new_run();

	assert_int_equal(fx_run_tool(dump, true, r), 0);
	assert_string_equal(r->err, "");
	assert_int_equal(fx_run_tool(help, true, r), 0);
	assert_string_equal(r->err, "");
	free(r);
}

/* The clients' output to a reader that went away: 0, quietly, each. */
static void test_clients_output_closed(void **state)
{
	struct fx *fx = *state;
	char *ctl[] = { tool("SCMI_SIM_CTL"), "-s", fx->sim.sock, "state", NULL };
	char *raw[] = { tool("SCMI_RAW"), "-s", fx->sim.sock, "base", "0", NULL };
	char *mon[] = { tool("SCMI_MONITOR"), "-s", fx->sim.sock, NULL };
	char **runs[] = { ctl, raw, mon };
	struct fx_run *r = new_run();

	for (size_t i = 0; i < 3; i++) {
		assert_int_equal(fx_run_tool(runs[i], true, r), 0);
		assert_string_equal(r->err, "");
	}
	free(r);
}

/* scmi-sim-ctl given the agent socket as its control socket: says so, 3. */
static void test_ctl_at_agent_socket(void **state)
{
	struct fx *fx = *state;
	char *argv[] = { tool("SCMI_SIM_CTL"), "--control", fx->sim.sock,
			 "ping", NULL };
	struct fx_run *r = new_run();

	assert_int_equal(fx_run_tool(argv, false, r), 3);
	assert_err_has(r, "is an agent socket of scmi-sim, not its control socket");
	assert_null(strstr(r->err, "not understood"));
	free(r);
}

/* An agent (scmi-monitor, scmi-raw) given the control socket: says so, 3. */
static void test_agent_at_control_socket(void **state)
{
	struct fx *fx = *state;
	char ctl[sizeof(fx->sim.sock) + 8], want[sizeof(ctl) + 48];
	char *mon[] = { tool("SCMI_MONITOR"), "-t", "300", "-s", ctl, NULL };
	char *raw[] = { tool("SCMI_RAW"), "-t", "300", "-s", ctl, "base", "0",
			NULL };
	char **runs[] = { mon, raw };
	struct fx_run *r = new_run();

	snprintf(ctl, sizeof(ctl), "%s.ctl", fx->sim.sock);
	snprintf(want, sizeof(want), "%s is the control socket of scmi-sim", ctl);
	for (size_t i = 0; i < 2; i++) {
		assert_int_equal(fx_run_tool(runs[i], false, r), 3);
		assert_err_has(r, want);
		assert_err_has(r, "try --socket");
		assert_null(strstr(r->err, "timed out"));
	}
	free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_short_socket),
		cmocka_unit_test(test_default_socket),
		FX_TEST(test_short_socket_everywhere),
		cmocka_unit_test(test_version),
		cmocka_unit_test(test_usage),
		cmocka_unit_test(test_unreachable),
		cmocka_unit_test(test_missing_directory),
		cmocka_unit_test(test_bad_topology),
		cmocka_unit_test(test_output_closed),
		FX_TEST(test_clients_output_closed),
		FX_TEST(test_ctl_at_agent_socket),
		FX_TEST(test_agent_at_control_socket),
	};

	return fx_run_tests(tests);
}
