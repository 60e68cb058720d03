/* libbenchfloor.so: the call floor for check_ns. An empty function exported
 * from a shared library other than librssignal, called through the PLT the
 * same way as rs_signal_check(). */
int bench_floor_call(void) { return 0; }
