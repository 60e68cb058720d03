# frozen_string_literal: true

Gem::Specification.new do |s|
  s.name = "rssignal"
  s.version = "0.1.0"
  s.summary = "Python's signal module with CPython's deferred dispatch, for Ruby (ffi binding of librssignal)"
  s.description = "Blocks as signal handlers and listeners run at a dispatch point (RSSignal.check), never in " \
                  "signal context; who sent each signal (pid, uid, si_code, arrivals); channels and the wakeup fd " \
                  "for IO.select loops; restore; exceptions mapped from rssignal's status codes. " \
                  "Needs the rssignal C library installed (librssignal.so.0)."
  s.authors = ["rssignal contributors"]
  s.licenses = ["MIT", "Apache-2.0"]
  s.files = ["lib/rssignal.rb"]
  s.require_paths = ["lib"]
  s.required_ruby_version = ">= 3.0"
  s.add_runtime_dependency "ffi", "~> 1.15"
end
