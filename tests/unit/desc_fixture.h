/* SPDX-License-Identifier: MIT */
/*
 * VM descriptions built in memory for the description, layout and device-tree suites: a valid
 * base description (one VM "vm0" with two vCPUs, 1 MiB of RAM at DF_RAM, a raw kernel, a UART
 * and a test device), helpers to change it one property at a time, and in-memory "files".
 */
#ifndef DESC_FIXTURE_H
#define DESC_FIXTURE_H

#include <stdbool.h>
#include <stdint.h>
#include <vm/vm_desc.h>

#define DF_RAM	    0x40000000ULL
#define DF_RAM_SIZE 0x100000ULL
#define DF_UART	    0x09000000ULL
#define DF_TESTDEV  0x0b000000ULL

extern uint8_t df_tree[16384];
extern struct vm_desc_source df_src;
extern struct vm_config df_cfg;
extern struct vm_err df_err;

/* Files the resolver knows: "k.bin" (64 bytes), "big.bin" (2 MiB), "empty.bin" (0 bytes), and
 * whatever df_add_file registered. Others are not found. */
void df_add_file(const char *name, const void *data, uint64_t size);

/* A fresh base description in df_tree. */
void df_base(void);

/* The offset of @path (asserts it exists); adds the node if @create. */
int df_node(const char *path, bool create);

void df_set_str(const char *path, const char *prop, const char *value);
void df_set_u32s(const char *path, const char *prop, const uint32_t *cells, int n);
void df_set_u64s(const char *path, const char *prop, const uint64_t *values, int n);
void df_set_raw(const char *path, const char *prop, const void *data, int len);
void df_del(const char *path, const char *prop);

/* Parses VM @path into df_cfg: the result, df_err filled on failure. */
int df_parse(const char *path);

/* Parses VMs @a and @b (each must parse) and runs vm_desc_check_all on them, @b last: its
 * result, df_err filled on failure. */
int df_check_two(const char *a, const char *b);

/* Asserts df_parse(@path) fails with a message containing @msg, at a node containing @where. */
void df_expect_error(const char *path, const char *where, const char *msg);

#endif
