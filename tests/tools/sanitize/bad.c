/* A deliberately bad program: `make sanitize` checks that valgrind and
 * ASan+UBSan catch it, so a clean run of the suite means something.
 *   bad leak-in-child   a forked child leaks a block and _exit(0)s
 *   bad overflow        reads one int past a heap block
 *   bad ub              signed integer overflow */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile int sink;

int main(int argc, char **argv) {
    if (argc != 2) return 2;
    if (!strcmp(argv[1], "leak-in-child")) {
        pid_t pid = fork();
        if (pid == 0) {
            int *p = malloc(64 * sizeof *p);
            p[0] = 1;
            sink = p[0];
            p = NULL; /* the only pointer is gone: definitely lost */
            _exit(0);
        }
        int st = 0;
        waitpid(pid, &st, 0);
        return WIFEXITED(st) ? WEXITSTATUS(st) : 1;
    }
    if (!strcmp(argv[1], "overflow")) {
        int *p = malloc(4 * sizeof *p);
        memset(p, 0, 4 * sizeof *p);
        sink = p[4];
        free(p);
        return 0;
    }
    if (!strcmp(argv[1], "ub")) {
        int x = INT_MAX - (argc - 2); /* INT_MAX, not a constant */
        sink = x + 1;
        return 0;
    }
    return 2;
}
