/* SPDX-License-Identifier: MIT */
/* Start and always reap scmi-sim beside a test (see sim-harness.h). */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdarg.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "sim-harness.h"

#define START_TIMEOUT_MS 5000
#define MAX_SIMS 32

/* every simulator started and not yet reaped, for the atexit handler */
static pid_t live[MAX_SIMS];
static bool atexit_done;

static void reap_all(void)
{
	for (int i = 0; i < MAX_SIMS; i++) {
		if (live[i] > 0) {
			kill(live[i], SIGKILL);
			while (waitpid(live[i], NULL, 0) < 0 && errno == EINTR)
				;
			live[i] = 0;
		}
	}
}

static void live_add(pid_t pid)
{
	if (!atexit_done) {
		atexit(reap_all);
		atexit_done = true;
	}
	for (int i = 0; i < MAX_SIMS; i++) {
		if (!live[i]) {
			live[i] = pid;
			return;
		}
	}
}

static void live_del(pid_t pid)
{
	for (int i = 0; i < MAX_SIMS; i++)
		if (live[i] == pid)
			live[i] = 0;
}

uint64_t sim_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

void sim_sleep_ms(unsigned int ms)
{
	struct timespec ts = { .tv_sec = ms / 1000,
			       .tv_nsec = (long)(ms % 1000) * 1000000 };

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

const char *sim_exe(void)
{
	const char *env = getenv("SCMI_SIM");

	if (env && env[0])
		return env;
#ifdef SCMI_SIM_PATH
	return SCMI_SIM_PATH;
#else
	return NULL;
#endif
}

/*
 * Whether a UNIX socket bound to @path is listening, from /proc/net/unix
 * (flag __SO_ACCEPTCON, 0x10000). Connecting to find out would cost the
 * simulator an agent session.
 */
static bool listening(const char *path)
{
	FILE *f = fopen("/proc/net/unix", "re");
	char line[512];
	bool found = false;

	if (!f)
		return false;
	while (!found && fgets(line, sizeof(line), f)) {
		unsigned long flags;
		char p[256];

		if (sscanf(line, "%*s %*s %*s %lx %*s %*s %*s %255s", &flags, p) == 2 &&
		    !strcmp(p, path) && (flags & 0x10000))
			found = true;
	}
	fclose(f);
	return found;
}

static bool zombie_or_gone(pid_t pid)
{
	siginfo_t si = { 0 };

	return waitid(P_PID, (id_t)pid, &si, WEXITED | WNOHANG | WNOWAIT) < 0 ||
	       si.si_pid == pid;
}

static int spawn(struct sim *s, const char *const *args);

int sim_start(struct sim *s, const char *const *args)
{
	return sim_start_opts(s, args, NULL);
}

int sim_prepare(struct sim *s, const struct sim_opts *o)
{
	memset(s, 0, sizeof(*s));
	s->opts.stderr_fd = -1;
	if (o)
		s->opts = *o;
	if (!sim_exe())
		return -ENOENT;
	snprintf(s->dir, sizeof(s->dir), "/tmp/scmi-test-XXXXXX");
	if (!mkdtemp(s->dir))
		return -errno;
	snprintf(s->sock, sizeof(s->sock), "%s/sim.sock", s->dir);
	return 0;
}

int sim_start_opts(struct sim *s, const char *const *args,
		   const struct sim_opts *o)
{
	int ret = sim_prepare(s, o);

	return ret ? ret : spawn(s, args);
}

int sim_restart(struct sim *s, const char *const *args)
{
	char ctl[sizeof(s->sock) + 4];

	if (s->pid > 0)
		return -EBUSY;
	if (!s->sock[0] || !s->dir[0])
		return -EINVAL;
	if (!sim_exe())
		return -ENOENT;
	unlink(s->sock);
	snprintf(ctl, sizeof(ctl), "%s.ctl", s->sock);
	unlink(ctl);
	return spawn(s, args);
}

/* Fork and exec the simulator on s->sock; wait until it listens. */
static int spawn(struct sim *s, const char *const *args)
{
	const char *exe = sim_exe();
	const char *wrapper = getenv("SCMI_SIM_WRAPPER");
	const char *argv[32];
	size_t n = 0;
	pid_t parent = getpid();
	uint64_t deadline;
	pid_t pid;

	if (wrapper && wrapper[0])
		argv[n++] = wrapper;
	argv[n++] = exe;
	argv[n++] = "--socket";
	argv[n++] = s->sock;
	for (size_t i = 0; args && args[i] && n < 31; i++)
		argv[n++] = args[i];
	argv[n] = NULL;

	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		int err = -errno;

		rmdir(s->dir);
		return err;
	}
	if (pid == 0) {
		sigset_t none;

		/* die with the parent, even if it is killed */
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (getppid() != parent)
			_exit(127);
		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		signal(SIGPIPE, SIG_DFL);
		if (s->opts.stderr_fd >= 0 &&
		    dup2(s->opts.stderr_fd, STDERR_FILENO) < 0)
			_exit(127);
		if (s->opts.nofile) {
			struct rlimit rl = { .rlim_cur = s->opts.nofile,
					     .rlim_max = s->opts.nofile };

			if (setrlimit(RLIMIT_NOFILE, &rl) < 0)
				_exit(127);
		}
		execv(argv[0], (char *const *)argv);
		fprintf(stderr, "sim-harness: exec %s: %s\n", exe, strerror(errno));
		_exit(127);
	}
	s->pid = pid;
	live_add(pid);

	deadline = sim_now_ns() + START_TIMEOUT_MS * 1000000ull;
	while (!listening(s->sock)) {
		if (zombie_or_gone(pid) || sim_now_ns() > deadline) {
			fprintf(stderr, "sim-harness: %s did not start listening on %s\n",
				exe, s->sock);
			sim_stop(s);
			return -ECHILD;
		}
		sim_sleep_ms(2);
	}
	return 0;
}

/* A wrapper (valgrind) exits with this status when it found errors. */
#define WRAPPER_ERROR_STATUS 99

static bool wrapper_failed;

static void fail_on_wrapper_error(void)
{
	if (wrapper_failed)
		_exit(1);
}

static void reap(struct sim *s)
{
	if (s->pid <= 0)
		return;
	kill(s->pid, SIGKILL);
	while (waitpid(s->pid, NULL, 0) < 0 && errno == EINTR)
		;
	live_del(s->pid);
	s->pid = 0;
	s->stopped = false;
}

int sim_term(struct sim *s, unsigned int ms, int *status)
{
	const char *wrapper = getenv("SCMI_SIM_WRAPPER");
	uint64_t deadline = sim_now_ns() + ms * 1000000ull;
	int st = 0;
	pid_t r;

	if (s->pid <= 0)
		return -ESRCH;
	if (s->stopped)
		kill(s->pid, SIGCONT);
	kill(s->pid, SIGTERM);
	while ((r = waitpid(s->pid, &st, WNOHANG)) == 0 &&
	       sim_now_ns() < deadline)
		sim_sleep_ms(5);
	if (r != s->pid)
		return -ETIMEDOUT; /* still running: reap() kills it */
	if (wrapper && wrapper[0] && WIFEXITED(st) &&
	    WEXITSTATUS(st) == WRAPPER_ERROR_STATUS) {
		fprintf(stderr, "sim-harness: %s found errors in scmi-sim\n",
			wrapper);
		if (!wrapper_failed)
			atexit(fail_on_wrapper_error);
		wrapper_failed = true;
	}
	live_del(s->pid);
	s->pid = 0;
	s->stopped = false;
	if (status)
		*status = st;
	return 0;
}

/*
 * Under a wrapper (SCMI_SIM_WRAPPER, e.g. valgrind), end the simulator with
 * SIGTERM so that the wrapper can report, and make the test program fail
 * at exit if it found errors. Without one, SIGKILL at once.
 */
static void stop_gently(struct sim *s)
{
	const char *wrapper = getenv("SCMI_SIM_WRAPPER");

	if (wrapper && wrapper[0])
		sim_term(s, 20000, NULL);
}

void sim_crash(struct sim *s)
{
	reap(s);
}

void sim_stop(struct sim *s)
{
	stop_gently(s);
	reap(s);
	if (s->sock[0]) {
		char ctl[sizeof(s->sock) + 4];

		unlink(s->sock);
		snprintf(ctl, sizeof(ctl), "%s.ctl", s->sock);
		unlink(ctl);
		s->sock[0] = '\0';
	}
	if (s->dir[0]) {
		rmdir(s->dir);
		s->dir[0] = '\0';
	}
}

int sim_pause(struct sim *s)
{
	int status;

	if (s->pid <= 0)
		return -ESRCH;
	if (kill(s->pid, SIGSTOP) < 0)
		return -errno;
	for (;;) {
		pid_t r = waitpid(s->pid, &status, WUNTRACED);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -errno;
		if (WIFSTOPPED(status))
			break;
		return -ECHILD; /* it exited */
	}
	s->stopped = true;
	return 0;
}

int sim_resume(struct sim *s)
{
	int status;

	if (s->pid <= 0)
		return -ESRCH;
	if (kill(s->pid, SIGCONT) < 0)
		return -errno;
	for (;;) {
		pid_t r = waitpid(s->pid, &status, WCONTINUED);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -errno;
		if (WIFCONTINUED(status))
			break;
		return -ECHILD;
	}
	s->stopped = false;
	return 0;
}

bool sim_alive(struct sim *s)
{
	return s->pid > 0 && !zombie_or_gone(s->pid);
}

int sim_cpu_ms(struct sim *s, uint64_t *ms)
{
	char path[64], buf[1024], *p;
	unsigned long long utime, stime;
	long tck = sysconf(_SC_CLK_TCK);
	ssize_t n;
	int fd;

	if (s->pid <= 0)
		return -ESRCH;
	snprintf(path, sizeof(path), "/proc/%d/stat", (int)s->pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -EIO;
	buf[n] = '\0';
	/* after "pid (comm) ": state is field 3, utime 14, stime 15 */
	p = strrchr(buf, ')');
	if (!p || sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu",
			 &utime, &stime) != 2 || tck <= 0)
		return -EIO;
	*ms = (utime + stime) * 1000ull / (unsigned long long)tck;
	return 0;
}

int sim_ctl(struct sim *s, char *reply, size_t reply_sz, const char *fmt, ...)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	struct timeval tv = { .tv_sec = 2 };
	char req[1024], rep[1024];
	va_list ap;
	ssize_t n;
	int fd, ret = 0;

	va_start(ap, fmt);
	n = vsnprintf(req, sizeof(req), fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(req))
		return -EINVAL;
	if ((size_t)snprintf(sun.sun_path, sizeof(sun.sun_path), "%s.ctl",
			     s->sock) >= sizeof(sun.sun_path))
		return -ENAMETOOLONG;

	fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	if (setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) < 0 ||
	    connect(fd, (struct sockaddr *)&sun, sizeof(sun)) < 0 ||
	    send(fd, req, (size_t)n, MSG_NOSIGNAL) != n) {
		ret = -errno;
		goto out;
	}
	n = recv(fd, rep, sizeof(rep) - 1, 0);
	if (n <= 0) {
		ret = n < 0 ? -errno : -ECONNRESET;
		goto out;
	}
	rep[n] = '\0';
	if (reply && reply_sz) {
		strncpy(reply, rep, reply_sz - 1);
		reply[reply_sz - 1] = '\0';
	}
	if (strncmp(rep, "ok", 2) != 0 &&
	    (sscanf(rep, "error %d", &ret) != 1 || ret >= 0)) {
		fprintf(stderr, "sim-harness: control reply '%s'\n", rep);
		ret = -EPROTO;
	}
out:
	close(fd);
	return ret;
}
