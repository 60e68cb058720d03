# frozen_string_literal: true

# A Ruby block as the SIGUSR1 handler, run at the dispatch point after
# IO.select saw the wakeup byte. The signal comes from another process:
# this script spawns `kill -USR1 <its pid>`.
#
#   ruby -Ilib examples/usr1.rb
require "io/nonblock"
require "rssignal"

calls = 0
RSSignal.trap(:USR1) do |signum|
  calls += 1
  puts "block: #{RSSignal.name(signum)}, call ##{calls}"
end

# Failures raise exceptions mapped from the status codes.
begin
  RSSignal.trap(:KILL) { nil }
rescue RSSignal::OSError => e
  puts "trap(:KILL) raised #{e.class}: #{e.message} (errno #{e.errno})"
end

r, w = IO.pipe
w.nonblock = true
RSSignal.set_wakeup_fd(w)

Process.wait(Process.spawn("kill", "-USR1", Process.pid.to_s)) # another process
IO.select([r])
puts "wakeup: #{r.read_nonblock(64).bytes.map { |b| RSSignal.name(b) }.join(' ')}; calls so far: #{calls}"
RSSignal.check # the dispatch point: the block runs here

# Constants come from the library at load time.
puts "RSSignal::SIGUSR1 = #{RSSignal::SIGUSR1}, RSSignal::NSIG = #{RSSignal::NSIG}"
RSSignal.set_wakeup_fd(nil)
RSSignal.default(:USR1)
