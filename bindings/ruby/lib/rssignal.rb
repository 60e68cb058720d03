# frozen_string_literal: true

# RSSignal: a thin Ruby binding (ffi gem) of the rssignal C library, Python's
# signal module with CPython's deferred dispatch. A block installed with
# RSSignal.trap runs when the main thread reaches a dispatch point
# (RSSignal.check, or a call that dispatches), never in signal context; the
# wakeup fd wakes an IO.select loop when a signal arrives.
#
#   require "rssignal"
#   RSSignal.trap(:USR1) { |signum| puts "got #{RSSignal.name(signum)}" }
#   r, w = IO.pipe
#   RSSignal.set_wakeup_fd(w)
#   IO.select([r]); r.read_nonblock(64)
#   RSSignal.check   # runs the block; a block's exception is raised here
#
# Beyond CPython (0.2): who sent a signal and how many arrivals one dispatch
# stands for, several owners of one signal, and putting back what was there:
#
#   l = RSSignal.listen(:TERM) { |d| puts "SIGTERM from pid #{d.pid} (x#{d.arrivals})" }
#   RSSignal.check        # listeners run here, after the signal's handler
#   l.remove
#
#   ch = RSSignal.channel(:HUP, :USR2)  # any thread; never runs a block
#   ch.wait(5).each { |d| ... }         # IO.select on ch.to_io, then ch.read
#   ch.close
#   RSSignal.restore(:TERM)             # the disposition found before rssignal
#   RSSignal.stats(:TERM).arrivals
#
# Failures raise RSSignal::Error subclasses mapped from the status codes.
# The signal constants (RSSignal::SIGUSR1, SIG_DFL, NSIG, ITIMER_REAL...) are
# read from the library at load time (rs_signal_constant_at).
#
# The library is loaded as "rssignal" (librssignal.so, from the dev symlink)
# or "librssignal.so.0"; set RSSIGNAL_LIB to a path to choose another, and
# LD_LIBRARY_PATH for an install outside the system's library path.
require "ffi"

module RSSignal
  # Raw functions; see rssignal.h.
  module Lib
    extend FFI::Library
    ffi_lib(ENV["RSSIGNAL_LIB"] ? [ENV["RSSIGNAL_LIB"]] : ["rssignal", "librssignal.so.0"])

    callback :rs_signal_callback, %i[int pointer], :int

    class Handler < FFI::Struct
      layout :kind, :int, :callback, :pointer, :user_data, :pointer
    end

    class ErrorInfo < FFI::Struct
      layout :status, :int, :os_errno, :int, :signum, :int, :handler_result, :int, :message, :pointer
    end

    # rs_signal_delivery: who sent it, how many arrivals.
    class DeliveryInfo < FFI::Struct
      layout :signum, :int32, :arrivals, :uint32, :code, :int32, :pid, :int32, :uid, :uint32,
             :status, :int32, :value, :int64, :first_ns, :int64, :last_ns, :int64
    end

    class Stats < FFI::Struct
      layout :arrivals, :uint64, :dispatches, :uint64, :listener_calls, :uint64, :wakeup_failures, :uint64,
             :last_arrival_ns, :int64, :last_dispatch_ns, :int64
    end

    class Sigset < FFI::Struct
      layout :bits, [:uint64, 2]
    end

    attach_function :rs_signal_version, [], :string
    attach_function :rs_signal_last_error, [ErrorInfo.by_ref], :int
    attach_function :rs_signal_status_name, [:int], :string
    attach_function :rs_signal_status_exception, [:int], :string
    attach_function :rs_signal_check, [], :int
    attach_function :rs_signal_pending, [], :int
    attach_function :rs_signal_finalize, [], :int
    attach_function :rs_signal_is_main_thread, [], :int
    attach_function :rs_signal_signal, [:int, Handler.by_ref, :pointer], :int
    attach_function :rs_signal_getsignal, [:int, Handler.by_ref], :int
    attach_function :rs_signal_raise_signal, [:int], :int
    attach_function :rs_signal_set_wakeup_fd, %i[int int pointer], :int
    attach_function :rs_signal_strsignal, %i[int pointer], :int
    attach_function :rs_signal_name, [:int], :string
    attach_function :rs_signal_from_name, %i[string pointer], :int
    attach_function :rs_signal_constant_count, [], :size_t
    attach_function :rs_signal_constant_at, %i[size_t pointer pointer], :int
    attach_function :rs_sigset_from_array, [:pointer, :size_t, Sigset.by_ref], :int
    attach_function :rs_signal_delivery_info, [DeliveryInfo.by_ref], :int
    attach_function :rs_signal_add_listener, %i[int pointer pointer uint pointer], :int
    attach_function :rs_signal_remove_listener, [:uint64], :int
    attach_function :rs_signal_channel_open, [Sigset.by_ref, :uint, :pointer], :int
    attach_function :rs_signal_channel_fd, [:pointer], :int
    attach_function :rs_signal_channel_read, %i[pointer pointer size_t pointer], :int
    attach_function :rs_signal_channel_close, [:pointer], :int
    attach_function :rs_signal_restore, [:int], :int
    attach_function :rs_signal_get_stats, [:int, Stats.by_ref], :int
  end

  # Who sent a signal and how many arrivals it stands for. code, pid, uid,
  # status, value and last_ns come from one arrival, the latest; the times
  # are CLOCK_MONOTONIC ns.
  Delivery = Struct.new(:signum, :arrivals, :code, :pid, :uid, :status, :value, :first_ns, :last_ns) do
    def self.from(info) = new(*members.map { |m| info[m] })
    def name = RSSignal.name(signum)
  end

  # A signal's counters since the library started (RSSignal.stats).
  Stats = Struct.new(:arrivals, :dispatches, :listener_calls, :wakeup_failures, :last_arrival_ns,
                     :last_dispatch_ns)

  # A listener added by RSSignal.listen; #remove takes it away.
  Listener = Struct.new(:id, :signum) do
    def remove = RSSignal.remove_listener(self)
  end

  # Base of every rssignal failure: the status and the library's last error.
  class Error < StandardError
    attr_reader :status, :errno, :signum, :handler_result

    def initialize(message = nil, status: nil, errno: 0, signum: 0, handler_result: 0)
      super(message)
      @status = status
      @errno = errno
      @signum = signum
      @handler_result = handler_result
    end
  end
  class ValueError < Error; end                 # RS_SIGNAL_EVALUE
  class OSError < Error; end                    # RS_SIGNAL_EOS (errno set)
  class ItimerError < OSError; end              # RS_SIGNAL_EITIMER
  class TypeError < Error; end                  # RS_SIGNAL_ETYPE
  class OverflowError < Error; end              # RS_SIGNAL_EOVERFLOW
  class HandlerError < Error; end               # RS_SIGNAL_EHANDLER / a C callback's code
  class KeyboardInterrupt < Error; end          # RS_SIGNAL_EKEYBOARDINTERRUPT
  class UnsupportedError < Error; end           # RS_SIGNAL_EUNSUPPORTED
  class InternalError < Error; end              # RS_SIGNAL_EINTERNAL

  ERRORS = {
    -1 => ValueError, -2 => OSError, -3 => ItimerError, -4 => TypeError, -5 => OverflowError,
    -6 => HandlerError, -7 => KeyboardInterrupt, -8 => UnsupportedError, -9 => InternalError
  }.freeze

  # The module's constants, from the library itself.
  CONSTANTS = begin
    name = FFI::MemoryPointer.new(:pointer)
    value = FFI::MemoryPointer.new(:int)
    (0...Lib.rs_signal_constant_count).each_with_object({}) do |i, h|
      next unless Lib.rs_signal_constant_at(i, name, value).zero? && !name.read_pointer.null?

      h[name.read_pointer.read_string] = value.read_int
    end.freeze
  end
  CONSTANTS.each { |n, v| const_set(n, v) if n.match?(/\A[A-Z][A-Z0-9_]*\z/) && !const_defined?(n, false) }

  HANDLERS = {} # signum => block, while the library holds DISPATCH for it
  @raised = nil # a block's exception, from DISPATCH to the call that dispatched

  # The one C callback behind every block; kept in a constant so the GC never
  # frees it. Exceptions never cross into the library: they are kept and
  # raised again by the Ruby call that dispatched.
  DISPATCH = FFI::Function.new(:int, %i[int pointer]) do |signum, _user_data|
    HANDLERS.fetch(signum).call(signum)
    0
  rescue Exception => e # rubocop:disable Lint/RescueException
    @raised = e
    -1000 # RS_SIGNAL_EUSER
  end

  LISTENERS = {} # key (the C user_data) => [block, oneshot]
  LISTENER_KEYS = {} # listener id => key
  @next_key = 0

  # The one C callback behind every listener block (user_data: its key).
  LISTEN = FFI::Function.new(:int, %i[int pointer]) do |signum, user_data|
    key = user_data.address
    block, oneshot = LISTENERS.fetch(key)
    LISTENERS.delete(key) if oneshot # the library removed it before this call
    info = Lib::DeliveryInfo.new
    block.call(Lib.rs_signal_delivery_info(info).zero? ? Delivery.from(info) : Delivery.new(signum, 1))
    0
  rescue Exception => e # rubocop:disable Lint/RescueException
    @raised = e
    -1000 # RS_SIGNAL_EUSER
  end

  # An rssignal channel: every arrival of its signals is counted in it,
  # independently of the main-thread dispatch and of other channels; it never
  # runs a block and needs no main thread. IO.select on #to_io, then #read.
  class Channel
    def initialize(*sigs)
      nums = sigs.flatten.map { |s| RSSignal.signum(s) }
      arr = FFI::MemoryPointer.new(:int, [nums.size, 1].max)
      arr.write_array_of_int(nums) unless nums.empty?
      set = Lib::Sigset.new
      RSSignal.send(:call) { Lib.rs_sigset_from_array(arr, nums.size, set) }
      out = FFI::MemoryPointer.new(:pointer)
      RSSignal.send(:call) { Lib.rs_signal_channel_open(set, 0, out) }
      @ptr = out.read_pointer
      @io = IO.for_fd(Lib.rs_signal_channel_fd(@ptr), autoclose: false)
    end

    # The channel's fd: readable while something is pending. Do not read it.
    def to_io = @io
    def fileno = @io.fileno
    def closed? = @ptr.nil?

    # The records pending now (one per signal, ascending; arrivals since the
    # last read): never blocks, [] when nothing is pending.
    def read(max = 64)
      raise IOError, "closed channel" if closed?

      buf = FFI::MemoryPointer.new(Lib::DeliveryInfo, max)
      n = FFI::MemoryPointer.new(:size_t)
      RSSignal.send(:call) { Lib.rs_signal_channel_read(@ptr, buf, max, n) }
      Array.new(n.read(:size_t)) { |i| Delivery.from(Lib::DeliveryInfo.new(buf + i * Lib::DeliveryInfo.size)) }
    end

    # Wait up to timeout seconds (nil: for ever) for a record, then read.
    def wait(timeout = nil)
      IO.select([@io], nil, nil, timeout) ? read : []
    end

    def close
      return if closed?

      @io.close
      ptr = @ptr
      @ptr = nil
      RSSignal.send(:call) { Lib.rs_signal_channel_close(ptr) }
      nil
    end
  end

  class << self
    def version = Lib.rs_signal_version

    # Add the block as a listener of sig: it runs at a dispatch point on the
    # main thread, after the signal's handler, with a Delivery; several
    # listeners run in the order they were added. While sig has a listener,
    # rssignal's handler is its OS disposition (Ruby's own trap included).
    # oneshot: removed before its first call. Returns a Listener.
    def listen(sig, oneshot: false, &block)
      raise ArgumentError, "RSSignal.listen needs a block" unless block

      num = signum(sig)
      key = (@next_key += 1)
      LISTENERS[key] = [block, oneshot]
      id = FFI::MemoryPointer.new(:uint64)
      begin
        call { Lib.rs_signal_add_listener(num, LISTEN, FFI::Pointer.new(key), oneshot ? 1 : 0, id) }
      rescue StandardError
        LISTENERS.delete(key)
        raise
      end
      LISTENER_KEYS[id.read(:uint64)] = [key, num]
      Listener.new(id.read(:uint64), num)
    end

    # Remove a listener (a Listener or its id); never called again once this
    # returns. One that is gone already (a oneshot that ran): ValueError.
    def remove_listener(listener)
      id = listener.is_a?(Listener) ? listener.id : listener
      begin
        call { Lib.rs_signal_remove_listener(id) }
      ensure
        key, = LISTENER_KEYS.delete(id)
        LISTENERS.delete(key) if key
      end
      nil
    end

    # The record of the signal being dispatched, inside a trap block or a
    # listener; elsewhere ValueError "no signal is being dispatched".
    def delivery_info
      info = Lib::DeliveryInfo.new
      call { Lib.rs_signal_delivery_info(info) }
      Delivery.from(info)
    end

    # Open a Channel for the signals; with a block, yield it and close it.
    def channel(*sigs)
      ch = Channel.new(*sigs)
      return ch unless block_given?

      begin
        yield ch
      ensure
        ch.close
      end
    end

    # Give back what rssignal took from sig (0 or nil: every signal it ever
    # changed), only if the OS disposition is still rssignal's.
    def restore(sig = 0)
      num = sig.nil? || sig == 0 ? 0 : signum(sig)
      call { Lib.rs_signal_restore(num) }
      num.zero? ? HANDLERS.clear : HANDLERS.delete(num)
      forget_listeners(num)
      nil
    end

    # sig's counters since the library started (any thread).
    def stats(sig)
      st = Lib::Stats.new
      call { Lib.rs_signal_get_stats(signum(sig), st) }
      Stats.new(*Stats.members.map { |m| st[m] })
    end

    # Signal number from 10, :USR1, "USR1", "SIGUSR1", "SIGRTMIN+2".
    def signum(sig)
      return sig if sig.is_a?(Integer)

      s = sig.to_s
      s = "SIG#{s}" unless s.start_with?("SIG")
      out = FFI::MemoryPointer.new(:int)
      call { Lib.rs_signal_from_name(s, out) }
      out.read_int
    end

    # "SIGUSR1" for 10, nil for a number that names no signal.
    def name(signum) = Lib.rs_signal_name(signum)

    # The system's description ("User defined signal 1"), or nil.
    def strsignal(sig)
      out = FFI::MemoryPointer.new(:pointer)
      call { Lib.rs_signal_strsignal(signum(sig), out) }
      out.read_pointer.null? ? nil : out.read_pointer.read_string
    end

    # Install the block as the handler of sig (Python's signal.signal).
    # Returns the previous handler: a Proc, :DEFAULT, :IGNORE, or :FOREIGN.
    def trap(sig, &block)
      raise ArgumentError, "RSSignal.trap needs a block" unless block

      set(signum(sig), HANDLER_CALLBACK, block)
    end

    def ignore(sig) = set(signum(sig), SIG_IGN, nil)
    def default(sig) = set(signum(sig), SIG_DFL, nil)

    # The current handler: a Proc, :DEFAULT, :IGNORE or :FOREIGN.
    def getsignal(sig)
      h = Lib::Handler.new
      n = signum(sig)
      call { Lib.rs_signal_getsignal(n, h) }
      describe(n, h)
    end

    # The dispatch point: runs the blocks of the signals that arrived.
    def check = call { Lib.rs_signal_check }
    def pending? = Lib.rs_signal_pending == 1

    # Send sig to this thread, then dispatch.
    def raise_signal(sig) = call { Lib.rs_signal_raise_signal(signum(sig)) }

    # Write one byte, the signal number, to io (non-blocking) when a signal
    # with a handler arrives; nil or -1 disables. Returns the previous fd.
    def set_wakeup_fd(io, warn_on_full_buffer: true)
      fd = io.nil? ? -1 : (io.respond_to?(:fileno) ? io.fileno : io)
      old = FFI::MemoryPointer.new(:int)
      call { Lib.rs_signal_set_wakeup_fd(fd, warn_on_full_buffer ? 1 : 0, old) }
      old.read_int
    end

    def finalize
      call { Lib.rs_signal_finalize }
      HANDLERS.clear
      forget_listeners(0)
    end

    private

    # The library removed the listeners of num (0: all): drop their blocks.
    def forget_listeners(num)
      LISTENER_KEYS.delete_if do |_id, (key, s)|
        next false unless num.zero? || s == num

        LISTENERS.delete(key)
        true
      end
    end

    HANDLER_CALLBACK = 2
    private_constant :HANDLER_CALLBACK

    def set(num, kind, block)
      h = Lib::Handler.new
      h[:kind] = kind
      h[:callback] = kind == HANDLER_CALLBACK ? DISPATCH : nil
      old = Lib::Handler.new
      # Arrivals still pending run inside this call, with the old handlers.
      call { Lib.rs_signal_signal(num, h, old) }
      previous = describe(num, old)
      block ? HANDLERS[num] = block : HANDLERS.delete(num)
      previous
    end

    def describe(num, h)
      case h[:kind]
      when SIG_DFL then :DEFAULT
      when SIG_IGN then :IGNORE
      when HANDLER_CALLBACK then h[:callback] == DISPATCH ? HANDLERS[num] : :FOREIGN
      else :FOREIGN
      end
    end

    # Run a library call; raise the block's exception or the mapped error.
    def call
      rc = yield
      return rc if rc >= 0

      if rc == -1000 && @raised
        e = @raised
        @raised = nil
        raise e
      end
      info = Lib::ErrorInfo.new
      Lib.rs_signal_last_error(info)
      msg = info[:message].null? ? Lib.rs_signal_status_name(rc) : info[:message].read_string
      klass = ERRORS[rc] || HandlerError
      raise klass.new(msg, status: rc, errno: info[:os_errno], signum: info[:signum],
                           handler_result: info[:handler_result])
    end
  end
end
