#!/usr/bin/env bash
# Prints Polyvisor's cache folder (fetched sources and guest images; never part of the tree):
# $PV_CACHE_DIR, else $XDG_CACHE_HOME/polyvisor, else ~/.cache/polyvisor.
echo "${PV_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/polyvisor}"
