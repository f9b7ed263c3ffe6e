# shellcheck shell=bash
# Serializes the scripts that fill one entry of the cache (sourced, not run). Tests run in
# parallel (ctest -j) and several of them fetch the same guest or libfdt: without the lock two
# runs build into the same temporary names, or one replaces a file another test is reading.
#
# cache_lock <cache folder> <entry>   waits for, then holds until the script exits, the entry's lock

cache_lock() {
	mkdir -p "$1/locks"
	exec 9>"$1/locks/$2.lock"
	flock 9
}
