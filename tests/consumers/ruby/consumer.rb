# frozen_string_literal: true

# Ruby consumer of an installed rssignal through the rssignal gem
# (bindings/ruby, ffi). A Ruby block handles a real SIGUSR1 sent by the run
# script, at RSSignal.check after IO.select saw the wakeup byte.
require "io/nonblock"
require "rssignal"

$stdout.sync = true

def check(cond, what)
  return if cond

  warn "FAIL: #{what}"
  exit 1
end

# Constants built at run time from rs_signal_constant_count/_at.
check(RSSignal::CONSTANTS.size == RSSignal::Lib.rs_signal_constant_count, "every constant listed")
check(RSSignal::SIGUSR1 == 10 && RSSignal::SIG_IGN == 1 && RSSignal::NSIG == 65, "constant values")
check(RSSignal::SIGIOT == RSSignal::SIGABRT, "aliases")
check(RSSignal.signum(:USR1) == RSSignal::SIGUSR1 && RSSignal.name(RSSignal::SIGUSR1) == "SIGUSR1", "names")
check(RSSignal.version.start_with?("0."), "version")

seen = []
old = RSSignal.trap(:USR1) { |signum| seen << signum }
puts "previous SIGUSR1 handler: #{old.inspect}"
check(RSSignal.getsignal(:USR1).is_a?(Proc), "getsignal returns the block")

r, w = IO.pipe
w.nonblock = true
r.nonblock = true
check(RSSignal.set_wakeup_fd(w) == -1, "no wakeup fd before")

puts "SEND SIGUSR1 #{Process.pid}"
ready = IO.select([r], nil, nil, 30)
check(ready, "the wakeup fd became readable")
bytes = r.read_nonblock(64).bytes
puts "wakeup fd: #{bytes.map { |b| RSSignal.name(b) }.join(' ')}"
check(bytes == [RSSignal::SIGUSR1], "one wakeup byte, SIGUSR1")
check(seen.empty?, "no block ran before the dispatch point")
check(RSSignal.pending?, "pending")
RSSignal.check
check(seen == [RSSignal::SIGUSR1], "the block ran once at RSSignal.check (#{seen.inspect})")
puts "block ran at RSSignal.check for #{RSSignal.name(seen.first)}"

# Exceptions mapped from status codes.
begin
  RSSignal.trap(:KILL) { nil }
  check(false, "trap(:KILL) must raise")
rescue RSSignal::OSError => e
  check(e.errno == 22 && e.status == -2, "OSError with EINVAL")
  puts "trap(:KILL): #{e.class}: #{e.message}"
end
begin
  RSSignal.signum("SIGNOPE")
  check(false, "an unknown name must raise")
rescue RSSignal::ValueError => e
  puts "signum('SIGNOPE'): #{e.class}: #{e.message}"
end

# A block's exception comes out of the call that dispatched it.
class Boom < StandardError; end
RSSignal.trap(:USR1) { raise Boom, "from the block" }
begin
  RSSignal.raise_signal(:USR1)
  check(false, "the block's exception must propagate")
rescue Boom => e
  puts "raise_signal(:USR1) raised the block's #{e.class}: #{e.message}"
end

check(RSSignal.default(:USR1).is_a?(Proc), "default returns the previous block")
check(RSSignal.getsignal(:USR1) == :DEFAULT, "back to SIG_DFL")
RSSignal.set_wakeup_fd(nil)
RSSignal.finalize
puts "OK"
