# frozen_string_literal: true

# A Ruby block as the SIGUSR1 handler, run at the dispatch point after an
# IO.select on the wakeup pipe saw the signal arrive. From another shell:
#   kill -USR1 <pid>        (twice to finish)
require "io/nonblock"
require "rssignal"

count = 0
RSSignal.trap(:USR1) do |signum|
  count += 1
  puts "block: #{RSSignal.name(signum)} (##{count})"
end

begin
  RSSignal.trap(:KILL) { nil }
rescue RSSignal::OSError => e
  puts "trap(:KILL) raised #{e.class}: #{e.message} (errno #{e.errno})"
end

r, w = IO.pipe
w.nonblock = true
RSSignal.set_wakeup_fd(w)
puts "pid #{Process.pid}: send me SIGUSR1 (kill -USR1 #{Process.pid}), twice to finish"
while count < 2
  IO.select([r])
  puts "wakeup: #{r.read_nonblock(64).bytes.map { |b| RSSignal.name(b) }.join(' ')}"
  RSSignal.check # the dispatch point: the block runs here
end
RSSignal.set_wakeup_fd(nil)
RSSignal.finalize
