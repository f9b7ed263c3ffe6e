// SPDX-License-Identifier: MIT
#include <pv/types.h>

const char *pv_strerror(int err)
{
	static const char *const names[] = {
		[PV_OK] = "success",	       [PV_EINVAL] = "invalid argument",
		[PV_ENOMEM] = "out of memory", [PV_EEXIST] = "already exists",
		[PV_ENOENT] = "not found",     [PV_ENOTSUP] = "not supported",
		[PV_EBUSY] = "busy",	       [PV_EFAULT] = "bad address",
	};
	unsigned idx = (unsigned)(err < 0 ? -err : err);
	return idx < PV_ARRAY_SIZE(names) && names[idx] ? names[idx] : "unknown error";
}
