#!/usr/bin/env bash
# Ruby through the ffi gem: the rssignal gem (bindings/ruby) built and
# installed into a scratch GEM_HOME; the library found by its name.
source "$(dirname "$0")/../lib.sh"
need ruby
need gem
ruby -e 'require "ffi"' 2>/dev/null || skip "the ffi gem is missing (apt-get install ruby-ffi, or gem install ffi)"
echo "  $(ruby -v); ffi $(ruby -rffi -e 'print FFI::VERSION')"
gemsrc="$root/bindings/ruby"
(cd "$gemsrc" && gem build -q rssignal.gemspec -o "$WORK/rssignal.gem") >/dev/null || fail "gem build"
export GEM_HOME="$WORK/gems"
gem install -q --local --ignore-dependencies --no-document "$WORK/rssignal.gem" >/dev/null || fail "gem install"
export GEM_PATH="$GEM_HOME:$(ruby -e 'print Gem.default_path.join(":")')"
drive ruby "$here/consumer.rb" || fail "run"
