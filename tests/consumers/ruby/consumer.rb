# frozen_string_literal: true

# Ruby consumer of an installed rssignal through the rssignal gem
# (bindings/ruby, ffi). A Ruby block handles a real SIGUSR1 sent by the run
# script, at RSSignal.check after IO.select saw the wakeup byte. Then the 0.2
# API: listener blocks and a channel get signals sent by child processes,
# with the senders' pids; counters; restore gives Ruby its own handlers back.
require "io/nonblock"
require "rssignal"

$stdout.sync = true

def check(cond, what)
  return if cond

  warn "FAIL: #{what}"
  exit 1
end

# The handler address of sig's OS disposition, read with sigaction(2)
# directly (sa_handler is the first member of struct sigaction).
module LibC
  extend FFI::Library
  ffi_lib FFI::Library::LIBC
  attach_function :sigaction, %i[int pointer pointer], :int
end

def os_handler(sig)
  sa = FFI::MemoryPointer.new(:uint8, 512)
  check(LibC.sigaction(RSSignal.signum(sig), nil, sa).zero?, "sigaction(#{sig})")
  sa.read_pointer.address
end

# Another process that sends sig to this one once told to: the handshake is
# a line on its stdin. #send returns the sender's pid.
class Sender
  def initialize(sig)
    r, @w = IO.pipe
    @pid = Process.spawn("sh", "-c", 'read go && kill -s "$1" "$2"', "sh", sig.to_s, Process.pid.to_s, in: r)
    r.close
  end

  def send
    @w.puts("go")
    @w.close
    @pid
  end

  def wait
    _, status = Process.wait2(@pid)
    check(status.success?, "the sender #{@pid} exited with #{status.inspect}")
  end
end

ruby_usr1 = os_handler(:USR1)
ruby_term = os_handler(:TERM)

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

# 0.2: listener blocks get a Delivery at RSSignal.check; a channel tells when
# the signal arrived (and sees it too).
begin
  RSSignal.delivery_info
  check(false, "delivery_info outside a dispatch must raise")
rescue RSSignal::ValueError => e
  puts "delivery_info outside a dispatch: #{e.class}: #{e.message}"
end
begin
  RSSignal.channel(:KILL)
  check(false, "channel(:KILL) must raise")
rescue RSSignal::OSError => e
  check(e.errno == 22, "channel(:KILL): EINVAL")
end
check((RSSignal.channel { nil } rescue $!).is_a?(RSSignal::ValueError), "an empty channel set is a ValueError")

heard = []
once = []
listener = RSSignal.listen(:TERM) { |d| heard << d }
oneshot = RSSignal.listen(:TERM, oneshot: true) { |d| once << d }
ch = RSSignal.channel(:TERM, :USR2)
senders = []
2.times do
  s = Sender.new(:TERM)
  pid = s.send
  recs = ch.wait(30)
  s.wait
  check(recs.size == 1 && recs[0].signum == RSSignal::SIGTERM && recs[0].pid == pid,
        "channel record for SIGTERM from #{pid}: #{recs.inspect}")
  check(RSSignal.pending?, "SIGTERM with listeners is pending")
  RSSignal.check
  senders << pid
end
check(heard.map(&:pid) == senders && heard.all? { |d| d.signum == RSSignal::SIGTERM && d.arrivals == 1 },
      "listener records #{heard.inspect}, senders #{senders.inspect}")
check(heard.all? { |d| d.uid == Process.uid && d.code.zero? && d.first_ns.positive? && d.first_ns <= d.last_ns },
      "uid, SI_USER, times: #{heard.inspect}")
check(once.map(&:pid) == [senders[0]], "the oneshot listener ran once: #{once.inspect}")
puts "listen(:TERM): #{heard.map(&:name).join(', ')} from pids #{heard.map(&:pid).join(', ')} " \
     "(senders #{senders.join(', ')}); oneshot ran once"
begin
  oneshot.remove
  check(false, "removing a oneshot that ran must raise")
rescue RSSignal::ValueError
  nil
end
listener.remove
st = RSSignal.stats(:TERM)
check(st.arrivals == 2 && st.listener_calls == 3 && st.dispatches.zero?, "SIGTERM stats #{st.inspect}")
puts "stats(:TERM): #{st.arrivals} arrivals, #{st.listener_calls} listener calls"

# A channel-only signal: read off the channel, nothing for the main thread.
s = Sender.new(:USR2)
pid = s.send
recs = ch.wait(30)
s.wait
check(recs.size == 1 && recs[0].signum == RSSignal::SIGUSR2 && recs[0].pid == pid && recs[0].arrivals == 1,
      "channel record for SIGUSR2 from #{pid}: #{recs.inspect}")
check(!RSSignal.pending?, "a channel-only signal is not pending for the main thread")
check(ch.read.empty?, "nothing left in the channel")
puts "channel: #{recs[0].name} from pid #{recs[0].pid} (sender #{pid}), uid #{recs[0].uid}, " \
     "code #{recs[0].code}, arrivals #{recs[0].arrivals}"
ch.close
check(ch.closed?, "closed")

# restore: Ruby's own handlers are back, exactly.
RSSignal.restore(:TERM)
RSSignal.restore(:USR1)
check(os_handler(:TERM) == ruby_term, "SIGTERM: Ruby's handler after restore")
check(os_handler(:USR1) == ruby_usr1, "SIGUSR1: Ruby's handler after restore")
puts format("restore: Ruby's SIGTERM and SIGUSR1 handlers are back (0x%x)", ruby_term)

RSSignal.finalize
puts "OK"
