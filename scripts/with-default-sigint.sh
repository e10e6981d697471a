#!/bin/sh
# Runs a command with SIGINT at its default action.
#
# A command started in the background by a shell without job control (a script, a CI step, an
# agent's `./callhook demo &`) inherits SIGINT ignored, and a JVM cannot undo that: Ctrl-C and
# `kill -INT` then do nothing, and a demo the user believes stopped keeps running. The next start
# on the same data would find it there. A terminal's shell resets SIGINT for its foreground job;
# this does the same for any job. perl is part of every Debian system (perl-base is essential).
exec perl -e '$SIG{INT} = "DEFAULT"; exec { $ARGV[0] } @ARGV or die "with-default-sigint: cannot run $ARGV[0]: $!\n"' "$@"
