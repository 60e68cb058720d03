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

  class << self
    def version = Lib.rs_signal_version

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
    end

    private

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
