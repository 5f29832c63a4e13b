/* SPDX-License-Identifier: MIT */
/*
 * Scenarios (see scenario.h): a file of timed steps read into a tree
 * (struct step: commands, pauses, loops with their own steps), checked,
 * and run by one ev_timer that always waits for the next step due.
 *
 * Times are fixed by the file, so they are computed, not measured: each
 * step is due at a time in ms from the scenario's start (the step before
 * it plus "after", or its block's start plus "at"), a loop's round is as
 * long as its steps take, and a late step (a busy loop) delays none after
 * it. The run is a stack of frames, one per block being run, the top
 * one the innermost loop.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "control.h"
#include "json-doc.h"
#include "log.h"
#include "scenario.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define PATH_SZ 160
#define MAX_DEPTH 8                       /* loops within loops */
#define MAX_STEPS 10000                   /* in the whole file */
#define MAX_MS (7ull * 24 * 3600 * 1000)  /* one "at" or "after": a week */
#define MAX_LOOPS 1000000
#define MAX_END_MS (1ull << 52)           /* exact in a double */
#ifdef SIM_CONTROL_MAX_REPLY
#define REPLY_SZ SIM_CONTROL_MAX_REPLY
#else
#define REPLY_SZ SIM_CONTROL_MAX_MSG
#endif

/* A reply of control_exec(): one at a time, on the loop thread. */
static char reply[REPLY_SZ];

struct step {
	bool is_loop;
	bool at;                /* ms from its block's start, else after the step before */
	uint64_t ms;
	char *cmd;              /* NULL: a pause, or a loop */
	unsigned long count;    /* a loop's rounds, 0 for ever */
	struct step *steps;     /* a loop's steps */
	size_t num_steps;
	uint64_t length;        /* a loop's round, ms */
	char *path;             /* "[3].steps[1]" */
	char *where;            /* "FILE:LINE" (or "FILE PATH"), for logs; see where() */
	unsigned int seq;       /* commands: their order in the file */
};

struct frame {
	const struct step *loop;  /* NULL: the file's own steps */
	struct step *steps;
	size_t n, i;
	unsigned long round;
	uint64_t start;           /* this round's start, ms */
	uint64_t prev;            /* when the step before ran, ms */
};

struct scenario {
	char *name;
	struct sim_json_doc doc;  /* its text only, for the lines of steps */
	struct step *steps;
	size_t num_steps;
	unsigned int num_cmds;
	struct ev_loop *loop;
	ev_timer w;
	ev_tstamp t0;
	struct frame stack[MAX_DEPTH + 1];
	int depth;
	uint64_t due;             /* of the step the timer waits for */
};

/* ---- the tree --------------------------------------------------------- */

static void free_steps(struct step *steps, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(steps[i].cmd);
		free(steps[i].where);
		free(steps[i].path);
		free_steps(steps[i].steps, steps[i].num_steps);
	}
	free(steps);
}

void scenario_free(struct scenario *sc)
{
	if (!sc)
		return;
	if (sc->loop)
		ev_timer_stop(sc->loop, &sc->w);
	free_steps(sc->steps, sc->num_steps);
	sim_json_free(&sc->doc);
	free(sc->name);
	free(sc);
}

struct sload {
	const struct sim_json_doc *doc;
	char *err;
	size_t err_sz;
	size_t total;             /* steps so far */
	unsigned int cmds;        /* commands so far */
};

#define FAIL(sl, path, ...) \
	sim_json_error((sl)->doc, (path), (sl)->err, (sl)->err_sz, __VA_ARGS__)

/* Out of memory at @path: its message, and -ENOMEM (not a bad file). */
static int nomem(struct sload *sl, const char *path)
{
	FAIL(sl, path, "out of memory");
	return -ENOMEM;
}

static const char *const step_keys[] = {
	"at", "after", "do", "loop", "steps", "comment",
};

static int get_uint(struct sload *sl, struct json_object *v, const char *path,
		    uint64_t max, uint64_t *out)
{
	int64_t x;

	if (!json_object_is_type(v, json_type_int))
		return FAIL(sl, path, "expected an integer, not %s",
			    sim_json_kind(v));
	x = json_object_get_int64(v);
	if (x < 0 || (uint64_t)x > max)
		return FAIL(sl, path, "%s is out of range (0..%" PRIu64 ")",
			    json_object_to_json_string(v), max);
	*out = (uint64_t)x;
	return 0;
}

/* @path + "." + @key into @buf, of PATH_SZ bytes (cut short if need be). */
static char *join(char *buf, const char *path, const char *key)
{
	int n = snprintf(buf, PATH_SZ, "%s.%s", path, key);

	if (n < 0 || n >= PATH_SZ)
		buf[PATH_SZ - 1] = '\0';
	return buf;
}

/* Whether @obj has @key, null or not. */
static bool has(struct json_object *obj, const char *key)
{
	return json_object_object_get_ex(obj, key, NULL);
}

/*
 * "FILE:LINE" of step @s, for logs: found in the text when first asked
 * for (a walk of the text each), then kept.
 */
static const char *where(const struct scenario *sc, struct step *s)
{
	unsigned int line, col;
	char buf[PATH_SZ + 64];

	if (s->where)
		return s->where;
	if (sim_json_where(&sc->doc, s->path, &line, &col))
		snprintf(buf, sizeof(buf), "%s:%u", sc->name, line);
	else
		snprintf(buf, sizeof(buf), "%s %s", sc->name, s->path);
	s->where = strdup(buf);
	return s->where ? s->where : s->path;
}

static int load_steps(struct sload *sl, struct json_object *arr,
		      const char *path, int depth, struct step **ret,
		      size_t *ret_n, uint64_t *length);

/*
 * Step @obj at @path into @s, due at *@prev ("after") or from the block's
 * start ("at"); *@prev becomes the time it ends. @last: the last step of
 * the file's own steps (where a loop for ever may be).
 */
static int load_step(struct sload *sl, struct json_object *obj,
		     const char *path, int depth, bool last, struct step *s,
		     uint64_t *prev)
{
	struct json_object *v_at = NULL, *v_after = NULL, *v_do = NULL;
	struct json_object *v_loop = NULL, *v_steps = NULL, *v;
	char sub[PATH_SZ];
	uint64_t due;
	int r;

	if (!json_object_is_type(obj, json_type_object))
		return FAIL(sl, path, "a step is an object, not %s",
			    sim_json_kind(obj));
	json_object_object_foreach(obj, key, val) {
		size_t i;

		(void)val;
		for (i = 0; i < ARRAY_SIZE(step_keys) && strcmp(step_keys[i], key); i++)
			;
		if (i == ARRAY_SIZE(step_keys)) {
			join(sub, path, key);
			return FAIL(sl, sub,
				    "unknown key (expected at, after, do, loop, steps, comment)");
		}
	}
	if (++sl->total > MAX_STEPS)
		return FAIL(sl, path, "more than %d steps", MAX_STEPS);
	s->path = strdup(path);
	if (!s->path)
		return nomem(sl, path);

	json_object_object_get_ex(obj, "at", &v_at);
	json_object_object_get_ex(obj, "after", &v_after);
	json_object_object_get_ex(obj, "do", &v_do);
	json_object_object_get_ex(obj, "loop", &v_loop);
	json_object_object_get_ex(obj, "steps", &v_steps);
	if (json_object_object_get_ex(obj, "comment", &v) &&
	    !json_object_is_type(v, json_type_string)) {
		join(sub, path, "comment");
		return FAIL(sl, sub, "expected a string, not %s",
			    sim_json_kind(v));
	}

	/* when */
	if (has(obj, "at") && has(obj, "after")) {
		join(sub, path, "after");
		return FAIL(sl, sub, "a step has \"at\" or \"after\", not both");
	}
	if (has(obj, "at")) {
		join(sub, path, "at");
		r = get_uint(sl, v_at, sub, MAX_MS, &s->ms);
		if (r)
			return r;
		s->at = true;
	} else if (has(obj, "after")) {
		join(sub, path, "after");
		r = get_uint(sl, v_after, sub, MAX_MS, &s->ms);
		if (r)
			return r;
	}
	/* *prev is relative to the block's start, as "at" is */
	due = s->at ? s->ms : *prev + s->ms;
	if (s->at && s->ms < *prev) {
		join(sub, path, "at");
		return FAIL(sl, sub,
			    "%" PRIu64 " ms goes back before the step before it (%" PRIu64 " ms from the block's start)",
			    s->ms, *prev);
	}

	/* what */
	if (has(obj, "steps") && !has(obj, "loop")) {
		join(sub, path, "steps");
		return FAIL(sl, sub, "\"steps\" belong to a \"loop\"");
	}
	if (has(obj, "loop")) {
		uint64_t count;

		join(sub, path, "do");
		if (has(obj, "do"))
			return FAIL(sl, sub,
				    "a loop has \"steps\", not \"do\"");
		join(sub, path, "loop");
		r = get_uint(sl, v_loop, sub, MAX_LOOPS, &count);
		if (r)
			return r;
		if (!has(obj, "steps"))
			return FAIL(sl, path, "a loop needs its \"steps\"");
		if (depth >= MAX_DEPTH)
			return FAIL(sl, path, "loops nest %d deep at most",
				    MAX_DEPTH);
		s->is_loop = true;
		s->count = (unsigned long)count;
		join(sub, path, "steps");
		r = load_steps(sl, v_steps, sub, depth + 1, &s->steps,
			       &s->num_steps, &s->length);
		if (r)
			return r;
		if (!count && !s->length)
			return FAIL(sl, path,
				    "a loop for ever (\"loop\": 0) must take time: its steps all run at once");
		if (!count && depth > 0)
			return FAIL(sl, path,
				    "a loop for ever (\"loop\": 0) cannot be inside another loop: that one would never go on");
		if (!count && !last)
			return FAIL(sl, path,
				    "a loop for ever (\"loop\": 0) must be the file's last step: what follows would never run");
		if (count && s->length > (MAX_END_MS - due) / count)
			return FAIL(sl, path, "the loop lasts too long");
		*prev = due + count * s->length;
		return 0;
	}
	if (has(obj, "do")) {
		const char *cmd;

		join(sub, path, "do");
		if (!json_object_is_type(v_do, json_type_string))
			return FAIL(sl, sub, "expected a string, not %s",
				    sim_json_kind(v_do));
		cmd = json_object_get_string(v_do);
		if (strspn(cmd, " \t") == strlen(cmd))
			return FAIL(sl, sub, "an empty command");
		if (strlen(cmd) >= SIM_CONTROL_MAX_MSG ||
		    (size_t)json_object_get_string_len(v_do) != strlen(cmd))
			return FAIL(sl, sub,
				    "a command is one line of text of less than %d bytes",
				    SIM_CONTROL_MAX_MSG);
		if (strpbrk(cmd, "\r\n"))
			return FAIL(sl, sub, "a command is one line");
		s->cmd = strdup(cmd);
		if (!s->cmd)
			return nomem(sl, sub);
		s->seq = sl->cmds++;
	} else if (!has(obj, "at") && !has(obj, "after")) {
		return FAIL(sl, path,
			    "a step needs \"do\" (a command), \"loop\", or a time (a pause)");
	}
	*prev = due;
	return 0;
}

static int load_steps(struct sload *sl, struct json_object *arr,
		      const char *path, int depth, struct step **ret,
		      size_t *ret_n, uint64_t *length)
{
	struct step *steps;
	uint64_t prev = 0;
	size_t n;
	int r;

	if (!json_object_is_type(arr, json_type_array))
		return FAIL(sl, path, "expected an array of steps, not %s",
			    sim_json_kind(arr));
	n = json_object_array_length(arr);
	if (!n)
		return FAIL(sl, path, "no steps");
	steps = calloc(n, sizeof(*steps));
	if (!steps)
		return nomem(sl, path);
	*ret = steps;
	*ret_n = n;
	for (size_t i = 0; i < n; i++) {
		char sub[PATH_SZ];

		snprintf(sub, sizeof(sub), "%s[%zu]", path, i);
		r = load_step(sl, json_object_array_get_idx(arr, i), sub, depth,
			      depth == 0 && i == n - 1, &steps[i], &prev);
		if (r)
			return r;
	}
	*length = prev;
	return 0;
}

/* ---- the dry run ------------------------------------------------------- */

/*
 * Whether a control error in the dry run means the command itself is
 * wrong. No agent is connected then: a request that names one ("fault
 * <kind> <agent> ...") is checked up to its agent, whose -ENOENT only
 * says it is not there yet.
 */
static bool refused(const char *cmd, int ret)
{
	size_t n = strspn(cmd, " \t");

	if (ret == -ENOENT && !strncmp(cmd + n, "fault", 5) &&
	    strchr(" \t", cmd[n + 5]))
		return false;
	return ret == -EINVAL || ret == -ENOENT || ret == -EOPNOTSUPP ||
	       ret == -ERANGE || ret == -E2BIG;
}

/*
 * Run the commands of @steps in file order; one line per failure to @fd.
 * 0, 1 at the first command refused, 3 when @fd fails.
 */
static int dry_run_steps(const struct step *steps, size_t n, int fd)
{
	for (size_t i = 0; i < n; i++) {
		const struct step *s = &steps[i];
		char req[SIM_CONTROL_MAX_MSG];
		char line[SIM_CONTROL_MAX_MSG + 32];
		int ret, len;

		if (s->is_loop) {
			ret = dry_run_steps(s->steps, s->num_steps, fd);
			if (ret)
				return ret;
			continue;
		}
		if (!s->cmd)
			continue;
		snprintf(req, sizeof(req), "%s", s->cmd);
		ret = control_exec(req, reply, sizeof(reply));
		if (!ret)
			continue;
		if (!refused(s->cmd, ret) && ret == -ENOENT)
			continue;   /* an agent, not there yet */
		reply[strcspn(reply, "\r\n")] = '\0';
		len = snprintf(line, sizeof(line), "%u %d %.*s\n", s->seq, ret,
			       SIM_CONTROL_MAX_MSG, reply);
		if (len > 0 && write(fd, line, (size_t)len) < 0)
			return 3;
		if (refused(s->cmd, ret))
			return 1;
	}
	return 0;
}

static struct step *step_of_seq(struct step *steps, size_t n,
				unsigned int seq)
{
	for (size_t i = 0; i < n; i++) {
		struct step *s = &steps[i];

		if (s->is_loop) {
			struct step *f = step_of_seq(s->steps, s->num_steps,
						     seq);

			if (f)
				return f;
		} else if (s->cmd && s->seq == seq) {
			return s;
		}
	}
	return NULL;
}

/*
 * Check the commands by running them in a child: a copy of the simulator
 * whose changes, timers and logs go nowhere. Commands that fail for
 * another reason than their words (a state that agents may change by
 * the time they run) only earn a warning.
 */
static int dry_run(struct scenario *sc, char *err, size_t err_sz)
{
	const struct sim_json_doc *doc = &sc->doc;
	char out[4 * SIM_CONTROL_MAX_MSG];
	size_t len = 0;
	int fds[2], status, r = 0;
	pid_t pid;

	if (!sc->num_cmds)
		return 0;
	if (pipe2(fds, O_CLOEXEC) < 0) {
		snprintf(err, err_sz, "%s: pipe: %s", doc->name, strerror(errno));
		return -errno;
	}
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		r = -errno;
		snprintf(err, err_sz, "%s: fork: %s", doc->name, strerror(-r));
		close(fds[0]);
		close(fds[1]);
		return r;
	}
	if (pid == 0) {
		int null = open("/dev/null", O_WRONLY | O_CLOEXEC);

		close(fds[0]);
		if (null >= 0) {
			dup2(null, STDOUT_FILENO);
			dup2(null, STDERR_FILENO);
		}
		r = dry_run_steps(sc->steps, sc->num_steps, fds[1]);
		/* what is ours of the copy (a quiet valgrind) */
		scenario_free(sc);
		_exit(r);
	}
	close(fds[1]);
	for (;;) {
		/* to the end, so that the child never blocks on a full pipe */
		char chunk[512];
		ssize_t n = read(fds[0], chunk, sizeof(chunk));

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		if ((size_t)n > sizeof(out) - 1 - len)
			n = (ssize_t)(sizeof(out) - 1 - len);
		memcpy(out + len, chunk, (size_t)n);
		len += (size_t)n;
	}
	out[len] = '\0';
	close(fds[0]);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;

	for (char *line = out, *nl; *line; line = nl + 1) {
		struct step *s;
		unsigned int seq;
		int ret, skip = 0;
		char sub[PATH_SZ + 8];

		nl = strchr(line, '\n');
		if (!nl)
			break;
		*nl = '\0';
		if (sscanf(line, "%u %d %n", &seq, &ret, &skip) != 2 || !skip)
			continue;
		s = step_of_seq(sc->steps, sc->num_steps, seq);
		if (!s)
			continue;
		join(sub, s->path, "do");
		if (refused(s->cmd, ret))
			return sim_json_error(doc, sub, err, err_sz,
					      "\"%s\" is refused: %s", s->cmd,
					      line + skip);
		sim_log(SIM_LOG_WARN,
			"scenario %s: \"%s\" fails at load (%s); it may not when it runs",
			where(sc, s), s->cmd, line + skip);
	}
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		snprintf(err, err_sz,
			 "%s: the dry run of its commands failed (%s %d)",
			 doc->name,
			 WIFSIGNALED(status) ? "signal" : "exit status",
			 WIFSIGNALED(status) ? WTERMSIG(status) :
					       WEXITSTATUS(status));
		return -EIO;
	}
	return 0;
}

int scenario_load(const char *path, struct scenario **ret, char *err,
		  size_t err_sz)
{
	struct scenario *sc;
	struct sload sl = { .err = err, .err_sz = err_sz };
	uint64_t length;
	int r;

	*ret = NULL;
	sc = calloc(1, sizeof(*sc));
	if (!sc || !(sc->name = strdup(path))) {
		free(sc);
		snprintf(err, err_sz, "%s: out of memory", path);
		return -ENOMEM;
	}
	r = sim_json_read(sc->name, &sc->doc, err, err_sz);
	if (r) {
		scenario_free(sc);
		return r;
	}
	sl.doc = &sc->doc;
	if (!json_object_is_type(sc->doc.root, json_type_array))
		r = sim_json_error(&sc->doc, "", err, err_sz,
				   "a scenario is an array of steps, not %s",
				   sim_json_kind(sc->doc.root));
	else
		r = load_steps(&sl, sc->doc.root, "", 0, &sc->steps,
			       &sc->num_steps, &length);
	/* the text stays, for the lines of the steps in logs */
	json_object_put(sc->doc.root);
	sc->doc.root = NULL;
	sc->num_cmds = sl.cmds;
	if (!r)
		r = dry_run(sc, err, err_sz);
	if (r) {
		scenario_free(sc);
		return r;
	}
	sim_log(SIM_LOG_INFO, "scenario %s: %zu steps, %u commands checked",
		path, sl.total, sc->num_cmds);
	*ret = sc;
	return 0;
}

/* ---- the run ------------------------------------------------------------ */

static void on_step(struct ev_loop *loop, ev_timer *w, int revents);

/* Find the next command or pause and arm the timer for it, or finish. */
static void schedule(struct scenario *sc)
{
	for (;;) {
		struct frame *f = &sc->stack[sc->depth];
		const struct step *s;
		uint64_t due;
		double after;

		if (f->i == f->n) {
			if (!f->loop) {
				sim_log(SIM_LOG_INFO, "scenario %s: done",
					sc->name);
				return;
			}
			/* the next round, or back to the block of the loop */
			f->round++;
			f->start += f->loop->length;
			if (f->loop->count && f->round >= f->loop->count) {
				uint64_t end = f->start;

				sc->depth--;
				sc->stack[sc->depth].prev = end;
				continue;
			}
			f->prev = f->start;
			f->i = 0;
			continue;
		}
		s = &f->steps[f->i];
		due = s->at ? f->start + s->ms : f->prev + s->ms;
		if (s->is_loop) {
			struct frame *in = &sc->stack[sc->depth + 1];

			f->i++;
			f->prev = due;
			in->loop = s;
			in->steps = s->steps;
			in->n = s->num_steps;
			in->i = 0;
			in->round = 0;
			in->start = due;
			in->prev = due;
			sc->depth++;
			continue;
		}
		sc->due = due;
		after = sc->t0 + (double)due / 1000. - ev_now(sc->loop);
		ev_timer_set(&sc->w, after > 0. ? after : 0., 0.);
		ev_timer_start(sc->loop, &sc->w);
		return;
	}
}

static void on_step(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct scenario *sc = w->data;
	struct frame *f = &sc->stack[sc->depth];
	struct step *s = &f->steps[f->i];

	if (s->cmd) {
		char req[SIM_CONTROL_MAX_MSG];
		int ret;

		snprintf(req, sizeof(req), "%s", s->cmd);
		ret = control_exec(req, reply, sizeof(reply));
		if (ret)
			sim_log(SIM_LOG_WARN, "scenario %s: \"%s\": %s",
				where(sc, s), s->cmd, reply);
		else if (sim_log_enabled(SIM_LOG_INFO))
			sim_log(SIM_LOG_INFO, "scenario %s (%.3f s): %s: %s",
				where(sc, s), ev_now(loop) - sc->t0, s->cmd,
				reply);
	}
	f->prev = sc->due;
	f->i++;
	schedule(sc);
}

void scenario_start(struct scenario *sc, struct ev_loop *loop)
{
	sc->loop = loop;
	ev_init(&sc->w, on_step);
	sc->w.data = sc;
	ev_now_update(loop);
	sc->t0 = ev_now(loop);
	sc->depth = 0;
	sc->stack[0] = (struct frame){
		.steps = sc->steps, .n = sc->num_steps,
	};
	sim_log(SIM_LOG_INFO, "scenario %s: started", sc->name);
	schedule(sc);
}
