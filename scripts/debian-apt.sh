# shellcheck shell=bash
# Reading Debian's archive without touching the machine's apt configuration (sourced, not run):
# a private apt configuration under the Polyvisor cache, one per release and architecture, for
# scripts/fetch-guest.sh and scripts/build-guest-kernel.sh.
#
# debian_apt <suite> <arch>   sets apt_dir and apt_opts (for apt-get / apt-cache) for that pair
# debian_apt_update [force]   reads the package lists: once, again with PV_GUEST_REFRESH=1 or force

# The Debian mirror the machine itself uses (deb822 .sources or a one-line sources.list).
debian_mirror() {
	local uri
	uri=$(grep -hE '^URIs:' /etc/apt/sources.list.d/*.sources 2>/dev/null | awk '{print $2}' |
		grep -E '/debian/?$' | head -n 1 || true)
	[ -n "$uri" ] || uri=$(grep -hE '^deb ' /etc/apt/sources.list 2>/dev/null |
		sed -E 's/\[[^]]*\]//' | awk '{print $2}' | grep -E '/debian/?$' | head -n 1 || true)
	echo "${uri:-http://deb.debian.org/debian}"
}

debian_apt() {
	apt_suite=$1 apt_arch=$2
	apt_dir=$("$(dirname "${BASH_SOURCE[0]}")/cache-dir.sh")/apt/$apt_suite-$apt_arch
	apt_opts=(-o "Dir::Etc::sourcelist=$apt_dir/sources.list" -o Dir::Etc::sourceparts=-
		-o "Dir::State::Lists=$apt_dir/lists" -o "Dir::Cache=$apt_dir/cache"
		-o Dir::State::status=/dev/null -o "APT::Architecture=$apt_arch"
		-o "APT::Architectures=$apt_arch" -o APT::Sandbox::User=root -o Debug::NoLocking=1 -q)
}

debian_apt_update() {
	if [ -z "${1:-}" ] && [ "${PV_GUEST_REFRESH:-0}" != 1 ] &&
		ls "$apt_dir"/lists/*_Packages* >/dev/null 2>&1; then
		return 0
	fi
	mkdir -p "$apt_dir/lists/partial" "$apt_dir/cache/archives/partial"
	echo "deb [arch=$apt_arch signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $(debian_mirror) $apt_suite main" \
		>"$apt_dir/sources.list"
	apt-get "${apt_opts[@]}" update >&2 || {
		echo "cannot read Debian's $apt_suite/$apt_arch package lists from $(debian_mirror)" >&2
		return 1
	}
}
