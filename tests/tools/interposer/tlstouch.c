/* A shared library with a thread-local: touching it from a handler goes
 * through __tls_get_addr (the self-test's "tls-dso" case). */
static __thread int counter;
int tlstouch(void) { return ++counter; }
